//! What the mutant checks around the reference share: running embedded vector files on a
//! wrapper target and collecting the failures.

use mmr_conform::report::{Report, Status};
use mmr_conform::run::{Options, Quiet, run};
use mmr_conform::target::Target;
use mmr_vectors::files;
use std::collections::BTreeSet;

/// Runs the embedded vector files whose name `pick` accepts (at least `min` of them) on
/// `target`.
pub fn run_files(
    target: &mut (dyn Target + 'static),
    pick: impl Fn(&str) -> bool,
    min: usize,
) -> Report {
    let vectors = files::load_embedded()
        .unwrap()
        .into_iter()
        .filter(|(n, _)| pick(n))
        .collect::<Vec<_>>();
    assert!(vectors.len() >= min, "{} vector files", vectors.len());
    let opts = Options {
        vectors,
        ..Options::default()
    };
    run(&mut [target], &opts, &mut Quiet)
}

/// The ids of the cases that failed.
pub fn failed_ids(report: &Report) -> BTreeSet<String> {
    report
        .cases
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.clone())
        .collect()
}
