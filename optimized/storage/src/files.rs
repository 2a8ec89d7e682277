//! Committed files with per-chunk checksums, the undo journal, and the manifest
//! (STORAGE.md sections 2-4).
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::io::{Io, join};
use mmr_spec::{Hash, Node};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Checksum granularity: every file's committed bytes are covered by one CRC-32 per 64 KiB.
pub const CHUNK: u64 = 64 * 1024;

/// A file whose committed length and chunk checksums the manifest records.
#[derive(Debug)]
pub(crate) struct JFile {
    pub name: String,
    pub file: File,
    /// Committed length in bytes.
    pub len: u64,
    /// CRC-32 of each `CHUNK` of the committed bytes (the last one may be short).
    pub crcs: Vec<u32>,
}

/// A planned change of one file: byte ranges to write and the file's new length. Writes lie
/// below `new_len`.
#[derive(Debug, Default)]
pub(crate) struct Change {
    pub writes: Vec<(u64, Vec<u8>)>,
    pub new_len: u64,
}

pub(crate) fn open_rw(dir: &Path, name: &str, create: bool) -> Result<File, StorageError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .open(join(dir, name))
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                StorageError::corrupt(name, 0, "file is missing")
            } else {
                StorageError::io(name, 0, &e)
            }
        })
}

pub(crate) fn read_at(
    file: &File,
    name: &str,
    offset: u64,
    len: u64,
) -> Result<Vec<u8>, StorageError> {
    let mut buf = vec![0u8; len as usize];
    file.read_exact_at(&mut buf, offset).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            StorageError::corrupt(name, offset, "file ends early")
        } else {
            StorageError::io(name, offset, &e)
        }
    })?;
    Ok(buf)
}

impl JFile {
    /// An empty new file (created or truncated to nothing).
    pub fn create(dir: &Path, name: &str, io: &mut Io) -> Result<JFile, StorageError> {
        let file = open_rw(dir, name, true)?;
        io.set_len(&file, name, 0)?;
        Ok(JFile {
            name: name.to_string(),
            file,
            len: 0,
            crcs: Vec::new(),
        })
    }

    /// Opens a committed file, checking that its length is exactly the committed one (an
    /// explained tail was already cut by journal recovery) and, if `check`, every chunk's
    /// checksum: O(file size), once per open.
    pub fn open(
        dir: &Path,
        name: &str,
        len: u64,
        crcs: Vec<u32>,
        check: bool,
    ) -> Result<JFile, StorageError> {
        let file = open_rw(dir, name, false)?;
        let actual = file
            .metadata()
            .map_err(|e| StorageError::io(name, 0, &e))?
            .len();
        if actual > len {
            return Err(StorageError::corrupt(
                name,
                len,
                format!(
                    "file is extended: {} byte(s) beyond the committed length {len}",
                    actual - len
                ),
            ));
        }
        if actual < len {
            return Err(StorageError::corrupt(
                name,
                actual,
                format!("file is truncated: {actual} byte(s), committed length {len}"),
            ));
        }
        if crcs.len() as u64 != len.div_ceil(CHUNK) {
            return Err(StorageError::corrupt(
                "MANIFEST",
                0,
                format!("wrong checksum count for {name}"),
            ));
        }
        let jf = JFile {
            name: name.to_string(),
            file,
            len,
            crcs,
        };
        if check {
            jf.check_all()?;
        }
        Ok(jf)
    }

    /// The manifest's entry for this file as it stands.
    pub fn info(&self) -> FileInfo {
        FileInfo {
            name: self.name.clone(),
            len: self.len,
            crcs: self.crcs.clone(),
        }
    }

