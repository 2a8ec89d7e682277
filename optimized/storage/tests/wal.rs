//! The write-ahead log (STORAGE.md section 3): a commit costs one fdatasync of the log, a
//! group of blocks one for all, and the log is replayed on open; a crafted log is refused
//! as corruption of `wal.bin` (or of an older `MANIFEST`).

mod common;

use common::{logged, tmp};
use mmr_spec::{At, Block, BlockOp, Config, ProofDb, profiles};
use mmr_storage::{PersistentDb, StorageError};
use std::path::Path;

type P = &'static dyn mmr_spec::Profile;

fn profile() -> P {
    profiles::by_name("default").unwrap()
}

#[test]
fn a_commit_of_appended_leaves_costs_one_fdatasync() {
    let dir = tmp("wal-syncs");
    let mut db = PersistentDb::create(&dir, profile(), Config { retain: 8 }).unwrap();
    let policy = db.checkpoint_policy();
    let commits = 2 * policy.every + 5;
    let mut per_commit = Vec::new();
    for c in 0..commits {
        for j in 0..1000u64 {
            db.append(&(c * 1000 + j).to_le_bytes(), 1).unwrap();
        }
        let before = db.sync_calls();
        db.commit().unwrap();
        per_commit.push(db.sync_calls() - before);
    }
    let checkpoints: Vec<usize> = (0..per_commit.len())
        .filter(|&i| per_commit[i] != 1)
        .collect();
    let total: u64 = per_commit.iter().sum();
    eprintln!(
        "syncs per commit: {} commits, {total} syncs ({:.3} each); checkpoints at commits {checkpoints:?} with {:?} syncs",
        commits,
        total as f64 / commits as f64,
        checkpoints
            .iter()
            .map(|&i| per_commit[i])
            .collect::<Vec<_>>()
    );
    // Every commit but the checkpoints (every `every`-th) is one fdatasync of the log.
    assert_eq!(checkpoints.len() as u64, commits / policy.every);
    assert!(
        checkpoints
            .iter()
            .all(|&i| (i as u64 + 1) % policy.every == 0)
    );
    assert!(
        checkpoints.iter().all(|&i| per_commit[i] <= 12),
        "{per_commit:?}"
    );
    assert!(total as f64 / (commits as f64) < 1.1);
    let root = db.root(At::Current).unwrap();
    drop(db);
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(db.replayed(), commits % policy.every);
    assert_eq!(db.root(At::Current).unwrap(), root);
    db.verify().unwrap();
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

fn block(k: u64, leaves: u64) -> Block {
    Block {
        ops: (0..4)
            .map(|j| BlockOp::Append {
                data: vec![k as u8, j],
                value: 2,
            })
            .chain((leaves > 0).then(|| BlockOp::Spend {
                index: (k * 7) % leaves,
                data: b"s".to_vec(),
            }))
            .collect(),
    }
}

#[test]
fn a_group_of_blocks_costs_one_fdatasync_and_survives_reopen() {
    let dir = tmp("wal-group");
    let mut db = PersistentDb::create(&dir, profile(), Config { retain: 16 }).unwrap();
    let mut mem = mmr_optimized::Optimized::with_profile(profile(), Config { retain: 16 });
    let mut blocks = Vec::new();
    for k in 0..10 {
        let b = block(k, mem.leaf_count());
        mem.apply_block(&b).unwrap();
        blocks.push(b);
    }
    let before = db.sync_calls();
    let infos = db.apply_blocks(&blocks).unwrap();
    assert_eq!(db.sync_calls() - before, 1);
    assert_eq!(infos.len(), 10);
    // A refused block: the ones before it are applied and durable.
    let mut more = vec![block(20, mem.leaf_count())];
    mem.apply_block(&more[0]).unwrap();
    more.push(Block {
        ops: vec![BlockOp::Spend {
            index: 1 << 40,
            data: vec![],
        }],
    });
    assert!(db.apply_blocks(&more).is_err());
    assert_eq!(db.height(), 11);
    drop(db);
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(db.replayed(), 11);
    assert_eq!(common::observe(&db), common::observe(&mem));
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

// ----- a crafted log -----

fn expect_corrupt(dir: &Path, file: &str) -> (u64, String) {
    match PersistentDb::open(dir, profile()) {
        Err(StorageError::Corrupt {
            file: f,
            offset,
            what,
        }) => {
            assert_eq!(f, file, "wrong file blamed: {what}");
            (offset, what)
        }
        Err(e) => panic!("expected corruption of {file}, got {e}"),
        Ok(_) => panic!("the crafted {file} was accepted"),
    }
}

/// Bytes of the log's header (format version 2).
const HEADER: usize = 28;
/// Bytes of a record's frame after its length field and before its seq: base,
/// fingerprint, synced, prev.
const LINK: usize = 28;

/// (offset, length) of each record frame in the log.
fn frames(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = HEADER;
    while at + 8 <= b.len() {
        let len = u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize;
        if at + 8 + len > b.len() || len < 12 {
            break;
        }
        out.push((at, len));
        at += 8 + len;
    }
    out
}

/// Recomputes a record's CRC (over every byte before it, the length included).
fn reseal(b: &mut [u8], (at, len): (usize, usize)) {
    let end = at + 8 + len;
    let c = crc32fast::hash(&b[at..end - 4]);
    b[end - 4..end].copy_from_slice(&c.to_le_bytes());
}

#[test]
fn a_resealed_log_record_that_replays_to_another_root_is_refused() {
    let dir = tmp("wal-reseal");
    logged(&dir);
    let path = dir.join("wal.bin");
    let mut b = std::fs::read(&path).unwrap();
    let fr = frames(&b);
    assert!(fr.len() >= 3, "{fr:?}");
    // The first data byte of the first append: length, link, seq, n, tag, mmr, keyed,
    // length, then data.
    let at = fr[1].0 + 8 + LINK + 8 + 4 + 1 + 4 + 1 + 8;
    b[at] ^= 0x40;
    reseal(&mut b, fr[1]);
    std::fs::write(&path, &b).unwrap();
    let (offset, what) = expect_corrupt(&dir, "wal.bin");
    assert_eq!(offset, fr[1].0 as u64, "{what}");
    assert!(what.contains("roots"), "{what}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_log_record_that_cannot_replay_is_refused() {
    for (k, (op, mmr)) in [(2u8, 0u32), (0, 7)].into_iter().enumerate() {
        let dir = tmp(&format!("wal-bad-op-{k}"));
        logged(&dir);
        let path = dir.join("wal.bin");
        let mut b = std::fs::read(&path).unwrap();
        let fr = frames(&b);
        // Replace the first record by one op: a spend of leaf 2^40, or an append to MMR 7,
        // with the original's link and seq and a good CRC.
        let link = b[fr[0].0 + 8..fr[0].0 + 8 + LINK].to_vec();
        let seq = &b[fr[0].0 + 8 + LINK..fr[0].0 + 16 + LINK];
        let mut body = seq.to_vec();
        body.extend_from_slice(&1u32.to_le_bytes());
        body.push(op);
        body.extend_from_slice(&mmr.to_le_bytes());
        if op == 2 {
            body.extend_from_slice(&(1u64 << 40).to_le_bytes());
        } else {
            body.push(0);
        }
        body.extend_from_slice(&2u64.to_le_bytes());
        body.extend_from_slice(b"xy");
        if op == 0 {
            body.extend_from_slice(&1u64.to_le_bytes());
        }
        body.push(0);
        body.extend_from_slice(&0u32.to_le_bytes());
        let mut rec = ((LINK + body.len() + 4) as u64).to_le_bytes().to_vec();
        rec.extend_from_slice(&link);
        rec.extend_from_slice(&body);
        let c = crc32fast::hash(&rec);
        rec.extend_from_slice(&c.to_le_bytes());
        let mut nb = b[..fr[0].0].to_vec();
        nb.extend_from_slice(&rec);
        b = nb;
        std::fs::write(&path, &b).unwrap();
        let (offset, what) = expect_corrupt(&dir, "wal.bin");
        assert_eq!(offset, fr[0].0 as u64, "{what}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_damaged_record_before_later_ones_is_corruption_not_a_torn_tail() {
    let dir = tmp("wal-damaged");
    logged(&dir);
    let path = dir.join("wal.bin");
    let mut b = std::fs::read(&path).unwrap();
    let fr = frames(&b);
    b[fr[0].0 + 20] ^= 1; // checksum now bad; records 2 and 3 follow
    std::fs::write(&path, &b).unwrap();
    let (offset, _) = expect_corrupt(&dir, "wal.bin");
    assert_eq!(offset, fr[0].0 as u64);
    // The last record damaged (as a torn write leaves it): the store opens without it.
    let mut b = std::fs::read(&path).unwrap();
    b[fr[0].0 + 20] ^= 1;
    let last = *fr.last().unwrap();
    b.truncate(last.0 + last.1 / 2);
    std::fs::write(&path, &b).unwrap();
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(db.replayed(), 2);
    assert_eq!(db.leaf_count(), 9);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_log_of_a_later_checkpoint_says_the_manifest_is_older() {
    let dir = tmp("wal-older");
    logged(&dir);
    let old = std::fs::read(dir.join("MANIFEST")).unwrap();
    let mut db = PersistentDb::open(&dir, profile()).unwrap();
    db.checkpoint().unwrap();
    drop(db);
    std::fs::write(dir.join("MANIFEST"), &old).unwrap();
    std::fs::remove_file(dir.join("journal.bin")).unwrap();
    let (offset, what) = expect_corrupt(&dir, "MANIFEST");
    assert_eq!(offset, 8);
    assert!(what.contains("older than"), "{what}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A log of format version 1 (before issue 31) that follows the manifest may hold commits
/// this build cannot check: refused, naming `wal.bin`. One of an earlier checkpoint holds
/// nothing and is replaced.
#[test]
fn a_version_1_log_is_refused_when_it_may_hold_commits() {
    let dir = tmp("wal-v1");
    logged(&dir);
    let seq = u64::from_le_bytes(
        std::fs::read(dir.join("MANIFEST")).unwrap()[8..16]
            .try_into()
            .unwrap(),
    );
    let v1 = |base: u64| {
        let mut h = b"MMRWAL01".to_vec();
        h.extend_from_slice(&base.to_le_bytes());
        let c = crc32fast::hash(&h);
        h.extend_from_slice(&c.to_le_bytes());
        h.extend_from_slice(&[0u8; 64]); // records this build does not read
        h
    };
    std::fs::write(dir.join("wal.bin"), v1(seq)).unwrap();
    let (offset, what) = expect_corrupt(&dir, "wal.bin");
    assert_eq!(offset, 0);
    assert!(what.contains("version 1"), "{what}");
    std::fs::write(dir.join("wal.bin"), v1(seq - 1)).unwrap();
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(db.replayed(), 0);
    assert_eq!(db.height(), 1);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
