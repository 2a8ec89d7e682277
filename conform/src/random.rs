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
use crate::runner::{Driver, Target};
use mmr_harness::Pair;
use mmr_harness::strategy::{Mix, client_session, ops};
use mmr_harness::subjects::{DynProfile, RefSubject};
use mmr_spec::ops::{Executor, Op};
use mmr_spec::{At, Config, ProofDb};
use mmr_vectors::exec::{arith_reference, run_vop};
use mmr_vectors::generate::GENERATOR;
use mmr_vectors::model::{
    OpsCase, OpsFile, Query, SCHEMA_VERSION, Step, VAt, VOp, VOut, VectorFile, Verdict,
};
use mmr_vectors::num::{Hex, U64, VNode};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config as PtConfig, RngAlgorithm, TestRng, TestRunner};

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
    /// The shrunk sequence.
    pub ops: Vec<VOp>,
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
        reason: f.0,
        class: "reset failed".into(),
    })?;
    let mut reference = Executor::new(RefSubject::new(profile, Config { retain }));
    for (i, op) in ops.iter().enumerate() {
        let want = run_vop(&mut reference, op);
        match driver.step(op, &want) {
            Ok(got) => {
                if let Judged::Fail(note) = judge(&caps, &want, &got) {
                    return Err(Diff {
                        ops: ops[..=i].to_vec(),
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

/// A shrunk finding as a ready-to-commit `ops` vector file (expected values from the
/// reference).
pub fn finding_yaml(f: &Finding, seed: u64) -> Result<String, String> {
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
        result: if invalid {
            Verdict::Invalid
        } else {
            Verdict::Valid
        },
        flags: if invalid {
            vec!["regression".into()]
        } else {
            vec![]
        },
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

/// One session's outcome: ops and queries that agreed, and its differences (at most one
/// without `keep_going`; with it, every difference in a read, and the first in anything
/// else, which ends the session). Each difference's ops replay it alone: earlier differing
/// reads are left out.
struct SessionOutcome {
    retain: u64,
    agreed: usize,
    diffs: Vec<Diff>,
}

/// Generates session `k` of a run and compares the target with the reference as it goes.
fn one_session(target: &mut dyn Target, run: &RandomRun, k: u64) -> SessionOutcome {
    let mut rng = rng_for(run.seed, k);
    let retain = [0u64, 1, 2, 3, 16][(k % 5) as usize];
    let mut out = SessionOutcome {
        retain,
        agreed: 0,
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
        Ok(t) => t.current(),
        Err(e) => {
            out.diffs.push(Diff {
                ops: vec![],
                reason: format!("generator failed: {e}"),
                class: "generator failed".into(),
            });
            return out;
        }
    };
    let caps = target.caps().clone();
    let queries = arith_queries(&mut rng, target);
    if !run.exclude_ops.iter().any(|e| e == "arith") {
        for q in &queries {
            let want = arith_reference(q);
            let (reason, class) = match target.query(q) {
                Ok(got) => match judge(&caps, &want, &got) {
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
                        out.agreed += 1;
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
                reason,
                class,
            });
            if !run.keep_going {
                return out;
            }
        }
    }
    let config = Config { retain };
    let mut pair = Pair::new(run.profile, config);
    let mut driver = match Driver::start(target, run.profile.name(), retain) {
        Ok(d) => d,
        Err(f) => {
            out.diffs.push(Diff {
                ops: vec![],
                reason: f.0,
                class: "reset failed".into(),
            });
            return out;
        }
    };
    // The ops so far, without the reads that differed.
    let mut done: Vec<VOp> = Vec::new();
    for op in &generated {
        let resolved = pair.resolve(op);
        let vop = concretize(&pair.reference, &resolved);
        if cannot_run(&caps, &vop, &run.exclude_ops).is_some() {
            continue;
        }
        let want: VOut = run_vop(&mut pair.reference, &vop);
        if cannot_judge(&caps, &want).is_some() {
            // The reference ran it; the target cannot be judged on it, and their states
            // may part ways: end the session here.
            break;
        }
        let (reason, class, misbehaved) = match driver.step(&vop, &want) {
            Ok(got) => match judge(&caps, &want, &got) {
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
                    done.push(vop);
                    out.agreed += 1;
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
        out.diffs.push(Diff { ops, reason, class });
        if !run.keep_going || misbehaved || !is_read(&vop) {
            return out;
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
        out.ops += s.agreed;
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