    /// Recomputes every chunk's checksum; the first mismatch names its chunk's offset.
    pub fn check_all(&self) -> Result<(), StorageError> {
        let mut buf = vec![0u8; CHUNK as usize];
        for (c, &want) in self.crcs.iter().enumerate() {
            let off = c as u64 * CHUNK;
            let n = CHUNK.min(self.len - off) as usize;
            self.file
                .read_exact_at(&mut buf[..n], off)
                .map_err(|e| StorageError::io(&self.name, off, &e))?;
            let got = crc32fast::hash(&buf[..n]);
            if got != want {
                return Err(StorageError::corrupt(
                    &self.name,
                    off,
                    format!("checksum mismatch in the {n}-byte chunk at {off}"),
                ));
            }
        }
        Ok(())
    }

    /// The committed bytes that `ch` overwrites or cuts off: what the journal must keep.
    pub fn undo_ranges(&self, ch: &Change) -> Result<Vec<(u64, Vec<u8>)>, StorageError> {
        let mut out = Vec::new();
        for (off, bytes) in &ch.writes {
            if *off >= self.len {
                continue;
            }
            let end = (off + bytes.len() as u64).min(self.len);
            out.push((*off, read_at(&self.file, &self.name, *off, end - off)?));
        }
        if ch.new_len < self.len {
            out.push((
                ch.new_len,
                read_at(&self.file, &self.name, ch.new_len, self.len - ch.new_len)?,
            ));
        }
        Ok(out)
    }

    /// Writes `ch` (at its offsets, never appending), sets the length and updates the
    /// checksums of the touched chunks. Does not sync.
    pub fn apply(&mut self, io: &mut Io, ch: &Change) -> Result<(), StorageError> {
        let old = self.len;
        if ch.new_len < old {
            io.set_len(&self.file, &self.name, ch.new_len)?;
        }
        let mut dirty: Vec<u64> = Vec::new();
        for (off, bytes) in &ch.writes {
            io.write_at(&self.file, &self.name, *off, bytes)?;
            if !bytes.is_empty() {
                dirty.extend(off / CHUNK..=(off + bytes.len() as u64 - 1) / CHUNK);
            }
        }
        if ch.new_len > old {
            io.set_len(&self.file, &self.name, ch.new_len)?;
        }
        let lo = old.min(ch.new_len) / CHUNK;
        let hi = old.max(ch.new_len).div_ceil(CHUNK);
        dirty.extend(lo..hi);
        self.len = ch.new_len;
        let count = ch.new_len.div_ceil(CHUNK);
        self.crcs.resize(count as usize, 0);
        dirty.sort_unstable();
        dirty.dedup();
        for c in dirty.into_iter().filter(|&c| c < count) {
            let off = c * CHUNK;
            let n = CHUNK.min(ch.new_len - off);
            let buf = read_at(&self.file, &self.name, off, n)?;
            self.crcs[c as usize] = crc32fast::hash(&buf);
        }
        Ok(())
    }
}

// ----- little-endian encoding helpers -----

pub(crate) struct W(pub Vec<u8>);

impl W {
    pub fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    pub fn node(&mut self, n: &Node) {
        self.0.extend_from_slice(&n.hash.0);
        self.u64(n.value);
    }
    /// A root that may not exist (D11): byte 0, or byte 1 then the node.
    pub fn opt_node(&mut self, n: Option<&Node>) {
        match n {
            None => self.0.push(0),
            Some(n) => {
                self.0.push(1);
                self.node(n);
            }
        }
    }
    /// Appends the CRC-32 of everything so far.
    pub fn seal(mut self) -> Vec<u8> {
        let c = crc32fast::hash(&self.0);
        self.u32(c);
        self.0
    }
}

pub(crate) struct R<'a> {
    pub b: &'a [u8],
    pub at: usize,
    pub file: &'a str,
    pub base: u64,
}

