//! Runs the conformance runner (mmr-conform) on both built adapters over every vector file
//! of the `ckb` dialect, as `mmr conform --check-flags ckb@VERSION --vectors
//! vectors/ckb/*.yaml -- ADAPTER` does, and checks REPORT.md's claims: every vector flagged
//! `lenient-in:ckb...` for the library's version fails on it (reported `known`), every
//! other vector passes, and the failures are exactly the ones REPORT.md lists.

use mmr_conform::adapter::ProcessTarget;
use mmr_conform::flags::FlagCheck;
use mmr_conform::report::Status;
use mmr_conform::runner::{CaseOptions, run_file};
use mmr_vectors::VectorFile;
use mmr_vectors::files;
use mmr_vectors::model::Verdict;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

const CKB_061: &str = env!("CARGO_BIN_EXE_mmr-adapter-ckb");
const CKB_083: &str = env!("CARGO_BIN_EXE_mmr-adapter-polkadot-ckb");

/// The vectors ckb 0.6.1 fails (REPORT.md), each flagged for it.
const FAILS_061: &[&str] = &[
    "proofs.yaml#prove-batch-duplicate",
    "proofs.yaml#verify-invalid-size",
    "proofs.yaml#batch-invalid-size",
    "proofs.yaml#batch-duplicate-leaf",
    "proofs.yaml#batch-unordered-leaves",
    "proofs.yaml#lenient-ckb-over-long-path-after-last-peak",
    "proofs.yaml#lenient-mmr-py-invalid-size",
];

/// The vectors polkadot-ckb 0.8.3 fails: its `is_valid_mmr_size` ended the invalid-size
/// leniency, the others remain.
const FAILS_083: &[&str] = &[
    "proofs.yaml#prove-batch-duplicate",
    "proofs.yaml#batch-duplicate-leaf",
    "proofs.yaml#batch-unordered-leaves",
    "proofs.yaml#lenient-ckb-over-long-path-after-last-peak",
];

/// The files of the `ckb` dialect: the six topic files and any committed findings.
fn ckb_files() -> Vec<(String, VectorFile)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ckb");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("vectors/ckb")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    let out: Vec<(String, VectorFile)> = paths
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, files::load(p).expect("vector file parses"))
        })
        .collect();
    for topic in ["blocks", "client", "proofs", "pruning", "roots", "updates"] {
        let name = format!("{topic}.yaml");
        assert!(out.iter().any(|(n, _)| *n == name), "vectors/ckb/{name}");
    }
    out
}

/// Runs every ckb vector on `adapter`, judged by `--check-flags ckb@version`, and checks
/// the outcome: nothing fails, the known (flagged and failing) cases are `fails`, and
/// `valid` valid vectors pass.
fn check_library(adapter: &str, version: &str, fails: &[&str], valid: usize) {
    let opts = CaseOptions {
        check_flags: Some(FlagCheck::parse(&format!("ckb@{version}")).unwrap()),
        ..CaseOptions::default()
    };
    let mut target = ProcessTarget::start(vec![adapter.to_string()], Duration::from_secs(30))
        .expect("adapter starts");
    assert_eq!(target.hello().profiles, vec!["ckb".to_string()]);
    let mut reports = Vec::new();
    let mut verdicts = std::collections::BTreeMap::new();
    for (name, file) in &ckb_files() {
        let VectorFile::Ops(ops) = file else {
            panic!("{name}: the ckb files are ops files");
        };
        assert_eq!(ops.profile, "ckb");
        for c in &ops.cases {
            verdicts.insert(format!("{name}#{}", c.id), c.result);
        }
        reports.extend(run_file(&mut target, name, file, &opts, &mut |_| {}));
    }
    assert_eq!(
        target.starts, 1,
        "the adapter never crashed, hung or misbehaved"
    );

    let mut known = BTreeSet::new();
    let mut passed_valid = 0;
    for r in &reports {
        let key = format!("{}#{}", r.file, r.id);
        match r.status {
            Status::Fail => panic!("ckb {version}: {key} failed: {}", r.reason),
            Status::Known => {
                assert_eq!(verdicts[&key], Verdict::Invalid, "{key}");
                assert!(!r.reason.contains("misbehaved"), "{key}: {}", r.reason);
                known.insert(key);
            }
            Status::Pass if verdicts[&key] == Verdict::Valid => passed_valid += 1,
            Status::Pass | Status::Skip => {}
            Status::Fixed => panic!("{key}: no known list was given"),
        }
    }
    let expected: BTreeSet<String> = fails.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        known, expected,
        "ckb {version}: the failures REPORT.md lists"
    );
    // Every valid vector whose ops the adapter declares: the hashing, roots, peaks, node
    // reads, proofs and batch proofs of roots.yaml and proofs.yaml.
    assert_eq!(
        passed_valid, valid,
        "ckb {version}: applicable valid vectors passing"
    );
}

