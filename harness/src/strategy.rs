//! proptest strategies for op sequences: mostly valid operations (small indices and
//! heights that hit existing leaves and states), with a steady share of invalid ones
//! (indices and heights at the u64 extremes, overflowing values, garbage bytes, tampered
//! proofs and sets).

use mmr_spec::ops::{BatchTamper, Op, SetTamper, Tamper};
use mmr_spec::{At, Block, BlockOp, Hash, Leaf, Node};
use proptest::collection::vec;
use proptest::prelude::*;

/// Leaf data: short byte strings.
pub fn data() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..5)
}

/// Leaf values: mostly small, sometimes at the overflow edge.
pub fn value() -> impl Strategy<Value = u64> {
    prop_oneof![
        12 => 0u64..1000,
        1 => Just(u64::MAX),
        1 => Just(u64::MAX / 2),
        1 => any::<u64>(),
    ]
}

/// Leaf indices: mostly existing ones, sometimes just past the end or at the extremes.
pub fn index() -> impl Strategy<Value = u64> {
    prop_oneof![
        14 => 0u64..24,
        1 => Just(1u64 << 63),
        1 => Just(u64::MAX),
        1 => any::<u64>(),
    ]
}

/// Positions: mostly inside small MMRs, sometimes at the extremes.
pub fn position() -> impl Strategy<Value = u64> {
    prop_oneof![
        14 => 0u64..48,
        1 => Just(u64::MAX),
        1 => Just(u64::MAX - 1),
        1 => any::<u64>(),
    ]
}

/// Block heights: mostly recent ones, sometimes far away.
pub fn height() -> impl Strategy<Value = u64> {
    prop_oneof![12 => 0u64..14, 1 => Just(u64::MAX), 1 => any::<u64>()]
}

/// A state selector.
pub fn at() -> impl Strategy<Value = At> {
    prop_oneof![3 => Just(At::Current), 2 => height().prop_map(At::Block)]
}

/// A node with an arbitrary hash.
pub fn node() -> impl Strategy<Value = Node> {
    (any::<[u8; 32]>(), value()).prop_map(|(h, v)| Node::new(Hash(h), v))
}

/// A proof tamper (one in four honest).
pub fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        4 => Just(Tamper::None),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(step, bit)| Tamper::FlipHashBit { step, bit }),
        1 => (any::<u8>(), 1u64..3).prop_map(|(step, delta)| Tamper::AddValue { step, delta }),
        1 => any::<u8>().prop_map(|step| Tamper::FlipSide { step }),
        1 => any::<u8>().prop_map(|step| Tamper::DropStep { step }),
        1 => any::<u8>().prop_map(|step| Tamper::DuplicateStep { step }),
        1 => any::<u8>().prop_map(|step| Tamper::SwapSteps { step }),
        1 => position().prop_map(Tamper::SetSize),
        1 => position().prop_map(Tamper::SetPos),
        1 => any::<u8>().prop_map(Tamper::TrailingByte),
        1 => (0u16..120).prop_map(Tamper::Truncate),
        1 => (any::<u16>(), any::<u8>()).prop_map(|(offset, byte)| Tamper::SetByte { offset, byte }),
    ]
}

/// A batch-proof tamper (one in four honest).
pub fn batch_tamper() -> impl Strategy<Value = BatchTamper> {
    prop_oneof![
        4 => Just(BatchTamper::None),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(item, bit)| BatchTamper::FlipHashBit { item, bit }),
        1 => (any::<u8>(), 1u64..3).prop_map(|(item, delta)| BatchTamper::AddValue { item, delta }),
        1 => any::<u8>().prop_map(|item| BatchTamper::DropItem { item }),
        1 => any::<u8>().prop_map(|item| BatchTamper::DuplicateItem { item }),
        1 => any::<u8>().prop_map(|item| BatchTamper::ConflictingItem { item }),
        1 => any::<u8>().prop_map(|item| BatchTamper::SwapItems { item }),
        1 => any::<u8>().prop_map(|leaf| BatchTamper::DuplicateLeaf { leaf }),
        1 => any::<u8>().prop_map(|leaf| BatchTamper::SwapLeaves { leaf }),
        1 => any::<u8>().prop_map(|leaf| BatchTamper::DropLeaf { leaf }),
        1 => position().prop_map(BatchTamper::SetSize),
        1 => any::<u8>().prop_map(BatchTamper::TrailingByte),
        1 => (0u16..200).prop_map(BatchTamper::Truncate),
    ]
}