impl<'a> R<'a> {
    /// A reader over a sealed record: checks and strips the trailing CRC.
    pub fn sealed(b: &'a [u8], file: &'a str, base: u64) -> Result<R<'a>, StorageError> {
        if b.len() < 4 {
            return Err(StorageError::corrupt(file, base, "record too short"));
        }
        let (body, c) = b.split_at(b.len() - 4);
        let want = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        if crc32fast::hash(body) != want {
            return Err(StorageError::corrupt(
                file,
                base,
                "record checksum mismatch",
            ));
        }
        Ok(R {
            b: body,
            at: 0,
            file,
            base,
        })
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], StorageError> {
        if self.b.len() - self.at < n {
            return Err(StorageError::corrupt(
                self.file,
                self.base + self.at as u64,
                "record ends early",
            ));
        }
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, StorageError> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32, StorageError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    pub fn u64(&mut self) -> Result<u64, StorageError> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], StorageError> {
        let n = self.u64()?;
        if n > (self.b.len() - self.at) as u64 {
            return Err(StorageError::corrupt(
                self.file,
                self.base + self.at as u64,
                "length beyond the record",
            ));
        }
        self.take(n as usize)
    }
    pub fn node(&mut self) -> Result<Node, StorageError> {
        let h = self.take(32)?;
        let mut a = [0u8; 32];
        a.copy_from_slice(h);
        Ok(Node::new(Hash(a), self.u64()?))
    }
    /// The counterpart of [`W::opt_node`].
    pub fn opt_node(&mut self) -> Result<Option<Node>, StorageError> {
        let at = self.base + self.at as u64;
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.node()?)),
            _ => Err(StorageError::corrupt(
                self.file,
                at,
                "root presence flag is neither 0 nor 1",
            )),
        }
    }
    pub fn done(&self) -> Result<(), StorageError> {
        if self.at != self.b.len() {
            return Err(StorageError::corrupt(
                self.file,
                self.base + self.at as u64,
                "trailing bytes in record",
            ));
        }
        Ok(())
    }
}

// ----- the manifest -----

pub(crate) const MANIFEST: &str = "MANIFEST";
pub(crate) const MANIFEST_TMP: &str = "MANIFEST.tmp";
pub(crate) const JOURNAL: &str = "journal.bin";
/// Format version 3 (`MMRMANI3`): one section per named MMR (a store made by
/// `PersistentDb` has one, named ""), each with its leaf-data files and, for a keyed MMR, its
/// key table. Version 2 (`MMRMANI2`, one MMR, no leaf data) and version 1 (`MMRMANI1`, a
/// bare root node) were written only by pre-release builds and are refused by name.
const MANIFEST_MAGIC: &[u8; 8] = b"MMRMANI3";
const MANIFEST_MAGIC_OLD: [(&[u8; 8], &str); 2] = [
    (
        b"MMRMANI1",
        "manifest format version 1 (pre-release, no root presence flag) is not supported; \
         recreate the store",
    ),
    (
        b"MMRMANI2",
        "manifest format version 2 (pre-release, no leaf data) is not supported; recreate \
         the store",
    ),
];
const JOURNAL_MAGIC: &[u8; 8] = b"MMRJRNL1";

/// One file's committed length and checksums.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileInfo {
    pub name: String,
    pub len: u64,
    pub crcs: Vec<u32>,
}

/// One named MMR's committed state in the manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Section {
    /// The MMR's name ("" for the single MMR of a `PersistentDb`); its files' prefix.
    pub name: String,
    /// Whether the MMR has a key table.
    pub keyed: bool,
    pub height: u64,
    pub oldest: u64,
    pub horizon: u64,
    pub horizon_leaves: u64,
    /// The committed root; `None` for an empty state under a profile without an empty
    /// root (D11).
    pub root: Option<Node>,
    pub size: u64,
    pub leaves: u64,
    /// Generation of the hash and leaf-data files (`hash.{gen:06}.bin`, ...).
    pub hash_gen: u64,
    /// Offset in `blocks.log` of the oldest retained block's record.
    pub blocks_start: u64,
    /// hash, leafset, prunelist, blocks, data, dataidx, then keys if keyed.
    pub files: Vec<FileInfo>,
}

