//! Criterion benches of the file-backed store (issue item 8), each side by side with the
//! in-memory `Optimized` (MemStore) in one process: 10^4 appends with a durable commit every
//! 1,000 leaves into a fresh store under /tmp, one commit of an empty block on a store of
//! 10^4 leaves (the fixed cost of a durable commit: one log record and its fdatasync, a
//! checkpoint every 128 commits), and a commit of one append beside one fdatasync of a file
//! in the same directory. The 10^6 comparison, interleaved and reported as a ratio, is
//! `--bench ratios`. Run: `cargo bench -p mmr-storage --bench storage`. Results:
//! BENCHMARKS.md, section "mmr-storage".
#![allow(missing_docs)] // criterion's macros generate undocumented items

mod common;

use common::{BLOCK, build_file, build_mem, data, tmp};
use criterion::{Criterion, criterion_group, criterion_main};
use mmr_optimized::{Optimized, Sha3Default};
use mmr_spec::{Config, ProofDb};
use mmr_storage::PersistentDb;
use std::time::{Duration, Instant};

fn bench_append(c: &mut Criterion) {
    const N: u64 = 10_000;
    let dir = tmp("criterion-append");
    let mut g = c.benchmark_group("append_commit_1e4");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("in-memory", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| build_mem(N, BLOCK).total).sum())
    });
    g.bench_function("file", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(&dir);
                    build_file(N, &dir, BLOCK).total
                })
                .sum()
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn bench_empty_commit(c: &mut Criterion) {
    const N: u64 = 10_000;
    let dir = tmp("criterion-commit");
    let mut f = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
    let mut m = Optimized::new(Config::default());
    for i in 0..N {
        f.append(&data(i), 1).unwrap();
        m.append(&data(i), 1).unwrap();
        if (i + 1) % BLOCK == 0 {
            f.commit().unwrap();
            m.commit().unwrap();
        }
    }
    let mut g = c.benchmark_group("empty_commit_1e4");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("in-memory", |b| b.iter(|| m.commit().unwrap()));
    g.bench_function("file", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                f.commit().unwrap();
            }
            t.elapsed()
        })
    });
    g.finish();
    drop(f);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A durable commit of one appended leaf (one log record, one fdatasync) beside one
/// 64-byte pwrite + fdatasync of a file in the same directory.
fn bench_commit_vs_fdatasync(c: &mut Criterion) {
    use std::os::unix::fs::FileExt;
    const N: u64 = 10_000;
    let dir = tmp("criterion-latency");
    let mut f = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
    for i in 0..N {
        f.append(&data(i), 1).unwrap();
        if (i + 1) % BLOCK == 0 {
            f.commit().unwrap();
        }
    }
    let side = std::fs::File::create(dir.join("side")).unwrap();
    side.set_len(1 << 20).unwrap();
    side.sync_all().unwrap();
    let mut g = c.benchmark_group("commit_vs_fdatasync_1e4");
    g.sample_size(50).measurement_time(Duration::from_secs(5));
    let mut k = 0u64;
    g.bench_function("fdatasync", |b| {
        b.iter(|| {
            k += 1;
            side.write_all_at(&[k as u8; 64], (k % 1024) * 64).unwrap();
            side.sync_data().unwrap();
        })
    });
    let mut i = N;
    g.bench_function("commit", |b| {
        b.iter(|| {
            i += 1;
            f.append(&data(i), 1).unwrap();
            f.commit().unwrap();
        })
    });
    g.finish();
    drop(f);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(
    benches,
    bench_append,
    bench_empty_commit,
    bench_commit_vs_fdatasync
);
criterion_main!(benches);
