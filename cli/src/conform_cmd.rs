//! `mmr conform` and `mmr vectors check`: argument checking, the progress bar and the
//! printed report, on top of `mmr_conform::run`.

use crate::{OutArgs, usage};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mmr_conform::adapter::ProcessTarget;
use mmr_conform::flags::FlagCheck;
use mmr_conform::known::Known;
use mmr_conform::report::{CaseReport, Report};
use mmr_conform::run::{Events, Options, run};
use mmr_conform::runner::{BuiltinTarget, Target};
use mmr_vectors::exec::Builtin;
use mmr_vectors::{VectorFile, files};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// The longest `--timeout` accepted: one day.
const MAX_TIMEOUT_S: f64 = 86_400.0;

#[derive(Args)]
pub struct ConformArgs {
    /// Test a built-in implementation (optimized, the default, or reference); may be given
    /// together with an adapter command, and both are tested.
    #[arg(long, num_args = 0..=1, default_missing_value = "optimized")]
    builtin: Option<String>,
    /// Vector files, or directories of them, to run (several after one flag, or the flag
    /// repeated; default: every file under --dir, or the embedded ones).
    #[arg(long = "vectors", num_args = 1.., value_name = "FILE|DIR")]
    vector_files: Vec<PathBuf>,
    /// Read the vectors from this directory instead of the copy built into `mmr`.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Seconds to wait for each response (a positive number, at most 86400).
    #[arg(long, default_value = "10")]
    timeout: String,
    /// Run N random sessions against the reference after the vectors.
    #[arg(long, value_name = "N")]
    random: Option<u64>,
    /// Seed of the random sessions.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Only this profile's vectors (and the profile-free arithmetic), and the profile of the
    /// random sessions (default: the first the implementation declares). An adapter that
    /// does not declare it fails the run.
    #[arg(long)]
    profile: Option<String>,
    /// Load a declarative profile file (SCHEMA.md, "Profile files"); repeatable.
    #[arg(long = "profile-file", value_name = "FILE")]
    profile_files: Vec<PathBuf>,
    /// Skip the vectors (random sessions only).
    #[arg(long)]
    no_vectors: bool,
    /// A known-failure list (YAML): listed failures are reported as known, listed cases
    /// that pass as fixed.
    #[arg(long, value_name = "FILE")]
    known: Option<PathBuf>,
    /// Check the vectors' leniency flags for this library, e.g. `ckb@0.8.3`: a case flagged
    /// `lenient-in:SYSTEM<range>` covering VERSION must fail (reported as known), a flagged
    /// case that passes is a false flag and fails the run; unflagged cases must pass.
    #[arg(long, value_name = "SYSTEM@VERSION")]
    check_flags: Option<String>,
    /// Leave these ops out (comma-separated; `arith` for the arithmetic): cases using them
    /// are skipped, random sessions do not send them.
    #[arg(long, value_delimiter = ',', value_name = "OPS")]
    exclude_ops: Vec<String>,
    /// Go on after a difference: a vector case runs every step and reports each
    /// difference; random sessions go on, their differences grouped by class.
    #[arg(long)]
    keep_going: bool,
    /// Write each shrunk random finding as a vector file into DIR.
    #[arg(long, value_name = "DIR")]
    save_findings: Option<PathBuf>,
    #[command(flatten)]
    out: OutArgs,
    /// The adapter command and its arguments, after `--`.
    #[arg(last = true)]
    command: Vec<String>,
}

/// Parses `--timeout`: a positive, finite number of seconds, at most [`MAX_TIMEOUT_S`].
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let v: f64 = s.trim().parse().map_err(|_| {
        format!(
            "--timeout {}: not a number of seconds",
            crate::query::quote(s)
        )
    })?;
    if !(v.is_finite() && v > 0.0 && v <= MAX_TIMEOUT_S) {
        return Err(format!(
            "--timeout {s}: give a number of seconds above 0 and at most {MAX_TIMEOUT_S}"
        ));
    }
    Ok(Duration::from_secs_f64(v))
}

