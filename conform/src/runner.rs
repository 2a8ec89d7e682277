//! Running vector files on a [`Target`], one handler per vector kind (lighthouse ef_tests
//! style): [`run_ops_case`] for `ops` files, [`run_arith_case`] for `arith` files. Each case
//! passes, fails with a readable diff, is known (`--known`), or is skipped with its reason:
//! skips are counted and listed, never silent.

use crate::flags::FlagCheck;
use crate::judge::{Judged, cannot_judge, cannot_run, judge, sent_as};
use crate::known::Known;
use crate::protocol::{Got, Leaves};
use crate::report::{CaseReport, Status};
pub use crate::target::{BuiltinTarget, Failure, Target};
use mmr_spec::{BatchProof, Hash, Leaf, Node, Profile, Proof, batch_leaf_nodes, leaf_node};
use mmr_vectors::model::{ArithCase, OpsCase, VOp, VOut, VectorFile, profile_named};
use mmr_vectors::num::VNode;

/// What every case of a run shares.
#[derive(Clone, Debug, Default)]
pub struct CaseOptions {
    /// Ops (and `arith`) left out: cases using them are skipped.
    pub exclude_ops: Vec<String>,
    /// Known failures.
    pub known: Option<Known>,
    /// Judge the cases by their leniency flags for this library (`--check-flags`).
    pub check_flags: Option<FlagCheck>,
    /// Run every step of a case after a difference (`--keep-going`) and report each; a
    /// target that misbehaves still ends its case.
    pub keep_going: bool,
}

/// One session on a target, sending each op in the form the target takes: for targets
/// declaring `leaves: "hashed"`, an `append` becomes `append_hash` with the leaf hash of the
/// session's profile at the leaf's position.
pub struct Driver<'a> {
    target: &'a mut dyn Target,
    profile: &'static dyn Profile,
    leaves: u64,
}

impl<'a> Driver<'a> {
    /// Resets the target to a fresh database of this profile and retention.
    pub fn start(
        target: &'a mut dyn Target,
        profile: &str,
        retain: u64,
    ) -> Result<Driver<'a>, Failure> {
        let p = profile_named(profile).map_err(Failure)?;
        target
            .reset(profile, retain)
            .map_err(|f| Failure(format!("reset failed: {f}")))?;
        Ok(Driver {
            target,
            profile: p,
            leaves: 0,
        })
    }

    /// Runs one op; `expect` (the reference's outcome) names the index an append gets.
    pub fn step(&mut self, op: &VOp, expect: &VOut) -> Result<Got, Failure> {
        let got = match op {
            VOp::Append { data, value } if self.target.caps().leaves == Leaves::Hashed => {
                let index = match expect {
                    VOut::Number(n) => n.0,
                    _ => self.leaves,
                };
                let pos = mmr_index::leaf_to_pos(index).unwrap_or(u64::MAX);
                let hash = self.profile.leaf_hash(pos, &data.0, value.0);
                self.target.append_hash(hash.0, value.0)?
            }
            _ if sent_as(self.target.caps(), op.name()) != op.name() => {
                self.target.run(&node_form(self.profile, op))?
            }
            _ => self.target.run(op)?,
        };
        if let (VOp::Append { .. }, VOut::Number(n)) = (op, expect) {
            self.leaves = n.0.saturating_add(1);
        }
        Ok(got)
    }

    /// The target's name.
    pub fn name(&self) -> String {
        self.target.name()
    }
}

