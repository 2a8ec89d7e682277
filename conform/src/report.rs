//! The report of a conformance run: one entry per case (and per random class), counts per
//! target, file and skip reason, a summary short enough to read at a glance, and JSON.

use serde::Serialize;
use std::collections::BTreeMap;

/// A case's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every outcome matched.
    Pass,
    /// An outcome differed, or the implementation misbehaved.
    Fail,
    /// Failed as a `--known` list says it does.
    Known,
    /// Listed in `--known` but passed: the library changed, update the list.
    Fixed,
    /// Not applicable to the target (profile, op, arith function not declared; excluded).
    Skip,
}

impl Status {
    fn tag(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Known => "KNOWN",
            Status::Fixed => "FIXED",
            Status::Skip => "SKIP",
        }
    }
}

/// The result of one case on one target.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    /// The target's name.
    pub target: String,
    /// The vector file (`random` for random sessions).
    pub file: String,
    /// The case id (or the random difference class).
    pub id: String,
    /// The status.
    pub status: Status,
    /// Why it failed, was skipped or is known (empty on a plain pass).
    pub reason: String,
    /// The case's flags.
    pub flags: Vec<String>,
    /// A pass that relied on `errors: "any"` (some expected error answered `rejected`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub any_error: bool,
    /// Ops and queries executed.
    pub ops: usize,
}

impl CaseReport {
    /// A report with no outcome yet.
    pub fn new(target: &str, file: &str, id: &str, flags: &[String]) -> CaseReport {
        CaseReport {
            target: target.into(),
            file: file.into(),
            id: id.into(),
            status: Status::Pass,
            reason: String::new(),
            flags: flags.to_vec(),
            any_error: false,
            ops: 0,
        }
    }

    /// `file#id`, as `--known` files name cases.
    pub fn key(&self) -> String {
        format!("{}#{}", self.file, self.id)
    }

    /// One line (plus the diff lines of a failure) for people.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{} [{}] {}#{}",
            self.status.tag(),
            self.target,
            self.file,
            self.id
        );
        if !self.reason.is_empty() {
            for (i, l) in self.reason.lines().enumerate() {
                s.push_str(if i == 0 { ": " } else { "\n    " });
                s.push_str(l);
            }
        }
        s
    }

    /// The skip reason's category, for the summary: the reason up to its first colon.
    fn skip_category(&self) -> String {
        self.reason
            .split(&[':', '('][..])
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

/// Counts of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Passed cases.
    pub passed: usize,
    /// Of the passed, those that relied on `errors: "any"`.
    pub passed_any_error: usize,
    /// Failed cases.
    pub failed: usize,
    /// Known failures (`--known`).
    pub known: usize,
    /// Listed as known but passed.
    pub fixed: usize,
    /// Skipped cases.
    pub skipped: usize,
    /// Ops and queries executed in all.
    pub ops: usize,
    /// Run-level errors.
    pub errors: usize,
}

/// Every case report of a run, with run-level errors and the adapters' stderr tails.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Per case.
    pub cases: Vec<CaseReport>,
    /// Run-level problems (an adapter that could not start, a file that did not parse, a
    /// profile the adapter does not declare, a run that executed nothing).
    pub errors: Vec<String>,
    /// Per adapter, the last lines of its stderr.
    pub stderr: BTreeMap<String, Vec<String>>,
    /// Lines for people that are no case (a random run's totals when it found differences).
    pub notes: Vec<String>,
}

impl Report {
    /// The counts.
    pub fn summary(&self) -> Summary {
        let count = |st| self.cases.iter().filter(|c| c.status == st).count();
        Summary {
            passed: count(Status::Pass),
            passed_any_error: self
                .cases
                .iter()
                .filter(|c| c.status == Status::Pass && c.any_error)
                .count(),
            failed: count(Status::Fail),
            known: count(Status::Known),
            fixed: count(Status::Fixed),
            skipped: count(Status::Skip),
            ops: self.cases.iter().map(|c| c.ops).sum(),
            errors: self.errors.len(),
        }
    }

    /// Whether nothing failed and something ran.
    pub fn ok(&self) -> bool {
        let s = self.summary();
        s.failed == 0 && s.errors == 0
    }

    /// The last line, in the plain form test runners read.
    pub fn summary_line(&self) -> String {
        let s = self.summary();
        let mut line = format!("{} passed", s.passed);
        if s.passed_any_error > 0 {
            line.push_str(&format!(" ({} with errors: any)", s.passed_any_error));
        }
        line.push_str(&format!(", {} failed", s.failed));
        if s.known > 0 {
            line.push_str(&format!(", {} known", s.known));
        }
        if s.fixed > 0 {
            line.push_str(&format!(", {} fixed", s.fixed));
        }
        line.push_str(&format!(", {} skipped", s.skipped));
        if s.errors > 0 {
            line.push_str(&format!(" ({} run error(s))", s.errors));
        }
        line
    }

