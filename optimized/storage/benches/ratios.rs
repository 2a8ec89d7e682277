//! Interleaved ratio runner of the file-backed store (issue item 8): the same appends with a
//! durable commit every 1,000 leaves into a fresh `PersistentDb` under /tmp and into the
//! in-memory `Optimized` (MemStore), alternating the candidates round by round; the median
//! of the per-round speed ratios (in-memory time / file time) is reported, as in
//! mmr-optimized's `ratios.rs`. Also the profile of where the file store's time goes: the
//! time inside `commit`, empty commits, and the bare fsync cost of the file system; and blocks
//! of 1,000 random spends (informative).
//! Commit latency against one fdatasync, interleaved (`latency`).
//! Run: `cargo bench -p mmr-storage --bench ratios [-- append|commit|fsync|latency|spend]`.
#![allow(missing_docs)]

mod common;

use common::{BLOCK, Split, build_file, build_mem, data, loadavg, median, tmp};
use mmr_optimized::{Optimized, Sha3Default};
use mmr_spec::{Config, ProofDb};
use mmr_storage::PersistentDb;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `rounds` rounds of file then memory (alternating which goes first); prints the median
/// speed ratio memory time / file time and the mean split of each candidate's time.
fn append_ratio(n: u64, every: u64, rounds: usize) -> f64 {
    let dir = tmp(&format!("append-{n}-{every}"));
    let file = |_: ()| {
        let _ = std::fs::remove_dir_all(&dir);
        build_file(n, &dir, every)
    };
    let mut rs = Vec::new();
    let (mut f_sum, mut m_sum) = (Split::default(), Split::default());
    let start = Instant::now();
    for k in 0..rounds {
        let (f, m) = if k % 2 == 0 {
            let f = file(());
            (f, build_mem(n, every))
        } else {
            let m = build_mem(n, every);
            (file(()), m)
        };
        rs.push(m.total.as_secs_f64() / f.total.as_secs_f64());
        f_sum.total += f.total;
        f_sum.commits += f.commits;
        f_sum.create += f.create;
        f_sum.commit_cpu += f.commit_cpu;
        m_sum.total += m.total;
        m_sum.commits += m.commits;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let r = rounds as u32;
    let med = median(&mut rs);
    println!(
        "append {n} + commit/{every}: file / in-memory   median speed ratio {med:6.3}  ({rounds} rounds, {:.0} s, load {})",
        start.elapsed().as_secs_f64(),
        loadavg()
    );
    let commits = n.div_ceil(every);
    println!(
        "    file:      mean {:9.1} ms = create {:.1} ms + appends {:9.1} ms + {commits} commits {:9.1} ms ({:.3} ms/commit, of which CPU {:.3} ms)",
        ms(f_sum.total / r),
        ms(f_sum.create / r),
        ms((f_sum.total - f_sum.commits - f_sum.create) / r),
        ms(f_sum.commits / r),
        ms(f_sum.commits / r) / commits as f64,
        ms(f_sum.commit_cpu / r) / commits as f64
    );
    println!(
        "    in-memory: mean {:9.1} ms = appends {:9.1} ms + {commits} commits {:9.1} ms ({:.3} ms/commit)",
        ms(m_sum.total / r),
        ms((m_sum.total - m_sum.commits) / r),
        ms(m_sum.commits / r),
        ms(m_sum.commits / r) / commits as f64
    );
    med
}

/// Per-commit cost of empty blocks (no append, no spend) on a store of `n` leaves, file vs
/// memory, and of blocks of one append.
fn commit_cost(n: u64, commits: u32) {
    let dir = tmp(&format!("commit-{n}"));
    let mut f = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
    let mut m = Optimized::new(Config::default());
    for i in 0..n {
        f.append(&data(i), 1).unwrap();
        m.append(&data(i), 1).unwrap();
        if (i + 1) % BLOCK == 0 {
            f.commit().unwrap();
            m.commit().unwrap();
        }
    }
    let t = Instant::now();
    for _ in 0..commits {
        f.commit().unwrap();
    }
    let fe = t.elapsed() / commits;
    let t = Instant::now();
    for _ in 0..commits {
        m.commit().unwrap();
    }
    let me = t.elapsed() / commits;
    let t = Instant::now();
    for k in 0..commits {
        f.append(&data(n + u64::from(k)), 1).unwrap();
        f.commit().unwrap();
    }
    let f1 = t.elapsed() / commits;
    println!(
        "commit at {n} leaves: empty block file {:.3} ms, in-memory {:.4} ms; block of 1 append file {:.3} ms ({commits} each, load {})",
        ms(fe),
        ms(me),
        ms(f1),
        loadavg()
    );
    drop(f);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Commit latency against one fdatasync of a file on the same disk, interleaved rep by
/// rep: a block of one append committed (one log record and its fdatasync; every
/// `every`-th commit a checkpoint), and a 64-byte pwrite + fdatasync of a side file in the
/// store's directory. Also the sync calls per commit, from the store's own counter.
fn commit_latency(n: u64, reps: u32) {
    let dir = tmp(&format!("latency-{n}"));
    let mut f = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
    for i in 0..n {
        f.append(&data(i), 1).unwrap();
        if (i + 1) % BLOCK == 0 {
            f.commit().unwrap();
        }
    }
    f.checkpoint().unwrap();
    let side = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(dir.join("side"))
        .unwrap();
    side.set_len(1 << 20).unwrap();
    side.sync_all().unwrap();
    let (mut tc, mut ts) = (Vec::new(), Vec::new());
    let syncs0 = f.sync_calls();
    for k in 0..reps {
        let t = Instant::now();
        side.write_all_at(&[k as u8; 64], u64::from(k % 1024) * 64)
            .unwrap();
        side.sync_data().unwrap();
        ts.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        f.append(&data(n + u64::from(k)), 1).unwrap();
        f.commit().unwrap();
        tc.push(t.elapsed().as_secs_f64());
    }
    let syncs = f.sync_calls() - syncs0;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mc, ms_) = (mean(&tc), mean(&ts));
    let (dc, ds) = (median(&mut tc), median(&mut ts));
    println!(
        "commit latency at {n} leaves (block of 1 append): median {:.3} ms, one fdatasync {:.3} ms: ratio {:.2}; means (with {} checkpoints) {:.3} / {:.3} ms: ratio {:.2}; {:.3} syncs per commit ({reps} reps, load {})",
        dc * 1e3,
        ds * 1e3,
        dc / ds,
        u64::from(reps) / f.checkpoint_policy().every,
        mc * 1e3,
        ms_ * 1e3,
        mc / ms_,
        syncs as f64 / f64::from(reps),
        loadavg()
    );
    drop(f);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A block of 1,000 spends of random unspent leaves on a store of `n` leaves, file vs
/// memory, interleaved; each spend rewrites the leaf and its path (about log2(n) records
/// scattered over the hash file).
fn spend_block_ratio(n: u64, rounds: usize) {
    let dir = tmp(&format!("spend-{n}"));
    let mut f = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
    let mut m = Optimized::new(Config::default());
    for i in 0..n {
        f.append(&data(i), 1).unwrap();
        m.append(&data(i), 1).unwrap();
        if (i + 1) % BLOCK == 0 {
            f.commit().unwrap();
            m.commit().unwrap();
        }
    }
    // Distinct pseudo-random leaves: k -> (a·k + c) mod n is a permutation of 0..n for a
    // multiplier a coprime with n (a = 2654435761 is odd and not a multiple of 5).
    let leaf = |k: u64| (k.wrapping_mul(0x9e37_79b1) + 12_345) % n;
    let mut rs = Vec::new();
    let (mut tf, mut tm, mut cf, mut cpu) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    for r in 0..rounds as u64 {
        let ks = r * BLOCK..(r + 1) * BLOCK;
        let mut file = || {
            let t = Instant::now();
            for k in ks.clone() {
                f.spend(leaf(k), &[0xff; 32]).unwrap();
            }
            let (c, c0) = (Instant::now(), common::thread_cpu());
            f.commit().unwrap();
            cf += c.elapsed();
            cpu += common::thread_cpu() - c0;
            t.elapsed()
        };
        let mut mem = || {
            let t = Instant::now();
            for k in ks.clone() {
                m.spend(leaf(k), &[0xff; 32]).unwrap();
            }
            m.commit().unwrap();
            t.elapsed()
        };
        let (a, b) = if r % 2 == 0 {
            let a = file();
            (a, mem())
        } else {
            let b = mem();
            (file(), b)
        };
        tf += a;
        tm += b;
        rs.push(b.as_secs_f64() / a.as_secs_f64());
    }
    let r = rounds as u32;
    println!(
        "block of {BLOCK} random spends at {n} leaves: file / in-memory   median speed ratio {:6.3}, ratio of the totals {:6.3} (with {} checkpoints)  ({rounds} rounds, load {})",
        median(&mut rs),
        tm.as_secs_f64() / tf.as_secs_f64(),
        rounds as u64 / f.checkpoint_policy().every,
        loadavg()
    );
    println!(
        "    file: mean {:.2} ms, of which commit {:.2} ms (CPU {:.2} ms); in-memory: mean {:.2} ms",
        ms(tf / r),
        ms(cf / r),
        ms(cpu / r),
        ms(tm / r)
    );
    drop(f);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The file system's own cost: pwrite of `len` bytes + fsync, and the manifest's
/// write-temp + fsync + rename + directory fsync.
fn fsync_floor(reps: u32) {
    let dir = tmp("fsync");
    std::fs::create_dir_all(&dir).unwrap();
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(dir.join("x"))
        .unwrap();
    let buf = vec![7u8; 40_000];
    for len in [40usize, 4096, 40_000] {
        let t = Instant::now();
        for k in 0..reps {
            f.write_all_at(&buf[..len], u64::from(k) * len as u64)
                .unwrap();
            f.sync_all().unwrap();
        }
        println!(
            "fsync floor: pwrite {len:>6} B + fsync          {:.3} ms",
            ms(t.elapsed() / reps)
        );
    }
    let d = std::fs::File::open(&dir).unwrap();
    let t = Instant::now();
    for k in 0..reps {
        let mut m = std::fs::File::create(dir.join("M.tmp")).unwrap();
        m.write_all(&k.to_le_bytes()).unwrap();
        m.sync_all().unwrap();
        std::fs::rename(dir.join("M.tmp"), dir.join("M")).unwrap();
        d.sync_all().unwrap();
    }
    let rename = t.elapsed() / reps;
    let t = Instant::now();
    for k in 0..reps {
        f.write_all_at(&[1u8; 64], u64::from(k) * 64).unwrap();
        f.sync_data().unwrap();
    }
    println!(
        "fsync floor: pwrite     64 B + fdatasync      {:.3} ms",
        ms(t.elapsed() / reps)
    );
    println!(
        "fsync floor: write+fsync+rename+dir fsync  {:.3} ms  ({reps} each, load {})",
        ms(rename),
        loadavg()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let on = |n: &str| filter.as_deref().is_none_or(|f| n.contains(f));
    println!("temp dirs under {}", tmp("x").parent().unwrap().display());
    if on("fsync") {
        fsync_floor(200);
    }
    if on("commit") {
        commit_cost(10_000, 200);
        commit_cost(1_000_000, 200);
    }
    if on("latency") {
        commit_latency(10_000, 400);
        commit_latency(1_000_000, 400);
    }
    if on("spend") {
        // Enough blocks for two checkpoints (every 128 commits by default).
        spend_block_ratio(1_000_000, 257);
    }
    if on("append") {
        let r4: usize = std::env::var("MMR_ROUNDS_1E4").map_or(21, |v| v.parse().unwrap());
        let r6: usize = std::env::var("MMR_ROUNDS_1E6").map_or(5, |v| v.parse().unwrap());
        append_ratio(10_000, BLOCK, r4);
        append_ratio(1_000_000, BLOCK, r6);
        // Informative: how the ratio moves with the commit interval.
        append_ratio(1_000_000, 10 * BLOCK, r6);
    }
}
