//! A hostile store (issue 18): files edited on purpose, with every checksum recomputed, so
//! that only the semantic checks can catch them. Each case must be refused as corruption
//! naming the damaged file; none may touch a file outside the store, panic or abort.
//!
//! The crafting helpers below read the manifest and journal formats of STORAGE.md
//! (sections 2 and 3) independently of the crate's own code.

mod common;

use common::tmp;
use mmr_spec::{At, Config, ProofDb, profiles};
use mmr_storage::{CHUNK, MmrSpec, MultiDb, PersistentDb, StorageError};
use std::path::{Path, PathBuf};

type P = &'static dyn mmr_spec::Profile;

fn profile() -> P {
    profiles::by_name("default").unwrap()
}

// ----- a test-side reader of the manifest, with the offset of every field -----

struct FileAt {
    name: String,
    len_at: usize,
    crcs_at: usize,
    crcs: usize,
}

struct SectionAt {
    name_at: usize,
    height_at: usize,
    oldest_at: usize,
    horizon_at: usize,
    horizon_leaves_at: usize,
    size_at: usize,
    leaves_at: usize,
    gen_at: usize,
    blocks_start_at: usize,
    files: Vec<FileAt>,
}

struct Man {
    b: Vec<u8>,
    seq_at: usize,
    sections: Vec<SectionAt>,
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

impl Man {
    fn read(dir: &Path) -> Man {
        Man::parse(std::fs::read(dir.join("MANIFEST")).unwrap())
    }

    fn parse(b: Vec<u8>) -> Man {
        assert_eq!(&b[..7], b"MMRMANI", "not a manifest");
        let mut at = 8;
        let seq_at = at;
        at += 8;
        at += 8 + u64_at(&b, at) as usize; // profile
        at += 8; // retain
        let n = u32_at(&b, at);
        at += 4;
        let mut sections = Vec::new();
        for _ in 0..n {
            let name_at = at;
            at += 8 + u64_at(&b, at) as usize;
            at += 1; // keyed
            let height_at = at;
            at += 32;
            at += if b[at] == 1 { 41 } else { 1 }; // root?
            let size_at = at;
            at += 32;
            let k = u32_at(&b, at);
            at += 4;
            let mut files = Vec::new();
            for _ in 0..k {
                let l = u64_at(&b, at) as usize;
                let name = String::from_utf8(b[at + 8..at + 8 + l].to_vec()).unwrap();
                at += 8 + l;
                let len_at = at;
                at += 8;
                let c = u32_at(&b, at) as usize;
                at += 4;
                files.push(FileAt {
                    name,
                    len_at,
                    crcs_at: at,
                    crcs: c,
                });
                at += 4 * c;
            }
            sections.push(SectionAt {
                name_at,
                height_at,
                oldest_at: height_at + 8,
                horizon_at: height_at + 16,
                horizon_leaves_at: height_at + 24,
                size_at,
                leaves_at: size_at + 8,
                gen_at: size_at + 16,
                blocks_start_at: size_at + 24,
                files,
            });
        }
        assert_eq!(at + 4, b.len(), "manifest parse");
        Man {
            b,
            seq_at,
            sections,
        }
    }

    fn get(&self, at: usize) -> u64 {
        u64_at(&self.b, at)
    }