    /// The lines printed for people: every failure, known failure and fixed case (every
    /// case with `verbose`), then per target and file directory the counts, the skips by
    /// reason, and the summary line. Run errors are not among them: they go to stderr.
    pub fn human(&self, verbose: bool) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.cases {
            let show = verbose || matches!(c.status, Status::Fail | Status::Known | Status::Fixed);
            if show && c.file != "random" {
                out.push(c.line());
            }
        }
        out.extend(self.notes.iter().cloned());
        for c in self.cases.iter().filter(|c| c.file == "random") {
            out.push(c.line());
        }
        // Per target, per directory of vector files (a profile), the counts.
        let mut groups: BTreeMap<(String, String), [usize; 5]> = BTreeMap::new();
        for c in self.cases.iter().filter(|c| c.file != "random") {
            let dir = c.file.split('/').next().unwrap_or_default().to_string();
            let g = groups.entry((c.target.clone(), dir)).or_default();
            g[c.status as usize] += 1;
        }
        if !groups.is_empty() {
            out.push("vectors by target and profile: passed failed known fixed skipped".into());
            for ((t, dir), n) in &groups {
                out.push(format!(
                    "  {t:<24} {dir:<16} {:>6} {:>6} {:>5} {:>5} {:>7}",
                    n[0], n[1], n[2], n[3], n[4]
                ));
            }
        }
        if verbose {
            let mut files: BTreeMap<(String, String), [usize; 5]> = BTreeMap::new();
            for c in self.cases.iter().filter(|c| c.file != "random") {
                files.entry((c.target.clone(), c.file.clone())).or_default()[c.status as usize] +=
                    1;
            }
            out.push("vectors by file: passed failed known fixed skipped".into());
            for ((t, f), n) in &files {
                out.push(format!(
                    "  {t:<24} {f:<28} {:>5} {:>5} {:>5} {:>5} {:>5}",
                    n[0], n[1], n[2], n[3], n[4]
                ));
            }
        }
        let mut skips: BTreeMap<String, usize> = BTreeMap::new();
        for c in self.cases.iter().filter(|c| c.status == Status::Skip) {
            *skips.entry(c.skip_category()).or_default() += 1;
        }
        if !skips.is_empty() {
            let mut by: Vec<(String, usize)> = skips.into_iter().collect();
            by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let total: usize = by.iter().map(|(_, n)| n).sum();
            let shown: Vec<String> = by
                .iter()
                .take(6)
                .map(|(r, n)| format!("{r} ({n})"))
                .collect();
            let more = if by.len() > 6 {
                format!(", {} other reason(s)", by.len() - 6)
            } else {
                String::new()
            };
            out.push(format!(
                "{total} skipped: {}{more}{}",
                shown.join(", "),
                if verbose {
                    ""
                } else {
                    " (-v lists every case)"
                }
            ));
        }
        out.push(self.summary_line());
        out
    }

    /// The report as JSON: `{cases, errors, stderr, summary}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct J<'a> {
            cases: &'a [CaseReport],
            errors: &'a [String],
            stderr: &'a BTreeMap<String, Vec<String>>,
            notes: &'a [String],
            summary: Summary,
        }
        serde_json::to_string_pretty(&J {
            cases: &self.cases,
            errors: &self.errors,
            stderr: &self.stderr,
            notes: &self.notes,
            summary: self.summary(),
        })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_and_groups() {
        let mut r = Report::default();
        let mut c = CaseReport::new("t", "default/roots.yaml", "a", &[]);
        r.cases.push(c.clone());
        c.any_error = true;
        c.id = "b".into();
        r.cases.push(c.clone());
        c.status = Status::Skip;
        c.reason = "op client_init not declared".into();
        c.file = "grin/client.yaml".into();
        r.cases.push(c.clone());
        c.reason = "profile grin not declared by t".into();
        r.cases.push(c.clone());
        r.cases.push(c.clone());
        assert_eq!(
            r.summary_line(),
            "2 passed (1 with errors: any), 0 failed, 3 skipped"
        );
        let h = r.human(false);
        assert!(
            h.contains(&"3 skipped: profile grin not declared by t (2), op client_init not declared (1) (-v lists every case)".to_string()),
            "{h:?}"
        );
        assert!(!h.iter().any(|l| l.starts_with("SKIP")));
        assert!(r.human(true).iter().any(|l| l.starts_with("SKIP")));
        assert!(r.ok());
        r.errors.push("no op was executed".into());
        assert!(!r.ok());
    }
}
