//! Resident memory of the file-backed store (issue item 8): appends N leaves with a durable
//! commit every 1,000 and reports, at checkpoints (10^5, 10^6, 10^7 leaves), VmRSS, VmHWM,
//! RssAnon (heap) and RssFile (touched pages of the hash file's memory map, and the binary)
//! from /proc/self/status, with the hash file's size; then closes the store, reopens it and
//! does 1,000 proofs of random leaves, reporting the same after each step.
//!
//! `cargo run --release -p mmr-storage --example rss -- build N [DIR] [--keep]`
//! `cargo run --release -p mmr-storage --example rss -- open DIR` (reopen in a fresh process:
//! VmHWM is then the open's own peak).
//! DIR defaults to a fresh directory under /tmp, removed at the end unless `--keep`.
#![allow(missing_docs)]

use mmr_optimized::Sha3Default;
use mmr_spec::{At, Config, ProofDb};
use mmr_storage::PersistentDb;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn data(i: u64) -> [u8; 32] {
    let mut d = [0u8; 32];
    d[..8].copy_from_slice(&i.to_le_bytes());
    d[8..16].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    d
}

/// `VmRSS VmHWM RssAnon RssFile` in MiB.
fn mem() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb = |k: &str| -> f64 {
        s.lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
            / 1024.0
    };
    format!(
        "VmRSS {:8.1} MiB  VmHWM {:8.1} MiB  RssAnon {:7.1} MiB  RssFile {:8.1} MiB",
        kb("VmRSS:"),
        kb("VmHWM:"),
        kb("RssAnon:"),
        kb("RssFile:")
    )
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn report(label: &str, db: Option<&PersistentDb<Sha3Default>>, t: Instant) {
    let (hash, heap) = db.map_or((0, 0), |d| (d.disk_usage().hash, d.db().heap_bytes()));
    println!(
        "{label:<28} {}  hash file {:8.1} MiB  heap_bytes {:6.1} MiB  t {:7.1} s  load {}",
        mem(),
        hash as f64 / 1048576.0,
        heap as f64 / 1048576.0,
        t.elapsed().as_secs_f64(),
        loadavg()
    );
}

/// splitmix64.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn reopen_and_prove(dir: &Path, t: Instant) {
    let o = Instant::now();
    let db = PersistentDb::open(dir, Sha3Default).unwrap();
    let open_s = o.elapsed().as_secs_f64();
    report(&format!("reopened ({open_s:.1} s)"), Some(&db), t);
    let n = db.leaf_count();
    let root = db.root(At::Current).unwrap();
    let p = Instant::now();
    for k in 0..1000u64 {
        let i = mix(k) % n;
        let proof = db.prove(At::Current, i).unwrap();
        ProofDb::verify(&db, &root, &proof, &data(i), 1).unwrap();
    }
    let prove_ms = p.elapsed().as_secs_f64() * 1e3;
    report(&format!("1000 proofs ({prove_ms:.0} ms)"), Some(&db), t);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args.iter().any(|a| a == "--keep");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let t = Instant::now();
    match pos.first().map(|s| s.as_str()) {
        Some("open") => {
            let dir = PathBuf::from(pos.get(1).expect("open DIR"));
            report("start", None, t);
            reopen_and_prove(&dir, t);
        }
        Some("build") => {
            let n: u64 = pos.get(1).map_or(1_000_000, |v| v.parse().unwrap());
            let dir = pos.get(2).map_or_else(
                || std::env::temp_dir().join(format!("mmr-storage-rss-{}", std::process::id())),
                PathBuf::from,
            );
            let _ = std::fs::remove_dir_all(&dir);
            println!("store in {}", dir.display());
            report("start", None, t);
            let mut db = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
            let mut next = 100_000u64;
            for i in 0..n {
                db.append(&data(i), 1).unwrap();
                if (i + 1) % 1000 == 0 || i + 1 == n {
                    db.commit().unwrap();
                }
                if i + 1 == next || i + 1 == n {
                    report(&format!("{} leaves", i + 1), Some(&db), t);
                    next *= 10;
                }
            }
            drop(db);
            report("closed", None, t);
            reopen_and_prove(&dir, t);
            if !keep {
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
        _ => eprintln!("usage: rss build N [DIR] [--keep] | rss open DIR"),
    }
}
