//! Helpers of the `mmr` binary's tests: run it in the vectors directory (as a user of a
//! checkout would), read its output, and find the Python adapter.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

pub const MMR: &str = env!("CARGO_BIN_EXE_mmr");
/// The vectors directory: the tests run there.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors");
/// The Python adapter, relative to [`DIR`].
pub const ADAPTER: &str = "adapters/python/adapter.py";

/// Runs `mmr` in `dir` with no stdin.
pub fn mmr_in(dir: &str, args: &[&str]) -> Output {
    Command::new(MMR)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run mmr")
}

/// Runs `mmr` in the vectors directory.
pub fn mmr(args: &[&str]) -> Output {
    mmr_in(DIR, args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The Python-adapter tests need python3: where it does not run, the test fails naming
/// it (never a silent pass); `.ci/run` checks it first.
pub fn need_python() {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python3 not found: this test runs the Python conformance adapter (vectors/adapters/python/adapter.py); install python3"
    );
}

/// The `--json` report on stdout.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(o), stderr(o)))
}

/// Whether some case of a `--json` report has a reason containing `text`.
pub fn any_reason(v: &serde_json::Value, text: &str) -> bool {
    v["cases"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["reason"].as_str().unwrap_or_default().contains(text))
    })
}

/// A fresh directory under the test target's temporary directory.
pub fn tmp_dir(name: &str) -> std::path::PathBuf {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let d = base.join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `mmr conform --json ARGS -- python3 adapter.py ADAPTER_ARGS` in the vectors directory:
/// the output and its parsed report.
pub fn conform_python(args: &[&str], adapter_args: &[&str]) -> (Output, serde_json::Value) {
    need_python();
    let mut all = vec!["conform", "--json"];
    all.extend(args);
    all.extend(["--", "python3", ADAPTER]);
    all.extend(adapter_args);
    let o = mmr(&all);
    let v = json(&o);
    (o, v)
}

/// The status (`pass`, `fail`, `skip`, ...) of case `id` in a `--json` report.
pub fn status_of(v: &serde_json::Value, id: &str) -> Option<String> {
    v["cases"]
        .as_array()?
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["status"].as_str().map(String::from))
}