/// The files to run, loaded: the given ones, every file under `dir`, or the embedded
/// ones. A file that does not load is a run error, not a silent omission.
fn load_vectors(
    given: &[PathBuf],
    dir: Option<&Path>,
    report: &mut Report,
) -> Result<Vec<(String, VectorFile)>, String> {
    if given.is_empty() && dir.is_none() {
        return files::load_embedded();
    }
    let base = dir.map(PathBuf::from).unwrap_or_default();
    let paths = if given.is_empty() {
        files::list(&base)?
    } else {
        let mut paths = Vec::new();
        for p in given {
            if p.is_dir() {
                paths.extend(files::list_any(p)?);
            } else {
                paths.push(p.clone());
            }
        }
        paths
    };
    let mut loaded = Vec::new();
    for p in &paths {
        match files::load(p) {
            Ok(f) => loaded.push((files::display_name(&base, p), f)),
            Err(e) => report.errors.push(e),
        }
    }
    Ok(loaded)
}

/// The loaded vectors, plus the vectors of each profile file's dialect that none of them
/// covers, generated in memory from the reference (`<profile>/<topic>.yaml`), so a dialect
/// declared in a file is tested whole without writing anything.
fn with_generated(
    mut loaded: Vec<(String, VectorFile)>,
    profiles: &[&'static str],
) -> Result<Vec<(String, VectorFile)>, String> {
    let uncovered: Vec<&str> = profiles
        .iter()
        .copied()
        .filter(|name| {
            !loaded
                .iter()
                .any(|(_, f)| matches!(f, VectorFile::Ops(o) if o.profile == *name))
        })
        .collect();
    for g in mmr_vectors::generate::generate_named(&uncovered)? {
        loaded.push((g.path, g.file));
    }
    Ok(loaded)
}

/// A progress bar on a terminal's stderr, hidden otherwise.
struct Bar {
    pb: ProgressBar,
}

impl Bar {
    fn new(total: u64, what: &str) -> Bar {
        let pb = ProgressBar::new(total);
        if std::io::stderr().is_terminal() {
            pb.set_draw_target(ProgressDrawTarget::stderr());
            let tpl = format!("{{bar:40}} {{pos}}/{{len}} {what} {{msg}} [{{elapsed_precise}}]");
            if let Ok(style) = ProgressStyle::with_template(&tpl) {
                pb.set_style(style);
            }
        } else {
            pb.set_draw_target(ProgressDrawTarget::hidden());
        }
        Bar { pb }
    }
}

impl Events for Bar {
    fn case(&mut self, _r: &CaseReport) {
        self.pb.inc(1);
    }
    fn random_start(&mut self, target: &str, sessions: u64) {
        self.pb.finish_and_clear();
        *self = Bar::new(sessions, &format!("random sessions ({target})"));
    }
    fn session(&mut self, _k: u64, failed: bool) {
        self.pb.inc(1);
        if failed {
            self.pb.set_message("difference found, shrinking");
        }
    }
}

fn print_report(report: &Report, out: OutArgs) -> ExitCode {
    if out.json {
        say!("{}", report.to_json());
    } else {
        let lines = report.human(out.verbose);
        let (last, body) = lines
            .split_last()
            .map_or((None, &[][..]), |(l, b)| (Some(l), b));
        for line in body {
            say!("{line}");
        }
        for e in &report.errors {
            eprintln!("mmr: error: {e}");
        }
        if let Some(l) = last {
            say!("{l}");
        }
    }
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `mmr vectors check`: every vector on the built-in implementations.
pub fn check(
    given: Vec<PathBuf>,
    dir: Option<&Path>,
    which: Option<&str>,
    out: OutArgs,
) -> ExitCode {
    let mut report = Report::default();
    let loaded = match load_vectors(&given, dir, &mut report) {
        Ok(l) => l,
        Err(e) => return usage(e),
    };
    let mut targets: Vec<BuiltinTarget> = match which {
        None | Some("both") => Builtin::BOTH.into_iter().map(BuiltinTarget::new).collect(),
        Some("reference") => vec![BuiltinTarget::new(Builtin::Reference)],
        Some("optimized") => vec![BuiltinTarget::new(Builtin::Optimized)],
        Some(other) => {
            return usage(format!(
                "--impl {other}: expected reference, optimized or both"
            ));
        }
    };
    let mut refs: Vec<&mut (dyn Target + 'static)> = targets
        .iter_mut()
        .map(|t| t as &mut (dyn Target + 'static))
        .collect();
    let opts = Options {
        vectors: loaded,
        ..Options::default()
    };
    let total: usize = opts.vectors.iter().map(|(_, f)| f.len()).sum::<usize>() * refs.len();
    let mut bar = Bar::new(total as u64, "cases");
    let mut r = run(&mut refs, &opts, &mut bar);
    bar.pb.finish_and_clear();
    if !report.errors.is_empty() {
        r.errors.retain(|e| !e.starts_with("no op was executed"));
    }
    r.errors.splice(0..0, report.errors);
    print_report(&r, out)
}

/// `mmr conform`.
pub fn conform(a: ConformArgs) -> ExitCode {
    let timeout = match parse_timeout(&a.timeout) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    if a.builtin.is_none() && a.command.is_empty() {
        return usage(
            "nothing to test: give --builtin and/or an adapter command after -- (e.g. mmr conform -- python3 vectors/adapters/python/adapter.py)",
        );
    }
    if let Err(e) = Options::check_excluded(&a.exclude_ops) {
        return usage(e);
    }
    let mut own_profiles = Vec::new();
    for f in &a.profile_files {
        match mmr_vectors::profiles::load_file(f) {
            Ok(name) => own_profiles.push(name),
            Err(e) => return usage(e),
        }
    }
    if let Some(d) = &a.dir {
        match mmr_vectors::profiles::load_dir(d) {
            Ok(names) => own_profiles.extend(names),
            Err(e) => return usage(e),
        }
    }
    if let Some(p) = &a.profile
        && let Err(e) = mmr_vectors::model::profile_named(p)
    {
        return usage(format!("--profile: {e}"));
    }
    let known = match &a.known {
        Some(path) => match Known::load(path) {
            Ok(k) => Some(k),
            Err(e) => return usage(e),
        },
        None => None,
    };
    let check_flags = match a.check_flags.as_deref().map(FlagCheck::parse) {
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => return usage(e),
        None => None,
    };
    let mut report = Report::default();
    let vectors = if a.no_vectors {
        Vec::new()
    } else {
        match load_vectors(&a.vector_files, a.dir.as_deref(), &mut report)
            .and_then(|l| with_generated(l, &own_profiles))
        {
            Ok(l) => l,
            Err(e) => return usage(e),
        }
    };
    // Every implementation named: the built-in one and/or an outside adapter. Each runs
    // the same vectors and random sessions, and the report lists them side by side.
    let mut targets: Vec<Box<dyn Target>> = Vec::new();
    if let Some(name) = &a.builtin {
        let which = match name.as_str() {
            "optimized" => Builtin::Optimized,
            "reference" => Builtin::Reference,
            other => {
                return usage(format!(
                    "--builtin {other}: expected optimized or reference"
                ));
            }
        };
        targets.push(Box::new(BuiltinTarget::new(which)));
    }
    if !a.command.is_empty() {
        match ProcessTarget::start(a.command.clone(), timeout) {
            Ok(process) => {
                if !a.out.json {
                    say!(
                        "adapter {} (protocol {}): {}",
                        process.name(),
                        process.hello().version.0,
                        process.caps().describe()
                    );
                }
                targets.push(Box::new(process));
            }
            Err(e) => {
                report.errors.push(e);
                return print_report(&report, a.out);
            }
        }
    }
    let opts = Options {
        vectors,
        random: a.random,
        seed: a.seed,
        profile: a.profile.clone(),
        keep_going: a.keep_going,
        exclude_ops: a.exclude_ops.clone(),
        known,
        check_flags,
        save_findings: a.save_findings.clone(),
        max_len: 40,
        shrink_budget: 400,
    };
    let mut refs: Vec<&mut (dyn Target + 'static)> = targets.iter_mut().map(|t| &mut **t).collect();
    let total: usize = opts.vectors.iter().map(|(_, f)| f.len()).sum::<usize>() * refs.len();
    let mut bar = Bar::new(total as u64, "cases");
    let mut r = run(&mut refs, &opts, &mut bar);
    bar.pb.finish_and_clear();
    if !report.errors.is_empty() {
        r.errors.retain(|e| !e.starts_with("no op was executed"));
    }
    r.errors.splice(0..0, report.errors);
    print_report(&r, a.out)
}

#[cfg(test)]
mod tests {
    use super::parse_timeout;

    #[test]
    fn timeouts_are_checked_not_panicked_on() {
        assert_eq!(parse_timeout("2.5").unwrap().as_millis(), 2500);
        for bad in [
            "1e20",
            "1e300",
            "18446744073709551616",
            "0",
            "-1",
            "nan",
            "inf",
            "x",
            "",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
