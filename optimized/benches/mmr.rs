//! Criterion benches of mmr-optimized, each run side by side with its comparison in one
//! process (issue item 5): the bare SHA3-256 hashing floor (the same number of SHA3-256 calls
//! on inputs of the same lengths, in a loop) and ckb-merkle-mountain-range 0.6.1 with a
//! SHA3-256 merge of left || right. Run: `cargo bench -p mmr-optimized --bench mmr`.
//! Results and ratios: BENCHMARKS.md at the repository root.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use ckb_merkle_mountain_range::{MMR, util::MemStore as CkbStore};
use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use mmr_optimized::hash::Fast;
use mmr_optimized::{Optimized, PortableSha3Default};
use mmr_spec::{At, Block, BlockOp, Config, ProofDb, leaf_node, profiles::DEFAULT};
use std::time::{Duration, Instant};

mod common;
use common::*;

fn bench_append(c: &mut Criterion) {
    for (name, n, samples) in [("append_1e4", 10_000u64, 20), ("append_1e6", 1_000_000, 10)] {
        let mut g = c.benchmark_group(name);
        g.sample_size(samples)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(if n > 10_000 { 12 } else { 4 }));
        g.bench_function("floor", |b| {
            let mut buf = [7u8; 256];
            b.iter(|| floor_append(n, &mut buf))
        });
        g.bench_function("floor_asm", |b| {
            let mut buf = [7u8; 256];
            b.iter(|| floor_append_on::<Fast>(n, &mut buf))
        });
        g.bench_function("optimized", |b| b.iter(|| black_box(build_opt(n))));
        g.bench_function("optimized_sha3", |b| {
            b.iter(|| black_box(build_opt_with(PortableSha3Default, n)))
        });
        g.bench_function("ckb", |b| {
            b.iter(|| {
                let store = CkbStore::default();
                let mut m = MMR::<[u8; 32], Sha3Merge, _>::new(0, &store);
                for i in 0..n {
                    m.push(ckb_leaf(i)).unwrap();
                }
                m.commit().unwrap();
                black_box(store)
            })
        });
        g.finish();
    }
}

fn bench_reads(c: &mut Criterion) {
    const N: u64 = 1_000_000;
    let mut db = build_opt(N);
    db.commit().unwrap();
    let mut db_sha3 = build_opt_with(PortableSha3Default, N);
    db_sha3.commit().unwrap();
    let (store, ckb_size) = build_ckb(N);
    let ckb = MMR::<[u8; 32], Sha3Merge, _>::new(ckb_size, &store);
    let idx: Vec<u64> = (0..1024u64).map(|i| (i * 7_919_993) % N).collect();
    let root = db.root(At::Current).unwrap();
    let peaks = db.state(At::Current).unwrap().peaks.len();

    let mut g = c.benchmark_group("root_1e6");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.bench_function("floor", |b| {
        let buf = [7u8; 256];
        b.iter(|| black_box(h(&buf, 17 + 32 * peaks)))
    });
    g.bench_function("optimized", |b| {
        b.iter(|| black_box(db.root(At::Current).unwrap()))
    });
    g.bench_function("ckb", |b| b.iter(|| black_box(ckb.get_root().unwrap())));
    g.finish();

    let mut g = c.benchmark_group("prove_1e6");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.bench_function("optimized", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            black_box(db.prove(At::Current, idx[k]).unwrap())
        })
    });
    g.bench_function("optimized_sha3", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            black_box(db_sha3.prove(At::Current, idx[k]).unwrap())
        })
    });
    g.bench_function("ckb", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            let pos = ckb_merkle_mountain_range::leaf_index_to_pos(idx[k]);
            black_box(ckb.gen_proof(vec![pos]).unwrap())
        })
    });
    g.finish();

    let proofs: Vec<_> = idx
        .iter()
        .map(|&i| db.prove(At::Current, i).unwrap())
        .collect();
    let ckb_root = ckb.get_root().unwrap();
    let ckb_proofs: Vec<_> = idx
        .iter()
        .map(|&i| {
            ckb.gen_proof(vec![ckb_merkle_mountain_range::leaf_index_to_pos(i)])
                .unwrap()
        })
        .collect();
    let mut g = c.benchmark_group("verify_1e6");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.bench_function("floor", |b| {
        let buf = [7u8; 256];
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            let p = &proofs[k];
            black_box(h(&buf, LEAF_INPUT));
            let mountain = p.path.len() + 1 - peaks;
            for _ in 0..mountain {
                black_box(h(&buf, PARENT_INPUT));
            }
            black_box(h(&buf, 17 + 32 * peaks))
        })
    });
    g.bench_function("floor_asm", |b| {
        let buf = [7u8; 256];
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            let p = &proofs[k];
            black_box(hb::<Fast>(&buf, LEAF_INPUT));
            let mountain = p.path.len() + 1 - peaks;
            for _ in 0..mountain {
                black_box(hb::<Fast>(&buf, PARENT_INPUT));
            }
            black_box(hb::<Fast>(&buf, 17 + 32 * peaks))
        })
    });
    g.bench_function("optimized", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            let d = data(idx[k]);
            db.verify(&root, &proofs[k], black_box(&d), 1).unwrap()
        })
    });
    g.bench_function("optimized_sha3", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            let d = data(idx[k]);
            db_sha3.verify(&root, &proofs[k], black_box(&d), 1).unwrap()
        })
    });
    g.bench_function("ckb", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            let pos = ckb_merkle_mountain_range::leaf_index_to_pos(idx[k]);
            let leaf = ckb_leaf(idx[k]);
            assert!(ckb_proofs[k].verify(ckb_root, vec![(pos, leaf)]).unwrap())
        })
    });
    g.finish();

    // Leaf update: 1 leaf hash + one parent per level (no root: it is computed on demand).
    let mut g = c.benchmark_group("update_1e6");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.bench_function("floor", |b| {
        let buf = [7u8; 256];
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) & 1023;
            black_box(h(&buf, LEAF_INPUT));
            for _ in 0..proofs[k].path.len() + 1 - peaks {
                black_box(h(&buf, PARENT_INPUT));
            }
        })
    });
    g.bench_function("optimized", |b| {
        let mut k = 0;
        let mut v = 2;
        b.iter(|| {
            k = (k + 1) & 1023;
            if k == 0 {
                v += 1;
            }
            db.update(idx[k], &data(idx[k]), v).unwrap()
        })
    });
    g.finish();
    db.commit().unwrap();

    // A block of 1,000 updates, then its commit (root, undo record).
    let blocks: Vec<Block> = (0..4u64)
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
    let mut g = c.benchmark_group("block_1000_updates_1e6");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("floor", |b| {
        let buf = [7u8; 256];
        b.iter(|| {
            for p in &proofs[..1000] {
                black_box(h(&buf, LEAF_INPUT));
                for _ in 0..p.path.len() + 1 - peaks {
                    black_box(h(&buf, PARENT_INPUT));
                }
            }
            black_box(h(&buf, 17 + 32 * peaks))
        })
    });
    g.bench_function("optimized", |b| {
        let mut r = 0;
        b.iter(|| {
            r = (r + 1) & 3;
            black_box(db.apply_block(&blocks[r]).unwrap())
        })
    });
    g.finish();
}

