//! A whole conformance run (`mmr conform`): the vectors and the random sessions on each
//! target, with the profile checked against the handshake, known failures applied,
//! findings written as vector files, and a run that executes nothing reported as an error,
//! never as a pass.

use crate::flags::FlagCheck;
use crate::known::Known;
use crate::random::{Finding, RandomRun, finding_yaml, mix_line, run_random};
use crate::report::{CaseReport, Report, Status};
use crate::runner::{CaseOptions, Target, run_file};
use mmr_vectors::model::{OP_NAMES, VectorFile, profile_named};
use std::path::PathBuf;

/// What to run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The vector files, loaded, with their display names.
    pub vectors: Vec<(String, VectorFile)>,
    /// Random sessions per target.
    pub random: Option<u64>,
    /// Their seed.
    pub seed: u64,
    /// The profile: only its vector files (and `any/`), and the random sessions' profile.
    /// A target that does not declare it is a run error.
    pub profile: Option<String>,
    /// Random sessions go on after a difference; differences are grouped by class.
    pub keep_going: bool,
    /// Ops (and `arith`) left out.
    pub exclude_ops: Vec<String>,
    /// Known failures.
    pub known: Option<Known>,
    /// Judge the vector cases by their leniency flags for this library (`--check-flags`).
    pub check_flags: Option<FlagCheck>,
    /// Write each shrunk random finding as a vector file here.
    pub save_findings: Option<PathBuf>,
    /// Longest random session, in generated ops.
    pub max_len: usize,
    /// Replays allowed for shrinking one finding.
    pub shrink_budget: usize,
}

