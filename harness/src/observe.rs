//! Everything observable about one implementation, gathered through the op executor so the
//! comparison sees exactly what a user of the traits sees.

use mmr_spec::At;
use mmr_spec::ops::{BatchTamper, Executor, Op, Outcome, Output, Subject, Tamper};
use std::fmt;

/// Caps that keep one observation cheap enough to run after every op.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nodes read per state.
    pub nodes: u64,
    /// Leaves proved per state.
    pub leaves: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            nodes: 600,
            leaves: 160,
        }
    }
}

/// How much of the database an observation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Everything: every retained state with its nodes, leaf set, unspent flags, proofs and
    /// batch proof, every MMR set, the client with its proofs, and the oracles.
    Full,
    /// Everything but proofs ([`Depth::Full`] without the proofs, batch proofs, the
    /// client's proofs and the oracles).
    NoProofs,
    /// What an op that changes only the working state can change (D12, D19: appends,
    /// updates and spends leave every committed block as it was): bookkeeping, the prune
    /// list, the working state's summary (size, leaf count, root, peaks), leaf set, nodes
    /// and unspent flags, and the client's summary.
    Working,
    /// [`Depth::Working`] plus every committed block's summary (with its root and peaks)
    /// and MMR set: after an op that can change committed blocks (commit, apply-block,
    /// rewind, compact, un-prune).
    Blocks,
    /// Only the client's summary: after a client op, which leaves the database alone.
    Client,
}

/// What an observation read: the label of one entry, formatted only for a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// The bookkeeping (`Op::Info`).
    Info,
    /// The prune list.
    PruneList,
    /// A state's summary.
    State(At),
    /// A state's leaf set.
    LeafSet(At),
    /// A node of a state.
    Node(At, u64),
    /// A leaf's unspent flag in a state.
    Unspent(At, u64),
    /// A leaf's proof in a state.
    Prove(At, u64),
    /// A leaf's proof in a state, verified.
    ProveVerify(At, u64),
    /// Oracle: the honest proof of a leaf verifies.
    HonestProofVerifies(At, u64),
    /// The batch proof of a state's leaves.
    ProveBatch(At),
    /// The batch proof of a state's leaves, verified.
    ProveBatchVerify(At),
    /// Oracle: the honest batch proof verifies.
    HonestBatchVerifies(At),
    /// The MMR set of a block.
    MmrSet(u64),
    /// The client's summary.
    Client,
    /// The client's proof of a tracked leaf.
    ClientProof(u64),
    /// The client's tracked leaf.
    ClientLeaf(u64),
    /// Oracle: the client's proof equals the database's.
    ClientProofEqualsDb(u64),
}

impl Label {
    /// Whether the entry records a broken oracle (a failure even if both sides agree).
    pub fn is_invariant(&self) -> bool {
        matches!(
            self,
            Label::HonestProofVerifies(..)
                | Label::HonestBatchVerifies(_)
                | Label::ClientProofEqualsDb(_)
        )
    }
}

struct Tag(At);

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            At::Current => f.write_str("current"),
            At::Block(h) => write!(f, "block {h}"),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Label::Info => f.write_str("info"),
            Label::PruneList => f.write_str("prune list"),
            Label::State(at) => write!(f, "state {}", Tag(at)),
            Label::LeafSet(at) => write!(f, "leaf set {}", Tag(at)),
            Label::Node(at, pos) => write!(f, "node {} {pos}", Tag(at)),
            Label::Unspent(at, i) => write!(f, "unspent {} {i}", Tag(at)),
            Label::Prove(at, i) => write!(f, "prove {} {i}", Tag(at)),
            Label::ProveVerify(at, i) => write!(f, "prove+verify {} {i}", Tag(at)),
            Label::HonestProofVerifies(at, i) => write!(
                f,
                "INVARIANT honest proof of leaf {i} at {} verifies",
                Tag(at)
            ),
            Label::ProveBatch(at) => write!(f, "prove batch {}", Tag(at)),
            Label::ProveBatchVerify(at) => write!(f, "prove batch+verify {}", Tag(at)),
            Label::HonestBatchVerifies(at) => {
                write!(f, "INVARIANT honest batch proof at {} verifies", Tag(at))
            }
            Label::MmrSet(h) => write!(f, "mmr set {h}"),
            Label::Client => f.write_str("client"),
            Label::ClientProof(i) => write!(f, "client proof {i}"),
            Label::ClientLeaf(i) => write!(f, "client leaf {i}"),
            Label::ClientProofEqualsDb(i) => {
                write!(f, "INVARIANT client proof of {i} equals the database's")
            }
        }
    }
}

/// A labelled list of outcomes, compared entry by entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// (what was read, its outcome), in reading order.
    pub entries: Vec<(Label, Outcome)>,
}

impl Snapshot {
    fn push<S: Subject>(&mut self, ex: &mut Executor<S>, label: Label, op: Op) -> Outcome {
        let out = ex.run(&op);
        self.entries.push((label, out.clone()));
        out
    }

    fn add<S: Subject>(&mut self, ex: &mut Executor<S>, label: Label, op: Op) {
        let out = ex.run(&op);
        self.entries.push((label, out));
    }
}