    fn set(&mut self, at: usize, v: u64) {
        self.b[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }

    fn file(&self, name: &str) -> &FileAt {
        self.sections[0]
            .files
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no {name} in the manifest"))
    }

    /// Recomputes the chunk checksums of `name` from the file as it now is (same chunk
    /// count), as an attacker would.
    fn reseal_file(&mut self, dir: &Path, name: &str) {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let (len_at, crcs_at, crcs) = {
            let f = self.file(name);
            (f.len_at, f.crcs_at, f.crcs)
        };
        assert_eq!(
            bytes.len().div_ceil(CHUNK as usize),
            crcs,
            "{name} chunk count"
        );
        self.set(len_at, bytes.len() as u64);
        for (i, c) in bytes.chunks(CHUNK as usize).enumerate() {
            let at = crcs_at + 4 * i;
            self.b[at..at + 4].copy_from_slice(&crc32fast::hash(c).to_le_bytes());
        }
    }

    /// Writes the manifest back with its own checksum recomputed.
    fn write(&mut self, dir: &Path) {
        let n = self.b.len() - 4;
        let c = crc32fast::hash(&self.b[..n]);
        self.b[n..].copy_from_slice(&c.to_le_bytes());
        std::fs::write(dir.join("MANIFEST"), &self.b).unwrap();
        repoint_log(dir, &self.b);
    }
}

/// An editor who recomputes every CRC also points the log at the edited manifest (its
/// fingerprint: the first 8 bytes of the manifest's BLAKE3 hash, STORAGE.md section 3), or
/// the store refuses the manifest as "not the one its log follows": the header, and each
/// record of the manifest's log, resealed with the chain of CRCs that links them.
fn repoint_log(dir: &Path, manifest: &[u8]) {
    let path = dir.join("wal.bin");
    let Ok(mut w) = std::fs::read(&path) else {
        return;
    };
    if w.len() < 28 || &w[..8] != b"MMRWAL02" {
        return;
    }
    let seq = &manifest[8..16];
    let h = blake3::hash(manifest);
    let fp = &h.as_bytes()[..8];
    if &w[8..16] == seq {
        w[16..24].copy_from_slice(fp);
        let c = crc32fast::hash(&w[..24]);
        w[24..28].copy_from_slice(&c.to_le_bytes());
    }
    // Records: len, base, fingerprint, synced, prev, ..., crc over all before it.
    let (mut at, mut prev) = (28usize, 0u32);
    while at + 8 <= w.len() {
        let len = u64_at(&w, at) as usize;
        if len < 40 || at + 8 + len > w.len() || &w[at + 8..at + 16] != seq {
            break;
        }
        let end = at + 8 + len;
        if crc32fast::hash(&w[at..end - 4]) != u32_at(&w, end - 4) {
            break;
        }
        w[at + 16..at + 24].copy_from_slice(fp);
        w[at + 32..at + 36].copy_from_slice(&prev.to_le_bytes());
        prev = crc32fast::hash(&w[at..end - 4]);
        w[end - 4..end].copy_from_slice(&prev.to_le_bytes());
        at = end;
    }
    std::fs::write(&path, &w).unwrap();
}

// ----- a test-side journal writer (STORAGE.md section 3, step 3) -----

struct Entry<'a> {
    name: &'a str,
    old_len: u64,
    new_len: u64,
    ranges: Vec<(u64, Vec<u8>)>,
}

/// The undo journal of checkpoint `seq + 1` back to the manifest of `seq`.
fn write_journal(dir: &Path, seq: u64, entries: &[Entry]) {
    let mut w = Vec::new();
    w.extend_from_slice(b"MMRJRNL2");
    w.extend_from_slice(&(seq + 1).to_le_bytes());
    w.extend_from_slice(&seq.to_le_bytes());
    w.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for e in entries {
        w.extend_from_slice(&(e.name.len() as u64).to_le_bytes());
        w.extend_from_slice(e.name.as_bytes());
        w.extend_from_slice(&e.old_len.to_le_bytes());
        w.extend_from_slice(&e.new_len.to_le_bytes());
        w.extend_from_slice(&(e.ranges.len() as u32).to_le_bytes());
        for (off, b) in &e.ranges {
            w.extend_from_slice(&off.to_le_bytes());
            w.extend_from_slice(&(b.len() as u64).to_le_bytes());
            w.extend_from_slice(b);
        }
    }
    let c = crc32fast::hash(&w);
    w.extend_from_slice(&c.to_le_bytes());
    let _ = std::fs::remove_file(dir.join("journal.bin"));
    std::fs::write(dir.join("journal.bin"), w).unwrap();
}

/// Offset of the first entry's name in a journal written by `write_journal`.
const FIRST_ENTRY: u64 = 28;

// ----- the store under attack -----

/// A compacted store (horizon > 0, a non-empty prune list, generation 1) whose unspent
/// leaves all have non-zero values and whose files are all non-empty.
fn build(dir: &Path) {
    let mut db = PersistentDb::create(dir, profile(), Config { retain: 3 }).unwrap();
    for b in 0..6u64 {
        for j in 0..20u64 {
            db.append(&[b as u8, j as u8, 0xaa], 1 + j).unwrap();
        }
        db.commit().unwrap();
    }
    for i in (0..40).filter(|i| i % 3 != 0) {
        db.spend(i, b"spent").unwrap();
    }
    db.commit().unwrap();
    db.update(41, b"updated", 99).unwrap();
    db.commit().unwrap();
    for j in 0..4u64 {
        db.append(&[9, j as u8], 5).unwrap();
        db.commit().unwrap();
    }
    let h = db.height();
    let out = db.compact(h - 3).unwrap();
    assert!(out.durable && out.report.dropped > 0, "{out:?}");
    db.append(b"after", 3).unwrap();
    db.commit().unwrap();
    assert!(db.horizon() > 0);
    // Everything in the files, the log empty (its own cases are below).
    assert!(db.checkpoint().unwrap());
}

fn victim(name: &str) -> (PathBuf, PathBuf) {
    let v = tmp(&format!("victim-{name}"));
    let f = v.join("file");
    std::fs::write(&f, b"precious bytes of someone else").unwrap();
    (v, f)
}

fn assert_untouched(v: &Path, f: &Path) {
    assert_eq!(
        std::fs::read(f).unwrap(),
        b"precious bytes of someone else",
        "the file outside the store was changed"
    );
    let entries: Vec<_> = std::fs::read_dir(v).unwrap().flatten().collect();
    assert_eq!(entries.len(), 1, "a file was created outside the store");
}

/// Opening fails with `Corrupt` naming `file`; returns (offset, what).
fn expect_corrupt(dir: &Path, file: &str) -> (u64, String) {
    match PersistentDb::open(dir, profile()) {
        Err(StorageError::Corrupt {
            file: f,
            offset,
            what,
        }) => {
            assert_eq!(f, file, "wrong file blamed: {what} (offset {offset})");
            (offset, what)
        }
        Err(e) => panic!("expected corruption of {file}, got {e}"),
        Ok(_) => panic!("the crafted {file} was accepted"),
    }
}

fn hash_file(dir: &Path) -> String {
    Man::read(dir).sections[0].files[0].name.clone()
}

// ----- escapes -----

#[test]
fn a_journal_naming_a_file_outside_the_store_or_the_manifest_is_refused() {
    let (v, f) = victim("journal");
    let abs = f.to_str().unwrap().to_string();
    let rel = format!("../{}/file", v.file_name().unwrap().to_str().unwrap());
    for (i, name) in [
        rel.as_str(),
        abs.as_str(),
        "MANIFEST",
        "LOCK",
        "./leafset.bin",
    ]
    .into_iter()
    .enumerate()
    {
        let dir = tmp(&format!("hostile-journal-{i}"));
        build(&dir);
        let seq = Man::read(&dir).get(8);
        let manifest = std::fs::read(dir.join("MANIFEST")).unwrap();
        write_journal(
            &dir,
            seq,
            &[Entry {
                name,
                old_len: 4,
                new_len: 40,
                ranges: vec![(0, b"XXXX".to_vec())],
            }],
        );
        let (offset, what) = expect_corrupt(&dir, "journal.bin");
        assert_eq!(offset, FIRST_ENTRY, "{name}: {what}");
        assert!(what.contains("not a file of this store"), "{name}: {what}");
        assert_untouched(&v, &f);
        assert_eq!(std::fs::read(dir.join("MANIFEST")).unwrap(), manifest);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&v);
}

#[test]
fn a_journal_that_would_not_restore_the_committed_bytes_is_refused_before_writing() {
    let dir = tmp("hostile-journal-bytes");
    build(&dir);
    let m = Man::read(&dir);
    let seq = m.get(m.seq_at);
    let before = std::fs::read(dir.join("leafset.bin")).unwrap();
    let len = before.len() as u64;
    // Right name and committed length, but bytes that are not the committed ones.
    write_journal(
        &dir,
        seq,
        &[Entry {
            name: "leafset.bin",
            old_len: len,
            new_len: len,
            ranges: vec![(8, vec![0u8; 2])],
        }],
    );
    let (_, what) = expect_corrupt(&dir, "journal.bin");
    assert!(what.contains("leafset.bin"), "{what}");
    assert_eq!(std::fs::read(dir.join("leafset.bin")).unwrap(), before);
    // A journal whose committed length is not the manifest's, or whose range lies beyond
    // it, or that names a file twice.
    for (k, entries) in [
        vec![Entry {
            name: "leafset.bin",
            old_len: len + 1_000_000,
            new_len: len,
            ranges: vec![],
        }],
        vec![Entry {
            name: "leafset.bin",
            old_len: len,
            new_len: len,
            ranges: vec![(u64::MAX - 1, vec![1, 2, 3])],
        }],
        vec![
            Entry {
                name: "blocks.log",
                old_len: std::fs::metadata(dir.join("blocks.log")).unwrap().len(),
                new_len: 0,
                ranges: vec![],
            },
            Entry {
                name: "blocks.log",
                old_len: std::fs::metadata(dir.join("blocks.log")).unwrap().len(),
                new_len: 0,
                ranges: vec![],
            },
        ],
    ]
    .into_iter()
    .enumerate()
    {
        write_journal(&dir, seq, &entries);
        let (_, what) = expect_corrupt(&dir, "journal.bin");
        assert!(!what.is_empty(), "case {k}");
        assert_eq!(std::fs::read(dir.join("leafset.bin")).unwrap(), before);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_manifest_naming_an_mmr_with_a_path_is_refused() {
    let (v, f) = victim("mmr-name");
    let dir = tmp("hostile-mmr-name");
    build(&dir);
    let m = Man::read(&dir);
    // Rename the MMR "" to "../victim-...": its files would be outside the store.
    let evil = format!("../{}/", v.file_name().unwrap().to_str().unwrap());
    let at = m.sections[0].name_at;
    let old = u64_at(&m.b, at) as usize;
    let mut b = m.b[..at].to_vec();
    b.extend_from_slice(&(evil.len() as u64).to_le_bytes());
    b.extend_from_slice(evil.as_bytes());
    b.extend_from_slice(&m.b[at + 8 + old..]);
    let mut m = Man { b, ..m };
    m.write(&dir);
    let (offset, what) = expect_corrupt(&dir, "MANIFEST");
    assert_eq!(offset, at as u64, "{what}");
    assert_untouched(&v, &f);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&v);
}

#[test]
fn symbolic_and_hard_links_out_of_the_store_are_not_followed() {
    let (v, f) = victim("links");
    for (i, name) in ["journal.bin", "leafset.bin", "MANIFEST.tmp", "LOCK"]
        .into_iter()
        .enumerate()
    {
        for hard in [false, true] {
            let dir = tmp(&format!("hostile-link-{i}-{hard}"));
            build(&dir);
            let path = dir.join(name);
            let _ = std::fs::remove_file(&path);
            if hard {
                std::fs::hard_link(&f, &path).unwrap();
            } else {
                std::os::unix::fs::symlink(&f, &path).unwrap();
            }
            // Opening refuses the link (or, for a leftover MANIFEST.tmp, removes the
            // link itself); a commit never writes through it.
            match PersistentDb::open(&dir, profile()) {
                Err(StorageError::Corrupt { file, what, .. }) => {
                    assert_eq!(file, name, "{what}")
                }
                Err(e) => panic!("{name} (hard {hard}): {e}"),
                Ok(mut db) => {
                    assert_eq!(name, "MANIFEST.tmp", "a linked {name} was accepted");
                    db.append(b"x", 1).unwrap();
                    db.commit().unwrap();
                }
            }
            assert_untouched(&v, &f);
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let _ = std::fs::remove_dir_all(&v);
}

// ----- huge sizes -----

#[test]
fn huge_sizes_and_counts_in_the_manifest_are_corruption_not_an_abort() {
    let dir = tmp("hostile-huge-base");
    build(&dir);
    let m = Man::read(&dir);
    let s = &m.sections[0];
    let fields = [
        ("size", s.size_at),
        ("leaves", s.leaves_at),
        ("horizon_leaves", s.horizon_leaves_at),
        ("height", s.height_at),
        ("oldest", s.oldest_at),
        ("blocks_start", s.blocks_start_at),
        ("generation", s.gen_at),
        ("hash length", s.files[0].len_at),
        ("leaf-set length", s.files[1].len_at),
        ("prune-list length", s.files[2].len_at),
        ("data-index length", s.files[5].len_at),
    ];
    for (k, (field, at)) in fields.into_iter().enumerate() {
        for v in [1u64 << 40, 1 << 62, u64::MAX] {
            let d = tmp(&format!("hostile-huge-{k}"));
            common::copy_dir(&dir, &d);
            let mut m = Man::read(&d);
            m.set(at, v);
            m.write(&d);
            let (_, what) = expect_corrupt(&d, "MANIFEST");
            assert!(!what.is_empty(), "{field} = {v}");
            let _ = std::fs::remove_dir_all(&d);
        }
    }
    // Counts: the section count and a checksum count.
    for (k, at) in [m.seq_at + 8 + 8 + 7 + 8, s.files[0].len_at + 8]
        .into_iter()
        .enumerate()
    {
        let d = tmp(&format!("hostile-count-{k}"));
        common::copy_dir(&dir, &d);
        let mut m = Man::read(&d);
        m.b[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        m.write(&d);
        expect_corrupt(&d, "MANIFEST");
        let _ = std::fs::remove_dir_all(&d);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ----- semantic checks -----

#[test]
fn a_resealed_leaf_data_record_is_caught_when_read_and_by_verify() {
    let dir = tmp("hostile-data");
    build(&dir);
    let db = PersistentDb::open(&dir, profile()).unwrap();
    // The last leaf ("after", appended, never changed) and an unspent leaf of the first
    // blocks kept by compaction.
    let last = db.leaf_count() - 1;
    assert_eq!(db.leaf_data(last).unwrap(), b"after");
    let kept = (0..db.leaf_count())
        .find(|&i| i >= 42 && db.leaf_data(i).is_ok())
        .unwrap();
    let good = db.leaf_data(kept).unwrap();
    drop(db);
    let m = Man::read(&dir);
    let data = m.sections[0].files[4].name.clone();
    let path = dir.join(&data);
    let original = std::fs::read(&path).unwrap();
    for (i, want) in [(last, b"after".to_vec()), (kept, good)] {
        let mut b = original.clone();
        let at = b
            .windows(want.len())
            .rposition(|w| w == want.as_slice())
            .unwrap();
        b[at] ^= 0x01;
        std::fs::write(&path, &b).unwrap();
        let mut m = Man::read(&dir);
        m.reseal_file(&dir, &data);
        m.write(&dir);
        let db = PersistentDb::open(&dir, profile()).unwrap();
        match db.leaf_data(i) {
            Err(StorageError::Corrupt { file, offset, what }) => {
                assert_eq!(file, data, "{what}");
                assert_eq!(offset, at as u64, "{what}");
            }
            r => panic!("leaf {i}: the resealed record was returned: {r:?}"),
        }
        match db.verify() {
            Err(StorageError::Corrupt { file, .. }) => assert_eq!(file, data),
            r => panic!("verify missed the resealed record: {r:?}"),
        }
        drop(db);
        std::fs::write(&path, &original).unwrap();
        let mut m = Man::read(&dir);
        m.reseal_file(&dir, &data);
        m.write(&dir);
    }
    let db = PersistentDb::open(&dir, profile()).unwrap();
    db.verify().unwrap();
    // An updated leaf's record is what was appended, and is still returned.
    assert_eq!(db.leaf_data(41).unwrap(), [2u8, 1, 0xaa]);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_resealed_leaf_set_spending_an_unspent_leaf_is_refused() {
    let dir = tmp("hostile-leafset");
    build(&dir);
    let db = PersistentDb::open(&dir, profile()).unwrap();
    let leaf = 45u64;
    assert!(db.is_unspent(At::Current, leaf).unwrap());
    drop(db);
    let path = dir.join("leafset.bin");
    let mut b = std::fs::read(&path).unwrap();
    let byte = 8 + (leaf / 8) as usize;
    b[byte] &= !(0x80 >> (leaf % 8));
    std::fs::write(&path, &b).unwrap();
    let mut m = Man::read(&dir);
    m.reseal_file(&dir, "leafset.bin");
    m.write(&dir);
    let (offset, what) = expect_corrupt(&dir, "leafset.bin");
    assert_eq!(offset, byte as u64, "{what}");
    assert!(what.contains(&format!("leaf {leaf}")), "{what}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn manifest_fields_inconsistent_with_the_blocks_log_and_prune_list_are_refused() {
    let base = tmp("hostile-fields-base");
    build(&base);
    let m = Man::read(&base);
    let s = &m.sections[0];
    let height = m.get(s.height_at);
    let cases = [
        ("horizon 0", s.horizon_at, 0),
        ("seq u64::MAX", m.seq_at, u64::MAX),
        ("seq below height", m.seq_at, height - 1),
        ("generation above seq", s.gen_at, m.get(m.seq_at) + 1),
        ("horizon_leaves 0", s.horizon_leaves_at, 0),
    ];
    for (k, (case, at, v)) in cases.into_iter().enumerate() {
        let d = tmp(&format!("hostile-fields-{k}"));
        common::copy_dir(&base, &d);
        let mut m = Man::read(&d);
        assert_ne!(m.get(at), v, "{case}: already so");
        m.set(at, v);
        m.write(&d);
        let (offset, what) = expect_corrupt(&d, "MANIFEST");
        assert_eq!(offset, at as u64, "{case}: {what}");
        let _ = std::fs::remove_dir_all(&d);
    }
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn an_older_manifest_put_back_says_it_is_older() {
    for back in [1u64, 3] {
        for drop_journal in [false, true] {
            let dir = tmp(&format!("hostile-older-{back}-{drop_journal}"));
            build(&dir);
            let old = std::fs::read(dir.join("MANIFEST")).unwrap();
            {
                let mut db = PersistentDb::open(&dir, profile()).unwrap();
                for j in 0..back {
                    db.append(&[0xbb, j as u8], 7).unwrap();
                    db.commit().unwrap();
                    db.checkpoint().unwrap();
                }
            }
            std::fs::write(dir.join("MANIFEST"), &old).unwrap();
            if drop_journal {
                std::fs::remove_file(dir.join("journal.bin")).unwrap();
            }
            let (offset, what) = expect_corrupt(&dir, "MANIFEST");
            assert!(what.contains("older"), "{back} back: {what}");
            assert_eq!(offset, 8, "{what}");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

#[test]
fn a_crafted_store_still_opens_normally_when_untouched() {
    // The crafting helpers themselves: resealing unchanged files changes nothing.
    let dir = tmp("hostile-untouched");
    build(&dir);
    let mut m = Man::read(&dir);
    let before = m.b.clone();
    for f in ["leafset.bin", "blocks.log"] {
        m.reseal_file(&dir, f);
    }
    let name = hash_file(&dir);
    m.reseal_file(&dir, &name);
    m.write(&dir);
    assert_eq!(m.b, before);
    let db = PersistentDb::open(&dir, profile()).unwrap();
    db.verify().unwrap();
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_link_to_a_faithful_copy_outside_the_store_is_refused_and_never_written() {
    // A symbolic or hard link whose target holds exactly the committed bytes passes every
    // checksum: only refusing the link keeps a commit from writing outside the store.
    for hard in [false, true] {
        let dir = tmp(&format!("hostile-copy-{hard}"));
        build(&dir);
        let out = tmp(&format!("victim-copy-{hard}"));
        let copy = out.join("leafset.bin");
        std::fs::rename(dir.join("leafset.bin"), &copy).unwrap();
        let before = std::fs::read(&copy).unwrap();
        if hard {
            std::fs::hard_link(&copy, dir.join("leafset.bin")).unwrap();
        } else {
            std::os::unix::fs::symlink(&copy, dir.join("leafset.bin")).unwrap();
        }
        match PersistentDb::open(&dir, profile()) {
            Err(StorageError::Corrupt { file, what, .. }) => {
                assert_eq!(file, "leafset.bin", "{what}");
                assert!(what.contains("link"), "{what}");
            }
            Err(e) => panic!("{e}"),
            Ok(mut db) => {
                db.append(b"x", 1).unwrap();
                db.commit().unwrap();
                panic!("a linked leaf set was accepted (hard {hard})");
            }
        }
        assert_eq!(std::fs::read(&copy).unwrap(), before);
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// Issue 31: `verify()` checks the key table against the leaf data whatever the log holds
/// (it skipped the check while the log held records, 127 commits of 128). Two committed
/// entries swapped, the table's checksums, the manifest and the log resealed: the store
/// opens, and `verify()` names the key table.
#[test]
fn a_swapped_key_table_entry_is_caught_by_verify_with_records_in_the_log() {
    let dir = tmp("hostile-keys");
    let mut db = MultiDb::create(
        &dir,
        profile(),
        Config { retain: 3 },
        &[MmrSpec::keyed("outputs")],
    )
    .unwrap();
    let key = |b: u8, j: u8| {
        let mut k = [0u8; 32];
        k[0] = b;
        k[1] = j;
        k[31] = 0x5a;
        k
    };
    for b in 0..5u8 {
        for j in 0..6u8 {
            db.append_keyed("outputs", &key(b, j), &[b, j], 1).unwrap();
        }
        db.commit().unwrap();
        if b == 2 {
            assert!(db.checkpoint().unwrap());
        }
    }
    db.verify().unwrap();
    drop(db);
    let name = "outputs.keys.bin";
    let path = dir.join(name);
    let mut t = std::fs::read(&path).unwrap();
    // Two live slots (leaf + 1, after the 64-byte header) in different clusters (runs of
    // used slots): a swap inside one cluster can leave every probe finding its key.
    let slots: Vec<u64> = (64..t.len()).step_by(8).map(|at| u64_at(&t, at)).collect();
    let n = slots.len();
    let live = |i: usize| !matches!(slots[i % n], 0 | u64::MAX);
    let first = (0..n).find(|&i| live(i)).unwrap();
    let gap = (first..first + n).find(|&i| slots[i % n] == 0).unwrap();
    let second = (gap..first + n).find(|&i| live(i)).unwrap() % n;
    assert!(
        (second..first + n).any(|i| slots[i % n] == 0),
        "one cluster"
    );
    let (a, b) = (64 + 8 * first, 64 + 8 * second);
    let (va, vb) = (t[a..a + 8].to_vec(), t[b..b + 8].to_vec());
    t[a..a + 8].copy_from_slice(&vb);
    t[b..b + 8].copy_from_slice(&va);
    std::fs::write(&path, &t).unwrap();
    let mut m = Man::read(&dir);
    m.reseal_file(&dir, name);
    m.write(&dir);
    let db = MultiDb::open(&dir, profile()).unwrap();
    assert_eq!(db.height(), 5);
    match db.verify() {
        Err(StorageError::Corrupt { file, what, .. }) => assert_eq!(file, name, "{what}"),
        r => panic!("verify missed the swapped key-table entries: {r:?}"),
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 31: the "dropped" bit of a kept leaf's leaf-data index entry set (the file, the
/// manifest and the log resealed) made `leaf_data` answer `pruned` for a leaf the store
/// still proves, and `verify()` passed. A dropped record belongs to a leaf that compaction
/// dropped: spent, below the horizon; and every leaf whose node is dropped has its record
/// dropped.
#[test]
fn a_dropped_bit_on_a_kept_leaf_is_caught_by_verify() {
    let dir = tmp("hostile-dropped");
    build(&dir);
    // Two more commits: the log holds records.
    let mut db = PersistentDb::open(&dir, profile()).unwrap();
    for j in 0..2u8 {
        db.append(&[7, j], 2).unwrap();
        db.commit().unwrap();
    }
    let kept = (0..db.leaf_count())
        .find(|&i| db.leaf_data(i).is_ok() && db.prove(At::Current, i).is_ok())
        .unwrap();
    drop(db);
    let m = Man::read(&dir);
    let idx = m.sections[0].files[5].name.clone();
    let path = dir.join(&idx);
    let mut b = std::fs::read(&path).unwrap();
    let at = 8 * kept as usize;
    b[at + 7] |= 0x80;
    std::fs::write(&path, &b).unwrap();
    let mut m = Man::read(&dir);
    m.reseal_file(&dir, &idx);
    m.write(&dir);
    let db = PersistentDb::open(&dir, profile()).unwrap();
    assert!(db.replayed() > 0);
    assert!(db.prove(At::Current, kept).is_ok());
    match db.verify() {
        Err(StorageError::Corrupt { file, offset, what }) => {
            assert_eq!(file, idx, "{what}");
            assert_eq!(offset, at as u64, "{what}");
        }
        r => panic!("verify missed the dropped bit of kept leaf {kept}: {r:?}"),
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
