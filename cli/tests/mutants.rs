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
    if !python() {
        return;
    }
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
    if !python() {
        return;
    }
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
