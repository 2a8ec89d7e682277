//! Reopening equals never closing; rewind then overwrite (litecoin 23e5eac3cf); corruption
//! of each file kind is detected with the file and offset.

mod common;

use common::{observe, step, tmp};
use mmr_optimized::Optimized;
use mmr_spec::{At, Config, ProofDb, profiles};
use mmr_storage::{PersistentDb, StorageError};
use std::path::Path;

type P = &'static dyn mmr_spec::Profile;

fn profile() -> P {
    profiles::by_name("default").unwrap()
}

#[test]
fn reopen_equals_never_closed() {
    for retain in [0u64, 3, 16] {
        let dir = tmp(&format!("reopen-{retain}"));
        let config = Config { retain };
        let mut mem = Optimized::with_profile(profile(), config);
        let mut disk = PersistentDb::create(&dir, profile(), config).unwrap();
        for k in 0..120u64 {
            step(&mut mem, k);
            step(&mut disk, k);
            if k % 7 == 3 {
                drop(disk);
                disk = PersistentDb::open(&dir, profile()).unwrap();
            }
            if k % 20 == 19 {
                assert_eq!(observe(&mem), observe(&disk), "retain {retain}, step {k}");
                disk.verify().unwrap();
            }
        }
        drop(disk);
        let disk = PersistentDb::open(&dir, profile()).unwrap();
        assert_eq!(observe(&mem), observe(&disk));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn uncommitted_changes_are_lost_on_reopen() {
    let dir = tmp("uncommitted");
    let mut disk = PersistentDb::create(&dir, profile(), Config::default()).unwrap();
    disk.append(b"a", 1).unwrap();
    let info = disk.commit().unwrap();
    disk.append(b"b", 2).unwrap();
    disk.spend(0, b"x").unwrap();
    drop(disk);
    let disk = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(disk.height(), 1);
    assert_eq!(disk.root(At::Current).unwrap(), info.root);
    assert!(disk.is_unspent(At::Current, 0).unwrap());
}

/// litecoin 23e5eac3cf: after a rewind, new appends must overwrite the hash file at the
/// rewound offset; an append-mode file wrote them at the end and kept stale hashes.
#[test]
fn rewind_then_append_overwrites_at_the_rewound_offset() {
    let dir = tmp("litecoin");
    let config = Config { retain: 8 };
    let mut mem = Optimized::with_profile(profile(), config);
    let mut disk = PersistentDb::create(&dir, profile(), config).unwrap();
    for db in [&mut mem as &mut dyn ProofDb, &mut disk] {
        for i in 0..10u8 {
            db.append(&[i], 1).unwrap();
        }
        db.commit().unwrap();
        for i in 10..16u8 {
            db.append(&[i], 1).unwrap();
        }
        db.commit().unwrap();
        db.rewind(1).unwrap();
        for i in 0..3u8 {
            db.append(&[0xee, i], 5).unwrap(); // different leaves at the rewound positions
        }
        db.commit().unwrap();
    }
    let size = disk.size();
    let expect = mem.root(At::Current).unwrap();
    assert_eq!(disk.root(At::Current).unwrap(), expect);
    // The log holds the commits; the checkpoint writes them into the hash file.
    assert!(disk.checkpoint().unwrap());
    drop(disk);
    // The file holds exactly `size` records: nothing stale after them.
    let hash_len = std::fs::metadata(dir.join("hash.000000.bin"))
        .unwrap()
        .len();
    assert_eq!(hash_len, size * 40);
    let disk = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(disk.root(At::Current).unwrap(), expect);
    for p in 0..size {
        assert_eq!(
            disk.node(At::Current, p),
            mem.node(At::Current, p),
            "position {p}"
        );
    }
    disk.verify().unwrap();
    assert_eq!(observe(&mem), observe(&disk));
}

fn build(dir: &Path) {
    let mut disk = PersistentDb::create(dir, profile(), Config { retain: 4 }).unwrap();
    for k in 0..40 {
        step(&mut disk, k);
    }
    // make sure every file is non-empty
    disk.spend(1, b"z").ok();
    disk.commit().unwrap();
    let h = disk.height();
    disk.compact(h).unwrap();
    disk.append(b"after", 3).unwrap();
    disk.commit().unwrap();
}

fn expect_corrupt(dir: &Path, file: &str) -> (String, u64) {
    match PersistentDb::open(dir, profile()) {
        Err(StorageError::Corrupt {
            file: f,
            offset,
            what,
        }) => {
            assert!(
                f == file || f == "MANIFEST",
                "expected {file}, got {f}: {what}"
            );
            (f, offset)
        }
        Err(e) => panic!("expected corruption of {file}, got {e}"),
        Ok(_) => panic!("corruption of {file} went unnoticed"),
    }
}

#[test]
fn corruption_of_each_file_is_detected_with_file_and_offset() {
    let files = [
        "hash.000001.bin",
        "leafset.bin",
        "prunelist.bin",
        "blocks.log",
        "data.000001.bin",
        "dataidx.000001.bin",
        "MANIFEST",
    ];
    for (fi, file) in files.iter().enumerate() {
        for kind in ["truncate", "extend", "flip", "delete"] {
            let dir = tmp(&format!("corrupt-{fi}-{kind}"));
            build(&dir);
            let path = dir.join(file);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!bytes.is_empty(), "{file} empty");
            let flip_at = bytes.len() as u64 / 2;
            match kind {
                "truncate" => std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap(),
                "extend" => {
                    let mut b = bytes.clone();
                    b.extend_from_slice(&[0u8; 40]);
                    std::fs::write(&path, b).unwrap();
                }
                "flip" => {
                    let mut b = bytes.clone();
                    b[flip_at as usize] ^= 0x10;
                    std::fs::write(&path, b).unwrap();
                }
                _ => std::fs::remove_file(&path).unwrap(),
            }
            let (f, offset) = expect_corrupt(&dir, file);
            if f == *file && *file != "MANIFEST" {
                match kind {
                    "truncate" => assert_eq!(offset, bytes.len() as u64 - 1, "{file} {kind}"),
                    "extend" => assert_eq!(offset, bytes.len() as u64, "{file} {kind}"),
                    "flip" => assert!(
                        offset <= flip_at && flip_at < offset + mmr_storage::CHUNK,
                        "{file} {kind}: {offset}"
                    ),
                    _ => assert_eq!(offset, 0),
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

#[test]
fn a_second_handle_is_refused() {
    let dir = tmp("lock");
    let _a = PersistentDb::create(&dir, profile(), Config::default()).unwrap();
    assert!(matches!(
        PersistentDb::open(&dir, profile()),
        Err(StorageError::Locked)
    ));
}

#[test]
fn compaction_shrinks_the_hash_file_and_reports_disk_use() {
    let dir = tmp("compact");
    let mut disk = PersistentDb::create(&dir, profile(), Config { retain: 2 }).unwrap();
    let mut mem = Optimized::with_profile(profile(), Config { retain: 2 });
    for db in [&mut mem as &mut dyn ProofDb, &mut disk] {
        for i in 0..1000u32 {
            db.append(&i.to_le_bytes(), 1).unwrap();
        }
        db.commit().unwrap();
        for i in 0..1000u64 {
            if i % 10 != 0 {
                db.spend(i, b"gone").unwrap();
            }
        }
        db.commit().unwrap();
    }
    mem.compact(2).unwrap();
    let out = disk.compact(2).unwrap();
    assert!(out.durable);
    assert!(out.after.hash < out.before.hash / 2, "{out:?}");
    assert_eq!(disk.generation(), 1);
    assert_eq!(observe(&mem), observe(&disk));
    drop(disk);
    let disk = PersistentDb::open(&dir, profile()).unwrap();
    assert_eq!(observe(&mem), observe(&disk));
    disk.verify().unwrap();
    assert!(!dir.join("hash.000000.bin").exists());
}

#[test]
fn storage_failures_through_the_shared_trait_have_kind_storage() {
    use mmr_spec::ErrorKind;
    use mmr_storage::{Fault, FaultKind};
    let dir = tmp("trait-error");
    drop(PersistentDb::create(&dir, profile(), Config { retain: 2 }).unwrap());
    // Every write call fails: the commit's first write names its file.
    let fault = Some(Fault {
        at: 0,
        kind: FaultKind::Error,
    });
    let mut db = PersistentDb::open_with(&dir, profile(), fault).unwrap();
    let trait_db: &mut dyn ProofDb = &mut db;
    trait_db.append(b"x", 1).unwrap();
    let e = trait_db.commit().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage, "{e}");
    let mmr_spec::Error::Storage { file, .. } = &e else {
        unreachable!()
    };
    assert!(!file.is_empty(), "{e}");
    // The handle is poisoned now; the trait says so with the same kind.
    let e = trait_db.append(b"y", 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage);
    assert!(e.to_string().contains("reopen"), "{e}");
    // A database refusal stays the database's own error.
    drop(db);
    let mut db = PersistentDb::open(&dir, profile()).unwrap();
    let trait_db: &mut dyn ProofDb = &mut db;
    assert_eq!(
        trait_db.rewind(5).unwrap_err().kind(),
        ErrorKind::FutureHeight
    );
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_profile_without_an_empty_root_reopens_empty_and_after_rewinding_to_genesis() {
    // ckb defines no empty root (D11): the manifest records "no root" for the empty state.
    let ckb: P = profiles::by_name("ckb").unwrap();
    let dir = tmp("ckb-empty");
    let config = Config { retain: 4 };
    let mut mem = Optimized::with_profile(ckb, config);
    drop(PersistentDb::create(&dir, ckb, config).unwrap());
    let mut disk = PersistentDb::open(&dir, ckb).unwrap();
    assert_eq!(observe(&mem), observe(&disk));
    assert_eq!(
        disk.root(At::Current).unwrap_err().kind(),
        mmr_spec::ErrorKind::EmptyRoot
    );
    for db in [&mut mem as &mut dyn ProofDb, &mut disk] {
        db.append(b"a", 3).unwrap();
        db.commit().unwrap();
        db.append(b"b", 4).unwrap();
        db.commit().unwrap();
    }
    drop(disk);
    let mut disk = PersistentDb::open(&dir, ckb).unwrap();
    assert_eq!(observe(&mem), observe(&disk));
    mem.rewind(0).unwrap();
    disk.rewind(0).unwrap();
    drop(disk);
    let disk = PersistentDb::open(&dir, ckb).unwrap();
    assert_eq!(observe(&mem), observe(&disk));
    disk.verify().unwrap();
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn older_manifest_versions_are_refused_by_name() {
    for (magic, version) in [
        (b"MMRMANI1", "version 1"),
        (b"MMRMANI2", "version 2"),
        (b"MMRMANI3", "version 3"),
    ] {
        let dir = tmp("manifest-old");
        drop(PersistentDb::create(&dir, profile(), Config { retain: 2 }).unwrap());
        let path = dir.join("MANIFEST");
        let mut b = std::fs::read(&path).unwrap();
        assert_eq!(&b[..8], b"MMRMANI4");
        b[..8].copy_from_slice(magic);
        std::fs::write(&path, b).unwrap();
        match PersistentDb::open(&dir, profile()) {
            Err(StorageError::Corrupt { file, offset, what }) => {
                assert_eq!((file.as_str(), offset), ("MANIFEST", 0));
                assert!(what.contains(version), "{what}");
            }
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("opened a {version} manifest"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
