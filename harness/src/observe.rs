//! Everything observable about one implementation, gathered through the op executor so the
//! comparison sees exactly what a user of the traits sees.

use mmr_spec::At;
use mmr_spec::ops::{BatchTamper, Executor, Op, Outcome, Output, Subject, Tamper};

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

/// A labelled list of outcomes, compared entry by entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// (what was read, its outcome), in reading order.
    pub entries: Vec<(String, Outcome)>,
}

impl Snapshot {
    fn push<S: Subject>(&mut self, ex: &mut Executor<S>, label: String, op: Op) -> Outcome {
        let out = ex.run(&op);
        self.entries.push((label, out.clone()));
        out
    }

    fn add<S: Subject>(&mut self, ex: &mut Executor<S>, label: String, op: Op) {
        let _ = self.push(ex, label, op);
    }
}

/// Reads every observable of a state: its summary, leaf set, every node, every leaf's
/// unspent flag, and (if `proofs`) every leaf's proof (and that the proof verifies) and a
/// batch proof of all leaves.
fn observe_state<S: Subject>(
    snap: &mut Snapshot,
    ex: &mut Executor<S>,
    at: At,
    lim: Limits,
    proofs: bool,
) {
    let tag = match at {
        At::Current => "current".to_string(),
        At::Block(h) => format!("block {h}"),
    };
    let st = snap.push(ex, format!("state {tag}"), Op::State { at });
    snap.add(ex, format!("leaf set {tag}"), Op::LeafSet { at });
    let (size, leaves) = match st {
        Ok(Output::State(s)) => (s.size, s.leaf_count),
        _ => (ex.subject.db().size(), ex.subject.db().leaf_count()),
    };
    for pos in 0..size.min(lim.nodes) {
        snap.add(ex, format!("node {tag} {pos}"), Op::Node { at, pos });
    }
    let n = leaves.min(lim.leaves);
    for index in 0..n {
        snap.add(
            ex,
            format!("unspent {tag} {index}"),
            Op::IsUnspent { at, index },
        );
        if !proofs {
            continue;
        }
        let proved = snap.push(ex, format!("prove {tag} {index}"), Op::Prove { at, index });
        let verified = snap.push(
            ex,
            format!("prove+verify {tag} {index}"),
            Op::ProveAndVerify {
                at,
                index,
                tamper: Tamper::None,
            },
        );
        // Oracle: an honest proof must verify in both implementations, not merely agree.
        if proved.is_ok() && verified.is_err() {
            snap.entries.push((
                format!("INVARIANT honest proof of leaf {index} at {tag} verifies"),
                verified,
            ));
        }
    }
    if n > 0 && proofs {
        let indices: Vec<u64> = (0..n).collect();
        let proved = snap.push(
            ex,
            format!("prove batch {tag}"),
            Op::ProveBatch {
                at,
                indices: indices.clone(),
            },
        );
        let verified = snap.push(
            ex,
            format!("prove batch+verify {tag}"),
            Op::ProveBatchAndVerify {
                at,
                indices,
                tamper: BatchTamper::None,
            },
        );
        if proved.is_ok() && verified.is_err() {
            snap.entries.push((
                format!("INVARIANT honest batch proof at {tag} verifies"),
                verified,
            ));
        }
    }
}

/// Observes the whole database and its client.
pub fn observe<S: Subject>(ex: &mut Executor<S>, lim: Limits) -> Snapshot {
    observe_with(ex, lim, true)
}

/// [`observe`] if `proofs`; otherwise the cheap part of it, what a light check compares
/// after every op ([`crate::Pair::light`]): bookkeeping, the prune list, every state's
/// summary (size, leaf count, root, peaks), leaf set, nodes, unspent flags and MMR set, and
/// the client's summary (height, root, tracked leaves), but no proofs.
pub fn observe_with<S: Subject>(ex: &mut Executor<S>, lim: Limits, proofs: bool) -> Snapshot {
    let mut snap = Snapshot::default();
    snap.add(ex, "info".into(), Op::Info);
    snap.add(ex, "prune list".into(), Op::PruneList);
    observe_state(&mut snap, ex, At::Current, lim, proofs);
    let (oldest, height) = (ex.subject.db().oldest(), ex.subject.db().height());
    for h in oldest..=height {
        observe_state(&mut snap, ex, At::Block(h), lim, proofs);
        snap.add(ex, format!("mmr set {h}"), Op::MmrSet { height: h });
    }
    if ex.client.is_some() {
        let info = snap.push(ex, "client".into(), Op::ClientInfo);
        if !proofs {
            return snap;
        }
        if let Ok(Output::Client(c)) = info {
            for index in c.tracked {
                snap.add(
                    ex,
                    format!("client proof {index}"),
                    Op::ClientProof { index },
                );
                snap.add(ex, format!("client leaf {index}"), Op::ClientLeaf { index });
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
                    snap.entries.push((
                        format!("INVARIANT client proof of {index} equals the database's"),
                        own,
                    ));
                }
            }
        }
    }
    snap
}
