//! The `mmr` binary: queries, vectors, and the conformance runner against the Python
//! adapter (correct, and broken on purpose: wrong bagging, crash, hang, garbage output).

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Instant;

#[test]
fn root_of_the_spec_example() {
    let o = mmr(&[
        "root",
        "--profile",
        "default",
        "000102:1",
        "010203:2",
        "020304:3",
        "030405:4",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "8611e3753d6a803f16cbf7d85ce06a4a9c008f3d7b8d74c15388bc0e7248d64b"
    );
    let o = mmr(&[
        "root", "--json", "000102:1", "010203:2", "020304:3", "030405:4",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["root"]["value"], "10");
    assert_eq!(v["size"], "7");
}

#[test]
fn leaves_from_stdin() {
    let mut child = Command::new(MMR)
        .args(["root"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"# the D11 example\n000102:1\n010203:2\n\n020304:3\n030405:4\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&o).trim(),
        "8611e3753d6a803f16cbf7d85ce06a4a9c008f3d7b8d74c15388bc0e7248d64b"
    );
}

#[test]
fn peaks_prove_verify_round_trip() {
    let leaves: Vec<String> = (0..7).map(|i| format!("{i:02x}:{}", i + 1)).collect();
    let l: Vec<&str> = leaves.iter().map(String::as_str).collect();
    let o = mmr(&[&["peaks"], &l[..]].concat());
    let lines: Vec<String> = stdout(&o).lines().map(String::from).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("6 5538b5f4"), "{lines:?}");
    let root = "6920c836a6bdb067192bff9d154a365e59aadf4cafebf7d772962fdc6eb0ce5e:28";
    let o = mmr(&[&["prove", "--index", "4"], &l[..]].concat());
    let proof = stdout(&o).trim().to_string();
    assert_eq!(proof.len(), 2 * 140, "SPEC.md D13: 140 bytes");
    let ok = mmr(&["verify", "--root", root, "--proof", &proof, "04:5"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(stdout(&ok).trim(), "ok");
    let bad = mmr(&["verify", "--root", root, "--proof", &proof, "04:6"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("sum-mismatch"), "{}", stderr(&bad));
    let o = mmr(&[&["prove", "--index", "1,5"], &l[..]].concat());
    let batch = stdout(&o).trim().to_string();
    let ok = mmr(&["verify", "--root", root, "--proof", &batch, "01:2", "05:6"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let j = mmr(&[
        "verify", "--json", "--root", root, "--proof", &batch, "01:2", "05:7",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"], "sum-mismatch");
}

#[test]
fn pos_queries_and_exit_codes() {
    let q = |a: &[&str]| {
        let o = mmr(a);
        (o.status.code(), stdout(&o).trim().to_string())
    };
    assert_eq!(q(&["pos", "height", "9"]), (Some(0), "1".into()));
    assert_eq!(q(&["pos", "peaks", "11"]), (Some(0), "6 9 10".into()));
    assert_eq!(
        q(&["pos", "leaf-pos", "9223372036854775807"]),
        (Some(0), "18446744073709551551".into())
    );
    assert_eq!(
        q(&["pos", "parent", "18446744073709551614"]),
        (Some(0), "none".into())
    );
    assert_eq!(q(&["pos", "row-entry", "9"]), (Some(0), "1 2".into()));
    assert_eq!(q(&["pos", "leaf-count", "5"]).0, Some(1));
    assert_eq!(
        q(&["pos", "--json", "leaf-count", "5"]).1,
        r#"{"error":"invalid-size"}"#
    );
    assert_eq!(q(&["pos", "height", "abc"]).0, Some(2));
    assert_eq!(q(&["pos", "frobnicate", "1"]).0, Some(2));
    assert_eq!(mmr(&["root", "zz"]).status.code(), Some(2));
    assert_eq!(
        mmr(&["root", "--profile", "nope", "00"]).status.code(),
        Some(2)
    );
    assert_eq!(
        mmr(&["root", "00:99999999999999999999"]).status.code(),
        Some(2)
    );
    assert_eq!(
        mmr(&["verify", "--root", "00", "--proof", "00", "00"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(mmr(&["nonsense"]).status.code(), Some(2));
    // ckb has no empty root: a rule of the spec, reported as such.
    let o = mmr(&["root", "--profile", "ckb"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("empty-root"));
}

#[test]
fn vectors_generate_check_is_clean_and_check_runs_one_file() {
    let o = mmr(&["vectors", "generate", "--check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let o = mmr(&[
        "vectors",
        "check",
        "--impl",
        "reference",
        "any/arith.yaml",
        "default/proofs.yaml",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(" passed, 0 failed, 0 skipped"));
    let o = mmr(&[
        "vectors",
        "check",
        "--json",
        "--impl",
        "reference",
        "default/roots.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["failed"], 0);
    let o = mmr(&["vectors", "check", "does/not/exist.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does/not/exist.yaml"));
}

#[test]
fn conform_builtin_reference_on_one_file() {
    let o = mmr(&[
        "conform",
        "--builtin",
        "reference",
        "--vectors",
        "default/client.yaml",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    let o = mmr(&["conform"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn python_adapter_passes_every_applicable_vector() {
    need_python();
    let o = mmr(&[
        "conform", "--json", "--random", "20", "--seed", "7", "--", "python3", ADAPTER,
    ]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}{}", out, stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["failed"], 0);
    assert!(
        v["summary"]["passed"].as_u64().unwrap() > 500,
        "{}",
        v["summary"]
    );
    // Skips are listed with their reasons: other profiles, and ops the adapter lacks.
    let cases = v["cases"].as_array().unwrap();
    let skip_reasons: Vec<&str> = cases
        .iter()
        .filter(|c| c["status"] == "skip")
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert!(
        skip_reasons
            .iter()
            .any(|r| r.contains("profile grin not declared"))
    );
    assert!(
        skip_reasons
            .iter()
            .any(|r| r.contains("op compact not declared"))
    );
}

#[test]
fn broken_bagging_is_caught_with_a_readable_diff_and_a_minimal_vector() {
    need_python();
    let o = mmr(&[
        "conform",
        "--vectors",
        "default/roots.yaml",
        "--",
        "python3",
        ADAPTER,
        "--broken=bagging",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("FAIL [python-adapter (broken: bagging)] default/roots.yaml#four-leaves-worked-example: step 6 of 15 (state) differs"), "{out}");
    assert!(
        out.contains("expected: {\"state\":{\"size\":\"4\""),
        "{out}"
    );
    assert!(
        out.contains("185d56043a42b877cb4be19dad88c4772bc6b96cbbbfb6fc3e2e16c0b67c4c89"),
        "{out}"
    );
    assert!(out.contains("got:      {\"state\""), "{out}");
    // Random sessions find it too, and shrink it to three appends and a read of the root,
    // written by --save-findings as a vector file that the built-ins pass and the broken
    // adapter fails.
    let dir = tmp_dir("findings");
    let o = mmr(&[
        "conform",
        "--no-vectors",
        "--random",
        "10",
        "--seed",
        "1",
        "--save-findings",
        dir.to_str().unwrap(),
        "--",
        "python3",
        ADAPTER,
        "--broken=bagging",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("saved as "), "{out}");
    let saved: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let path = saved[0].to_str().unwrap();
    let yaml = std::fs::read_to_string(path).unwrap();
    let file = mmr_vectors::parse(&yaml).expect("the saved vector parses");
    let mmr_vectors::VectorFile::Ops(f) = file else {
        panic!()
    };
    let ops = &f.cases[0].ops;
    assert!(ops.len() <= 5, "not shrunk: {} ops", ops.len());
    assert_eq!(
        ops.iter().filter(|s| s.op.name() == "append").count(),
        3,
        "{yaml}"
    );
    let o = mmr(&["vectors", "check", path]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let o = mmr(&[
        "conform",
        "--vectors",
        path,
        "--",
        "python3",
        ADAPTER,
        "--broken=bagging",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = mmr(&["conform", "--vectors", path, "--", "python3", ADAPTER]);
    assert!(o.status.success(), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn crashing_hanging_and_garbage_adapters_are_reported_and_never_hang_the_runner() {
    need_python();
    let cases = std::fs::read_to_string(format!("{DIR}/default/updates.yaml"))
        .unwrap()
        .matches("\n- id: ")
        .count();
    for (kind, want) in [
        ("crash", "adapter crashed: it closed its output and exited"),
        ("garbage", "garbage output"),
        ("hang", "adapter hung: no response within 1 s"),
    ] {
        let o = mmr(&[
            "conform",
            "--json",
            "--timeout",
            "1",
            "--vectors",
            "default/updates.yaml",
            "--",
            "python3",
            ADAPTER,
            &format!("--broken={kind}"),
        ]);
        assert_eq!(o.status.code(), Some(1), "{kind}: {}", stdout(&o));
        let v = json(&o);
        assert!(any_reason(&v, want), "{kind}: {}", v["summary"]);
        // Bounded work instead of a wall-clock limit: the adapter is restarted for each
        // case, so every case of the file ends and is reported exactly once.
        assert_eq!(v["cases"].as_array().unwrap().len(), cases, "{kind}");
    }
    // A command that is not an adapter at all.
    let o = mmr(&[
        "conform",
        "--timeout",
        "1",
        "--",
        "sh",
        "-c",
        "echo hello; sleep 5",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad handshake line"), "{}", stderr(&o));
    let o = mmr(&["conform", "--", "/no/such/program"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot start adapter"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn store_session() {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("mmr-cli-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let ok = |args: &[&str]| {
        let o = mmr(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    ok(&["store", "init", d, "--retain", "4"]);
    // The spec example's four leaves, committed as block 1: the same root as `mmr root`.
    let out = ok(&[
        "store", "append", d, "000102:1", "010203:2", "020304:3", "030405:4",
    ]);
    assert!(out.starts_with("block 1: leaves 0..4, size 7, root 8611e3753d6a803f16cbf7d85ce06a4a9c008f3d7b8d74c15388bc0e7248d64b:10"), "{out}");
    // Leaves from stdin.
    let mut child = Command::new(MMR)
        .args(["store", "append", d, "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"# more\n0405:5\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["height"], "2");
    assert_eq!(v["first_index"], "4");
    assert_eq!(v["root"]["value"], "15");
    let out = ok(&["store", "commit", d]);
    assert!(out.starts_with("block 3: size 8"), "{out}");
    // A proof from the store verifies against the store's root, and only for its leaf.
    let proof = ok(&["store", "prove", d, "--index", "2", "--height", "1"]);
    let proof = proof.trim();
    assert_eq!(
        ok(&[
            "store", "verify", d, "--height", "1", "--proof", proof, "020304:3"
        ])
        .trim(),
        "ok"
    );
    let o = mmr(&[
        "store", "verify", d, "--height", "1", "--proof", proof, "020304:4",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("invalid"), "{}", stderr(&o));
    // The same proof as the stateless `mmr prove` gives.
    let same = ok(&[
        "prove", "--index", "2", "000102:1", "010203:2", "020304:3", "030405:4",
    ]);
    assert_eq!(same.trim(), proof);
    // Rewind, compact, inspect.
    assert!(ok(&["store", "rewind", d, "1"]).starts_with("height 1, size 7"));
    let out = ok(&["store", "compact", d, "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["horizon"], "1");
    let out = ok(&["store", "inspect", d, "--check", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["height"], "1");
    assert_eq!(v["leaf_count"], "4");
    assert_eq!(v["root"]["value"], "10");
    assert!(v["checked"]["positions"] == "7", "{v}");
    // Each leaf's data as appended; none for a leaf the rewind removed.
    assert_eq!(ok(&["store", "data", d, "2"]).trim(), "020304");
    let o = mmr(&["store", "data", d, "4"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("leaf-index-out-of-range"),
        "{}",
        stderr(&o)
    );
    // Refusals: exit 1 with the kind; usage errors exit 2.
    let o = mmr(&["store", "rewind", d, "9"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("future-height"), "{}", stderr(&o));
    let o = mmr(&["store", "append", d, "zz"]);
    assert_eq!(o.status.code(), Some(2));
    let o = mmr(&["store", "init", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("storage"), "{}", stderr(&o));
    // A corrupted file is reported with its name: kind `storage`, exit 1.
    let leafset = dir.join("leafset.bin");
    let mut b = std::fs::read(&leafset).unwrap();
    b[8] ^= 0x01;
    std::fs::write(&leafset, b).unwrap();
    let o = mmr(&["store", "inspect", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("storage") && stderr(&o).contains("leafset.bin"),
        "{}",
        stderr(&o)
    );
    let o = mmr(&[
        "store",
        "inspect",
        base.join("no-such-store").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `mmr root --profile minima` (issue 17): the one-leaf MMR of the MiniString stream of
/// `RETURN TRUE` with value 0 is the address a live Minima 1.0.45.15 node prints
/// (spec/tests/published_minima.rs); decimal values `HEX:0.001` sum as Minima's
/// MiniNumber does and the root's value prints in Minima's form. The decimal root was
/// computed independently from the v1.0.45 preimages (SHA3-256 of
/// `ser(1) || MiniData(l) || MiniData(r) || ser(sum)`, sums 0.501 at scale 3 and
/// 1000000000.501000001 at scale 9), as in published_minima.rs.
#[test]
fn minima_root_with_decimal_values() {
    let o = mmr(&[
        "root",
        "--profile",
        "minima",
        "0000000b52455455524e2054525545:0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "582aa40ea996419a3d8a5d26039a4e9584b746c2c26f860dac8372bea4457af6 0"
    );
    let leaves = [
        "0000000161:0.001",
        "0000000162:0.5",
        "0000000163:1000000000.000000001",
    ];
    let o = mmr(&[&["root", "--profile", "minima"], &leaves[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "bc8e2bef4713b64b918cbfb9ad4bf6a9d7c8eb9f5711ead2d00bac0b911de154 1000000000.501000001"
    );
    let o = mmr(&[&["root", "--profile", "minima", "--json"], &leaves[..]].concat());
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["root"]["value"], "1000000000.501000001");
    assert_eq!(v["size"], "4");
    // Integer amounts (scale 0) go through ProofDb; trailing zeros keep their scale.
    let o = mmr(&["root", "--profile", "minima", "01:5", "02:7"]);
    assert!(stdout(&o).trim().ends_with(" 12"), "{}", stdout(&o));
    let o2 = mmr(&["root", "--profile", "minima", "01:5.0", "02:7"]);
    assert!(stdout(&o2).trim().ends_with(" 12"), "{}", stdout(&o2));
    assert_ne!(stdout(&o), stdout(&o2), "5.0 streams with scale 1");
    // Refusals name the leaf and the reason; exit 2.
    for (bad, why) in [("01:-1", "negative"), ("01:1E3", "exponent")] {
        let o = mmr(&["root", "--profile", "minima", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains(why), "{bad}: {}", stderr(&o));
    }
}

/// Issue 31: an error quotes at most a short prefix of a bad input line, with its length:
/// a 10 MB line gave 10-20 MB of stderr.
#[test]
fn a_bad_10_mb_input_line_gives_a_short_error() {
    let big = 10_000_000;
    let cases: [(&[&str], Vec<u8>); 3] = [
        (&["root"], b"zz".repeat(big / 2)),
        (&["root"], [b"00:".as_slice(), &b"9".repeat(big)].concat()),
        (
            &["root", "--profile", "minima"],
            [b"00:".as_slice(), &b"1".repeat(big), b".x"].concat(),
        ),
    ];
    for (args, mut line) in cases {
        line.push(b'\n');
        let n = line.len() - 1;
        let mut child = Command::new(MMR)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let _ = input.write_all(&line); // the child may stop reading early
        });
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let e = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            &e[..e.len().min(300)]
        );
        assert!(e.len() < 500, "{args:?}: {} bytes of stderr", e.len());
        assert!(e.contains(&format!("{n} bytes")), "{args:?}: {e}");
        eprintln!("{args:?}: {}", e.trim());
    }
}

/// Issue 31: `mkfifo s/wal.bin; timeout 5 mmr store inspect s` exited 124 (the open of the
/// FIFO waited for a writer forever). Each store file replaced by a FIFO now gives an error
/// naming it at once.
#[test]
fn a_fifo_in_place_of_a_store_file_does_not_block_store_inspect() {
    for name in ["MANIFEST", "journal.bin", "wal.bin", "blocks.log"] {
        let dir = tmp_dir(&format!("fifo-{}", name.replace('.', "-")));
        let d = dir.join("s");
        let ds = d.to_str().unwrap();
        for args in [
            &["store", "init", ds][..],
            &["store", "append", ds, "00:1", "01:2"],
            &["store", "append", ds, "02:3"],
        ] {
            let o = mmr(args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        }
        if !d.join("journal.bin").exists() {
            std::fs::write(d.join("journal.bin"), b"").unwrap();
        }
        std::fs::remove_file(d.join(name)).unwrap();
        let st = Command::new("mkfifo").arg(d.join(name)).status().unwrap();
        assert!(st.success());
        let mut child = Command::new(MMR)
            .args(["store", "inspect", ds, "--check"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed().as_secs() >= 10 {
                let _ = child.kill();
                panic!("{name} as a FIFO: `mmr store inspect` still blocked after 10 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let o = child.wait_with_output().unwrap();
        let e = stderr(&o);
        assert!(!o.status.success(), "{name}: {e}");
        assert!(e.contains(name) && e.contains("FIFO"), "{name}: {e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