/// The manifest (MWEB's MMRInfo): which generation is current and everything committed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub seq: u64,
    pub profile: String,
    pub retain: u64,
    pub sections: Vec<Section>,
}

impl Manifest {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = W(Vec::new());
        w.0.extend_from_slice(MANIFEST_MAGIC);
        w.u64(self.seq);
        w.bytes(self.profile.as_bytes());
        w.u64(self.retain);
        w.u32(self.sections.len() as u32);
        for s in &self.sections {
            w.bytes(s.name.as_bytes());
            w.0.push(u8::from(s.keyed));
            for x in [s.height, s.oldest, s.horizon, s.horizon_leaves] {
                w.u64(x);
            }
            w.opt_node(s.root.as_ref());
            for x in [s.size, s.leaves, s.hash_gen, s.blocks_start] {
                w.u64(x);
            }
            w.u32(s.files.len() as u32);
            for f in &s.files {
                w.bytes(f.name.as_bytes());
                w.u64(f.len);
                w.u32(f.crcs.len() as u32);
                for &c in &f.crcs {
                    w.u32(c);
                }
            }
        }
        w.seal()
    }

    pub fn decode(b: &[u8]) -> Result<Manifest, StorageError> {
        for (magic, what) in MANIFEST_MAGIC_OLD {
            if b.len() >= 8 && &b[..8] == magic {
                return Err(StorageError::corrupt(MANIFEST, 0, what));
            }
        }
        if b.len() < 8 || &b[..8] != MANIFEST_MAGIC {
            return Err(StorageError::corrupt(
                MANIFEST,
                0,
                "not a store manifest (bad magic)",
            ));
        }
        let mut r = R::sealed(b, MANIFEST, 0)?;
        r.at = 8;
        let mut m = Manifest {
            seq: r.u64()?,
            ..Manifest::default()
        };
        m.profile = String::from_utf8_lossy(r.bytes()?).into_owned();
        m.retain = r.u64()?;
        let n = r.u32()?;
        for _ in 0..n {
            let mut s = Section {
                name: String::from_utf8_lossy(r.bytes()?).into_owned(),
                ..Section::default()
            };
            s.keyed = match r.u8()? {
                0 => false,
                1 => true,
                _ => {
                    return Err(StorageError::corrupt(
                        MANIFEST,
                        0,
                        "keyed flag is neither 0 nor 1",
                    ));
                }
            };
            s.height = r.u64()?;
            s.oldest = r.u64()?;
            s.horizon = r.u64()?;
            s.horizon_leaves = r.u64()?;
            s.root = r.opt_node()?;
            s.size = r.u64()?;
            s.leaves = r.u64()?;
            s.hash_gen = r.u64()?;
            s.blocks_start = r.u64()?;
            let k = r.u32()?;
            for _ in 0..k {
                let name = String::from_utf8_lossy(r.bytes()?).into_owned();
                let len = r.u64()?;
                let c = r.u32()?;
                let mut crcs = Vec::with_capacity(c.min(1 << 24) as usize);
                for _ in 0..c {
                    crcs.push(r.u32()?);
                }
                s.files.push(FileInfo { name, len, crcs });
            }
            m.sections.push(s);
        }
        r.done()?;
        Ok(m)
    }

    /// Commits this manifest: write a temp file, fsync it, rename(2) it over `MANIFEST`,
    /// fsync the directory. The rename is the commit point.
    pub fn write(&self, dir: &Path, io: &mut Io) -> Result<(), StorageError> {
        let bytes = self.encode();
        let f = open_rw(dir, MANIFEST_TMP, true)?;
        io.set_len(&f, MANIFEST_TMP, 0)?;
        io.write_at(&f, MANIFEST_TMP, 0, &bytes)?;
        io.sync(&f, MANIFEST_TMP)?;
        io.rename(&join(dir, MANIFEST_TMP), &join(dir, MANIFEST))?;
        io.sync_dir(dir)
    }

    pub fn read(dir: &Path) -> Result<Manifest, StorageError> {
        let b = std::fs::read(join(dir, MANIFEST)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                StorageError::corrupt(MANIFEST, 0, "file is missing (not a store, or deleted)")
            } else {
                StorageError::io(MANIFEST, 0, &e)
            }
        })?;
        Manifest::decode(&b)
    }
}

