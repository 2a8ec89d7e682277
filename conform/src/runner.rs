//! Running vector files on a [`Target`] (a built-in implementation or an outside adapter),
//! case by case, with a per-case report: pass, fail with a readable diff, or skip with the
//! reason. Skips are listed, never silent.

use mmr_spec::profiles;
use mmr_vectors::exec::{Builtin, Session};
use mmr_vectors::model::{ArithCase, OpsCase, Query, VOp, VOut, VectorFile};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// A misbehaving implementation: crashed, hung, or wrote something that is not a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Something vectors run on.
pub trait Target {
    /// A name for reports.
    fn name(&self) -> String;
    /// Whether it implements this profile.
    fn supports_profile(&self, profile: &str) -> bool;
    /// Whether it implements this op (`arith` for index-arithmetic queries).
    fn supports_op(&self, op: &str) -> bool;
    /// Starts a new session: an empty database with this profile and retention, no client.
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure>;
    /// Runs one op of the current session.
    fn run(&mut self, op: &VOp) -> Result<VOut, Failure>;
    /// Answers an index-arithmetic query.
    fn query(&mut self, q: &Query) -> Result<VOut, Failure>;
}

/// A built-in implementation as a [`Target`].
pub struct BuiltinTarget {
    which: Builtin,
    session: Option<Session>,
}

impl BuiltinTarget {
    /// The target for one built-in implementation.
    pub fn new(which: Builtin) -> BuiltinTarget {
        BuiltinTarget {
            which,
            session: None,
        }
    }
}

impl Target for BuiltinTarget {
    fn name(&self) -> String {
        self.which.name().into()
    }
    fn supports_profile(&self, profile: &str) -> bool {
        profiles::by_name(profile).is_some()
    }
    fn supports_op(&self, _op: &str) -> bool {
        true
    }
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure> {
        let p = profiles::by_name(profile)
            .ok_or_else(|| Failure(format!("unknown profile {profile}")))?;
        self.session = Some(Session::new(self.which, p, retain));
        Ok(())
    }
    fn run(&mut self, op: &VOp) -> Result<VOut, Failure> {
        let s = self
            .session
            .as_mut()
            .ok_or_else(|| Failure("no session: reset first".into()))?;
        Ok(s.run(op))
    }
    fn query(&mut self, q: &Query) -> Result<VOut, Failure> {
        Ok(match self.which {
            Builtin::Reference => mmr_vectors::exec::arith_reference(q),
            Builtin::Optimized => mmr_vectors::exec::arith_optimized(q),
        })
    }
}

/// A case's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every outcome matched.
    Pass,
    /// An outcome differed, or the implementation misbehaved.
    Fail,
    /// Not applicable to the target (profile or op not supported).
    Skip,
}

/// The result of one case on one target.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    /// The target's name.
    pub target: String,
    /// The vector file.
    pub file: String,
    /// The case id.
    pub id: String,
    /// Pass, fail or skip.
    pub status: Status,
    /// Why it failed or was skipped (empty on pass).
    pub reason: String,
    /// The case's flags.
    pub flags: Vec<String>,
}

impl CaseReport {
    /// One line (plus the diff lines of a failure) for people.
    pub fn line(&self) -> String {
        let tag = match self.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        };
        let mut s = format!("{tag} [{}] {}#{}", self.target, self.file, self.id);
        if !self.reason.is_empty() {
            for (i, l) in self.reason.lines().enumerate() {
                s.push_str(if i == 0 { ": " } else { "\n    " });
                s.push_str(l);
            }
        }
        s
    }
}

/// Every case report of a run, with counts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Per case.
    pub cases: Vec<CaseReport>,
    /// Run-level problems (an adapter that could not start, a file that did not parse).
    pub errors: Vec<String>,
}

/// Counts of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Passed cases.
    pub passed: usize,
    /// Failed cases.
    pub failed: usize,
    /// Skipped cases.
    pub skipped: usize,
    /// Run-level errors.
    pub errors: usize,
}

impl Report {
    /// The counts.
    pub fn summary(&self) -> Summary {
        let count = |st| self.cases.iter().filter(|c| c.status == st).count();
        Summary {
            passed: count(Status::Pass),
            failed: count(Status::Fail),
            skipped: count(Status::Skip),
            errors: self.errors.len(),
        }
    }

    /// Whether nothing failed.
    pub fn ok(&self) -> bool {
        let s = self.summary();
        s.failed == 0 && s.errors == 0
    }

    /// The summary line, in the plain form test runners read.
    pub fn summary_line(&self) -> String {
        let s = self.summary();
        let mut line = format!(
            "{} passed, {} failed, {} skipped",
            s.passed, s.failed, s.skipped
        );
        if s.errors > 0 {
            line.push_str(&format!(" ({} run error(s))", s.errors));
        }
        line
    }

