//! The checked-in vectors: byte-stable regeneration, both implementations pass them, and
//! they cover every op, every trait method and every error kind of the spec.

use mmr_spec::ErrorKind;
use mmr_spec::ops::TRAIT_METHODS;
use mmr_vectors::check::check_file;
use mmr_vectors::exec::Builtin;
use mmr_vectors::exec::Session;
use mmr_vectors::files;
use mmr_vectors::generate::TOPICS;
use mmr_vectors::model::{OP_NAMES, VAt, VOp, VOut, VectorFile, Verdict, profile_named};
use std::collections::BTreeSet;

fn all_files() -> Vec<(String, VectorFile)> {
    let dir = files::source_dir();
    files::list(&dir)
        .expect("list vectors")
        .into_iter()
        .map(|p| {
            let f = files::load(&p).unwrap_or_else(|e| panic!("{e}"));
            (files::display_name(&dir, &p), f)
        })
        .collect()
}

#[test]
fn regeneration_is_byte_stable() {
    let dir = files::source_dir();
    let generated = mmr_vectors::generate::disk::rendered().expect("generate");
    let mut names = BTreeSet::new();
    for (rel, text) in &generated {
        let on_disk = std::fs::read_to_string(dir.join(rel))
            .unwrap_or_else(|e| panic!("{rel} is missing ({e}): run `mmr vectors generate`"));
        assert!(
            on_disk == *text,
            "{rel} differs from what the generator writes: run `cargo run -p mmr-cli -- vectors generate` and commit"
        );
        names.insert(rel.clone());
    }
    let on_disk: BTreeSet<String> = files::list(&dir)
        .unwrap()
        .iter()
        .map(|p| files::display_name(&dir, p))
        .collect();
    assert_eq!(on_disk, names, "stale or extra vector files");
    // Generating twice gives the same bytes (no clocks, no randomness, no map order).
    assert_eq!(mmr_vectors::generate::disk::rendered().unwrap(), generated);
}

fn passes_on(which: Builtin) {
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, file) in all_files() {
        for r in check_file(which, &file).unwrap_or_else(|e| panic!("{name}: {e}")) {
            count += 1;
            if let Some(f) = r.failure {
                failures.push(format!("{name}#{}: {f}", r.id));
            }
        }
    }
    assert!(count > 1000, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases fail on the {}:\n{}",
        failures.len(),
        which.name(),
        failures.join("\n")
    );
}

