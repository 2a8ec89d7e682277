//! Committed files with per-chunk checksums, the undo journal, and the manifest
//! (STORAGE.md sections 2-4).
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::io::{Io, join};
use crate::layout::{RECORD, prefix_of, section_file_names};
use mmr_optimized::index;
use mmr_spec::{Hash, Node};
use std::collections::BTreeMap;
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

/// Whether `name` is a plain name inside the store directory: no separator, not `.` or
/// `..`, not empty. Every name the store opens is one of its own fixed names; this is the
/// last line of defence should one ever come from a file.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\0'])
}

/// Opens `dir/name` for reading and writing without following a symbolic link (O_NOFOLLOW)
/// and without blocking (O_NONBLOCK: opening a FIFO for reading would wait for a writer
/// forever; on a regular file the flag changes nothing), then refuses anything but a plain
/// file with one link (fstat): a FIFO or device is not a store file, and a symbolic or hard
/// link could make a write land outside the store. `create` creates the file if missing.
pub(crate) fn open_rw(dir: &Path, name: &str, create: bool) -> Result<File, StorageError> {
    open_checked(dir, name, true, create)
}

/// [`open_rw`] for reading only (the manifest, the journal).
pub(crate) fn open_ro(dir: &Path, name: &str) -> Result<File, StorageError> {
    open_checked(dir, name, false, false)
}

fn open_checked(dir: &Path, name: &str, rw: bool, create: bool) -> Result<File, StorageError> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    if !plain_name(name) {
        return Err(StorageError::corrupt(
            name,
            0,
            "not a file name inside the store directory",
        ));
    }
    let f = OpenOptions::new()
        .read(true)
        .write(rw)
        .create(create)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(join(dir, name))
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                StorageError::corrupt(name, 0, "file is missing")
            } else if e.raw_os_error() == Some(libc::ELOOP) {
                StorageError::corrupt(
                    name,
                    0,
                    "is a symbolic link (a store's files are plain files; links are not followed)",
                )
            } else {
                StorageError::io(name, 0, &e)
            }
        })?;
    let md = f.metadata().map_err(|e| StorageError::io(name, 0, &e))?;
    if !md.file_type().is_file() {
        use std::os::unix::fs::FileTypeExt;
        let t = md.file_type();
        let kind = if t.is_fifo() {
            "a FIFO"
        } else if t.is_dir() {
            "a directory"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_block_device() || t.is_char_device() {
            "a device"
        } else {
            "not a regular file"
        };
        return Err(StorageError::corrupt(
            name,
            0,
            format!("is not a plain file ({kind}); a store's files are regular files"),
        ));
    }
    if md.nlink() != 1 {
        return Err(StorageError::corrupt(
            name,
            0,
            format!(
                "has {} hard links (a store's files have one: a write through another link \
                 could change a file outside the store)",
                md.nlink()
            ),
        ));
    }
    Ok(f)
}