/// `verify` and `verify_batch` in their node forms, for a target that takes hashed leaves:
/// each leaf becomes the profile's leaf node at the position the proof names for it, as the
/// verifier itself hashes it (D14; D15 by [`batch_leaf_nodes`], as `ProofDb::verify_batch`
/// does). A proof that does not decode gets zero nodes: decoding fails first, whatever the
/// leaves. Other ops are returned as they are.
pub fn node_form(profile: &dyn Profile, op: &VOp) -> VOp {
    match op {
        VOp::Verify {
            root,
            proof,
            data,
            value,
        } => VOp::VerifyNode {
            root: *root,
            proof: proof.clone(),
            leaf: match Proof::decode(&proof.0) {
                Ok(p) => leaf_node(profile, p.pos, &data.0, value.0).into(),
                Err(_) => Node::new(Hash([0; 32]), value.0).into(),
            },
        },
        VOp::VerifyBatch {
            root,
            proof,
            leaves,
        } => {
            let positions = BatchProof::decode(&proof.0)
                .map(|p| p.leaves)
                .unwrap_or_default();
            let leaves: Vec<Leaf> = leaves
                .iter()
                .map(|l| Leaf {
                    data: l.data.0.clone(),
                    value: l.value.0,
                })
                .collect();
            VOp::VerifyBatchNodes {
                root: *root,
                proof: proof.clone(),
                leaves: batch_leaf_nodes(profile, &positions, &leaves)
                    .into_iter()
                    .map(VNode::from)
                    .collect(),
            }
        }
        other => other.clone(),
    }
}

/// The lenient systems a case's flags name, with their version ranges:
/// `lenient-in:ckb<=0.6.1` gives `ckb<=0.6.1` (SCHEMA.md, "Flags").
pub fn lenient_systems(flags: &[String]) -> Vec<&str> {
    flags
        .iter()
        .filter_map(|f| f.strip_prefix("lenient-in:"))
        .collect()
}

fn lenient_note(flags: &[String], library: Option<&str>) -> String {
    let systems = lenient_systems(flags);
    if systems.is_empty() {
        return String::new();
    }
    let under_test = library.map_or(String::new(), |l| format!(" (the adapter wraps {l})"));
    format!(
        "\nnote: {} accept(s) this input (flag lenient-in); this specification rejects it{under_test}",
        systems.join(", ")
    )
}

fn finish(mut r: CaseReport, opts: &CaseOptions) -> CaseReport {
    if let Some(c) = &opts.check_flags {
        c.apply(&mut r);
    }
    if let Some(k) = &opts.known {
        k.apply(&mut r);
    }
    r
}

/// Runs one ops case on a target.
pub fn run_ops_case(
    target: &mut dyn Target,
    file: &str,
    profile: &str,
    case: &OpsCase,
    opts: &CaseOptions,
) -> CaseReport {
    let mut report = CaseReport::new(&target.name(), file, &case.id, &case.flags);
    let caps = target.caps().clone();
    if !caps.profiles.contains(profile) {
        report.status = Status::Skip;
        report.reason = format!("profile {profile} not declared");
        return report;
    }
    let why = case.ops.iter().find_map(|s| {
        cannot_run(&caps, &s.op, &opts.exclude_ops).or_else(|| cannot_judge(&caps, &s.expect))
    });
    if let Some(why) = why {
        report.status = Status::Skip;
        report.reason = why;
        return report;
    }
    let mut driver = match Driver::start(target, profile, case.retain.0) {
        Ok(d) => d,
        Err(f) => {
            report.status = Status::Fail;
            report.reason = f.0;
            return finish(report, opts);
        }
    };
    let mut diffs: Vec<String> = Vec::new();
    for (i, step) in case.ops.iter().enumerate() {
        report.ops += 1;
        match driver.step(&step.op, &step.expect) {
            Ok(got) => match judge(&caps, step.op.name(), &step.expect, &got) {
                Judged::Pass => {}
                Judged::PassAnyError => report.any_error = true,
                // The rest of the case would run on a state the target did not reach.
                Judged::Unsupported(why) if diffs.is_empty() => {
                    report.status = Status::Skip;
                    report.reason = format!(
                        "the adapter cannot represent op {} (step {} of {}{})",
                        step.op.name(),
                        i + 1,
                        case.ops.len(),
                        if why.is_empty() {
                            String::new()
                        } else {
                            format!(": {why}")
                        }
                    );
                    return report;
                }
                Judged::Unsupported(_) => break,
                Judged::Fail(note) => {
                    let diff = format!(
                        "step {} of {} ({}) differs\nop:       {}\nexpected: {}\ngot:      {got}{}",
                        i + 1,
                        case.ops.len(),
                        step.op.name(),
                        show_op(&step.op),
                        step.expect,
                        note.map(|n| format!("\nnote: {n}")).unwrap_or_default(),
                    );
                    diffs.push(diff);
                    report.status = Status::Fail;
                    if !opts.keep_going {
                        break;
                    }
                }
            },
            Err(f) => {
                report.status = Status::Fail;
                report.reason = format!(
                    "implementation misbehaved at step {} of {} ({}): {f}",
                    i + 1,
                    case.ops.len(),
                    step.op.name()
                );
                if !diffs.is_empty() {
                    report.reason = format!("{}\nthen {}", diffs.join("\n"), report.reason);
                }
                return finish(report, opts);
            }
        }
    }
    if !diffs.is_empty() {
        let head = if diffs.len() > 1 {
            format!("{} steps differ (--keep-going)\n", diffs.len())
        } else {
            String::new()
        };
        report.reason = format!(
            "{head}{}{}",
            diffs.join("\n"),
            lenient_note(&case.flags, caps.library.as_deref())
        );
    }
    finish(report, opts)
}

