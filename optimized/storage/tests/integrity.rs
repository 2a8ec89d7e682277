//! Issue 31: damage to `wal.bin` or `MANIFEST` is never a silent rollback, an edited
//! manifest field is refused, and no store file can make an open block.
//!
//! The sweeps flip every bit of a small store's log (three commits after a checkpoint) and
//! of its manifest in turn; each flip must be detected (a `Corrupt` error), harmless (the
//! same height and state), or, inside the last log record only, the documented torn tail
//! (the state without that record).

mod common;

use common::{logged, observe, tmp};
use mmr_spec::{Config, ProofDb, profiles};
use mmr_storage::{PersistentDb, StorageError};
use std::path::Path;
use std::time::Duration;

type P = &'static dyn mmr_spec::Profile;

fn profile() -> P {
    profiles::by_name("default").unwrap()
}

/// Every file of the store but its lock.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != "LOCK")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn restore(dir: &Path, snap: &[(String, Vec<u8>)]) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_name() != "LOCK" {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    for (n, b) in snap {
        std::fs::write(dir.join(n), b).unwrap();
    }
}

/// What a reopened store shows, or the error.
fn outcome(dir: &Path) -> Result<(u64, String), StorageError> {
    let db = PersistentDb::open(dir, profile())?;
    db.verify()?;
    Ok((db.height(), observe(&db)))
}

/// The offset where the log's last record starts: every record is the same size here (3
/// appends of 2-byte data), so it is the file's length minus one record's.
fn last_record_start(wal: &[u8], header: usize, records: usize) -> usize {
    wal.len() - (wal.len() - header) / records
}