/// The whole content of `dir/name`, opened as [`open_ro`] does; `None` if it is missing.
pub(crate) fn read_whole(dir: &Path, name: &str) -> Result<Option<Vec<u8>>, StorageError> {
    use std::io::Read;
    let mut f = match open_ro(dir, name) {
        Ok(f) => f,
        Err(StorageError::Corrupt { what, .. }) if what == "file is missing" => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut b = Vec::new();
    f.read_to_end(&mut b)
        .map_err(|e| StorageError::io(name, 0, &e))?;
    Ok(Some(b))
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
    /// A file left under this name (an orphan, or planted) is removed first, never
    /// truncated: it could be a link to a file outside the store.
    pub fn create(dir: &Path, name: &str, io: &mut Io) -> Result<JFile, StorageError> {
        io.remove(&join(dir, name))?;
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
        if crcs.len() as u64 != len.div_ceil(CHUNK) {
            return Err(StorageError::corrupt(
                "MANIFEST",
                0,
                format!("wrong checksum count for {name}"),
            ));
        }
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
    /// One range per write (clipped to the committed length), and the cut-off tail; each
    /// touched chunk is read once, however many writes fall into it.
    pub fn undo_ranges(&self, ch: &Change) -> Result<Vec<(u64, Vec<u8>)>, StorageError> {
        let mut chunks = ChunkCache::default();
        let mut out = Vec::new();
        for (off, bytes) in &ch.writes {
            if *off >= self.len {
                continue;
            }
            let end = (off + bytes.len() as u64).min(self.len);
            let mut old = Vec::with_capacity((end - off) as usize);
            for (c, a, b) in chunk_spans(*off, end) {
                old.extend_from_slice(&chunks.get(self, c)?[a..b]);
            }
            out.push((*off, old));
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
    /// checksums of the touched chunks. Does not sync. Works chunk by chunk: the writes
    /// falling into one chunk are patched into a copy of it (read once, unless the writes
    /// cover it), which goes back in one write from the first changed byte to the last and
    /// gives the chunk's new checksum, so a checkpoint of many scattered node writes costs
    /// two calls per chunk, not two per node.
    pub fn apply(&mut self, io: &mut Io, ch: &Change) -> Result<(), StorageError> {
        let old = self.len;
        if ch.new_len != old {
            io.set_len(&self.file, &self.name, ch.new_len)?;
        }
        self.len = ch.new_len;
        let count = ch.new_len.div_ceil(CHUNK);
        self.crcs.resize(count as usize, 0);
        // Touched chunk -> (offset in the chunk, bytes), in the writes' order (the later of
        // two overlapping writes wins), and the chunks whose length changed.
        let mut dirty: BTreeMap<u64, Vec<(usize, &[u8])>> = BTreeMap::new();
        for (off, bytes) in &ch.writes {
            let end = off + bytes.len() as u64;
            if end > ch.new_len {
                return Err(StorageError::corrupt(
                    &self.name,
                    *off,
                    "a write goes past the file's new length",
                ));
            }
            let mut from = 0;
            for (c, a, b) in chunk_spans(*off, end) {
                dirty
                    .entry(c)
                    .or_default()
                    .push((a, &bytes[from..from + b - a]));
                from += b - a;
            }
        }
        let lo = old.min(ch.new_len) / CHUNK;
        let hi = old.max(ch.new_len).div_ceil(CHUNK);
        for c in lo..hi.min(count) {
            dirty.entry(c).or_default();
        }
        for (c, here) in dirty {
            let off = c * CHUNK;
            let n = CHUNK.min(ch.new_len - off) as usize;
            let mut buf = if covers(&here, n) {
                vec![0u8; n]
            } else {
                read_at(&self.file, &self.name, off, n as u64)?
            };
            let (mut first, mut last) = (n, 0);
            for &(o, b) in &here {
                buf[o..o + b.len()].copy_from_slice(b);
                first = first.min(o);
                last = last.max(o + b.len());
            }
            if first < last {
                io.write_at(
                    &self.file,
                    &self.name,
                    off + first as u64,
                    &buf[first..last],
                )?;
            }
            self.crcs[c as usize] = crc32fast::hash(&buf);
        }
        Ok(())
    }
}

/// Whether the pieces (offsets in a chunk of `n` bytes, in any order) cover all of it.
fn covers(pieces: &[(usize, &[u8])], n: usize) -> bool {
    let mut spans: Vec<(usize, usize)> = pieces.iter().map(|&(o, b)| (o, o + b.len())).collect();
    spans.sort_unstable();
    let mut reach = 0;
    for (a, b) in spans {
        if a > reach {
            return false;
        }
        reach = reach.max(b);
    }
    reach >= n
}

/// The byte range `from..to` of a file cut at chunk boundaries: (chunk, start, end), the
/// start and end as offsets within the chunk.
fn chunk_spans(from: u64, to: u64) -> impl Iterator<Item = (u64, usize, usize)> {
    let mut at = from;
    std::iter::from_fn(move || {
        (at < to).then(|| {
            let c = at / CHUNK;
            let upto = to.min((c + 1) * CHUNK);
            let span = (c, (at - c * CHUNK) as usize, (upto - c * CHUNK) as usize);
            at = upto;
            span
        })
    })
}

/// The committed chunks of one file read so far (for [`JFile::undo_ranges`]).
#[derive(Default)]
struct ChunkCache {
    chunk: Option<(u64, Vec<u8>)>,
}

impl ChunkCache {
    /// Chunk `c`'s committed bytes (up to the committed length). Writes come sorted by
    /// offset from every planner, so keeping the last chunk read is enough.
    fn get(&mut self, f: &JFile, c: u64) -> Result<&[u8], StorageError> {
        if self.chunk.as_ref().is_none_or(|(k, _)| *k != c) {
            let off = c * CHUNK;
            let n = CHUNK.min(f.len - off);
            self.chunk = Some((c, read_at(&f.file, &f.name, off, n)?));
        }
        Ok(self
            .chunk
            .as_ref()
            .map(|(_, b)| b.as_slice())
            .unwrap_or(&[]))
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
    /// The offset (in the file) of the next byte.
    pub fn pos(&self) -> u64 {
        self.base + self.at as u64
    }
    /// Bytes left in the record.
    pub fn left(&self) -> usize {
        self.b.len() - self.at
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
/// Format version 4 (`MMRMANI4`): one section per named MMR (a store made by
/// `PersistentDb` has one, named ""), each with its leaf-data files and, for a keyed MMR, its
/// key table; the leaf-data index marks the records of changed leaves (module `leafdata`).
/// Versions 1 to 3 were written only by pre-release builds and are refused by name.
const MANIFEST_MAGIC: &[u8; 8] = b"MMRMANI4";
const MANIFEST_MAGIC_OLD: [(&[u8; 8], &str); 3] = [
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
    (
        b"MMRMANI3",
        "manifest format version 3 (pre-release, leaf-data index without the changed mark) \
         is not supported; recreate the store",
    ),
];
const JOURNAL_MAGIC: &[u8; 8] = b"MMRJRNL2";
const DONE_MAGIC: &[u8; 8] = b"MMRJDONE";

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

/// Where a section's fields lie in the manifest as read (for errors naming the offset).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SectionAt {
    /// The name's length field.
    pub name: u64,
    /// `height`; `oldest`, `horizon` and `horizon_leaves` follow at +8, +16, +24.
    pub height: u64,
    /// `size`; `leaves`, generation and `blocks_start` follow at +8, +16, +24.
    pub size: u64,
    /// Each file's length field.
    pub files: Vec<u64>,
}

/// The manifest (MWEB's MMRInfo): which generation is current and everything committed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub seq: u64,
    pub profile: String,
    pub retain: u64,
    pub sections: Vec<Section>,
    /// Field offsets of each section (filled by `decode`).
    pub at: Vec<SectionAt>,
    /// The fingerprint of the manifest's bytes as last read or written (filled by
    /// `decode` and `write`): every log record names the manifest it follows by it, so
    /// that an edited field (its CRC recomputed) no longer matches the log.
    pub fp: u64,
    /// The offset of `retain` (filled by `decode`).
    pub retain_at: u64,
}

/// The first 8 bytes (LE) of the BLAKE3 hash of a manifest's bytes: unlike its CRC, not
/// made to match by adjusting a few bytes.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    let h = blake3::hash(bytes);
    let mut a = [0u8; 8];
    a.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(a)
}

/// The offset of `seq` in the manifest.
pub(crate) const SEQ_AT: u64 = 8;
/// No store makes 2^63 commits; a larger `seq` (or height, size) is a crafted value.
const LIMIT: u64 = 1 << 63;

/// An MMR name (STORAGE.md section 1): 1 to 32 of `a-z 0-9 _ -`; "" only for the single
/// MMR of a `PersistentDb`.
pub(crate) fn valid_name(n: &str) -> bool {
    (1..=32).contains(&n.len())
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
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

    /// Decodes and checks a manifest: its checksum, then every field against the others
    /// ([`Manifest::check`]) before anything is opened or allocated from it.
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
            fp: fingerprint(b),
            ..Manifest::default()
        };
        m.profile = String::from_utf8_lossy(r.bytes()?).into_owned();
        m.retain_at = r.pos();
        m.retain = r.u64()?;
        let n = r.u32()?;
        for _ in 0..n {
            let mut at = SectionAt {
                name: r.pos(),
                ..SectionAt::default()
            };
            let name = r.bytes()?;
            let name = match std::str::from_utf8(name) {
                Ok(n) if n.is_empty() || valid_name(n) => n.to_string(),
                _ => {
                    return Err(StorageError::corrupt(
                        MANIFEST,
                        at.name,
                        format!(
                            "MMR name {:?} is not 1 to 32 of a-z, 0-9, _ and -",
                            String::from_utf8_lossy(name)
                        ),
                    ));
                }
            };
            let mut s = Section {
                name,
                ..Section::default()
            };
            let keyed_at = r.pos();
            s.keyed = match r.u8()? {
                0 => false,
                1 => true,
                _ => {
                    return Err(StorageError::corrupt(
                        MANIFEST,
                        keyed_at,
                        "keyed flag is neither 0 nor 1",
                    ));
                }
            };
            at.height = r.pos();
            s.height = r.u64()?;
            s.oldest = r.u64()?;
            s.horizon = r.u64()?;
            s.horizon_leaves = r.u64()?;
            s.root = r.opt_node()?;
            at.size = r.pos();
            s.size = r.u64()?;
            s.leaves = r.u64()?;
            s.hash_gen = r.u64()?;
            s.blocks_start = r.u64()?;
            let k = r.u32()?;
            for _ in 0..k {
                let name = String::from_utf8_lossy(r.bytes()?).into_owned();
                at.files.push(r.pos());
                let len = r.u64()?;
                let c = r.u32()?;
                // Never more capacity than the record's remaining bytes can fill.
                let mut crcs = Vec::with_capacity((c as usize).min(r.left() / 4));
                for _ in 0..c {
                    crcs.push(r.u32()?);
                }
                s.files.push(FileInfo { name, len, crcs });
            }
            m.sections.push(s);
            m.at.push(at);
        }
        r.done()?;
        m.check()?;
        Ok(m)
    }

    /// Every field against the others (STORAGE.md section 4, "semantic checks"): what a
    /// manifest whose checksum was recomputed can still not get past. Each failure names the
    /// offset of the field at fault.
    fn check(&self) -> Result<(), StorageError> {
        let bad = |at: u64, what: String| Err(StorageError::corrupt(MANIFEST, at, what));
        if self.seq >= LIMIT {
            return bad(
                SEQ_AT,
                format!("seq {} is beyond any number of commits", self.seq),
            );
        }
        let Some(first) = self.sections.first() else {
            return bad(0, "no MMR in the store".into());
        };
        for (i, (s, at)) in self.sections.iter().zip(&self.at).enumerate() {
            if (s.name.is_empty() && self.sections.len() > 1)
                || self.sections[..i].iter().any(|o| o.name == s.name)
            {
                return bad(at.name, format!("MMR name {:?} is not unique", s.name));
            }
            if (s.height, s.oldest, s.horizon) != (first.height, first.oldest, first.horizon) {
                return bad(
                    at.height,
                    format!(
                        "MMR {:?} is not at the height of MMR {:?}",
                        s.name, first.name
                    ),
                );
            }
            // Each block is one commit, each generation is written by one.
            if s.height > self.seq {
                return bad(
                    SEQ_AT,
                    format!(
                        "seq {} is below the height {} (every block is a commit)",
                        self.seq, s.height
                    ),
                );
            }
            // A commit raises oldest to height - retain and a rewind lowers only the height,
            // so a store never retains more than `retain` blocks.
            if s.height - s.oldest.min(s.height) > self.retain {
                return bad(
                    self.retain_at,
                    format!(
                        "retain {}, but {} blocks are retained (height {}, oldest {})",
                        self.retain,
                        s.height - s.oldest.min(s.height),
                        s.height,
                        s.oldest
                    ),
                );
            }
            if s.oldest > s.height {
                return bad(
                    at.height + 8,
                    format!("oldest {} above the height {}", s.oldest, s.height),
                );
            }
            if s.horizon > s.oldest {
                return bad(
                    at.height + 16,
                    format!("horizon {} above the oldest {}", s.horizon, s.oldest),
                );
            }
            if s.hash_gen > self.seq {
                return bad(
                    at.size + 16,
                    format!(
                        "generation {} above seq {} (each generation is written by a commit)",
                        s.hash_gen, self.seq
                    ),
                );
            }
            if s.size >= LIMIT || !index::is_valid_size(s.size) {
                return bad(at.size, format!("size {} is not an MMR size", s.size));
            }
            if index::leaves_for_size(s.size) != Some(s.leaves) {
                return bad(
                    at.size + 8,
                    format!("{} leaves do not make an MMR of size {}", s.leaves, s.size),
                );
            }
            if s.horizon_leaves > s.leaves {
                return bad(
                    at.height + 24,
                    format!(
                        "{} leaves at the horizon, more than the {} leaves",
                        s.horizon_leaves, s.leaves
                    ),
                );
            }
            if s.horizon == 0 && s.horizon_leaves != 0 {
                return bad(
                    at.height + 16,
                    format!(
                        "horizon 0 (never compacted), but {} leaves at the horizon",
                        s.horizon_leaves
                    ),
                );
            }
            let names = section_file_names(&prefix_of(&s.name), s.hash_gen, s.keyed);
            if s.files.len() != names.len() {
                return bad(
                    at.size + 32,
                    format!(
                        "{} files listed for MMR {:?}, which has {}",
                        s.files.len(),
                        s.name,
                        names.len()
                    ),
                );
            }
            for ((f, want), &f_at) in s.files.iter().zip(&names).zip(&at.files) {
                if &f.name != want {
                    return bad(
                        f_at,
                        format!("lists file {:?} where {want:?} belongs", f.name),
                    );
                }
                if f.crcs.len() as u64 != f.len.div_ceil(CHUNK) {
                    return bad(
                        f_at,
                        format!(
                            "{} checksums for the {} bytes of {want}",
                            f.crcs.len(),
                            f.len
                        ),
                    );
                }
            }
            // The files' lengths follow from the counts (D20, D22, 8 bytes of index per
            // leaf, 40 bytes per kept position); each file's real length is checked against
            // its committed one before it is read, so nothing below allocates more than the
            // files hold.
            let [hash, leafset, prunelist, blocks, _data, idx] =
                [0, 1, 2, 3, 4, 5].map(|i| &s.files[i]);
            if Some(leafset.len) != s.leaves.div_ceil(8).checked_add(8) {
                return bad(
                    at.files[1],
                    format!("leaf-set length {} for {} leaves", leafset.len, s.leaves),
                );
            }
            if Some(prunelist.len) != s.horizon_leaves.checked_mul(2).map(|b| b.div_ceil(8)) {
                return bad(
                    at.height + 24,
                    format!(
                        "{} leaves at the horizon, but a prune list of {} bytes",
                        s.horizon_leaves, prunelist.len
                    ),
                );
            }
            if Some(idx.len) != s.leaves.checked_mul(8) {
                return bad(
                    at.files[5],
                    format!("leaf-data index length {} for {} leaves", idx.len, s.leaves),
                );
            }
            if hash.len % RECORD != 0 || hash.len / RECORD > s.size {
                return bad(
                    at.files[0],
                    format!(
                        "hash-file length {} is not a whole number of records for at most {} positions",
                        hash.len, s.size
                    ),
                );
            }
            if s.blocks_start > blocks.len {
                return bad(
                    at.size + 24,
                    format!(
                        "the retained block records start at {}, beyond the {} bytes of {}",
                        s.blocks_start, blocks.len, blocks.name
                    ),
                );
            }
        }
        Ok(())
    }

    /// Commits this manifest: write a temp file, fsync it, rename(2) it over `MANIFEST`,
    /// fsync the directory. The rename is the commit point. Sets the fingerprint.
    pub fn write(&mut self, dir: &Path, io: &mut Io) -> Result<(), StorageError> {
        let bytes = self.encode();
        self.fp = fingerprint(&bytes);
        let f = JFile::create(dir, MANIFEST_TMP, io)?.file;
        io.write_at(&f, MANIFEST_TMP, 0, &bytes)?;
        io.sync(&f, MANIFEST_TMP)?;
        io.rename(&join(dir, MANIFEST_TMP), &join(dir, MANIFEST))?;
        io.sync_dir(dir)
    }

    pub fn read(dir: &Path) -> Result<Manifest, StorageError> {
        match read_whole(dir, MANIFEST)? {
            Some(b) => Manifest::decode(&b),
            None => Err(StorageError::corrupt(
                MANIFEST,
                0,
                "file is missing (not a store, or deleted)",
            )),
        }
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
    /// Offset of the entry in the journal as read.
    pub at: u64,
}

/// The undo journal of checkpoint `seq`, which rolls the files back to the checkpoint
/// `base` (the manifest's seq; seq - base - 1 log records lie between them).
pub(crate) fn encode_journal(seq: u64, base: u64, entries: &[JournalEntry]) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.0.extend_from_slice(JOURNAL_MAGIC);
    w.u64(seq);
    w.u64(base);
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

/// The journal after commit `seq` completed: `"MMRJDONE" || seq || crc32`. It tells an
/// open that a manifest with a lower seq is an older one put back.
pub(crate) fn encode_done(seq: u64) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.0.extend_from_slice(DONE_MAGIC);
    w.u64(seq);
    w.seal()
}

/// What `journal.bin` holds.
#[derive(Debug)]
pub(crate) enum Journal {
    /// Missing or empty.
    None,
    /// Neither a journal nor a mark with a good checksum: torn while it was written (a
    /// journal is synced before any committed byte is touched; a mark is not synced) or
    /// damaged since. Ignored; named if a file then fails its check.
    Torn,
    /// Commit `seq` completed.
    Done(u64),
    /// The undo journal of checkpoint `seq` back to the checkpoint `base` (complete: its
    /// checksum is good).
    Undo {
        seq: u64,
        base: u64,
        entries: Vec<JournalEntry>,
    },
}

/// Reads `journal.bin`. A journal whose checksum is good but whose content does not
/// parse is corruption (it was written whole, so it was edited).
pub(crate) fn read_journal(dir: &Path) -> Result<Journal, StorageError> {
    let Some(b) = read_whole(dir, JOURNAL)? else {
        return Ok(Journal::None);
    };
    if b.is_empty() {
        return Ok(Journal::None);
    }
    let done = b.len() >= 8 && &b[..8] == DONE_MAGIC;
    if b.len() < 8 || (!done && &b[..8] != JOURNAL_MAGIC) {
        return Ok(Journal::Torn);
    }
    let Ok(mut r) = R::sealed(&b, JOURNAL, 0) else {
        return Ok(Journal::Torn);
    };
    r.at = 8;
    let seq = r.u64()?;
    if done {
        r.done()?;
        return Ok(Journal::Done(seq));
    }
    let base = r.u64()?;
    let n = r.u32()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let at = r.pos();
        let name = String::from_utf8_lossy(r.bytes()?).into_owned();
        let old_len = r.u64()?;
        let new_len = r.u64()?;
        let k = r.u32()?;
        let mut ranges = Vec::new();
        for _ in 0..k {
            let off = r.u64()?;
            ranges.push((off, r.bytes()?.to_vec()));
        }
        out.push(JournalEntry {
            name,
            old_len,
            new_len,
            ranges,
            at,
        });
    }
    r.done()?;
    Ok(Journal::Undo {
        seq,
        base,
        entries: out,
    })
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

#[cfg(test)]
mod chunk_tests {
    use super::*;

    /// A fresh directory under the system's temp dir.
    fn scratch(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("mmr-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// `apply` and `undo_ranges` against a byte vector: scattered, overlapping and
    /// chunk-crossing writes, growth and shrinking; after each change the file equals the
    /// model, every chunk's checksum is the checksum of the model's chunk, and the undo
    /// ranges are the model's bytes before the change.
    #[test]
    fn chunked_apply_matches_a_byte_model() {
        let dir = scratch("apply");
        let mut io = Io::default();
        let mut f = JFile::create(&dir, "hash.bin", &mut io).unwrap();
        let mut model: Vec<u8> = Vec::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        let c = CHUNK;
        for round in 0..60u64 {
            let new_len = match round % 6 {
                0 => model.len() as u64 + rnd(3 * c),
                1 => (model.len() as u64).saturating_sub(rnd(c + 7)),
                _ => model.len() as u64 + rnd(100),
            };
            let mut writes = Vec::new();
            for _ in 0..rnd(200) {
                if new_len == 0 {
                    break;
                }
                let long = rnd(10) == 0;
                let len = 1 + rnd(if long { 2 * c } else { 40 });
                let off = rnd(new_len);
                let len = len.min(new_len - off);
                let b: Vec<u8> = (0..len).map(|i| (i as u8) ^ (round as u8) ^ 0x5a).collect();
                writes.push((off, b));
            }
            if round % 7 == 3 && new_len > 0 {
                // One write covering the whole file (every chunk covered: no read).
                writes.push((0, vec![round as u8; new_len as usize]));
            }
            writes.sort_by_key(|w| w.0);
            let ch = Change { writes, new_len };
            let undo = f.undo_ranges(&ch).unwrap();
            let mut want_undo = Vec::new();
            for (off, b) in &ch.writes {
                let off = *off as usize;
                if off < model.len() {
                    let end = (off + b.len()).min(model.len());
                    want_undo.push((off as u64, model[off..end].to_vec()));
                }
            }
            if (new_len as usize) < model.len() {
                want_undo.push((new_len, model[new_len as usize..].to_vec()));
            }
            assert_eq!(undo, want_undo, "round {round}");
            f.apply(&mut io, &ch).unwrap();
            model.resize(new_len as usize, 0);
            for (off, b) in &ch.writes {
                model[*off as usize..*off as usize + b.len()].copy_from_slice(b);
            }
            assert_eq!(
                std::fs::read(dir.join("hash.bin")).unwrap(),
                model,
                "round {round}"
            );
            let crcs: Vec<u32> = model.chunks(c as usize).map(crc32fast::hash).collect();
            assert_eq!(f.crcs, crcs, "round {round}");
            f.check_all().unwrap();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
