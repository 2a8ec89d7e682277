//! Shared by the mmr-storage benches: leaf data, temp dirs under /tmp, timing.
#![allow(dead_code)]

use mmr_optimized::{Optimized, Sha3Default};
use mmr_spec::{Config, ProofDb};
use mmr_storage::PersistentDb;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Leaves per block: a commit every this many appends.
pub const BLOCK: u64 = 1_000;

/// The 32 data bytes of leaf `i` (as in mmr-optimized's benches).
pub fn data(i: u64) -> [u8; 32] {
    let mut d = [0u8; 32];
    d[..8].copy_from_slice(&i.to_le_bytes());
    d[8..16].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    d
}

/// A fresh, empty directory under /tmp for this process (`MMR_BENCH_DIR` overrides the
/// base directory).
pub fn tmp(name: &str) -> PathBuf {
    let base = std::env::var_os("MMR_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let d = base.join(format!("mmr-storage-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// splitmix64: a seeded generator, enough for choosing spends uniformly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is below 2^-40 for the sizes used).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Time spent appending and time spent in `commit`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Split {
    pub total: Duration,
    /// `create` (file store only).
    pub create: Duration,
    pub commits: Duration,
    /// CPU time of this thread (user + system) inside `commit`; the rest of `commits` is
    /// waiting, mostly for fsync.
    pub commit_cpu: Duration,
}

/// CPU time of the calling thread (user + system), from `CLOCK_THREAD_CPUTIME_ID` (exact;
/// /proc/thread-self/schedstat is only updated at scheduler events), through rustix's safe
/// wrapper.
pub fn thread_cpu() -> Duration {
    let ts = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Builds an in-memory database of `n` leaves, committing every `every` leaves (and at the
/// end), then drops it.
pub fn build_mem(n: u64, every: u64) -> Split {
    let t = Instant::now();
    let mut commits = Duration::ZERO;
    let mut db = Optimized::new(Config::default());
    for i in 0..n {
        db.append(&data(i), 1).unwrap();
        if (i + 1) % every == 0 || i + 1 == n {
            let c = Instant::now();
            db.commit().unwrap();
            commits += c.elapsed();
        }
    }
    drop(std::hint::black_box(db));
    Split {
        total: t.elapsed(),
        commits,
        ..Split::default()
    }
}

/// Creates a file-backed store in the empty directory `dir`, appends `n` leaves with a
/// durable commit every `every` leaves (and at the end), then closes it.
pub fn build_file(n: u64, dir: &Path, every: u64) -> Split {
    let t = Instant::now();
    let (mut commits, mut commit_cpu) = (Duration::ZERO, Duration::ZERO);
    let mut db = PersistentDb::create(dir, Sha3Default, Config::default()).unwrap();
    let create = t.elapsed();
    for i in 0..n {
        db.append(&data(i), 1).unwrap();
        if (i + 1) % every == 0 || i + 1 == n {
            let (c, cpu) = (Instant::now(), thread_cpu());
            db.commit().unwrap();
            commits += c.elapsed();
            commit_cpu += thread_cpu() - cpu;
        }
    }
    drop(std::hint::black_box(db));
    Split {
        total: t.elapsed(),
        create,
        commits,
        commit_cpu,
    }
}

/// Load average (1, 5, 15 minutes) from /proc/loadavg.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Median of a slice (sorted in place).
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}