#[test]
fn every_bit_flip_of_the_log_is_detected_harmless_or_a_torn_last_record() {
    let dir = tmp("sweep-wal");
    logged(&dir);
    let snap = snapshot(&dir);
    let (h, full) = outcome(&dir).unwrap();
    assert_eq!(h, 4);
    let wal = std::fs::read(dir.join("wal.bin")).unwrap();
    // The header is the part before the first record; its size is what the format says,
    // found here as the log's length minus three equal records.
    let header = [20usize, 28]
        .into_iter()
        .find(|hd| (wal.len() - hd) % 3 == 0)
        .unwrap();
    let last = last_record_start(&wal, header, 3);
    // The state without the last record (a torn tail).
    restore(&dir, &snap);
    let mut cut = wal.clone();
    cut.truncate(last + 1);
    std::fs::write(dir.join("wal.bin"), &cut).unwrap();
    let (th, torn) = outcome(&dir).unwrap();
    assert_eq!(th, 3);
    let (mut detected, mut harmless, mut tail, mut bad) = (0, 0, 0, Vec::new());
    for bit in 0..wal.len() * 8 {
        restore(&dir, &snap);
        let mut b = wal.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(dir.join("wal.bin"), &b).unwrap();
        match outcome(&dir) {
            Err(StorageError::Corrupt { file, .. }) if file == "wal.bin" || file == "MANIFEST" => {
                detected += 1
            }
            Err(e) => bad.push(format!("bit {bit}: unexpected error {e}")),
            Ok((_, s)) if s == full => harmless += 1,
            Ok((_, s)) if s == torn && bit / 8 >= last => tail += 1,
            Ok((h, _)) => bad.push(format!(
                "bit {bit} (byte {}): opened silently at height {h}, not 4",
                bit / 8
            )),
        }
    }
    eprintln!(
        "wal.bin sweep: {} bits: {detected} detected, {harmless} harmless, {tail} torn last \
         record, {} silent rollbacks",
        wal.len() * 8,
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "{} bad flips, e.g. {:?}",
        bad.len(),
        &bad[..bad.len().min(8)]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_bit_flip_of_the_manifest_is_detected() {
    let dir = tmp("sweep-manifest");
    logged(&dir);
    let snap = snapshot(&dir);
    let (_, full) = outcome(&dir).unwrap();
    let man = std::fs::read(dir.join("MANIFEST")).unwrap();
    let mut bad = Vec::new();
    for bit in 0..man.len() * 8 {
        restore(&dir, &snap);
        let mut b = man.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(dir.join("MANIFEST"), &b).unwrap();
        match outcome(&dir) {
            Err(StorageError::Corrupt { file, .. }) if file == "MANIFEST" => {}
            Err(e) => bad.push(format!("bit {bit}: {e}")),
            Ok((_, s)) if s == full => {}
            Ok((h, _)) => bad.push(format!("bit {bit}: opened silently at height {h}")),
        }
    }
    assert!(bad.is_empty(), "{:?}", &bad[..bad.len().min(8)]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The manifest with `edit` applied and its CRC recomputed.
fn reseal_manifest(dir: &Path, edit: impl FnOnce(&mut Vec<u8>)) {
    let path = dir.join("MANIFEST");
    let mut b = std::fs::read(&path).unwrap();
    edit(&mut b);
    let n = b.len() - 4;
    let c = crc32fast::hash(&b[..n]);
    b[n..].copy_from_slice(&c.to_le_bytes());
    std::fs::write(&path, &b).unwrap();
}

fn expect_corrupt(dir: &Path, file: &str) -> String {
    match PersistentDb::open(dir, profile()) {
        Err(StorageError::Corrupt { file: f, what, .. }) => {
            assert_eq!(f, file, "wrong file blamed: {what}");
            what
        }
        Err(e) => panic!("expected corruption of {file}, got {e}"),
        Ok(db) => panic!(
            "the crafted {file} was accepted (height {}, {} records replayed)",
            db.height(),
            db.replayed()
        ),
    }
}

#[test]
fn a_manifest_seq_raised_by_one_to_three_is_refused() {
    for k in 1..=3u64 {
        let dir = tmp(&format!("seq-raised-{k}"));
        logged(&dir);
        reseal_manifest(&dir, |b| {
            let s = u64::from_le_bytes(b[8..16].try_into().unwrap());
            b[8..16].copy_from_slice(&(s + k).to_le_bytes());
        });
        let what = expect_corrupt(&dir, "MANIFEST");
        eprintln!("seq + {k}: {what}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn an_edited_retain_is_refused() {
    // With records in the log, and with an empty log just after a checkpoint.
    for (k, checkpoint) in [(0, false), (1, false), (2, true)] {
        let dir = tmp(&format!("retain-{k}"));
        logged(&dir);
        if checkpoint {
            let mut db = PersistentDb::open(&dir, profile()).unwrap();
            db.checkpoint().unwrap();
        }
        // retain follows the magic, seq and the profile name ("default", 8 + 7 bytes).
        reseal_manifest(&dir, |b| {
            let at = 8 + 8 + 8 + 7;
            assert_eq!(u64::from_le_bytes(b[at..at + 8].try_into().unwrap()), 4);
            let new: u64 = if k == 1 { 0 } else { 1000 };
            b[at..at + 8].copy_from_slice(&new.to_le_bytes());
        });
        let what = expect_corrupt(&dir, "MANIFEST");
        eprintln!("retain edited ({k}): {what}");
        // A retain below the blocks retained fails the manifest's own field checks, before
        // the log is read, even with a log that names no manifest.
        if k == 1 {
            std::fs::remove_file(dir.join("wal.bin")).unwrap();
            let what = expect_corrupt(&dir, "MANIFEST");
            assert!(what.contains("blocks are retained"), "{what}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Runs `f` on a thread; fails the test if it has not returned within 10 s (a blocked
/// open).
fn within_timeout<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("{what}: still blocked after 10 s"))
}

#[test]
fn a_fifo_in_place_of_a_store_file_is_refused_without_blocking() {
    for name in ["MANIFEST", "journal.bin", "wal.bin", "blocks.log"] {
        let dir = tmp(&format!("fifo-{}", name.replace('.', "-")));
        logged(&dir);
        let path = dir.join(name);
        let _ = std::fs::remove_file(&path);
        // Not a spawned mkfifo: a child forked while another test holds a store open
        // shares that store's lock until it execs.
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &path,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .unwrap();
        let d = dir.clone();
        let r = within_timeout(name, move || {
            let p = mmr_storage::store_profile(&d).map(|_| ());
            let o = PersistentDb::open(&d, profile()).map(|_| ());
            (p, o)
        });
        match r {
            (_, Err(StorageError::Corrupt { file, what, .. })) => {
                assert_eq!(file, name, "{what}");
            }
            (_, o) => panic!("{name} as a FIFO: {o:?}"),
        }
        if name == "MANIFEST" {
            assert!(
                matches!(r.0, Err(StorageError::Corrupt { .. })),
                "{:?}",
                r.0
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A power loss during a group commit's one fdatasync can leave any of its pages unwritten:
/// a record of the group fails its checksum while later ones of the same group are whole.
/// None of them was acknowledged (their `synced` is the seq before the group), so the log
/// ends before the damaged one. New records written over the tear then form the log; the
/// group's leftovers after them (same sizes, so at the very offsets where the chain goes
/// on) are not replayed, since each record names its predecessor's CRC.
#[test]
fn a_torn_group_commit_is_a_torn_tail_and_its_leftovers_never_rejoin_the_log() {
    use mmr_spec::{Block, BlockOp};
    let dir = tmp("torn-group");
    let block = |k: u8| Block {
        ops: (0..3)
            .map(|j| BlockOp::Append {
                data: vec![k, j],
                value: 1,
            })
            .collect(),
    };
    let mut db = PersistentDb::create(&dir, profile(), Config { retain: 8 }).unwrap();
    let mut mem = mmr_optimized::Optimized::with_profile(profile(), Config { retain: 8 });
    db.apply_block(&block(0)).unwrap();
    mem.apply_block(&block(0)).unwrap();
    db.checkpoint().unwrap();
    db.apply_block(&block(1)).unwrap();
    mem.apply_block(&block(1)).unwrap();
    // One group of four blocks, one sync.
    let group: Vec<Block> = (2..6).map(block).collect();
    db.apply_blocks(&group).unwrap();
    drop(db);
    // The page of the group's second record (block 3) never reached the disk.
    let path = dir.join("wal.bin");
    let wal = std::fs::read(&path).unwrap();
    let rec = (wal.len() - 28) / 5; // five records of one size
    let mut b = wal.clone();
    for x in &mut b[28 + 2 * rec..28 + 3 * rec] {
        *x = 0;
    }
    std::fs::write(&path, &b).unwrap();
    let mut db = PersistentDb::open(&dir, profile()).unwrap();
    // Block 1 and the group's first record (block 2) survive; blocks 3-5 were torn.
    assert_eq!(db.replayed(), 2);
    assert_eq!(db.height(), 3);
    mem.apply_block(&group[0]).unwrap();
    assert_eq!(observe(&db), observe(&mem));
    // Two new blocks of the same size go over the tear; block 5's leftover follows them.
    for k in [13u8, 14] {
        db.apply_block(&block(k)).unwrap();
        mem.apply_block(&block(k)).unwrap();
    }
    drop(db);
    let after = std::fs::read(&path).unwrap();
    assert_eq!(after.len(), wal.len());
    assert_eq!(
        after[28 + 4 * rec..],
        wal[28 + 4 * rec..],
        "the leftover is still there"
    );
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(db.replayed(), 4);
    assert_eq!(observe(&db), observe(&mem));
    db.verify().unwrap();
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The search for a record written after a damaged one checksums only frames whose fields
/// fit, within a bound: a log crafted with such a frame every 32 bytes (each claiming 1 MiB)
/// is refused at once, not checksummed for hours.
#[test]
fn a_log_crafted_with_a_candidate_frame_every_32_bytes_is_refused_quickly() {
    let dir = tmp("wal-candidates");
    logged(&dir);
    let seq = std::fs::read(dir.join("MANIFEST")).unwrap()[8..16].to_vec();
    let path = dir.join("wal.bin");
    let mut b = std::fs::read(&path).unwrap();
    b.truncate(28);
    while b.len() < 4 << 20 {
        b.extend_from_slice(&(1u64 << 20).to_le_bytes()); // len
        b.extend_from_slice(&seq); // base
        b.extend_from_slice(&[0xfe; 8]); // fingerprint
        b.extend_from_slice(&u64::MAX.to_le_bytes()); // synced
    }
    std::fs::write(&path, &b).unwrap();
    let d = dir.clone();
    let r = within_timeout("crafted candidates", move || {
        PersistentDb::open(&d, profile()).map(|_| ())
    });
    match r {
        Err(StorageError::Corrupt { file, what, .. }) => assert_eq!(file, "wal.bin", "{what}"),
        r => panic!("{r:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `journal.bin` has the same guarantee: a checkpoint interrupted after its undo journal was
/// synced and some committed bytes were overwritten, then a bit of the journal flipped. The
/// journal's CRC covers all of it, so a flipped journal is ignored, and the files it would
/// have restored then fail their chunk checksums: every flip is detected or harmless (the
/// state the intact journal restores), never an open at another state. Every 3rd bit.
#[test]
fn every_third_bit_flip_of_an_interrupted_checkpoints_journal_is_detected_or_harmless() {
    use mmr_storage::{Fault, FaultKind};
    let dir = tmp("sweep-journal");
    logged(&dir);
    // Calls of a checkpoint: journal write, set_len, sync, then the files' changes. Fail
    // the second change: the first one has overwritten committed bytes.
    let mut db = PersistentDb::open_with(
        &dir,
        profile(),
        Some(Fault {
            at: 4,
            kind: FaultKind::Error,
        }),
    )
    .unwrap();
    assert!(db.checkpoint().is_err());
    drop(db);
    let snap = snapshot(&dir);
    let journal = std::fs::read(dir.join("journal.bin")).unwrap();
    assert_eq!(&journal[..8], b"MMRJRNL2");
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert!(db.recovered_checkpoint());
    drop(db);
    restore(&dir, &snap);
    let (h, full) = outcome(&dir).unwrap();
    assert_eq!(h, 4);
    let (mut detected, mut harmless, mut bad) = (0, 0, Vec::new());
    for bit in (0..journal.len() * 8).step_by(3) {
        restore(&dir, &snap);
        let mut b = journal.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(dir.join("journal.bin"), &b).unwrap();
        match outcome(&dir) {
            // The file that differs is named, and the damaged journal with it.
            Err(StorageError::Corrupt { what, .. }) if what.contains("journal.bin") => {
                detected += 1
            }
            Err(e) => bad.push(format!("bit {bit}: unexpected error {e}")),
            Ok((_, s)) if s == full => harmless += 1,
            Ok((h, _)) => bad.push(format!("bit {bit}: opened silently at height {h}")),
        }
    }
    eprintln!(
        "journal.bin sweep: {} of {} bits: {detected} detected, {harmless} harmless, {} bad",
        (journal.len() * 8).div_ceil(3),
        journal.len() * 8,
        bad.len()
    );
    assert!(bad.is_empty(), "{:?}", &bad[..bad.len().min(8)]);
    let _ = std::fs::remove_dir_all(&dir);
}