/// Rewind of 10 blocks, each of 100 updates and 10 appends, at two MMR sizes: the cost
/// follows the changes, not the size. Compared with the hashing those changes took.
fn bench_rewind(c: &mut Criterion) {
    let mut g = c.benchmark_group("rewind_10_blocks");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    for n in [10_000u64, 1_000_000] {
        let mut db = build_opt(n);
        db.commit().unwrap();
        let blocks: Vec<Block> = (0..10u64)
            .map(|b| Block {
                ops: (0..100u64)
                    .map(|j| BlockOp::Update {
                        index: (j * 7919 + b * 104_729) % n,
                        data: vec![b as u8],
                        value: 5,
                    })
                    .chain((0..10u64).map(|j| BlockOp::Append {
                        data: vec![j as u8],
                        value: 1,
                    }))
                    .collect(),
            })
            .collect();
        g.bench_with_input(BenchmarkId::new("optimized", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                for _ in 0..iters {
                    let h0 = db.height();
                    for blk in &blocks {
                        db.apply_block(blk).unwrap();
                    }
                    let s = Instant::now();
                    db.rewind(h0).unwrap();
                    t += s.elapsed();
                }
                t
            })
        });
        // The hashing of what the 10 blocks changed (about 1,000 paths plus 100 appends).
        let depth = 64 - n.leading_zeros() as usize;
        g.bench_with_input(BenchmarkId::new("floor_of_changes", n), &n, |b, _| {
            let buf = [7u8; 256];
            b.iter(|| {
                for _ in 0..1000 {
                    black_box(h(&buf, LEAF_INPUT));
                    for _ in 0..depth {
                        black_box(h(&buf, PARENT_INPUT));
                    }
                }
                for _ in 0..200 {
                    black_box(h(&buf, PARENT_INPUT));
                }
            })
        });
    }
    g.finish();
}

fn bench_bulk(c: &mut Criterion) {
    const N: u64 = 1_000_000;
    let leaves: Vec<([u8; 32], u64)> = (0..N).map(|i| (data(i), 1)).collect();
    let mut g = c.benchmark_group("bulk_1e6");
    g.sample_size(10).measurement_time(Duration::from_secs(12));
    g.bench_function("floor_single_core", |b| {
        let mut buf = [7u8; 256];
        b.iter(|| floor_append(N, &mut buf))
    });
    g.bench_function("optimized_all_cores", |b| {
        b.iter(|| {
            let mut db = Optimized::new(Config::default());
            db.append_bulk(&leaves).unwrap();
            black_box(db)
        })
    });
    g.finish();
    // Sanity: equal roots.
    let mut a = Optimized::new(Config::default());
    a.append_bulk(&leaves[..5000]).unwrap();
    let b = build_opt(5000);
    assert_eq!(a.root(At::Current), b.root(At::Current));
    let _ = leaf_node(&DEFAULT, 0, b"", 0);
}

criterion_group!(benches, bench_append, bench_reads, bench_rewind, bench_bulk);
criterion_main!(benches);