/// An MMR-set tamper (one in three honest).
pub fn set_tamper() -> impl Strategy<Value = SetTamper> {
    prop_oneof![
        5 => Just(SetTamper::None),
        1 => any::<u8>().prop_map(SetTamper::DropNode),
        1 => any::<u8>().prop_map(SetTamper::FlipHash),
        1 => (any::<u8>(), 1u64..3).prop_map(|(i, d)| SetTamper::AddValue(i, d)),
        1 => any::<u8>().prop_map(SetTamper::SwapNodes),
        1 => any::<u8>().prop_map(SetTamper::DuplicateNode),
        1 => height().prop_map(SetTamper::SetHeight),
        1 => position().prop_map(SetTamper::SetPrevSize),
        1 => position().prop_map(SetTamper::SetSize),
        1 => Just(SetTamper::FlipRoot),
        // D24 step 7: right peaks and root, a forged inner node (caught only where a
        // tracked proof uses it).
        2 => any::<u8>().prop_map(SetTamper::ForgeNonPeak),
        2 => any::<u8>().prop_map(SetTamper::ForgeTrackedSibling),
    ]
}

/// One block operation.
pub fn block_op() -> impl Strategy<Value = BlockOp> {
    prop_oneof![
        3 => (data(), value()).prop_map(|(data, value)| BlockOp::Append { data, value }),
        1 => (index(), data(), value()).prop_map(|(index, data, value)| BlockOp::Update { index, data, value }),
        1 => (index(), data()).prop_map(|(index, data)| BlockOp::Spend { index, data }),
    ]
}

/// Weights of the op families, so suites can lean towards appends or towards blocks.
#[derive(Clone, Copy, Debug)]
pub struct Mix {
    /// Appends.
    pub append: u32,
    /// Updates and spends.
    pub change: u32,
    /// Commits and whole blocks.
    pub block: u32,
    /// Rewinds, compactions and un-pruning.
    pub history: u32,
    /// Reads, proofs and verification with concrete (mostly garbage) inputs.
    pub read: u32,
    /// Client ops.
    pub client: u32,
}

impl Mix {
    /// Mostly appends: long MMRs, deep mountains, many peaks.
    pub const APPEND_HEAVY: Mix = Mix {
        append: 12,
        change: 2,
        block: 2,
        history: 1,
        read: 2,
        client: 1,
    };
    /// Blocks, rewinds, compaction and the client.
    pub const BLOCK_HEAVY: Mix = Mix {
        append: 5,
        change: 4,
        block: 4,
        history: 4,
        read: 2,
        client: 4,
    };
}

