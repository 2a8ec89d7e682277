//! Disk bytes per leaf of the file-backed store before and after compaction (issue item 8):
//! `n` leaves appended in blocks of 1,000 (a durable commit per block), a fraction of them
//! spent, each spent leaf chosen uniformly at random (seeded) and spent in a block chosen
//! uniformly between the one that created it and the last; then a compaction at the tip
//! (horizon = height). Reports `DiskUsage` per file before and after, bytes per leaf and
//! per unspent leaf, and the ratio of the disk use to what the unspent leaves' proofs need:
//!
//! needed = 40 bytes × |the union over unspent leaves of {the leaf, its path siblings up to
//! its peak} ∪ {the peaks}| + the leaf set (D20: 8 + ceil(n/8) bytes).
//!
//! That is the least a full node must keep to produce every unspent leaf's proof (D13: the
//! leaf's node, its siblings, the peaks) and to know which leaves are unspent. D21 keeps
//! more: also the internal nodes on each unspent leaf's path (which a proof does not carry
//! but a later spend or update rehashes) and the prune list (D22); that set is counted too
//! ("D21 kept"), and the compacted hash file must be exactly 40 bytes per kept position.
//! Run: `cargo bench -p mmr-storage --bench disk [-- N]` (default N = 10^6).
#![allow(missing_docs)]

mod common;

use common::{BLOCK, Rng, data, loadavg, tmp};
use mmr_optimized::{Sha3Default, index};
use mmr_spec::{At, Config, ProofDb};
use mmr_storage::{DiskUsage, PersistentDb, RECORD};
use std::time::Instant;

/// Positions counted by [`needed`].
struct Needed {
    /// Leaves, path siblings and peaks (what proofs need).
    proof: u64,
    /// D21's kept set: the above plus the internal nodes on the unspent leaves' paths.
    kept: u64,
}

/// Counts the union over unspent leaves of {leaf, path siblings} ∪ peaks, and the same with
/// the path nodes (D21's kept set), with mmr-index arithmetic.
fn needed(leaves: u64, unspent: &[bool]) -> Needed {
    let size = index::size_for_leaves(leaves).unwrap();
    // proof[p]: p is an unspent leaf, a path sibling of one, or a peak;
    // path[p]: p is an unspent leaf or one of its ancestors.
    let mut proof = vec![false; size as usize];
    let mut path = vec![false; size as usize];
    for p in index::peaks(size).unwrap() {
        proof[p as usize] = true;
    }
    for (i, _) in unspent.iter().enumerate().filter(|e| *e.1) {
        let mut p = index::leaf_to_pos(i as u64).unwrap();
        proof[p as usize] = true;
        path[p as usize] = true;
        // Up to the peak: a node whose parent is at or beyond the size is a peak (D7).
        while let Some(q) = index::parent(p).filter(|&q| q < size) {
            proof[index::sibling(p).unwrap() as usize] = true;
            if path[q as usize] {
                break; // an earlier leaf marked the rest of this path and its siblings
            }
            path[q as usize] = true;
            p = q;
        }
    }
    Needed {
        proof: proof.iter().filter(|&&b| b).count() as u64,
        kept: proof.iter().zip(&path).filter(|(a, b)| **a || **b).count() as u64,
    }
}

fn row(label: &str, d: &DiskUsage, leaves: u64, unspent: u64) {
    println!(
        "  {label:<7} hash {:>11}  leaf_set {:>8}  prune_list {:>8}  blocks {:>9}  leaf_data {:>9}  meta {:>6}  total {:>11}  = {:6.2} B/leaf, {:7.2} B/unspent leaf",
        d.hash,
        d.leaf_set,
        d.prune_list,
        d.blocks,
        d.leaf_data,
        d.meta,
        d.total(),
        d.total() as f64 / leaves as f64,
        d.total() as f64 / unspent as f64
    );
}