// ----- the undo journal -----

/// One file's entry in the journal: its committed length before the commit, and the
/// committed bytes the commit overwrites or cuts off.
#[derive(Debug, Default)]
pub(crate) struct JournalEntry {
    pub name: String,
    pub old_len: u64,
    pub new_len: u64,
    pub ranges: Vec<(u64, Vec<u8>)>,
}

pub(crate) fn encode_journal(seq: u64, entries: &[JournalEntry]) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.0.extend_from_slice(JOURNAL_MAGIC);
    w.u64(seq);
    w.u32(entries.len() as u32);
    for e in entries {
        w.bytes(e.name.as_bytes());
        w.u64(e.old_len);
        w.u64(e.new_len);
        w.u32(e.ranges.len() as u32);
        for (off, b) in &e.ranges {
            w.u64(*off);
            w.bytes(b);
        }
    }
    w.seal()
}

/// The journal if it is complete (checksum good) and written for commit `seq`.
pub(crate) fn read_journal(dir: &Path, seq: u64) -> Option<Vec<JournalEntry>> {
    let b = std::fs::read(join(dir, JOURNAL)).ok()?;
    if b.len() < 8 || &b[..8] != JOURNAL_MAGIC {
        return None;
    }
    let mut r = R::sealed(&b, JOURNAL, 0).ok()?;
    r.at = 8;
    if r.u64().ok()? != seq {
        return None;
    }
    let n = r.u32().ok()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let name = String::from_utf8_lossy(r.bytes().ok()?).into_owned();
        let old_len = r.u64().ok()?;
        let new_len = r.u64().ok()?;
        let k = r.u32().ok()?;
        let mut ranges = Vec::new();
        for _ in 0..k {
            let off = r.u64().ok()?;
            ranges.push((off, r.bytes().ok()?.to_vec()));
        }
        out.push(JournalEntry {
            name,
            old_len,
            new_len,
            ranges,
        });
    }
    Some(out)
}

// ----- writing a new generation file -----

/// Writes a new file sequentially, computing its chunk checksums as it goes, holding at
/// most one megabyte in memory.
pub(crate) struct GenWriter {
    jf: JFile,
    buf: Vec<u8>,
    off: u64,
}

const GEN_BUF: usize = (16 * CHUNK) as usize;

impl GenWriter {
    /// Creates (or empties) `name`.
    pub fn create(dir: &Path, name: &str, io: &mut Io) -> Result<GenWriter, StorageError> {
        Ok(GenWriter {
            jf: JFile::create(dir, name, io)?,
            buf: Vec::with_capacity(GEN_BUF),
            off: 0,
        })
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.off + self.buf.len() as u64
    }

    pub fn push(&mut self, io: &mut Io, bytes: &[u8]) -> Result<(), StorageError> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= GEN_BUF {
            let rest = self.buf.split_off(GEN_BUF);
            self.flush(io)?;
            self.buf = rest;
        }
        Ok(())
    }

    /// Writes the buffer; it holds whole chunks unless this is the end.
    fn flush(&mut self, io: &mut Io) -> Result<(), StorageError> {
        io.write_at(&self.jf.file, &self.jf.name, self.off, &self.buf)?;
        for c in self.buf.chunks(CHUNK as usize) {
            self.jf.crcs.push(crc32fast::hash(c));
        }
        self.off += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Writes the rest and syncs the file.
    pub fn finish(mut self, io: &mut Io) -> Result<JFile, StorageError> {
        if !self.buf.is_empty() {
            self.flush(io)?;
        }
        self.jf.len = self.off;
        io.sync(&self.jf.file, &self.jf.name)?;
        Ok(self.jf)
    }
}
