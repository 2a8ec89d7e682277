//! The mutant check (TESTING.md "Mutant check"): each deliberately wrong variant of the
//! Python adapter (`--variant=NAME`) makes one choice SPEC.md fixes the other way, and the
//! vectors must catch it; without a variant the adapter passes.

mod common;

use common::*;

/// The variants the vectors catch, each with the vector that pins its rule.
const CAUGHT: &[(&str, &str)] = &[
    (
        "d13-truncated-before-invalid-side",
        "verify-invalid-side-before-truncated",
    ),
    (
        "prove-batch-one-pass",
        "prove-batch-range-before-repetition",
    ),
    ("batch-count-before-leaves", "batch-leaf-rules-before-count"),
    ("batch-separate-passes", "batch-leaf-rules-per-position"),
    (
        "batch-canonical-before-order",
        "batch-item-order-before-canonical-set",
    ),
    ("block-count-lazy", "block-truncated-count-first"),
    ("in-block-inner-kind", "apply-block-failing-op"),
    ("reads-index-before-at", "reads-check-at-before-index"),
    ("is-unspent-no-range", "is-unspent-out-of-range"),
    ("client-no-step7", "client-apply-forged-tracked-sibling"),
    (
        "client-size-before-parent",
        "client-apply-parent-before-size",
    ),
    (
        "client-prev-root-value-only",
        "client-apply-parent-before-size",
    ),
    (
        "client-not-tracked-before-decode",
        "client-decode-before-no-client",
    ),
    ("client-track-keeps-first", "client-track-again-replaces"),
    ("client-untrack-silent", "client-untracked-leaf"),
    ("prove-left-peaks-reversed", "prove-verify-every-leaf"),
    ("verify-rejects-all", "verify-honest"),
    ("leaf-count-no-size-check", "leaf-count-47"),
];

fn conform(variant: Option<&str>) -> std::process::Output {
    let flag = variant.map(|v| format!("--variant={v}"));
    let mut args = vec![
        "conform",
        "--dir",
        ".",
        "--profile",
        "default",
        "--json",
        "--",
    ];
    args.extend(["python3", ADAPTER]);
    if let Some(f) = &flag {
        args.push(f);
    }
    mmr(&args)
}

#[test]
fn every_variant_fails_conform_and_the_adapter_passes() {
    need_python();
    let o = conform(None);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    for (variant, vector) in CAUGHT {
        let o = conform(Some(variant));
        assert_eq!(o.status.code(), Some(1), "variant {variant} passed");
        let v = json(&o);
        let failed: Vec<&str> = v["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter(|c| c["status"] == "fail")
            .filter_map(|c| c["id"].as_str())
            .collect();
        assert!(
            failed.contains(vector),
            "variant {variant}: {vector} did not fail (failed: {failed:?})"
        );
    }
}

/// Random sessions alone catch a client that skips D24 step 7: one session in four follows
/// the database with forged sets aimed at tracked proofs (`client_session`), which the
/// plain adapter rejects as the reference does.
#[test]
fn random_sessions_alone_catch_a_client_without_step7() {
    need_python();
    let run = |variant: Option<&str>| {
        let mut args = vec![
            "conform",
            "--no-vectors",
            "--random",
            "100",
            "--profile",
            "default",
            "--",
            "python3",
            ADAPTER,
        ];
        let flag = variant.map(|v| format!("--variant={v}"));
        if let Some(f) = &flag {
            args.push(f);
        }
        mmr(&args)
    };
    let o = run(None);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(Some("client-no-step7"));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("root-mismatch") || stdout(&o).contains("sum-mismatch"),
        "{}",
        stdout(&o)
    );
}

/// Random sessions alone, 300 of them, catch a `prove` that lists the left peaks in reverse
/// order and a `verify` that refuses every proof behind `errors: "any"` (issue 30): each
/// session ends with honest proofs compared byte for byte and verified with the leaf data,
/// and the report counts them per op. The plain adapter passes the same run.
#[test]
fn random_sessions_alone_catch_wrong_honest_proofs() {
    need_python();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "conform",
            "--no-vectors",
            "--random",
            "300",
            "--seed",
            "1",
            "--",
            "python3",
            ADAPTER,
        ];
        args.extend(extra);
        mmr(&args)
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // The mix line: honest proofs proved and verified with data, both hundreds of times.
    let mix = stdout(&o)
        .lines()
        .find(|l| l.contains("agreed per op"))
        .unwrap_or_default()
        .to_string();
    let answered = |op: &str| -> u64 {
        mix.split(", ")
            .find_map(|p| p.rsplit_once(' ').filter(|(o, _)| o.ends_with(op)))
            .and_then(|(_, n)| n.split('/').next()?.parse().ok())
            .unwrap_or(0)
    };
    for op in ["prove", "prove_batch", "verify", "verify_batch"] {
        assert!(answered(op) >= 50, "{op}: {mix}");
    }
    let o = run(&["--variant=prove-left-peaks-reversed"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("random#prove: expected bytes, got another bytes"),
        "{}",
        stdout(&o)
    );
    let o = run(&["--variant=verify-rejects-all", "--rejected", "--errors-any"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("random#verify: expected unit, got rejected"),
        "{}",
        stdout(&o)
    );
}

/// A random arithmetic difference is shrunk to the query and printed as an `arith` vector
/// (not an empty `ops` case), with the reference's answer, under `vectors/any/`.
#[test]
fn a_random_arith_finding_is_printed_as_an_arith_case() {
    need_python();
    let o = mmr(&[
        "conform",
        "--no-vectors",
        "--random",
        "200",
        "--seed",
        "1",
        "--",
        "python3",
        ADAPTER,
        "--variant=leaf-count-no-size-check",
        "--ops=arith",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("random#arith leaf_count: expected error invalid-size, got number"),
        "{out}"
    );
    assert!(
        out.contains("save as a .yaml file under vectors/any/"),
        "{out}"
    );
    let yaml = &out[out.find("type: arith").expect("an arith vector")..];
    assert!(yaml.contains("fn: leaf_count"), "{yaml}");
    assert!(yaml.contains("error: invalid-size"), "{yaml}");
    assert!(!out.contains("ops: []"), "{out}");
}