    /// The report as JSON: `{cases, errors, summary}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct J<'a> {
            cases: &'a [CaseReport],
            errors: &'a [String],
            summary: Summary,
        }
        serde_json::to_string_pretty(&J {
            cases: &self.cases,
            errors: &self.errors,
            summary: self.summary(),
        })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// The ops a case uses that the target lacks, in order of first use.
fn unsupported_ops(target: &dyn Target, case: &OpsCase) -> Vec<&'static str> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in &case.ops {
        let n = s.op.name();
        if !target.supports_op(n) && seen.insert(n) {
            out.push(n);
        }
    }
    out
}

fn lenient_note(flags: &[String]) -> String {
    let systems: Vec<&str> = flags
        .iter()
        .filter_map(|f| f.strip_prefix("lenient-in-original:"))
        .collect();
    if systems.is_empty() {
        String::new()
    } else {
        format!(
            "\nnote: the original {} accepts this input (flag lenient-in-original); this specification rejects it",
            systems.join(", ")
        )
    }
}

/// Runs one ops case on a target.
pub fn run_ops_case(
    target: &mut dyn Target,
    file: &str,
    profile: &str,
    case: &OpsCase,
) -> CaseReport {
    let mut report = CaseReport {
        target: target.name(),
        file: file.into(),
        id: case.id.clone(),
        status: Status::Pass,
        reason: String::new(),
        flags: case.flags.clone(),
    };
    if !target.supports_profile(profile) {
        report.status = Status::Skip;
        report.reason = format!("profile {profile} is not supported by {}", target.name());
        return report;
    }
    let missing = unsupported_ops(target, case);
    if !missing.is_empty() {
        report.status = Status::Skip;
        report.reason = format!("op(s) not supported: {}", missing.join(", "));
        return report;
    }
    if let Err(f) = target.reset(profile, case.retain.0) {
        report.status = Status::Fail;
        report.reason = format!("reset failed: {f}");
        return report;
    }
    for (i, step) in case.ops.iter().enumerate() {
        match target.run(&step.op) {
            Ok(got) if got == step.expect => {}
            Ok(got) => {
                report.status = Status::Fail;
                report.reason = format!(
                    "step {} of {} ({}) differs\nop:       {}\nexpected: {}\ngot:      {}{}",
                    i + 1,
                    case.ops.len(),
                    step.op.name(),
                    show_op(&step.op),
                    step.expect,
                    got,
                    lenient_note(&case.flags)
                );
                return report;
            }
            Err(f) => {
                report.status = Status::Fail;
                report.reason = format!(
                    "implementation misbehaved at step {} of {} ({}): {f}",
                    i + 1,
                    case.ops.len(),
                    step.op.name()
                );
                return report;
            }
        }
    }
    report
}

/// An op as one line of JSON, shortened for reports.
pub fn show_op(op: &VOp) -> String {
    let s = serde_json::to_string(op).unwrap_or_default();
    if s.len() > 300 {
        format!("{}... ({} chars)", &s[..300], s.len())
    } else {
        s
    }
}

/// Runs one arith case on a target.
pub fn run_arith_case(target: &mut dyn Target, file: &str, case: &ArithCase) -> CaseReport {
    let mut report = CaseReport {
        target: target.name(),
        file: file.into(),
        id: case.id.clone(),
        status: Status::Pass,
        reason: String::new(),
        flags: case.flags.clone(),
    };
    if !target.supports_op("arith") {
        report.status = Status::Skip;
        report.reason = "op(s) not supported: arith".into();
        return report;
    }
    match target.query(&case.query) {
        Ok(got) if got == case.expect => {}
        Ok(got) => {
            report.status = Status::Fail;
            report.reason = format!(
                "query {}\nexpected: {}\ngot:      {}",
                serde_json::to_string(&case.query).unwrap_or_default(),
                case.expect,
                got
            );
        }
        Err(f) => {
            report.status = Status::Fail;
            report.reason = format!("implementation misbehaved: {f}");
        }
    }
    report
}

/// Runs every case of a file on a target, calling `tick` after each.
pub fn run_file(
    target: &mut dyn Target,
    name: &str,
    file: &VectorFile,
    tick: &mut dyn FnMut(&CaseReport),
) -> Vec<CaseReport> {
    let mut out = Vec::new();
    match file {
        VectorFile::Ops(f) => {
            for c in &f.cases {
                let r = run_ops_case(target, name, &f.profile, c);
                tick(&r);
                out.push(r);
            }
        }
        VectorFile::Arith(f) => {
            for c in &f.cases {
                let r = run_arith_case(target, name, c);
                tick(&r);
                out.push(r);
            }
        }
    }
    out
}

/// The built-in targets, reference first.
pub fn builtins() -> Vec<BuiltinTarget> {
    Builtin::BOTH.into_iter().map(BuiltinTarget::new).collect()
}
