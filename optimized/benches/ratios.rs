//! Interleaved ratio runner (companion of the Criterion benches in `mmr.rs`): on a machine
//! shared with other jobs, the load drifts between Criterion's sequential groups, so here
//! each comparison alternates its candidates round by round and reports the median of the
//! per-round ratios. Run: `cargo bench -p mmr-optimized --bench ratios`.
#![allow(missing_docs, clippy::needless_range_loop)]

use ckb_merkle_mountain_range::MMR;
use mmr_optimized::hash::{Fast, Portable};
use mmr_optimized::{Optimized, PortableSha3Default};
use mmr_spec::{At, Block, BlockOp, Config, ProofDb};
use std::hint::black_box;
use std::time::Instant;

mod common;
use common::*;

fn time(f: &mut dyn FnMut()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64()
}

/// Runs `rounds` rounds of (a, b) alternately; prints and returns the median of b_time / a_time
/// (how many times faster a is than b... i.e. the speed of `a` relative to `b`).
fn ratio(name: &str, rounds: usize, a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> f64 {
    let mut rs = Vec::new();
    let (mut ta, mut tb) = (0.0, 0.0);
    for k in 0..rounds {
        let (x, y) = if k % 2 == 0 {
            let x = time(a);
            (x, time(b))
        } else {
            let y = time(b);
            (time(a), y)
        };
        ta += x;
        tb += y;
        rs.push(y / x);
    }
    rs.sort_by(|p, q| p.partial_cmp(q).unwrap());
    let med = rs[rs.len() / 2];
    println!(
        "{name:<44} median speed ratio {med:6.3}  (mean times {:.3e} s vs {:.3e} s, {rounds} rounds)",
        ta / rounds as f64,
        tb / rounds as f64
    );
    med
}

fn main() {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let on = |n: &str| filter.as_deref().is_none_or(|f| n.contains(f));
    let mut buf = [7u8; 256];
    if on("backend") {
        // The hash backends alone, then append on each against the sha3 floor (issue 19).
        const N: u64 = 1_000_000;
        let mut b2 = buf;
        ratio(
            "backend: keccak-asm floor / sha3 floor (1e6 append's hashes)",
            7,
            &mut || floor_append_on::<Fast>(N, &mut buf),
            &mut || floor_append_on::<Portable>(N, &mut b2),
        );
        ratio(
            "backend append 1e6: optimized (keccak-asm) / sha3 floor",
            7,
            &mut || drop(black_box(build_opt(N))),
            &mut || floor_append_on::<Portable>(N, &mut b2),
        );
        ratio(
            "backend append 1e6: optimized (keccak-asm) / keccak-asm floor",
            7,
            &mut || drop(black_box(build_opt(N))),
            &mut || floor_append_on::<Fast>(N, &mut b2),
        );
        ratio(
            "backend append 1e6: optimized (sha3) / sha3 floor",
            7,
            &mut || drop(black_box(build_opt_with(PortableSha3Default, N))),
            &mut || floor_append_on::<Portable>(N, &mut b2),
        );
    }
    if on("append") {
        for (n, rounds) in [(10_000u64, 41), (1_000_000, 7)] {
            ratio(
                &format!("append {n}: optimized / floor"),
                rounds,
                &mut || drop(black_box(build_opt(n))),
                &mut || floor_append(n, &mut buf),
            );
            ratio(
                &format!("append {n}: optimized / ckb"),
                rounds,
                &mut || drop(black_box(build_opt(n))),
                &mut || drop(black_box(build_ckb(n))),
            );
        }
    }
    const N: u64 = 1_000_000;
    let needs_big = ["prove", "verify", "update", "block", "root"]
        .iter()
        .any(|x| on(x));
    if needs_big {
        let mut db = build_opt(N);
        db.commit().unwrap();
        let (store, ckb_size) = build_ckb(N);
        let ckb = MMR::<[u8; 32], Sha3Merge, _>::new(ckb_size, &store);
        let idx: Vec<u64> = (0..1024u64).map(|i| (i * 7_919_993) % N).collect();
        let root = db.root(At::Current).unwrap();
        let peaks = db.state(At::Current).unwrap().peaks.len();
        let proofs: Vec<_> = idx
            .iter()
            .map(|&i| db.prove(At::Current, i).unwrap())
            .collect();
        let reps = 200;
        if on("root") {
            ratio(
                "root 1e6: optimized / floor",
                41,
                &mut || {
                    for _ in 0..2000 {
                        black_box(db.root(At::Current).unwrap());
                    }
                },
                &mut || {
                    for _ in 0..2000 {
                        black_box(h(&buf, 17 + 32 * peaks));
                    }
                },
            );
        }
        if on("prove") {
            ratio(
                "prove 1e6: optimized / ckb",
                21,
                &mut || {
                    for k in 0..1024 {
                        black_box(db.prove(At::Current, idx[k]).unwrap());
                    }
                },
                &mut || {
                    for k in 0..1024 {
                        let pos = ckb_merkle_mountain_range::leaf_index_to_pos(idx[k]);
                        black_box(ckb.gen_proof(vec![pos]).unwrap());
                    }
                },
            );
        }
        if on("verify") {
            ratio(
                "verify 1e6: optimized / floor",
                21,
                &mut || {
                    for k in 0..reps {
                        let d = data(idx[k]);
                        db.verify(&root, &proofs[k], black_box(&d), 1).unwrap();
                    }
                },
                &mut || {
                    for p in &proofs[..reps] {
                        black_box(h(&buf, LEAF_INPUT));
                        for _ in 0..p.path.len() + 1 - peaks {
                            black_box(h(&buf, PARENT_INPUT));
                        }
                        black_box(h(&buf, 17 + 32 * peaks));
                    }
                },
            );
            ratio(
                "verify 1e6: optimized / keccak-asm floor",
                21,
                &mut || {
                    for k in 0..reps {
                        let d = data(idx[k]);
                        db.verify(&root, &proofs[k], black_box(&d), 1).unwrap();
                    }
                },
                &mut || {
                    for p in &proofs[..reps] {
                        black_box(hb::<Fast>(&buf, LEAF_INPUT));
                        for _ in 0..p.path.len() + 1 - peaks {
                            black_box(hb::<Fast>(&buf, PARENT_INPUT));
                        }
                        black_box(hb::<Fast>(&buf, 17 + 32 * peaks));
                    }
                },
            );
            let s3 = build_opt_with(PortableSha3Default, N);
            ratio(
                "verify 1e6: optimized (sha3) / sha3 floor",
                21,
                &mut || {
                    for k in 0..reps {
                        let d = data(idx[k]);
                        s3.verify(&root, &proofs[k], black_box(&d), 1).unwrap();
                    }
                },
                &mut || {
                    for p in &proofs[..reps] {
                        black_box(h(&buf, LEAF_INPUT));
                        for _ in 0..p.path.len() + 1 - peaks {
                            black_box(h(&buf, PARENT_INPUT));
                        }
                        black_box(h(&buf, 17 + 32 * peaks));
                    }
                },
            );
            ratio(
                "prove 1e6: optimized (keccak-asm) / optimized (sha3)",
                21,
                &mut || {
                    for k in 0..1024 {
                        black_box(db.prove(At::Current, idx[k]).unwrap());
                    }
                },
                &mut || {
                    for k in 0..1024 {
                        black_box(s3.prove(At::Current, idx[k]).unwrap());
                    }
                },
            );
        }
        if on("update") {
            let mut v = 2;
            ratio(
                "update 1e6: optimized / floor",
                21,
                &mut || {
                    v += 1;
                    for k in 0..reps {
                        db.update(idx[k], &data(idx[k]), v).unwrap();
                    }
                },
                &mut || {
                    for p in &proofs[..reps] {
                        black_box(h(&buf, LEAF_INPUT));
                        for _ in 0..p.path.len() + 1 - peaks {
                            black_box(h(&buf, PARENT_INPUT));
                        }
                    }
                },
            );
            db.commit().unwrap();
        }
        if on("block") {
            let blocks: Vec<Block> = (0..2u64)
                .map(|r| Block {
                    ops: (0..1000u64)
                        .map(|j| BlockOp::Update {
                            index: idx[j as usize],
                            data: data(j).to_vec(),
                            value: 10 + r,
                        })
                        .collect(),
                })
                .collect();
            let mut r = 0;
            ratio(
                "block of 1000 updates 1e6: optimized / floor",
                15,
                &mut || {
                    r ^= 1;
                    black_box(db.apply_block(&blocks[r]).unwrap());
                },
                &mut || {
                    for p in &proofs[..1000] {
                        black_box(h(&buf, LEAF_INPUT));
                        for _ in 0..p.path.len() + 1 - peaks {
                            black_box(h(&buf, PARENT_INPUT));
                        }
                    }
                    black_box(h(&buf, 17 + 32 * peaks));
                },
            );
        }
    }
    if on("bulk-threads") {
        // Scaling of append_bulk with a rayon pool of T threads, against the single-core
        // floors (sha3 and keccak-asm); T = 1, 2, ... up to the machine's cores.
        let leaves: Vec<([u8; 32], u64)> = (0..N).map(|i| (data(i), 1)).collect();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for t in [1usize, 2, 4, 8, 16].into_iter().filter(|&t| t <= cores) {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap();
            let mut bulk = || {
                pool.install(|| {
                    let mut db = Optimized::new(Config::default());
                    db.append_bulk(&leaves).unwrap();
                    drop(black_box(db));
                })
            };
            ratio(
                &format!("bulk 1e6 {t} threads: optimized / sha3 floor"),
                5,
                &mut bulk,
                &mut || floor_append_on::<Portable>(N, &mut buf),
            );
            ratio(
                &format!("bulk 1e6 {t} threads: optimized / keccak-asm floor"),
                5,
                &mut bulk,
                &mut || floor_append_on::<Fast>(N, &mut buf),
            );
        }
        return;
    }
    if on("bulk") {
        let leaves: Vec<([u8; 32], u64)> = (0..N).map(|i| (data(i), 1)).collect();
        ratio(
            "bulk 1e6 all cores: optimized / single-core floor",
            5,
            &mut || {
                let mut db = Optimized::new(Config::default());
                db.append_bulk(&leaves).unwrap();
                drop(black_box(db));
            },
            &mut || floor_append(N, &mut buf),
        );
    }
}