/// An op as one line of JSON, shortened for reports.
pub fn show_op(op: &VOp) -> String {
    let s = serde_json::to_string(op).unwrap_or_default();
    if s.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        format!("{}... ({} chars)", &s[..cut], s.len())
    } else {
        s
    }
}

/// Runs one arith case on a target.
pub fn run_arith_case(
    target: &mut dyn Target,
    file: &str,
    case: &ArithCase,
    opts: &CaseOptions,
) -> CaseReport {
    let mut report = CaseReport::new(&target.name(), file, &case.id, &case.flags);
    let f = case.query.name();
    let caps = target.caps().clone();
    if opts.exclude_ops.iter().any(|e| e == "arith") {
        report.status = Status::Skip;
        report.reason = "op arith excluded by --exclude-ops".into();
        return report;
    }
    if !caps.arith.contains(f) {
        report.status = Status::Skip;
        report.reason = format!("arith function {f} not declared");
        return report;
    }
    report.ops = 1;
    match target.query(&case.query) {
        Ok(got) => match judge(&caps, "arith", &case.expect, &got) {
            Judged::Pass => {}
            Judged::PassAnyError => report.any_error = true,
            Judged::Unsupported(why) => {
                report.status = Status::Skip;
                report.reason = format!("the adapter cannot represent arith {f} ({why})");
            }
            Judged::Fail(note) => {
                report.status = Status::Fail;
                report.reason = format!(
                    "query {}\nexpected: {}\ngot:      {got}{}",
                    serde_json::to_string(&case.query).unwrap_or_default(),
                    case.expect,
                    note.map(|n| format!("\nnote: {n}")).unwrap_or_default(),
                );
            }
        },
        Err(f) => {
            report.status = Status::Fail;
            report.reason = format!("implementation misbehaved: {f}");
        }
    }
    finish(report, opts)
}

/// Runs every case of a file on a target, calling `tick` after each.
pub fn run_file(
    target: &mut dyn Target,
    name: &str,
    file: &VectorFile,
    opts: &CaseOptions,
    tick: &mut dyn FnMut(&CaseReport),
) -> Vec<CaseReport> {
    let mut out = Vec::new();
    match file {
        VectorFile::Ops(f) => {
            for c in &f.cases {
                let r = run_ops_case(target, name, &f.profile, c, opts);
                tick(&r);
                out.push(r);
            }
        }
        VectorFile::Arith(f) => {
            for c in &f.cases {
                let r = run_arith_case(target, name, c, opts);
                tick(&r);
                out.push(r);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_flags_carry_their_versions() {
        let flags = vec![
            "invalid-size".to_string(),
            "lenient-in:ckb<=0.6.1".to_string(),
        ];
        assert_eq!(lenient_systems(&flags), vec!["ckb<=0.6.1"]);
        let note = lenient_note(&flags, Some("ckb 0.6.1"));
        assert!(note.contains("ckb<=0.6.1 accept(s) this input"), "{note}");
        assert!(note.contains("the adapter wraps ckb 0.6.1"), "{note}");
    }
}