#[test]
fn the_embedded_files_are_the_files_on_disk() {
    let on_disk: Vec<(String, String)> = all_files()
        .into_iter()
        .map(|(name, _)| {
            let text = std::fs::read_to_string(files::source_dir().join(&name)).unwrap();
            (name, text)
        })
        .collect();
    let embedded: Vec<(String, String)> = files::embedded()
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn every_vector_passes_on_the_reference() {
    passes_on(Builtin::Reference);
}

#[test]
fn every_vector_passes_on_the_optimized_implementation() {
    passes_on(Builtin::Optimized);
}

#[test]
fn vectors_cover_every_op_trait_method_and_error_kind() {
    let mut ops = BTreeSet::new();
    let mut methods = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut queries = BTreeSet::new();
    let mut per_profile: BTreeSet<(String, String)> = BTreeSet::new();
    for (name, file) in all_files() {
        match &file {
            VectorFile::Ops(f) => {
                let topic = name.rsplit('/').next().unwrap().trim_end_matches(".yaml");
                per_profile.insert((f.profile.clone(), topic.to_string()));
                for c in &f.cases {
                    if c.result == Verdict::Invalid {
                        assert!(
                            !c.flags.is_empty(),
                            "{name}#{}: invalid without flags",
                            c.id
                        );
                    }
                    for s in &c.ops {
                        ops.insert(s.op.name());
                        methods.extend(s.op.methods().iter().copied());
                        if let Some(k) = s.expect.error() {
                            kinds.insert(k);
                        }
                    }
                }
            }
            VectorFile::Arith(f) => {
                for c in &f.cases {
                    queries.insert(c.query.name());
                    if let Some(k) = c.expect.error() {
                        kinds.insert(k);
                    }
                }
            }
        }
    }
    let missing_ops: Vec<_> = OP_NAMES.iter().filter(|o| !ops.contains(*o)).collect();
    assert!(
        missing_ops.is_empty(),
        "ops without a vector: {missing_ops:?}"
    );
    let missing_methods: Vec<_> = TRAIT_METHODS
        .iter()
        .filter(|m| !methods.contains(*m))
        .collect();
    assert!(
        missing_methods.is_empty(),
        "trait methods without a vector: {missing_methods:?}"
    );
    // Kinds no vector can show, because the implementations the vectors run (reference,
    // optimized, adapters) cannot raise them. `storage` comes only from a persistent store's
    // files (mmr-storage, optimized/storage/STORAGE.md: I/O failure, corruption, lock,
    // poisoned handle); its tests are in that crate. (`capacity-exceeded`, the other kind
    // out of reach of any op sequence, needs no entry: the arithmetic vectors show it.)
    const NO_VECTOR: &[ErrorKind] = &[ErrorKind::Storage];
    for k in NO_VECTOR {
        assert!(
            !kinds.contains(k),
            "{k} has a vector now: drop it from NO_VECTOR"
        );
    }
    let missing_kinds: Vec<&str> = ErrorKind::ALL
        .iter()
        .filter(|k| !kinds.contains(k) && !NO_VECTOR.contains(k))
        .map(|k| k.name())
        .collect();
    assert!(
        missing_kinds.is_empty(),
        "error kinds without a vector: {missing_kinds:?}"
    );
    assert_eq!(queries.len(), 11, "every arith query: {queries:?}");
    for p in mmr_spec::profiles::names() {
        for t in TOPICS {
            assert!(
                per_profile.contains(&(p.to_string(), t.to_string())),
                "no {p}/{t}.yaml"
            );
        }
    }
}

#[test]
fn op_names_list_matches_the_enum() {
    // Every op name parses as an op with no fields or reports its missing fields by name,
    // and every name the enum gives is listed.
    for name in OP_NAMES {
        let r = serde_json::from_str::<mmr_vectors::model::VOp>(&format!("{{\"op\":\"{name}\"}}"));
        if let Ok(op) = r {
            assert_eq!(op.name(), *name);
        } else {
            let e = r.unwrap_err().to_string();
            assert!(e.contains("missing field"), "{name}: {e}");
        }
    }
    // The other direction: the enum's own list of tags (serde names every variant when it
    // meets an unknown one) is exactly OP_NAMES, so a new op cannot be left off the list.
    let bad = serde_json::from_str::<mmr_vectors::model::VOp>("{\"op\":\"frobnicate\"}");
    let e = bad.unwrap_err().to_string();
    assert!(e.contains("unknown variant"), "{e}");
    let listed = e.split("expected one of ").nth(1).unwrap_or_default();
    let tags: BTreeSet<&str> = listed
        .split(',')
        .filter_map(|t| t.trim().split('`').nth(1))
        .collect();
    let names: BTreeSet<&str> = OP_NAMES.iter().copied().collect();
    assert_eq!(tags, names, "{e}");
}

#[test]
fn lenient_dialects_are_flagged() {
    let mut seen = BTreeSet::new();
    for (_, file) in all_files() {
        // The flags of every case, ops and arith alike (libmw's are on arith cases).
        let cases: Vec<(String, Vec<String>)> = match file {
            VectorFile::Ops(f) => f.cases.into_iter().map(|c| (c.id, c.flags)).collect(),
            VectorFile::Arith(f) => f.cases.into_iter().map(|c| (c.id, c.flags)).collect(),
        };
        for (id, flags) in cases {
            for fl in flags {
                assert!(
                    !fl.starts_with("lenient-in-original:"),
                    "{id}: the unversioned flag is replaced by lenient-in:SYSTEM[RANGE]"
                );
                if let Some(s) = fl.strip_prefix("lenient-in:") {
                    seen.insert(s.to_string());
                }
            }
        }
    }
    // Each range is the one a library's adapter run backs (vectors/adapters/*/README.md,
    // `--check-flags`); Minima's and libmw's by runs by hand (vectors/adapters/by-hand.md).
    let want: BTreeSet<String> = [
        "ckb<0.8.3",
        "ckb<=0.8.3",
        "grin<=5.5.2",
        "minima<=1.0.45",
        "mmr-py<=0.0.4",
        "mweb<=0.21.5.5",
        "mwc<=5.3.9",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(seen, want);
}

/// Minima accepts a proof that stops at a peak only in `MMR.checkProof`, with the MMR in
/// hand; against a bare root (the `mmrproof` command) the root must be reached
/// (spec/DIALECTS.md, "minima"). The Minima adapter takes the first path where the root
/// asked for is its session's root, so `verify-stops-at-peak` must first build the MMR of
/// that root: its flag was false while it checked a bare root (issue 32).
#[test]
fn minima_stops_at_peak_builds_the_verifiers_mmr() {
    let (_, file) = all_files()
        .into_iter()
        .find(|(n, _)| n == "minima/proofs.yaml")
        .expect("minima/proofs.yaml");
    let VectorFile::Ops(f) = file else {
        panic!("minima/proofs.yaml is an ops file");
    };
    let case = f
        .cases
        .iter()
        .find(|c| c.id == "verify-stops-at-peak")
        .expect("minima/proofs.yaml#verify-stops-at-peak");
    let (verify, before) = case.ops.split_last().expect("a verify step");
    let VOp::Verify { root, .. } = &verify.op else {
        panic!("the last step of verify-stops-at-peak is a verify");
    };
    assert_eq!(verify.expect.error(), Some(ErrorKind::PathLength));
    assert!(
        before.len() == 7 && before.iter().all(|s| matches!(s.op, VOp::Append { .. })),
        "verify-stops-at-peak builds the 7-leaf MMR before it verifies"
    );
    let mut s = Session::new(
        Builtin::Reference,
        profile_named("minima").unwrap(),
        case.retain.0,
    );
    for step in before {
        assert_eq!(s.run(&step.op), step.expect);
    }
    let VOut::State { root: built, .. } = s.run(&VOp::State {
        at: VAt(mmr_spec::At::Current),
    }) else {
        panic!("the 7-leaf MMR has a state");
    };
    assert_eq!(
        &built, root,
        "the verify checks the root of the MMR it built"
    );
}

#[test]
fn published_values_cite_their_source() {
    let mut n = 0;
    let mut arith = 0;
    for (name, file) in all_files() {
        let cases: Vec<(String, Option<String>)> = match file {
            VectorFile::Ops(f) => f.cases.into_iter().map(|c| (c.id, c.source)).collect(),
            VectorFile::Arith(f) => {
                let c: Vec<_> = f.cases.into_iter().map(|c| (c.id, c.source)).collect();
                arith += c
                    .iter()
                    .filter(|(id, _)| id.starts_with("published-"))
                    .count();
                c
            }
        };
        for (id, source) in cases {
            let src = source.as_deref().unwrap_or_default();
            if id.starts_with("published-") {
                // Each published value is also checked by a test: spec/tests/published_*.rs
                // for the built-in profiles, vectors/tests/profiles.rs for profile files.
                assert!(
                    src.contains("spec/tests/published_")
                        || src.contains("vectors/tests/profiles.rs"),
                    "{name}#{id}: {src}"
                );
                n += 1;
            }
        }
    }
    assert!(n >= 12, "published cases: {n}");
    // ckb's test_helper.rs and MWEB's Test_Index/Test_MMRUtil tables (any/arith.yaml).
    assert!(arith >= 30, "published arith cases: {arith}");
}
