//! Random operation sessions against the reference (`mmr conform --random N --seed S`),
//! and shrinking of a failing session to a minimal op sequence printed as a YAML vector.
//!
//! Ops come from the differential harness's strategies (`mmr_harness::strategy::ops`),
//! are resolved against the reference's state as the harness does ([`Pair::resolve`]), and
//! derived ops are expanded into concrete ones ([`concretize`]) so that an outside
//! implementation can run them.

use crate::runner::Target;
use mmr_harness::Pair;
use mmr_harness::strategy::{Mix, ops};
use mmr_harness::subjects::{DynProfile, RefSubject};
use mmr_spec::ops::{Executor, Op};
use mmr_spec::{At, Config, ProofDb};
use mmr_vectors::exec::run_vop;
use mmr_vectors::generate::GENERATOR;
use mmr_vectors::model::{
    OpsCase, OpsFile, SCHEMA_VERSION, Step, VAt, VOp, VOut, VectorFile, Verdict,
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

/// A session that failed, before and after shrinking.
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
}

/// The outcome of one session: `Ok(ops run)` or the first difference.
fn replay(
    target: &mut dyn Target,
    profile: DynProfile,
    retain: u64,
    ops: &[VOp],
) -> Result<(), String> {
    target
        .reset(profile.name(), retain)
        .map_err(|f| format!("reset: {f}"))?;
    let mut reference = Executor::new(RefSubject::new(profile, Config { retain }));
    for (i, op) in ops.iter().enumerate() {
        let want = run_vop(&mut reference, op);
        match target.run(op) {
            Ok(got) if got == want => {}
            Ok(got) => {
                return Err(format!(
                    "op {} ({}): reference {want}, {} {got}",
                    i + 1,
                    op.name(),
                    target.name()
                ));
            }
            Err(f) => return Err(format!("op {} ({}): {f}", i + 1, op.name())),
        }
    }
    Ok(())
}

/// Greedy shrinking: removes chunks of ops (halves, quarters, ... single ops) while the
/// sequence still fails; at most `budget` replays.
pub fn shrink(
    target: &mut dyn Target,
    profile: DynProfile,
    retain: u64,
    mut ops: Vec<VOp>,
    mut budget: usize,
) -> (Vec<VOp>, String) {
    let mut reason = match replay(target, profile, retain, &ops) {
        Err(r) => r,
        Ok(()) => return (ops, "the failure did not reproduce".into()),
    };
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
                Err(r) => {
                    ops = candidate;
                    reason = r;
                    progress = true;
                }
                Ok(()) => i += chunk,
            }
        }
        if budget == 0 || (chunk == 1 && !progress) {
            break;
        }
        if !progress {
            chunk = (chunk / 2).max(1);
        }
    }
    (ops, reason)
}

/// A shrunk finding as a ready-to-commit `ops` vector file (expected values from the
/// reference).
pub fn finding_yaml(f: &Finding, seed: u64) -> Result<String, String> {
    let profile = mmr_spec::profiles::by_name(&f.profile)
        .ok_or_else(|| format!("unknown profile {}", f.profile))?;
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
            "Found by `mmr conform --random --seed {seed}` (session {}), shrunk from {} to {} ops; {} differs from the reference.",
            f.session,
            f.original_len,
            f.ops.len(),
            f.reason.split(": ").next().unwrap_or_default()
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

/// Generates session `k` of a run: its retention and concrete ops with the reference's
/// outcomes, comparing with the target as it goes; returns the first difference.
fn one_session(
    target: &mut dyn Target,
    run: &RandomRun,
    k: u64,
) -> Result<usize, (u64, Vec<VOp>, String)> {
    let mut rng = rng_for(run.seed, k);
    let retain = [0u64, 1, 2, 3, 16][(k % 5) as usize];
    let mix = if k.is_multiple_of(2) {
        Mix::BLOCK_HEAVY
    } else {
        Mix::APPEND_HEAVY
    };
    let generated = match ops(mix, 1..run.max_len.max(2)).new_tree(&mut rng) {
        Ok(t) => t.current(),
        Err(e) => return Err((retain, vec![], format!("generator failed: {e}"))),
    };
    let config = Config { retain };
    let mut pair = Pair::new(run.profile, config);
    if let Err(f) = target.reset(run.profile.name(), retain) {
        return Err((retain, vec![], format!("reset: {f}")));
    }
    let mut done = Vec::new();
    for op in &generated {
        let resolved = pair.resolve(op);
        let vop = concretize(&pair.reference, &resolved);
        if !target.supports_op(vop.name()) {
            continue;
        }
        let want: VOut = run_vop(&mut pair.reference, &vop);
        done.push(vop.clone());
        match target.run(&vop) {
            Ok(got) if got == want => {}
            Ok(got) => {
                let r = format!(
                    "op {} ({}): reference {want}, adapter {got}",
                    done.len(),
                    vop.name()
                );
                return Err((retain, done, r));
            }
            Err(f) => {
                let r = format!("op {} ({}): {f}", done.len(), vop.name());
                return Err((retain, done, r));
            }
        }
    }
    Ok(done.len())
}

/// Runs the sessions; `tick(k, failed)` after each. Returns the number of ops run and the
/// shrunk findings (at most one per session; the run stops after `max_findings`).
pub fn run_random(
    target: &mut dyn Target,
    run: &RandomRun,
    max_findings: usize,
    tick: &mut dyn FnMut(u64, bool),
) -> (usize, Vec<Finding>) {
    let mut total = 0;
    let mut findings = Vec::new();
    for k in 0..run.sessions {
        match one_session(target, run, k) {
            Ok(n) => {
                total += n;
                tick(k, false);
            }
            Err((retain, ops, reason)) => {
                tick(k, true);
                let original_len = ops.len();
                let (ops, shrunk_reason) =
                    shrink(target, run.profile, retain, ops, run.shrink_budget);
                findings.push(Finding {
                    session: k,
                    profile: run.profile.name().into(),
                    retain,
                    original_len,
                    ops,
                    reason: if shrunk_reason.contains("did not reproduce") {
                        reason
                    } else {
                        shrunk_reason
                    },
                });
                if findings.len() >= max_findings {
                    break;
                }
            }
        }
    }
    (total, findings)
}