/// One op drawn from the mix.
pub fn op(mix: Mix) -> impl Strategy<Value = Op> {
    let appends = (data(), value()).prop_map(|(data, value)| Op::Append { data, value });
    let changes = prop_oneof![
        (index(), data(), value()).prop_map(|(index, data, value)| Op::Update {
            index,
            data,
            value
        }),
        (index(), data()).prop_map(|(index, data)| Op::Spend { index, data }),
    ];
    let blocks = prop_oneof![
        3 => Just(Op::Commit),
        2 => vec(block_op(), 0..5).prop_map(|ops| Op::ApplyBlock { block: Block { ops } }),
    ];
    let history = prop_oneof![
        2 => height().prop_map(|height| Op::Rewind { height }),
        2 => height().prop_map(|horizon| Op::Compact { horizon }),
        2 => (height(), index()).prop_map(|(height, index)| Op::UnpruneFrom { height, index }),
        1 => (vec(any::<u8>(), 0..80), node()).prop_map(|(proof, leaf)| Op::Unprune { proof, leaf }),
        // An empty proof resolves to an honest proof seen earlier (Pair::resolve).
        3 => node().prop_map(|leaf| Op::Unprune { proof: Vec::new(), leaf }),
    ];
    let reads = prop_oneof![
        2 => (at(), index(), tamper()).prop_map(|(at, index, tamper)| Op::ProveAndVerify { at, index, tamper }),
        2 => (at(), vec(index(), 0..5), batch_tamper())
            .prop_map(|(at, indices, tamper)| Op::ProveBatchAndVerify { at, indices, tamper }),
        1 => (at(), position()).prop_map(|(at, pos)| Op::Node { at, pos }),
        1 => Just(Op::Info),
        1 => at().prop_map(|at| Op::State { at }),
        1 => at().prop_map(|at| Op::LeafSet { at }),
        1 => Just(Op::PruneList),
        1 => (at(), index()).prop_map(|(at, index)| Op::IsUnspent { at, index }),
        1 => height().prop_map(|height| Op::MmrSet { height }),
        1 => (node(), vec(any::<u8>(), 0..80), data(), value())
            .prop_map(|(root, proof, data, value)| Op::Verify { root, proof, data, value }),
        1 => (node(), vec(any::<u8>(), 0..80), vec((data(), value()), 0..3)).prop_map(
            |(root, proof, l)| Op::VerifyBatch {
                root,
                proof,
                leaves: l.into_iter().map(|(data, value)| Leaf { data, value }).collect(),
            }
        ),
    ];
    let client = prop_oneof![
        2 => height().prop_map(|height| Op::ClientInit { height }),
        4 => set_tamper().prop_map(|tamper| Op::ClientFollow { tamper }),
        2 => index().prop_map(|index| Op::ClientTrack { index }),
        1 => index().prop_map(|index| Op::ClientUntrack { index }),
        1 => index().prop_map(|index| Op::ClientProof { index }),
        1 => index().prop_map(|index| Op::ClientLeaf { index }),
        1 => (index(), data(), value()).prop_map(|(index, data, value)| Op::ClientVerify { index, data, value }),
        1 => vec(any::<u8>(), 0..120).prop_map(|set| Op::ClientApply { set }),
        1 => Just(Op::ClientInfo),
    ];
    prop_oneof![
        mix.append => appends,
        mix.change => changes,
        mix.block => blocks,
        mix.history => history,
        mix.read => reads,
        mix.client => client,
    ]
}

/// A sequence of ops.
pub fn ops(mix: Mix, len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Op>> {
    vec(op(mix), len)
}

/// A client that follows the database (D24): `leaves` appends and a commit, the client
/// created at height 1, some of those leaves tracked, then blocks, each followed by the
/// client with a set that is forged one time in three (an honest follow after a forged
/// one keeps the client going). The mixes above rarely line these up, so D24 step 7 (a
/// forged node that a tracked proof uses) needs this shape to be exercised at random
/// (harness/tests/client_forgery.rs).
pub fn client_session() -> impl Strategy<Value = Vec<Op>> {
    let follow = prop_oneof![
        6 => Just(SetTamper::None),
        2 => any::<u8>().prop_map(SetTamper::ForgeTrackedSibling),
        1 => set_tamper(),
    ];
    (
        1u64..12,
        vec(any::<u64>(), 1..4),
        vec((vec(block_op(), 1..5), follow), 1..6),
    )
        .prop_map(|(leaves, tracked, blocks)| {
            let mut ops: Vec<Op> = (0..leaves)
                .map(|i| Op::Append {
                    data: vec![i as u8],
                    value: i + 1,
                })
                .collect();
            ops.push(Op::Commit);
            ops.push(Op::ClientInit { height: 1 });
            for t in tracked {
                ops.push(Op::ClientTrack { index: t % leaves });
            }
            for (block, tamper) in blocks {
                ops.push(Op::ApplyBlock {
                    block: Block { ops: block },
                });
                ops.push(Op::ClientFollow { tamper });
                if tamper != SetTamper::None {
                    ops.push(Op::ClientFollow {
                        tamper: SetTamper::None,
                    });
                }
            }
            ops.push(Op::ClientInfo);
            ops
        })
}