impl Options {
    /// Checks the names given to `--exclude-ops`.
    pub fn check_excluded(names: &[String]) -> Result<(), String> {
        for n in names {
            if n != "arith" && !OP_NAMES.contains(&n.as_str()) {
                return Err(format!(
                    "--exclude-ops {n}: not an op (known: {}, arith)",
                    OP_NAMES.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// Progress callbacks, for a progress bar or streaming output.
pub trait Events {
    /// After each vector case.
    fn case(&mut self, _r: &CaseReport) {}
    /// Before the random sessions of a target.
    fn random_start(&mut self, _target: &str, _sessions: u64) {}
    /// After each random session.
    fn session(&mut self, _k: u64, _failed: bool) {}
}

/// No progress output.
pub struct Quiet;
impl Events for Quiet {}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn random_profile(
    target: &dyn Target,
    opts: &Options,
) -> Result<&'static dyn mmr_spec::Profile, String> {
    let caps = target.caps();
    let chosen = match &opts.profile {
        Some(p) => p.clone(),
        // The shipped profiles in their order (default first), then any other declared one.
        None => mmr_spec::profiles::names()
            .into_iter()
            .map(String::from)
            .filter(|p| caps.profiles.contains(p))
            .chain(caps.profiles.iter().cloned())
            .find(|p| profile_named(p).is_ok())
            .ok_or_else(|| {
                format!(
                    "{} declares no profile this runner knows (declared: [{}]); random sessions need one",
                    target.name(),
                    caps.profiles.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            })?,
    };
    profile_named(&chosen)
}

fn finding_case(target: &str, f: &Finding, opts: &Options, report: &mut Report) -> CaseReport {
    let mut c = CaseReport::new(target, "random", &f.class, &[]);
    let known = opts.known.as_ref().and_then(|k| {
        k.entry_for_class(&f.class)
            .map(|e| (k.library.clone(), e.reason.clone()))
    });
    c.status = if known.is_some() {
        Status::Known
    } else {
        Status::Fail
    };
    let mut reason = format!(
        "{} session(s) (first: session {} of seed {}); shrunk from {} to {} ops: {}",
        f.count,
        f.session,
        opts.seed,
        f.original_len,
        f.ops.len(),
        f.reason
    );
    if let Some((lib, why)) = known {
        reason.push_str(&format!(" [known in {lib}: {why}]"));
        c.reason = reason;
        return c;
    }
    match finding_yaml(f, opts.seed) {
        Ok(yaml) => match &opts.save_findings {
            Some(dir) => {
                let path = dir.join(format!(
                    "{}-{}-seed-{}-session-{}.yaml",
                    slug(target),
                    f.profile,
                    opts.seed,
                    f.session
                ));
                let written = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&path, &yaml));
                match written {
                    Ok(()) => reason.push_str(&format!("\nsaved as {}", path.display())),
                    Err(e) => report
                        .errors
                        .push(format!("cannot write {}: {e}", path.display())),
                }
            }
            None => reason.push_str(&format!(
                "\nminimal vector (save as a .yaml file under vectors/{}/, or use --save-findings DIR):\n{yaml}",
                if f.query.is_some() { "any" } else { &f.profile }
            )),
        },
        Err(e) => reason.push_str(&format!("\n(cannot render the vector: {e})")),
    }
    c.reason = reason;
    c
}

/// Runs the vectors and random sessions on every target.
pub fn run(
    targets: &mut [&mut (dyn Target + 'static)],
    opts: &Options,
    ev: &mut dyn Events,
) -> Report {
    let mut report = Report::default();
    let case_opts = CaseOptions {
        exclude_ops: opts.exclude_ops.clone(),
        known: opts.known.clone(),
        check_flags: opts.check_flags.clone(),
        keep_going: opts.keep_going,
    };
    for t in targets.iter_mut() {
        let name = t.name();
        if let Some(p) = &opts.profile
            && !t.caps().profiles.contains(p)
        {
            report.errors.push(format!(
                "{name} does not declare profile {p} (its handshake declares [{}]): nothing was run on it",
                t.caps().profiles.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
            continue;
        }
        for (file, vf) in &opts.vectors {
            if let Some(p) = &opts.profile
                && vf.profile() != p
                && vf.profile() != "any"
            {
                continue;
            }
            let mut tick = |r: &CaseReport| ev.case(r);
            let cases = run_file(&mut **t, file, vf, &case_opts, &mut tick);
            report.cases.extend(cases);
        }
        if let Some(n) = opts.random {
            let profile = match random_profile(&**t, opts) {
                Ok(p) => p,
                Err(e) => {
                    report.errors.push(e);
                    continue;
                }
            };
            let rr = RandomRun {
                sessions: n,
                seed: opts.seed,
                profile,
                max_len: opts.max_len.max(2),
                shrink_budget: opts.shrink_budget,
                keep_going: opts.keep_going,
                exclude_ops: opts.exclude_ops.clone(),
                known: opts.known.clone(),
            };
            ev.random_start(&name, n);
            let mut tick = |k: u64, failed: bool| ev.session(k, failed);
            let outcome = run_random(&mut **t, &rr, &mut tick);
            let totals = format!(
                "{} session(s), {} ops and queries agreed, seed {}, profile {}",
                outcome.sessions,
                outcome.ops,
                opts.seed,
                profile.name()
            );
            report.notes.push(format!(
                "random [{name}] agreed per op (result/expected rejection): {}",
                mix_line(&outcome.mix)
            ));
            if outcome.findings.is_empty() {
                let mut pass = CaseReport::new(
                    &name,
                    "random",
                    &format!("seed-{}-profile-{}", opts.seed, profile.name()),
                    &[],
                );
                pass.ops = outcome.ops;
                pass.reason = format!("{totals}: all agree with the reference");
                report.cases.push(pass);
            } else {
                report.notes.push(format!(
                    "random [{name}]: {totals}; {} difference class(es):",
                    outcome.findings.len()
                ));
            }
            for (i, f) in outcome.findings.iter().enumerate() {
                let mut c = finding_case(&name, f, opts, &mut report);
                if i == 0 {
                    c.ops = outcome.ops;
                }
                report.cases.push(c);
            }
        }
        let tail = t.stderr_tail();
        if !tail.is_empty() {
            report.stderr.insert(name.clone(), tail);
        }
    }
    if report.errors.is_empty() && report.summary().ops == 0 {
        report.errors.push(
            "no op was executed: every case was skipped (check --profile, --exclude-ops and the adapter's handshake); a run that checks nothing does not pass"
                .into(),
        );
    }
    report
}
