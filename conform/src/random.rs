//! Random operation sessions against the reference (`mmr conform --random N --seed S`),
//! and shrinking of a failing session to a minimal op sequence written as a YAML vector.
//! With `keep_going`, sessions go on after a difference and differences are grouped by
//! class (op, expected shape, actual shape); each class is shrunk once.
//!
//! Ops come from the differential harness's strategies (`mmr_harness::strategy::ops`),
//! are resolved against the reference's state as the harness does ([`Pair::resolve`]), and
//! derived ops are expanded into concrete ones ([`concretize`]) so that an outside
//! implementation can run them.

use crate::judge::{Judged, cannot_judge, cannot_run, class, judge};
use crate::known::Known;
use crate::protocol::{Caps, Leaves};
use crate::runner::{Driver, Target};
use mmr_harness::Pair;
use mmr_harness::strategy::{Mix, client_session, ops};
use mmr_harness::subjects::{DynProfile, RefSubject};
use mmr_spec::ops::{BatchTamper, Executor, Op, Tamper};
use mmr_spec::{At, BlockOp, Config, Node, ProofDb, leaf_node};
use mmr_vectors::exec::{arith_reference, run_vop};
use mmr_vectors::generate::GENERATOR;
use mmr_vectors::model::{
    ArithCase, ArithFile, OpsCase, OpsFile, Query, SCHEMA_VERSION, Step, VAt, VOp, VOut,
    VectorFile, Verdict,
};
use mmr_vectors::num::{Hex, U64, VNode};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config as PtConfig, RngAlgorithm, TestRng, TestRunner};
use std::collections::{BTreeMap, HashMap};

