//! Differential suites aimed at what the general mixes of `differential.rs` rarely reach
//! (see `cargo run --release -p mmr-harness --example op_stats`): a client that keeps
//! following the chain with tracked leaves, honest and tampered sets; and un-pruning right
//! after compaction, with rewinds in between. Sequences are built of rounds that end in a
//! commit, so the states they reach are deep rather than wide.

use mmr_harness::strategy::{Mix, data, ops, set_tamper, value};
use mmr_harness::{Mismatch, Pair};
use mmr_spec::ops::{Op, SetTamper};
use mmr_spec::{Block, BlockOp, Config, Node, Profile, ProofDb, profiles};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::Config as PtConfig;

fn cases(default: u32) -> PtConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    PtConfig {
        cases: n,
        failure_persistence: None,
        ..PtConfig::default()
    }
}

/// A mutation with a small index (resolved against the state by the harness).
fn mutation() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (data(), value()).prop_map(|(data, value)| Op::Append { data, value }),
        2 => (0u64..40, data(), 0u64..1000).prop_map(|(index, data, value)| Op::Update { index, data, value }),
        2 => (0u64..40, data()).prop_map(|(index, data)| Op::Spend { index, data }),
    ]
}

fn block_op() -> impl Strategy<Value = BlockOp> {
    prop_oneof![
        3 => (data(), 0u64..1000).prop_map(|(data, value)| BlockOp::Append { data, value }),
        1 => (0u64..40, data(), 0u64..1000).prop_map(|(index, data, value)| BlockOp::Update { index, data, value }),
        1 => (0u64..40, data()).prop_map(|(index, data)| BlockOp::Spend { index, data }),
    ]
}

/// One round: mutations, a commit (or a block), then client and history ops.
fn round() -> impl Strategy<Value = Vec<Op>> {
    let end = prop_oneof![
        3 => Just(Op::Commit),
        2 => vec(block_op(), 0..5).prop_map(|ops| Op::ApplyBlock { block: Block { ops } }),
    ];
    let after = prop_oneof![
        6 => set_tamper().prop_map(|tamper| Op::ClientFollow { tamper }),
        3 => (0u64..40).prop_map(|index| Op::ClientTrack { index }),
        1 => (0u64..40).prop_map(|index| Op::ClientUntrack { index }),
        1 => (0u64..40, data(), 0u64..1000).prop_map(|(index, data, value)| Op::ClientVerify { index, data, value }),
        // Heights are resolved modulo the retained range, so these hit retained states.
        1 => (0u64..14).prop_map(|height| Op::ClientInit { height }),
        1 => (0u64..14).prop_map(|horizon| Op::Compact { horizon }),
        1 => (0u64..14).prop_map(|height| Op::Rewind { height }),
        1 => (0u64..14, 0u64..40).prop_map(|(height, index)| Op::UnpruneFrom { height, index }),
        2 => any::<u64>().prop_map(|v| Op::Unprune { proof: Vec::new(), leaf: Node::new(Default::default(), v) }),
    ];
    (vec(mutation(), 0..5), end, vec(after, 0..4)).prop_map(|(mut m, e, a)| {
        m.push(e);
        // Keep a client alive: follow honestly first, then whatever was drawn.
        m.push(Op::ClientFollow {
            tamper: SetTamper::None,
        });
        m.extend(a);
        m
    })
}

fn rounds(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Op>> {
    vec(round(), len).prop_map(|rs| {
        let mut seq = vec![Op::Append {
            data: vec![0],
            value: 1,
        }];
        seq.push(Op::Commit);
        seq.push(Op::ClientInit { height: 1 });
        seq.extend(rs.into_iter().flatten());
        seq
    })
}

/// Runs a generated sequence like `mmr_harness::run_generated`, except that a client left
/// on an orphaned branch by a rewind is dropped (SPEC.md D24: a client cannot follow a
/// reorganisation and must be re-created). Without this, the harness's invariant "the
/// client's proof equals the database's at the client's height" would compare the client's
/// proof with the proof of a different block at the same height once the chain regrows.
fn run_rounds(p: &'static dyn Profile, config: Config, seq: &[Op]) -> Result<(), Mismatch> {
    let mut pair = Pair::new(p, config);
    pair.check()?;
    for op in seq {
        let out = pair.step_generated(op)?;
        if matches!(op, Op::Rewind { .. }) && out.is_ok() {
            let tip = pair.reference.subject.db.height();
            if pair
                .reference
                .client
                .as_ref()
                .is_some_and(|c| c.height() > tip)
            {
                pair.reference.client = None;
                pair.optimized.client = None;
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(12))]

    #[test]
    fn client_and_history_rounds_every_profile(seq in rounds(1..14), retain in 1u64..9) {
        for p in profiles::all() {
            run_rounds(p, Config { retain }, &seq).map_err(|m| TestCaseError::fail(m.to_string()))?;
        }
    }
}

proptest! {
    #![proptest_config(cases(6))]

    /// `differential.rs`'s block-heavy mix, with orphaned clients dropped (see
    /// [`run_rounds`]), so long campaigns are not stopped by the harness's client invariant
    /// after a reorganisation (reported to the lead; `harness/src` is not ours to change).
    #[test]
    fn block_heavy_every_profile_dropping_orphaned_clients(
        seq in ops(Mix::BLOCK_HEAVY, 0..60),
        retain in 0u64..5,
    ) {
        for p in profiles::all() {
            run_rounds(p, Config { retain }, &seq).map_err(|m| TestCaseError::fail(m.to_string()))?;
        }
    }
}
