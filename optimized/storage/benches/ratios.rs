//! Interleaved ratio runner of the file-backed store (issue item 8): the same appends with a
//! durable commit every 1,000 leaves into a fresh `PersistentDb` under /tmp and into the
//! in-memory `Optimized` (MemStore), alternating the candidates round by round; the median
//! of the per-round speed ratios (in-memory time / file time) is reported, as in
//! mmr-optimized's `ratios.rs`. Also the profile of where the file store's time goes: the
//! time inside `commit`, empty commits, and the bare fsync cost of the file system.
//! Run: `cargo bench -p mmr-storage --bench ratios [-- append|commit|fsync]`.
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
fn append_ratio(n: u64, rounds: usize) -> f64 {
    let dir = tmp(&format!("append-{n}"));
    let file = |_: ()| {
        let _ = std::fs::remove_dir_all(&dir);
        build_file(n, &dir)
    };
    let mut rs = Vec::new();
    let (mut f_sum, mut m_sum) = (Split::default(), Split::default());
    let start = Instant::now();
    for k in 0..rounds {
        let (f, m) = if k % 2 == 0 {
            let f = file(());
            (f, build_mem(n))
        } else {
            let m = build_mem(n);
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
        "append {n} + commit/{BLOCK}: file / in-memory   median speed ratio {med:6.3}  ({rounds} rounds, {:.0} s, load {})",
        start.elapsed().as_secs_f64(),
        loadavg()
    );
    let commits = n.div_ceil(BLOCK);
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
    println!(
        "fsync floor: write+fsync+rename+dir fsync  {:.3} ms  ({reps} each, load {})",
        ms(t.elapsed() / reps),
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
    if on("append") {
        let r4: usize = std::env::var("MMR_ROUNDS_1E4").map_or(21, |v| v.parse().unwrap());
        let r6: usize = std::env::var("MMR_ROUNDS_1E6").map_or(5, |v| v.parse().unwrap());
        append_ratio(10_000, r4);
        append_ratio(1_000_000, r6);
    }
}
