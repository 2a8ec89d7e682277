//! Shared helpers of the storage tests.
#![allow(dead_code, missing_docs)]

use mmr_spec::{At, Block, BlockOp, ErrorKind, ProofDb};
use std::path::PathBuf;

/// A fresh empty directory under the target dir (removed first if present).
pub fn tmp(name: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let d = base.join(format!("mmr-storage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every observable of the committed states, as a comparable string.
pub fn observe(db: &dyn ProofDb) -> String {
    let mut s = format!(
        "h={} oldest={} horizon={} pending={} size={} leaves={} prune={:?}\n",
        db.height(),
        db.oldest(),
        db.horizon(),
        db.has_pending(),
        db.size(),
        db.leaf_count(),
        db.prune_list()
    );
    for h in db.oldest()..=db.height() {
        s += &format!("state {h}: {:?}\n", db.state(At::Block(h)));
        s += &format!("leafset {h}: {:?}\n", db.leaf_set(At::Block(h)));
        if h > db.oldest() {
            s += &format!("set {h}: {:?}\n", db.mmr_set(h));
        }
        let n = db
            .leaf_set(At::Block(h))
            .map_or(0, |b| u64::from_le_bytes(b[..8].try_into().unwrap()));
        for i in 0..n {
            s += &format!("prove {h} {i}: {:?}\n", db.prove(At::Block(h), i));
        }
    }
    for p in 0..db.size() {
        s += &format!("node {p}: {:?}\n", db.node(At::Current, p));
    }
    s
}

/// A deterministic workload step on any ProofDb: appends, spends, updates, commits,
/// rewinds and compactions. Every step ends with no uncommitted changes (durable).
pub fn step(db: &mut dyn ProofDb, k: u64) {
    try_step(db, k).unwrap();
}

/// The result of a workload op whose refusal by a rule of the spec is part of the workload
/// (spending a spent or pruned leaf, rewinding or compacting at a bound): those kinds are
/// fine, every other error (a storage fault above all) is returned, never swallowed.
fn allow<T>(r: Result<T, mmr_spec::Error>, kinds: &[ErrorKind]) -> Result<(), mmr_spec::Error> {
    match r {
        Ok(_) => Ok(()),
        Err(e) if kinds.contains(&e.kind()) => Ok(()),
        Err(e) => Err(e),
    }
}

/// [`step`], returning a failed op instead of panicking.
pub fn try_step(db: &mut dyn ProofDb, k: u64) -> Result<(), mmr_spec::Error> {
    use ErrorKind::{BelowHorizon, InBlock, LeafSpent, NotRetained, Pruned};
    let n = db.leaf_count();
    match k % 11 {
        0..=4 => {
            for j in 0..(k % 5 + 1) {
                db.append(&[(k + j) as u8, 7], k * 3 + j + 1)?;
            }
            if n > 2 {
                allow(db.spend((k * 7) % n, b"spent"), &[LeafSpent, Pruned])?;
                allow(db.update((k * 13) % n, &[k as u8], k), &[LeafSpent, Pruned])?;
            }
            db.commit()?;
        }
        5 | 6 => {
            let ops = (0..3)
                .map(|j| BlockOp::Append {
                    data: vec![j, k as u8],
                    value: j as u64 + 1,
                })
                .chain((n > 0).then(|| BlockOp::Spend {
                    index: (k * 5) % n.max(1),
                    data: b"s".to_vec(),
                }))
                .collect();
            allow(db.apply_block(&Block { ops }), &[InBlock])?;
        }
        7 | 8 => {
            let h = db.height();
            let target = h.saturating_sub(1 + k % 3).max(db.oldest());
            allow(db.rewind(target), &[NotRetained, BelowHorizon])?;
        }
        9 => {
            let h = db.height();
            let horizon = h.saturating_sub(2).max(db.horizon());
            allow(db.compact(horizon), &[NotRetained, BelowHorizon])?;
        }
        _ => {
            db.commit()?;
        }
    }
    Ok(())
}

/// Copies a store's files (not its lock) into `to`.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() != "LOCK" {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A default-profile store in `dir` whose log holds three records (appends of 3 leaves
/// each) after a checkpoint; checks that reopening replays exactly those three.
pub fn logged(dir: &std::path::Path) {
    let profile = mmr_spec::profiles::by_name("default").unwrap();
    let config = mmr_spec::Config { retain: 4 };
    let mut db = mmr_storage::PersistentDb::create(dir, profile, config).unwrap();
    for b in 0..4u8 {
        for j in 0..3u8 {
            db.append(&[b, j], 1).unwrap();
        }
        db.commit().unwrap();
        if b == 0 {
            db.checkpoint().unwrap();
        }
    }
    drop(db);
    let db = mmr_storage::PersistentDb::open(dir, profile).unwrap();
    assert_eq!(db.replayed(), 3);
}
