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

/// Whether python3 runs here (the adapter tests need it).
pub fn python() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
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