fn run(n: u64, spent_fraction: f64, seed: u64) {
    let dir = tmp(&format!("disk-{n}-{}", (spent_fraction * 100.0) as u32));
    let t = Instant::now();
    let mut rng = Rng(seed);
    let blocks = n.div_ceil(BLOCK);
    // spend_in[b]: the leaves spent in block b.
    let mut spend_in: Vec<Vec<u64>> = vec![Vec::new(); blocks as usize];
    let mut unspent = vec![true; n as usize];
    let target = (n as f64 * spent_fraction).round() as u64;
    let mut chosen = 0;
    while chosen < target {
        let i = rng.below(n);
        if unspent[i as usize] {
            unspent[i as usize] = false;
            let born = i / BLOCK;
            spend_in[(born + rng.below(blocks - born)) as usize].push(i);
            chosen += 1;
        }
    }
    let mut db = PersistentDb::create(&dir, Sha3Default, Config::default()).unwrap();
    for b in 0..blocks {
        for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
            db.append(&data(i), 1).unwrap();
        }
        for &i in &spend_in[b as usize] {
            db.spend(i, &[0xff; 32]).unwrap();
        }
        db.commit().unwrap();
    }
    let build = t.elapsed();
    let height = db.height();
    let t = Instant::now();
    let out = db.compact(height).unwrap();
    let compact = t.elapsed();
    assert!(out.durable);
    let left = unspent.iter().filter(|&&u| u).count() as u64;
    let need = needed(n, &unspent);
    let leaf_set = 8 + n.div_ceil(8);
    let need_bytes = need.proof * RECORD + leaf_set;
    let kept_bytes = need.kept * RECORD + leaf_set;
    println!(
        "{n} leaves, {:.0}% spent ({left} unspent), {blocks} blocks, retain {}, compact({height}): dropped {} positions; build {:.1} s, compaction {:.2} s (load {})",
        spent_fraction * 100.0,
        Config::default().retain,
        out.report.dropped,
        build.as_secs_f64(),
        compact.as_secs_f64(),
        loadavg()
    );
    row("before", &out.before, n, left);
    row("after", &out.after, n, left);
    // The leaf-data files are not part of any proof: the target compares the MMR's files.
    let mmr_after = out.after.total() - out.after.leaf_data - out.after.keys;
    println!(
        "  needed by proofs: {} positions × {RECORD} B + leaf set {leaf_set} B = {need_bytes} B ({:.2} B/unspent leaf); MMR files after / needed = {:.3}; with leaf data {:.3}",
        need.proof,
        need_bytes as f64 / left as f64,
        mmr_after as f64 / need_bytes as f64,
        out.after.total() as f64 / need_bytes as f64
    );
    println!(
        "  D21 kept set: {} positions ({} B with the leaf set); hash file after = {} records; disk after / D21 kept = {:.3}",
        need.kept,
        kept_bytes,
        out.after.hash / RECORD,
        out.after.total() as f64 / kept_bytes as f64
    );
    assert_eq!(
        out.after.hash,
        need.kept * RECORD,
        "the compacted hash file holds exactly D21's kept set"
    );
    // The compaction is durable, and every unspent leaf stays provable after a reopen.
    drop(db);
    let db = PersistentDb::open(&dir, Sha3Default).unwrap();
    let root = db.root(At::Current).unwrap();
    let mut checked = 0;
    for (i, _) in unspent.iter().enumerate().filter(|e| *e.1).step_by(97) {
        let p = db.prove(At::Current, i as u64).unwrap();
        ProofDb::verify(&db, &root, &p, &data(i as u64), 1).unwrap();
        checked += 1;
    }
    println!("  reopened: {checked} proofs of unspent leaves verified");
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let n: u64 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or(1_000_000, |a| a.parse().unwrap());
    println!("store under {}", tmp("x").parent().unwrap().display());
    for (f, seed) in [(0.5, 1), (0.9, 2)] {
        run(n, f, seed);
    }
}