/// Expands a (resolved) op of the operation model into a concrete op, reading the proofs,
/// nodes, states and MMR sets it needs from the reference. Where the read fails, the op
/// becomes the read itself, so the failure is still exercised.
pub fn concretize(exec: &Executor<RefSubject>, op: &Op) -> VOp {
    let db = &exec.subject.db;
    let h = |b: &[u8]| Hex(b.to_vec());
    let at = |a: At| VAt(a);
    let client_height = exec.client.as_ref().map(|c| c.height());
    match op {
        Op::Append { data, value } => VOp::Append {
            data: h(data),
            value: U64(*value),
        },
        Op::Update { index, data, value } => VOp::Update {
            index: U64(*index),
            data: h(data),
            value: U64(*value),
        },
        Op::Spend { index, data } => VOp::Spend {
            index: U64(*index),
            data: h(data),
        },
        Op::Commit => VOp::Commit,
        Op::ApplyBlock { block } => VOp::ApplyBlock {
            block: Hex(block.encode()),
        },
        Op::Rewind { height } => VOp::Rewind {
            height: U64(*height),
        },
        Op::Compact { horizon } => VOp::Compact {
            horizon: U64(*horizon),
        },
        Op::Unprune { proof, leaf } => VOp::Unprune {
            proof: h(proof),
            leaf: (*leaf).into(),
        },
        Op::UnpruneFrom { height, index } => {
            let a = At::Block(*height);
            match db
                .prove(a, *index)
                .and_then(|p| Ok((db.node(a, p.pos)?, p.encode()?)))
            {
                Ok((leaf, bytes)) => VOp::Unprune {
                    proof: Hex(bytes),
                    leaf: leaf.into(),
                },
                Err(_) => VOp::Prove {
                    at: at(a),
                    index: U64(*index),
                },
            }
        }
        Op::Info => VOp::Info,
        Op::State { at: a } => VOp::State { at: at(*a) },
        Op::Node { at: a, pos } => VOp::Node {
            at: at(*a),
            pos: U64(*pos),
        },
        Op::IsUnspent { at: a, index } => VOp::IsUnspent {
            at: at(*a),
            index: U64(*index),
        },
        Op::LeafSet { at: a } => VOp::LeafSet { at: at(*a) },
        Op::PruneList => VOp::PruneList,
        Op::MmrSet { height } => VOp::MmrSet {
            height: U64(*height),
        },
        Op::Prove { at: a, index } => VOp::Prove {
            at: at(*a),
            index: U64(*index),
        },
        Op::ProveBatch { at: a, indices } => VOp::ProveBatch {
            at: at(*a),
            indices: indices.iter().copied().map(U64).collect(),
        },
        Op::Verify {
            root,
            proof,
            data,
            value,
        } => VOp::Verify {
            root: (*root).into(),
            proof: h(proof),
            data: h(data),
            value: U64(*value),
        },
        Op::VerifyBatch {
            root,
            proof,
            leaves,
        } => VOp::VerifyBatch {
            root: (*root).into(),
            proof: h(proof),
            leaves: leaves
                .iter()
                .map(|l| mmr_vectors::model::VLeaf {
                    data: h(&l.data),
                    value: U64(l.value),
                })
                .collect(),
        },
        Op::ProveAndVerify {
            at: a,
            index,
            tamper,
        } => {
            let Ok(root) = db.root(*a) else {
                return VOp::State { at: at(*a) };
            };
            match db
                .prove(*a, *index)
                .and_then(|p| Ok((db.node(*a, p.pos)?, p)))
            {
                Ok((leaf, p)) => VOp::VerifyNode {
                    root: root.into(),
                    proof: Hex(tamper.apply(&p)),
                    leaf: leaf.into(),
                },
                Err(_) => VOp::Prove {
                    at: at(*a),
                    index: U64(*index),
                },
            }
        }
        Op::ProveBatchAndVerify {
            at: a,
            indices,
            tamper,
        } => {
            let Ok(root) = db.root(*a) else {
                return VOp::State { at: at(*a) };
            };
            let proven = db.prove_batch(*a, indices).and_then(|p| {
                let nodes = p
                    .leaves
                    .iter()
                    .map(|q| db.node(*a, *q))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((p, nodes))
            });
            match proven {
                Ok((p, nodes)) => {
                    let (bytes, leaves) = tamper.apply(&p, &nodes);
                    VOp::VerifyBatchNodes {
                        root: root.into(),
                        proof: Hex(bytes),
                        leaves: leaves.into_iter().map(VNode::from).collect(),
                    }
                }
                Err(_) => VOp::ProveBatch {
                    at: at(*a),
                    indices: indices.iter().copied().map(U64).collect(),
                },
            }
        }
        Op::ClientInit { height } => match db.state(At::Block(*height)) {
            Ok(st) => VOp::ClientInit {
                height: U64(*height),
                size: U64(st.size),
                peaks: st.peaks.into_iter().map(VNode::from).collect(),
            },
            Err(_) => VOp::State {
                at: at(At::Block(*height)),
            },
        },
        Op::ClientInfo => VOp::ClientInfo,
        Op::ClientApply { set } => VOp::ClientApply { set: h(set) },
        Op::ClientFollow { tamper } => {
            let Some(ch) = client_height else {
                return VOp::ClientInfo;
            };
            let next = ch.saturating_add(1);
            match db.mmr_set(next) {
                Ok(set) => VOp::ClientApply {
                    set: Hex(tamper.apply(&set).encode()),
                },
                Err(_) => VOp::MmrSet { height: U64(next) },
            }
        }
        Op::ClientTrack { index } => {
            let Some(ch) = client_height else {
                return VOp::ClientInfo;
            };
            let a = At::Block(ch);
            match db
                .prove(a, *index)
                .and_then(|p| Ok((db.node(a, p.pos)?, p.encode()?)))
            {
                Ok((leaf, bytes)) => VOp::ClientTrack {
                    proof: Hex(bytes),
                    leaf: leaf.into(),
                },
                Err(_) => VOp::Prove {
                    at: at(a),
                    index: U64(*index),
                },
            }
        }
        Op::ClientUntrack { index } => VOp::ClientUntrack { index: U64(*index) },
        Op::ClientProof { index } => VOp::ClientProof { index: U64(*index) },
        Op::ClientLeaf { index } => VOp::ClientLeaf { index: U64(*index) },
        Op::ClientVerify { index, data, value } => {
            let Some(ch) = client_height else {
                return VOp::ClientInfo;
            };
            let a = At::Block(ch);
            match db.prove(a, *index).and_then(|p| p.encode()) {
                Ok(bytes) => VOp::ClientVerify {
                    proof: Hex(bytes),
                    data: h(data),
                    value: U64(*value),
                },
                Err(_) => VOp::Prove {
                    at: at(a),
                    index: U64(*index),
                },
            }
        }
    }
}