/// Reads the observables of a state to `depth`: its summary; then, for the working state
/// at every depth and for a block at `Full` and `NoProofs`, its leaf set, every node and
/// every leaf's unspent flag; and at `Full` every leaf's proof (and that the proof
/// verifies) and a batch proof of all leaves.
fn observe_state<S: Subject>(
    snap: &mut Snapshot,
    ex: &mut Executor<S>,
    at: At,
    lim: Limits,
    depth: Depth,
) {
    let st = snap.push(ex, Label::State(at), Op::State { at });
    if !matches!(depth, Depth::Full | Depth::NoProofs) && at != At::Current {
        return;
    }
    let proofs = depth == Depth::Full;
    snap.add(ex, Label::LeafSet(at), Op::LeafSet { at });
    let (size, leaves) = match st {
        Ok(Output::State(s)) => (s.size, s.leaf_count),
        _ => (ex.subject.db().size(), ex.subject.db().leaf_count()),
    };
    for pos in 0..size.min(lim.nodes) {
        snap.add(ex, Label::Node(at, pos), Op::Node { at, pos });
    }
    let n = leaves.min(lim.leaves);
    for index in 0..n {
        snap.add(ex, Label::Unspent(at, index), Op::IsUnspent { at, index });
        if !proofs {
            continue;
        }
        let proved = snap.push(ex, Label::Prove(at, index), Op::Prove { at, index });
        let verified = snap.push(
            ex,
            Label::ProveVerify(at, index),
            Op::ProveAndVerify {
                at,
                index,
                tamper: Tamper::None,
            },
        );
        // Oracle: an honest proof must verify in both implementations, not merely agree.
        if proved.is_ok() && verified.is_err() {
            snap.entries
                .push((Label::HonestProofVerifies(at, index), verified));
        }
    }
    if n > 0 && proofs {
        let indices: Vec<u64> = (0..n).collect();
        let proved = snap.push(
            ex,
            Label::ProveBatch(at),
            Op::ProveBatch {
                at,
                indices: indices.clone(),
            },
        );
        let verified = snap.push(
            ex,
            Label::ProveBatchVerify(at),
            Op::ProveBatchAndVerify {
                at,
                indices,
                tamper: BatchTamper::None,
            },
        );
        if proved.is_ok() && verified.is_err() {
            snap.entries
                .push((Label::HonestBatchVerifies(at), verified));
        }
    }
}

/// Observes the whole database and its client.
pub fn observe<S: Subject>(ex: &mut Executor<S>, lim: Limits) -> Snapshot {
    observe_with(ex, lim, Depth::Full)
}

/// Observes the database and its client to this depth.
pub fn observe_with<S: Subject>(ex: &mut Executor<S>, lim: Limits, depth: Depth) -> Snapshot {
    let mut snap = Snapshot::default();
    if depth == Depth::Client {
        observe_client(&mut snap, ex, false);
        return snap;
    }
    snap.add(ex, Label::Info, Op::Info);
    snap.add(ex, Label::PruneList, Op::PruneList);
    observe_state(&mut snap, ex, At::Current, lim, depth);
    if depth != Depth::Working {
        let (oldest, height) = (ex.subject.db().oldest(), ex.subject.db().height());
        for h in oldest..=height {
            observe_state(&mut snap, ex, At::Block(h), lim, depth);
            snap.add(ex, Label::MmrSet(h), Op::MmrSet { height: h });
        }
    }
    observe_client(&mut snap, ex, depth == Depth::Full);
    snap
}

/// The client's summary, and if `proofs` its proofs and leaves with the D24 oracle.
fn observe_client<S: Subject>(snap: &mut Snapshot, ex: &mut Executor<S>, proofs: bool) {
    if ex.client.is_none() {
        return;
    }
    let info = snap.push(ex, Label::Client, Op::ClientInfo);
    if !proofs {
        return;
    }
    if let Ok(Output::Client(c)) = info {
        for index in c.tracked {
            snap.add(ex, Label::ClientProof(index), Op::ClientProof { index });
            snap.add(ex, Label::ClientLeaf(index), Op::ClientLeaf { index });
            // Oracle (D24): the client's proof equals the database's at the client's
            // height, while the client is on the database's chain (same root there).
            // After a reorganisation the client holds a discarded branch, which D24 says
            // it cannot follow; there is nothing to compare then.
            let same_chain = match (&c.root, ex.subject.db().root(At::Block(c.height))) {
                (Ok(mine), Ok(theirs)) => *mine == theirs,
                _ => false,
            };
            let db = ex.run(&Op::Prove {
                at: At::Block(c.height),
                index,
            });
            let own = ex.run(&Op::ClientProof { index });
            if same_chain && db.is_ok() && db != own {
                snap.entries.push((Label::ClientProofEqualsDb(index), own));
            }
        }
    }
}

/// How deep to look after `op` in light mode ([`crate::Pair::light`]), or `None` where the
/// op cannot have changed anything but its own outcome: database reads and verifications
/// take `&self` (and mmr-optimized has no interior mutability), so only their outcome
/// can differ.
pub fn depth_after(op: &Op) -> Option<Depth> {
    match op {
        Op::Append { .. } | Op::Update { .. } | Op::Spend { .. } => Some(Depth::Working),
        Op::Commit
        | Op::ApplyBlock { .. }
        | Op::Rewind { .. }
        | Op::Compact { .. }
        | Op::Unprune { .. }
        | Op::UnpruneFrom { .. } => Some(Depth::Blocks),
        Op::ClientInit { .. }
        | Op::ClientApply { .. }
        | Op::ClientFollow { .. }
        | Op::ClientTrack { .. }
        | Op::ClientUntrack { .. } => Some(Depth::Client),
        Op::Info
        | Op::State { .. }
        | Op::Node { .. }
        | Op::IsUnspent { .. }
        | Op::LeafSet { .. }
        | Op::PruneList
        | Op::MmrSet { .. }
        | Op::Prove { .. }
        | Op::ProveBatch { .. }
        | Op::Verify { .. }
        | Op::VerifyBatch { .. }
        | Op::ProveAndVerify { .. }
        | Op::ProveBatchAndVerify { .. }
        | Op::ClientInfo
        | Op::ClientProof { .. }
        | Op::ClientLeaf { .. }
        | Op::ClientVerify { .. } => None,
    }
}