#[test]
fn ckb_0_6_1_fails_exactly_its_flagged_vectors() {
    check_library(CKB_061, "0.6.1", FAILS_061, 14);
}

#[test]
fn polkadot_ckb_0_8_3_fails_exactly_its_flagged_vectors() {
    check_library(CKB_083, "0.8.3", FAILS_083, 14);
}

/// The check has teeth: judged as 0.8.3, the 0.6.1 binary fails the invalid-size vectors
/// (flagged `<0.8.3`, which 0.6.1 fails), and judged as 0.6.1 the 0.8.3 binary fails them
/// the other way (flagged for 0.6.1, but 0.8.3 rejects them: "the flag is false").
#[test]
fn a_wrong_version_fails_the_flag_check() {
    for (adapter, version, culprit) in [
        (CKB_061, "0.8.3", "proofs.yaml#verify-invalid-size"),
        (CKB_083, "0.6.1", "proofs.yaml#verify-invalid-size"),
    ] {
        let opts = CaseOptions {
            check_flags: Some(FlagCheck::parse(&format!("ckb@{version}")).unwrap()),
            ..CaseOptions::default()
        };
        let mut target =
            ProcessTarget::start(vec![adapter.to_string()], Duration::from_secs(30)).unwrap();
        let failed: BTreeSet<String> = ckb_files()
            .iter()
            .filter(|(n, _)| n == "proofs.yaml")
            .flat_map(|(n, f)| run_file(&mut target, n, f, &opts, &mut |_| {}))
            .filter(|r| r.status == Status::Fail)
            .map(|r| format!("{}#{}", r.file, r.id))
            .collect();
        assert!(
            failed.contains(culprit),
            "{adapter} as {version}: {failed:?}"
        );
    }
}

/// `--keep-going --random 200` finds several distinct leniency classes in one run, and
/// each library's known list (known.yaml, known-0.8.3.yaml) names every one of them and
/// every failing vector, so a run of the library as it is exits 0 and says what it
/// accepts.
#[test]
fn keep_going_finds_several_classes_and_the_known_lists_account_for_them() {
    use mmr_conform::known::Known;
    use mmr_conform::run::{Options, Quiet, run};
    use mmr_conform::runner::Target;
    for (adapter, known, library, min_classes) in [
        (CKB_061, "known.yaml", "ckb-merkle-mountain-range 0.6.1", 3),
        (
            CKB_083,
            "known-0.8.3.yaml",
            "polkadot-ckb-merkle-mountain-range 0.8.3",
            2,
        ),
    ] {
        let start =
            || ProcessTarget::start(vec![adapter.to_string()], Duration::from_secs(30)).unwrap();
        let vectors: Vec<(String, VectorFile)> = files::load_embedded()
            .unwrap()
            .into_iter()
            .filter(|(n, _)| n.starts_with("ckb/"))
            .collect();
        let mut opts = Options {
            vectors,
            random: Some(200),
            seed: 1,
            keep_going: true,
            max_len: 40,
            shrink_budget: 400,
            ..Options::default()
        };
        let mut t = start();
        let report = run(&mut [&mut t as &mut dyn Target], &opts, &mut Quiet);
        let classes: BTreeSet<&str> = report
            .cases
            .iter()
            .filter(|c| c.file == "random" && c.status == Status::Fail)
            .map(|c| c.id.as_str())
            .collect();
        assert!(classes.len() >= min_classes, "{library}: {classes:?}");
        assert!(!report.ok());

        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(known);
        opts.known = Some(Known::load(&path).unwrap());
        let mut t = start();
        let report = run(&mut [&mut t as &mut dyn Target], &opts, &mut Quiet);
        let s = report.summary();
        assert!(report.ok(), "{library}: {:?}", report.human(false));
        assert_eq!(s.failed, 0);
        assert_eq!(s.fixed, 0, "{library}: {:?}", report.human(false));
        assert!(s.known >= min_classes, "{library}: {s:?}");
        let line = format!("known in {library}");
        assert!(
            report
                .human(false)
                .iter()
                .any(|l| l.starts_with("KNOWN") && l.contains(&line)),
            "{library}"
        );
    }
}
