//! `mmr conform` for libraries not shaped like ours (protocol version 2 and the runner's
//! flags), driven through the Python adapter's handshake options: no false pass ever.

mod common;

use common::*;

#[test]
fn a_profile_the_adapter_does_not_declare_and_a_run_of_nothing_both_fail() {
    need_python();
    // The case: profiles [] and ops [arith], random sessions in profile default.
    let o = mmr(&[
        "conform",
        "--profile",
        "default",
        "--random",
        "200",
        "--",
        "python3",
        ADAPTER,
        "--profiles=",
        "--ops=arith",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("does not declare profile default"),
        "{}",
        stderr(&o)
    );
    // Every case skipped: nothing executed is a failure, not a pass.
    let o = mmr(&[
        "conform",
        "--vectors",
        "default/roots.yaml",
        "--",
        "python3",
        ADAPTER,
        "--ops=",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("no op was executed"), "{}", stderr(&o));
    // Random sessions with no profile the runner knows.
    let o = mmr(&[
        "conform",
        "--no-vectors",
        "--random",
        "3",
        "--",
        "python3",
        ADAPTER,
        "--profiles=nope",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("declares no profile this runner knows"),
        "{}",
        stderr(&o)
    );
    // An unknown profile given to the runner is a usage error.
    let o = mmr(&["conform", "--builtin", "--profile", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown profile \"nope\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn rejected_passes_only_where_errors_any_is_declared() {
    need_python();
    let o = mmr(&[
        "conform",
        "--json",
        "--",
        "python3",
        ADAPTER,
        "--rejected",
        "--errors-any",
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    assert_eq!(v["summary"]["failed"], 0);
    assert!(
        v["summary"]["passed_any_error"].as_u64().unwrap() > 100,
        "{}",
        v["summary"]
    );
    let o = mmr(&["conform", "--", "python3", ADAPTER, "--rejected"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("its handshake declares errors: exact"),
        "{}",
        stdout(&o)
    );
    // Random sessions honour the declaration too.
    let o = mmr(&[
        "conform",
        "--no-vectors",
        "--random",
        "30",
        "--seed",
        "3",
        "--",
        "python3",
        ADAPTER,
        "--rejected",
        "--errors-any",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn declared_arith_functions_run_and_the_others_are_skipped() {
    need_python();
    let o = mmr(&[
        "conform",
        "--json",
        "--vectors",
        "any/arith.yaml",
        "--",
        "python3",
        ADAPTER,
        "--profiles=",
        "--ops=",
        "--arith=height,peaks",
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    let cases = v["cases"].as_array().unwrap();
    let passed: Vec<&str> = cases
        .iter()
        .filter(|c| c["status"] == "pass")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(passed.len() > 20, "{passed:?}");
    assert!(
        passed.iter().all(|id| id.starts_with("height")
            || id.starts_with("peaks")
            || id.starts_with("published-")),
        "{passed:?}"
    );
    let skip = cases
        .iter()
        .find(|c| c["status"] == "skip")
        .expect("the other functions are skipped");
    assert!(
        skip["reason"]
            .as_str()
            .unwrap()
            .starts_with("arith function "),
        "{skip}"
    );
}

#[test]
fn exclude_ops_skips_and_names_the_flag() {
    need_python();
    let o = mmr(&[
        "conform",
        "--json",
        "--vectors",
        "default/updates.yaml",
        "--exclude-ops",
        "spend,update",
        "--random",
        "20",
        "--",
        "python3",
        ADAPTER,
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    assert!(
        any_reason(&v, "excluded by --exclude-ops"),
        "{}",
        v["summary"]
    );
    let o = mmr(&["conform", "--builtin", "--exclude-ops", "frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--exclude-ops frobnicate: not an op"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn numeric_arguments_are_checked_without_panics() {
    for t in [
        "1e20",
        "1e300",
        "18446744073709551616",
        "0",
        "-3",
        "nan",
        "soon",
    ] {
        let arg = format!("--timeout={t}");
        let o = mmr(&["conform", "--builtin", &arg]);
        assert_eq!(o.status.code(), Some(2), "--timeout {t}: {}", stderr(&o));
        assert!(stderr(&o).contains("--timeout"), "{t}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{t}");
    }
    for bad in [
        &["conform", "--builtin", "--random", "-1"][..],
        &["conform", "--builtin", "--random", "1e3"],
        &["conform", "--builtin", "--seed", "18446744073709551616"],
    ] {
        let o = mmr(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(!stderr(&o).contains("panicked"), "{bad:?}");
    }
}

#[test]
fn the_summary_is_short_and_verbose_lists_every_case() {
    let o = mmr(&["conform", "--builtin", "reference"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let lines = stdout(&o).lines().count();
    assert!(lines <= 30, "{lines} lines:\n{}", stdout(&o));
    assert!(!stdout(&o).contains("SKIP ") && !stdout(&o).contains("PASS "));
    let o = mmr(&[
        "conform",
        "--builtin",
        "reference",
        "-v",
        "--vectors",
        "default/roots.yaml",
    ]);
    assert!(stdout(&o).contains("PASS [reference] default/roots.yaml#empty-state"));
    assert!(stdout(&o).contains("vectors by file"));
}

#[test]
fn the_embedded_vectors_run_from_any_directory() {
    // No vectors directory in sight: the suite built into the binary runs.
    let o = mmr_in("/", &["conform", "--builtin"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_string();
    assert!(last.ends_with("0 failed, 0 skipped"), "{last}");
    let passed: u64 = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed > 1000, "{last}");
}

#[test]
fn a_profile_file_runs_its_vectors_on_the_builtins() {
    let o = mmr(&[
        "conform",
        "--builtin",
        "--profile-file",
        "profiles/builtin/grin.yaml",
    ]);
    // The file declares the name `grin`, which is taken by the built-in profile.
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    let o = mmr(&[
        "conform",
        "--builtin",
        "--profile",
        "mmriver-sha256",
        "--random",
        "20",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("mmriver-sha256"), "{}", stdout(&o));
    let o = mmr(&["root", "--profile", "mmriver-sha256", "0000000000000000"]);
    assert_eq!(
        stdout(&o).trim(),
        "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc"
    );
}

#[test]
fn hashed_leaves_go_through_append_hash() {
    need_python();
    // The adapter refuses `append` in this mode: every append must arrive as append_hash
    // with the profile's leaf hash at the leaf's position.
    let o = mmr(&[
        "conform", "--json", "--random", "20", "--", "python3", ADAPTER, "--hashed",
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    assert!(
        v["summary"]["passed"].as_u64().unwrap() > 100,
        "{}",
        v["summary"]
    );
    assert!(
        any_reason(&v, "carries leaf data (the adapter takes hashed leaves)"),
        "{}",
        v["summary"]
    );
}

#[test]
fn values_are_ignored_only_where_values_false_is_declared() {
    need_python();
    let o = mmr(&[
        "conform",
        "--json",
        "--random",
        "20",
        "--",
        "python3",
        ADAPTER,
        "--zero-values",
        "--declare-no-values",
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    assert!(
        any_reason(&v, "the adapter declares values: false"),
        "{}",
        v["summary"]
    );
    let o = mmr(&[
        "conform",
        "--vectors",
        "default/roots.yaml",
        "--",
        "python3",
        ADAPTER,
        "--zero-values",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn values_false_reaches_the_values_inside_proof_bytes() {
    // With --zero-values the adapter writes 0 for every value inside the proofs it gives,
    // as a library without sums does: its honest `prove` and `prove_batch` steps pass when
    // it declares values: false (both sides' proof values masked), and fail otherwise.
    let args = ["--vectors", "default/proofs.yaml", "--random", "30"];
    let (o, v) = conform_python(&args, &["--zero-values", "--declare-no-values"]);
    assert!(o.status.success(), "{}", v["summary"]);
    for id in ["prove-verify-every-leaf", "batch-prove-verify"] {
        assert_eq!(status_of(&v, id).as_deref(), Some("pass"), "{id}");
    }
    let (_, v) = conform_python(&args, &["--zero-values"]);
    assert_eq!(
        status_of(&v, "prove-verify-every-leaf").as_deref(),
        Some("fail")
    );
}

#[test]
fn ops_in_an_undeclared_proof_encoding_are_skipped() {
    need_python();
    let o = mmr(&[
        "conform",
        "--json",
        "--vectors",
        "default/proofs.yaml",
        "--random",
        "10",
        "--",
        "python3",
        ADAPTER,
        "--proofs=d13",
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    let cases = v["cases"].as_array().unwrap();
    assert!(
        any_reason(&v, "needs proof encoding d15"),
        "{}",
        v["summary"]
    );
    assert!(
        cases
            .iter()
            .any(|c| c["status"] == "pass" && c["id"].as_str().unwrap().contains("verify"))
    );
}

#[test]
fn vectors_takes_several_files_and_directories() {
    let count = |args: &[&str]| -> usize {
        let mut all = vec!["conform", "--builtin", "--json"];
        all.extend(args);
        let o = mmr(&all);
        let v = json(&o);
        assert!(o.status.success(), "{args:?}: {}", v["summary"]);
        v["cases"].as_array().unwrap().len()
    };
    let roots = count(&["--vectors", "default/roots.yaml"]);
    let proofs = count(&["--vectors", "default/proofs.yaml"]);
    // Several files after one flag, and the flag repeated, are the same run.
    let both = count(&["--vectors", "default/roots.yaml", "default/proofs.yaml"]);
    assert_eq!(both, roots + proofs);
    assert_eq!(
        count(&[
            "--vectors",
            "default/roots.yaml",
            "--vectors",
            "default/proofs.yaml"
        ]),
        both
    );
    // A profile's directory is its files; a vectors directory is every profile's.
    let dir = count(&["--vectors", "default"]);
    let each: usize = ["roots", "proofs", "updates", "blocks", "pruning", "client"]
        .iter()
        .map(|t| count(&["--vectors", &format!("default/{t}.yaml")]))
        .sum();
    assert_eq!(dir, each);
    assert!(count(&["--vectors", "."]) > dir);
    // A directory with no vector files is an error that names it.
    let o = mmr(&["conform", "--builtin", "--vectors", "adapters/python"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no *.yaml vector files"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn keep_going_runs_a_vector_case_past_its_first_difference() {
    let run = |keep: bool| {
        let mut args = vec!["--vectors", "default/roots.yaml"];
        if keep {
            args.push("--keep-going");
        }
        let (o, v) = conform_python(&args, &["--broken=bagging"]);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "append-sequence-12")
            .map(|c| c["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    let first = run(false);
    assert!(first.starts_with("step 6 of "), "{first}");
    assert_eq!(first.matches(" differs").count(), 1, "{first}");
    let all = run(true);
    // Every state after the second leaf has a root over two or more peaks: each differs.
    assert!(all.contains("steps differ (--keep-going)"), "{all}");
    assert!(all.matches(" differs").count() >= 2, "{all}");
    assert!(all.contains(&first[..first.find('\n').unwrap()]), "{all}");
}

#[test]
fn a_request_the_adapter_cannot_represent_is_counted_apart() {
    let (o, v) = conform_python(
        &["--vectors", "default/proofs.yaml", "--random", "20"],
        &["--unsupported=prove_batch"],
    );
    // Not a failure and not a pass: the cases skip, naming the op, and the random mix
    // counts the answers apart.
    assert!(o.status.success(), "{}", v["summary"]);
    let c = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "batch-prove-verify")
        .unwrap();
    assert_eq!(c["status"], "skip");
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .starts_with("the adapter cannot represent op prove_batch (step "),
        "{}",
        c["reason"]
    );
    let notes = v["notes"].to_string();
    assert!(notes.contains("unsupported)"), "{notes}");
    assert_eq!(
        status_of(&v, "prove-verify-every-leaf").as_deref(),
        Some("pass")
    );
}

#[test]
fn hashed_leaves_get_verify_in_the_node_forms() {
    // With --hashed the adapter refuses `verify` and `verify_batch` (fatal): every such
    // step must reach it as verify_node / verify_batch_nodes with the leaf node at the
    // proof's position, and pass.
    let (o, v) = conform_python(
        &["--vectors", "default/proofs.yaml", "--random", "20"],
        &["--hashed"],
    );
    assert!(o.status.success(), "{}", v["summary"]);
    for id in [
        "verify-honest",
        "verify-invalid-size",
        "verify-internal-node",
        "batch-honest",
        "batch-leaf-count-mismatch",
    ] {
        assert_eq!(status_of(&v, id).as_deref(), Some("pass"), "{id}");
    }
    assert!(
        !any_reason(&v, "op verify carries leaf data"),
        "{}",
        v["summary"]
    );
}