/// The leaf data behind each leaf node a session has written, so that honest proofs can be
/// sent with the data (`verify`, `verify_batch`), as a light client holding the coin would,
/// not only with the node (`verify_node`). Keyed by node, so a rewind or an update needs no
/// bookkeeping: a node not in the book is sent as a node.
#[derive(Default)]
struct Book(HashMap<Node, Vec<u8>>);

impl Book {
    /// Notes the leaves an op wrote on the reference (`leaves` before it, `ok`: it succeeded).
    fn note(&mut self, profile: DynProfile, leaves: u64, op: &Op, ok: bool) {
        let mut put = |index: u64, data: &[u8], value: u64| {
            if let Some(pos) = mmr_index::leaf_to_pos(index) {
                self.0
                    .insert(leaf_node(&profile, pos, data, value), data.to_vec());
            }
        };
        match op {
            _ if !ok => {}
            Op::Append { data, value } => put(leaves, data, *value),
            Op::Update { index, data, value } => put(*index, data, *value),
            Op::ApplyBlock { block } => {
                let mut n = leaves;
                for b in &block.ops {
                    match b {
                        BlockOp::Append { data, value } => {
                            put(n, data, *value);
                            n += 1;
                        }
                        BlockOp::Update { index, data, value } => put(*index, data, *value),
                        BlockOp::Spend { .. } => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn data(&self, n: &VNode) -> Option<Hex> {
        self.0.get(&Node::from(*n)).map(|d| Hex(d.clone()))
    }
}

/// Whether a target takes proofs with leaf data for `op` (`verify` or `verify_batch`).
fn takes_data(caps: &Caps, op: &str) -> bool {
    caps.leaves != Leaves::Hashed && caps.has_op(op)
}

/// Turns a concrete proof check into what a target is asked: before an honest
/// `verify_node` / `verify_batch_nodes`, the `prove` / `prove_batch` that gives the proof,
/// compared with the reference's; and the check itself with the leaf data from the book
/// (`verify` / `verify_batch`) when the target takes data and `coin` says so or it has no
/// node form. A forged proof is sent the same two ways: with data it must still be refused.
fn expand(resolved: &Op, vop: VOp, caps: &Caps, book: &Book, coin: u64) -> Vec<VOp> {
    let mut out = Vec::new();
    match (resolved, vop) {
        (Op::ProveAndVerify { at, index, tamper }, VOp::VerifyNode { root, proof, leaf }) => {
            if *tamper == Tamper::None && caps.has_op("prove") {
                out.push(VOp::Prove {
                    at: VAt(*at),
                    index: U64(*index),
                });
            }
            let with_data =
                takes_data(caps, "verify") && (coin & 1 == 0 || !caps.has_op("verify_node"));
            match book.data(&leaf).filter(|_| with_data) {
                Some(data) => out.push(VOp::Verify {
                    root,
                    proof,
                    data,
                    value: leaf.value,
                }),
                None => out.push(VOp::VerifyNode { root, proof, leaf }),
            }
        }
        (
            Op::ProveBatchAndVerify {
                at,
                indices,
                tamper,
            },
            VOp::VerifyBatchNodes {
                root,
                proof,
                leaves,
            },
        ) => {
            if *tamper == BatchTamper::None && caps.has_op("prove_batch") {
                out.push(VOp::ProveBatch {
                    at: VAt(*at),
                    indices: indices.iter().copied().map(U64).collect(),
                });
            }
            let with_data = takes_data(caps, "verify_batch")
                && (coin & 2 == 0 || !caps.has_op("verify_batch_nodes"));
            let data: Option<Vec<mmr_vectors::model::VLeaf>> = leaves
                .iter()
                .map(|n| {
                    book.data(n).map(|data| mmr_vectors::model::VLeaf {
                        data,
                        value: n.value,
                    })
                })
                .collect();
            match data.filter(|_| with_data) {
                Some(leaves) => out.push(VOp::VerifyBatch {
                    root,
                    proof,
                    leaves,
                }),
                None => out.push(VOp::VerifyBatchNodes {
                    root,
                    proof,
                    leaves,
                }),
            }
        }
        (_, vop) => out.push(vop),
    }
    out
}

/// Honest proofs at the end of every session, of the state the session built: single
/// proofs at the current and at a retained height and batch proofs of two and three leaves
/// (indices taken modulo one past the leaf count, so the edge stays reachable). Each is
/// proved by the target and compared with the reference's proof, then verified, with the
/// leaf data where the target takes it ([`expand`]). The mixes reach honest proofs of
/// MMRs with many peaks too rarely for a wrong peak order to show.
fn closing_proofs(seed: u64, session: u64) -> Vec<Op> {
    let c = |j: usize| coin(seed, session, 1_000_000 + j) & 0xffff_ffff;
    vec![
        Op::ProveAndVerify {
            at: At::Current,
            index: c(0),
            tamper: Tamper::None,
        },
        Op::ProveAndVerify {
            at: At::Current,
            index: c(1),
            tamper: Tamper::None,
        },
        Op::ProveAndVerify {
            at: At::Block(c(2)),
            index: c(3),
            tamper: Tamper::None,
        },
        Op::ProveBatchAndVerify {
            at: At::Current,
            indices: vec![c(4), c(5), c(6)],
            tamper: BatchTamper::None,
        },
        Op::ProveBatchAndVerify {
            at: At::Block(c(7)),
            indices: vec![c(8), c(9)],
            tamper: BatchTamper::None,
        },
    ]
}

/// A reproducible coin per op of a session (splitmix64 of seed, session and op).
fn coin(seed: u64, session: u64, op: usize) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(session.rotate_left(21))
        .wrapping_add(op as u64)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Ops and queries that agreed, per op name (`arith` for the queries): how many had a
/// result, how many the expected rejection, and how many the target could not represent
/// (`{"error":"unsupported"}`, not agreed).
pub type OpMix = BTreeMap<String, [u64; 3]>;

fn count(mix: &mut OpMix, name: &str, want: &VOut) {
    mix.entry(name.to_string()).or_default()[usize::from(want.error().is_some())] += 1;
}

fn count_unsupported(mix: &mut OpMix, name: &str) {
    mix.entry(name.to_string()).or_default()[2] += 1;
}

/// The answers of a mix that agreed with the reference (results and expected rejections).
fn agreed(mix: &OpMix) -> u64 {
    mix.values().map(|[ok, rejected, _]| ok + rejected).sum()
}

/// A difference found by a random session, shrunk.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Which session (0-based) of the run.
    pub session: u64,
    /// The profile.
    pub profile: String,
    /// The retention.
    pub retain: u64,
    /// Ops of the original failing session.
    pub original_len: usize,
    /// The shrunk sequence (empty for an arithmetic difference).
    pub ops: Vec<VOp>,
    /// The arithmetic query that differed, if that is what differed.
    pub query: Option<Query>,
    /// Why the shrunk sequence fails.
    pub reason: String,
    /// The difference's class ([`crate::judge::class`]).
    pub class: String,
    /// Sessions that showed this class.
    pub count: u64,
}

/// A difference of one session: the ops up to it, why, and its class.
struct Diff {
    ops: Vec<VOp>,
    /// The arithmetic query that differed (its `ops` are empty).
    query: Option<Query>,
    reason: String,
    class: String,
}

/// Runs `ops` on the target and the reference side by side; the first difference.
fn replay(
    target: &mut dyn Target,
    profile: DynProfile,
    retain: u64,
    ops: &[VOp],
) -> Result<(), Diff> {
    let caps = target.caps().clone();
    let mut driver = Driver::start(target, profile.name(), retain).map_err(|f| Diff {
        ops: vec![],
        query: None,
        reason: f.0,
        class: "reset failed".into(),
    })?;
    let mut reference = Executor::new(RefSubject::new(profile, Config { retain }));
    for (i, op) in ops.iter().enumerate() {
        let want = run_vop(&mut reference, op);
        match driver.step(op, &want) {
            Ok(got) => {
                if let Judged::Fail(note) = judge(&caps, op.name(), &want, &got) {
                    return Err(Diff {
                        ops: ops[..=i].to_vec(),
                        query: None,
                        reason: format!(
                            "op {} ({}): reference {want}, {} {got}{}",
                            i + 1,
                            op.name(),
                            driver.name(),
                            note.map(|n| format!(" ({n})")).unwrap_or_default()
                        ),
                        class: class(op.name(), &want, &got),
                    });
                }
            }
            Err(f) => {
                return Err(Diff {
                    ops: ops[..=i].to_vec(),
                    query: None,
                    reason: format!("op {} ({}): {f}", i + 1, op.name()),
                    class: format!("{}: adapter misbehaved", op.name()),
                });
            }
        }
    }
    Ok(())
}

/// Greedy shrinking: removes chunks of ops (halves, quarters, ... single ops) while the
/// sequence still fails in the same class; at most `budget` replays.
fn shrink_class(
    target: &mut dyn Target,
    profile: DynProfile,
    retain: u64,
    mut ops: Vec<VOp>,
    mut budget: usize,
    want_class: Option<&str>,
) -> (Vec<VOp>, String, String) {
    let (mut reason, class) = match replay(target, profile, retain, &ops) {
        Err(d) => (d.reason, d.class),
        Ok(()) => {
            return (
                ops,
                "the failure did not reproduce".into(),
                want_class.unwrap_or_default().to_string(),
            );
        }
    };
    let keep = want_class.map_or(class.clone(), str::to_string);
    let mut chunk = (ops.len() / 2).max(1);
    loop {
        let mut progress = false;
        let mut i = 0;
        while i < ops.len() && budget > 0 {
            let end = (i + chunk).min(ops.len());
            let mut candidate = ops.clone();
            candidate.drain(i..end);
            budget -= 1;
            match replay(target, profile, retain, &candidate) {
                Err(d) if d.class == keep => {
                    ops = d.ops;
                    reason = d.reason;
                    progress = true;
                }
                _ => i += chunk,
            }
        }
        if budget == 0 || (chunk == 1 && !progress) {
            break;
        }
        if !progress {
            chunk = (chunk / 2).max(1);
        }
    }
    (ops, reason, keep)
}

/// A finding's case is invalid when the reference refuses a step of it.
fn verdict(invalid: bool) -> Verdict {
    if invalid {
        Verdict::Invalid
    } else {
        Verdict::Valid
    }
}

/// An invalid regression case names its weakness as `regression` (SCHEMA.md, "flags").
fn regression_flags(invalid: bool) -> Vec<String> {
    if invalid {
        vec!["regression".into()]
    } else {
        vec![]
    }
}

/// A shrunk finding as a ready-to-commit `ops` vector file (expected values from the
/// reference).
pub fn finding_yaml(f: &Finding, seed: u64) -> Result<String, String> {
    if let Some(q) = &f.query {
        let expect = arith_reference(q);
        let case = ArithCase {
            id: format!("random-seed-{seed}-session-{}", f.session),
            description: format!(
                "Found by `mmr conform --random --seed {seed}` (session {}); class: {}.",
                f.session, f.class
            ),
            result: verdict(expect.error().is_some()),
            flags: regression_flags(expect.error().is_some()),
            source: None,
            query: q.clone(),
            expect,
        };
        return mmr_vectors::model::to_yaml(&VectorFile::Arith(ArithFile {
            schema_version: U64(SCHEMA_VERSION),
            generator: GENERATOR.into(),
            profile: "any".into(),
            description: "A regression found by random conformance testing.".into(),
            cases: vec![case],
        }));
    }
    let profile = mmr_vectors::model::profile_named(&f.profile)?;
    let mut reference = Executor::new(RefSubject::new(profile, Config { retain: f.retain }));
    let steps: Vec<Step> = f
        .ops
        .iter()
        .map(|op| Step {
            op: op.clone(),
            expect: run_vop(&mut reference, op),
        })
        .collect();
    let invalid = steps.iter().any(|s| s.expect.error().is_some());
    let case = OpsCase {
        id: format!("random-seed-{seed}-session-{}", f.session),
        description: format!(
            "Found by `mmr conform --random --seed {seed}` (session {}), shrunk from {} to {} ops; class: {}.",
            f.session,
            f.original_len,
            f.ops.len(),
            f.class
        ),
        result: verdict(invalid),
        flags: regression_flags(invalid),
        source: None,
        retain: U64(f.retain),
        ops: steps,
    };
    mmr_vectors::model::to_yaml(&VectorFile::Ops(OpsFile {
        schema_version: U64(SCHEMA_VERSION),
        generator: GENERATOR.into(),
        profile: f.profile.clone(),
        description: "A regression found by random conformance testing.".into(),
        cases: vec![case],
    }))
}

/// Settings of a random run.
#[derive(Clone, Debug)]
pub struct RandomRun {
    /// Number of sessions.
    pub sessions: u64,
    /// Seed: the same seed gives the same sessions.
    pub seed: u64,
    /// Profile.
    pub profile: DynProfile,
    /// Longest session, in generated ops.
    pub max_len: usize,
    /// Replays allowed for shrinking one finding.
    pub shrink_budget: usize,
    /// Go on after a difference, grouping differences by class.
    pub keep_going: bool,
    /// Ops left out.
    pub exclude_ops: Vec<String>,
    /// Classes known to differ: counted, not shrunk.
    pub known: Option<Known>,
}

fn rng_for(seed: u64, session: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&session.to_le_bytes());
    bytes[16..].copy_from_slice(b"mmr-conform-rand");
    TestRunner::new_with_rng(
        PtConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// A few arithmetic queries per session, near the positions and sizes of a session and at
/// the edges of u64, for the functions the target declares.
fn arith_queries(runner: &mut TestRunner, target: &dyn Target) -> Vec<Query> {
    use proptest::prelude::*;
    let declared = &target.caps().arith;
    if declared.is_empty() {
        return vec![];
    }
    let n = prop_oneof![0u64..64, (u64::MAX - 64)..=u64::MAX, any::<u64>()];
    let q = (n.clone(), n, 0u64..70).prop_map(|(a, b, row)| {
        [
            Query::Size { leaves: U64(a) },
            Query::LeafCount { size: U64(a) },
            Query::LeafPos { index: U64(a) },
            Query::LeafIndex { pos: U64(a) },
            Query::Height { pos: U64(a) },
            Query::Peaks { size: U64(a) },
            Query::Parent { pos: U64(a) },
            Query::Sibling { pos: U64(a) },
            Query::Children { pos: U64(a) },
            Query::RowEntry { pos: U64(a) },
            Query::Position {
                row: U64(row),
                entry: U64(b),
            },
        ]
    });
    let mut out = Vec::new();
    for _ in 0..3 {
        if let Ok(tree) = q.new_tree(runner) {
            out.extend(
                tree.current()
                    .into_iter()
                    .filter(|q| declared.contains(q.name())),
            );
        }
    }
    out
}

/// The mix with no weight on kinds of ops the target does not implement, so that a
/// library with a few ops (append, prove, verify) gets sessions of those, not of skips.
fn mix_for(caps: &crate::protocol::Caps, base: Mix) -> Mix {
    let any = |ops: &[&str]| ops.iter().any(|o| caps.has_op(o));
    let w = |on: bool, weight: u32| if on { weight } else { 0 };
    let mix = Mix {
        append: w(any(&["append"]), base.append),
        change: w(any(&["update", "spend"]), base.change),
        block: w(any(&["commit", "apply_block"]), base.block),
        history: w(any(&["rewind", "compact", "unprune"]), base.history),
        read: w(
            any(&[
                "verify_node",
                "verify_batch_nodes",
                "node",
                "state",
                "prove",
            ]),
            base.read.max(base.append),
        ),
        client: w(any(&["client_init"]), base.client),
    };
    let total = mix.append + mix.change + mix.block + mix.history + mix.read + mix.client;
    if total == 0 { base } else { mix }
}

/// Ops that change no state: after a difference in one of them, a session can go on (with
/// `keep_going`) and find other differences.
fn is_read(op: &VOp) -> bool {
    matches!(
        op,
        VOp::Info
            | VOp::State { .. }
            | VOp::Node { .. }
            | VOp::IsUnspent { .. }
            | VOp::LeafSet { .. }
            | VOp::PruneList
            | VOp::MmrSet { .. }
            | VOp::Prove { .. }
            | VOp::ProveBatch { .. }
            | VOp::Verify { .. }
            | VOp::VerifyNode { .. }
            | VOp::VerifyBatch { .. }
            | VOp::VerifyBatchNodes { .. }
            | VOp::ClientInfo
            | VOp::ClientProof { .. }
            | VOp::ClientLeaf { .. }
            | VOp::ClientVerify { .. }
    )
}

/// One session's outcome: the ops and queries that agreed, per op, and its differences
/// (at most one without `keep_going`; with it, every difference in a read, and the first
/// in anything else, which ends the session). Each difference's ops replay it alone: earlier differing
/// reads are left out.
struct SessionOutcome {
    retain: u64,
    mix: OpMix,
    diffs: Vec<Diff>,
}

/// Generates session `k` of a run and compares the target with the reference as it goes.
fn one_session(target: &mut dyn Target, run: &RandomRun, k: u64) -> SessionOutcome {
    let mut rng = rng_for(run.seed, k);
    let retain = [0u64, 1, 2, 3, 16][(k % 5) as usize];
    let mut out = SessionOutcome {
        retain,
        mix: OpMix::new(),
        diffs: Vec::new(),
    };
    let mix = mix_for(
        target.caps(),
        if k.is_multiple_of(2) {
            Mix::BLOCK_HEAVY
        } else {
            Mix::APPEND_HEAVY
        },
    );
    // One session in four follows the database with a client, forged sets aimed at its
    // tracked proofs among them (D24 step 7), where the target has blocks and a client.
    let caps_follow = ["apply_block", "client_init", "client_track", "client_apply"]
        .iter()
        .all(|op| target.caps().has_op(op));
    let max_len = run.max_len.max(2);
    let tree = if caps_follow && k % 4 == 3 {
        client_session()
            .prop_map(move |mut ops| {
                ops.truncate(max_len);
                ops
            })
            .boxed()
            .new_tree(&mut rng)
    } else {
        ops(mix, 1..max_len).boxed().new_tree(&mut rng)
    };
    let generated = match tree {
        Ok(t) => {
            let mut ops = t.current();
            ops.extend(closing_proofs(run.seed, k));
            ops
        }
        Err(e) => {
            out.diffs.push(Diff {
                ops: vec![],
                query: None,
                reason: format!("generator failed: {e}"),
                class: "generator failed".into(),
            });
            return out;
        }
    };
    let caps = target.caps().clone();
    let queries = arith_queries(&mut rng, target);
    let config = Config { retain };
    let mut pair = Pair::new(run.profile, config);
    let mut driver = match Driver::start(target, run.profile.name(), retain) {
        Ok(d) => d,
        Err(f) => {
            out.diffs.push(Diff {
                ops: vec![],
                query: None,
                reason: f.0,
                class: "reset failed".into(),
            });
            return out;
        }
    };
    // The ops so far, without the reads that differed.
    let mut done: Vec<VOp> = Vec::new();
    let mut book = Book::default();
    'ops: for (i, op) in generated.iter().enumerate() {
        let resolved = pair.resolve(op);
        let leaves_before = pair.reference.subject.db.leaf_count();
        let vops = expand(
            &resolved,
            concretize(&pair.reference, &resolved),
            &caps,
            &book,
            coin(run.seed, k, i),
        );
        let mut ok = true;
        for vop in vops {
            if cannot_run(&caps, &vop, &run.exclude_ops).is_some() {
                continue;
            }
            let want: VOut = run_vop(&mut pair.reference, &vop);
            ok &= want.error().is_none();
            if cannot_judge(&caps, &want).is_some() {
                // The reference ran it; the target cannot be judged on it, and their states
                // may part ways: end the session's ops here.
                break 'ops;
            }
            let (reason, class, misbehaved) = match driver.step(&vop, &want) {
                Ok(got) => match judge(&caps, vop.name(), &want, &got) {
                    Judged::Unsupported(_) => {
                        count_unsupported(&mut out.mix, vop.name());
                        if is_read(&vop) {
                            continue;
                        }
                        // The target's state is no longer the reference's.
                        break 'ops;
                    }
                    Judged::Fail(note) => (
                        format!(
                            "op {} ({}): reference {want}, {} {got}{}",
                            done.len() + 1,
                            vop.name(),
                            driver.name(),
                            note.map(|n| format!(" ({n})")).unwrap_or_default()
                        ),
                        class(vop.name(), &want, &got),
                        false,
                    ),
                    _ => {
                        count(&mut out.mix, vop.name(), &want);
                        done.push(vop);
                        continue;
                    }
                },
                Err(f) => (
                    format!("op {} ({}): {f}", done.len() + 1, vop.name()),
                    format!("{}: adapter misbehaved", vop.name()),
                    true,
                ),
            };
            let mut ops = done.clone();
            ops.push(vop.clone());
            out.diffs.push(Diff {
                ops,
                query: None,
                reason,
                class,
            });
            if !run.keep_going || misbehaved || !is_read(&vop) {
                return out;
            }
        }
        book.note(run.profile, leaves_before, &resolved, ok);
    }
    // The arithmetic after the ops, at most a third as many queries as ops that ran (a
    // quarter of the traffic), so a library's MMR gets the sessions, not its index helpers;
    // a target that ran no op gets every query.
    let ran = agreed(&out.mix);
    let budget = if ran == 0 {
        queries.len()
    } else {
        usize::try_from(ran / 3).unwrap_or(usize::MAX)
    };
    if !run.exclude_ops.iter().any(|e| e == "arith") {
        for q in queries.iter().take(budget) {
            let want = arith_reference(q);
            let (reason, class) = match target.query(q) {
                Ok(got) => match judge(&caps, "arith", &want, &got) {
                    Judged::Unsupported(_) => {
                        count_unsupported(&mut out.mix, "arith");
                        continue;
                    }
                    Judged::Fail(note) => (
                        format!(
                            "arith {}: reference {want}, {} {got}{}",
                            serde_json::to_string(q).unwrap_or_default(),
                            target.name(),
                            note.map(|n| format!(" ({n})")).unwrap_or_default()
                        ),
                        class(&format!("arith {}", q.name()), &want, &got),
                    ),
                    _ => {
                        count(&mut out.mix, "arith", &want);
                        continue;
                    }
                },
                Err(f) => (
                    format!("arith {}: {f}", q.name()),
                    format!("arith {}: adapter misbehaved", q.name()),
                ),
            };
            out.diffs.push(Diff {
                ops: vec![],
                query: Some(q.clone()),
                reason,
                class,
            });
            if !run.keep_going {
                return out;
            }
        }
    }
    out
}

/// The outcome of a random run.
#[derive(Clone, Debug, Default)]
pub struct RandomOutcome {
    /// Ops and queries that agreed with the reference.
    pub ops: usize,
    /// Sessions run.
    pub sessions: u64,
    /// What agreed, per op.
    pub mix: OpMix,
    /// One shrunk finding per difference class, in order of first appearance.
    pub findings: Vec<Finding>,
}

/// Runs the sessions; `tick(k, failed)` after each. Without `keep_going` the run stops at
/// the first difference of a class that is not known.
pub fn run_random(
    target: &mut dyn Target,
    run: &RandomRun,
    tick: &mut dyn FnMut(u64, bool),
) -> RandomOutcome {
    let mut out = RandomOutcome::default();
    'sessions: for k in 0..run.sessions {
        out.sessions += 1;
        let s = one_session(target, run, k);
        out.ops += usize::try_from(agreed(&s.mix)).unwrap_or(usize::MAX);
        for (op, n) in &s.mix {
            let e = out.mix.entry(op.clone()).or_default();
            for (t, k) in e.iter_mut().zip(n) {
                *t += k;
            }
        }
        tick(k, !s.diffs.is_empty());
        for d in s.diffs {
            if let Some(f) = out.findings.iter_mut().find(|f| f.class == d.class) {
                f.count += 1;
                continue;
            }
            let known = run
                .known
                .as_ref()
                .is_some_and(|kn| kn.entry_for_class(&d.class).is_some());
            let original_len = d.ops.len();
            let (ops, reason) = if known || d.ops.is_empty() {
                (d.ops, d.reason)
            } else {
                let (ops, r, _) = shrink_class(
                    target,
                    run.profile,
                    s.retain,
                    d.ops,
                    run.shrink_budget,
                    Some(&d.class),
                );
                (
                    ops,
                    if r.contains("did not reproduce") {
                        d.reason
                    } else {
                        r
                    },
                )
            };
            out.findings.push(Finding {
                session: k,
                profile: run.profile.name().into(),
                retain: s.retain,
                original_len,
                ops,
                query: d.query,
                reason,
                class: d.class,
                count: 1,
            });
            if !run.keep_going && !known {
                break 'sessions;
            }
        }
    }
    out
}

/// The mix of a run in one line: `op answered/expected-rejections` for each op, busiest
/// first, so a run that never checks an honest proof shows it.
pub fn mix_line(mix: &OpMix) -> String {
    let mut by: Vec<(&String, &[u64; 3])> = mix.iter().collect();
    by.sort_by(|a, b| (b.1[0] + b.1[1]).cmp(&(a.1[0] + a.1[1])).then(a.0.cmp(b.0)));
    by.iter()
        .map(|(op, [ok, err, unsupported])| {
            if *unsupported > 0 {
                format!("{op} {ok}/{err} (+{unsupported} unsupported)")
            } else {
                format!("{op} {ok}/{err}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
