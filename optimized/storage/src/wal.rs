//! The write-ahead log (STORAGE.md section 3): a commit appends one record holding the
//! operations of its block (a logical redo log) and fdatasyncs the log once; the hash,
//! leaf-set, data and key files are brought up to date only at a checkpoint (the commit
//! protocol of module `db`), every few commits or when the log grows large. Opening the
//! store replays the records after the checkpoint through the same code that made them.
//!
//! `wal.bin` (format version 2, `"MMRWAL02"`) = header `"MMRWAL02" || u64le base || u64le
//! fingerprint || crc32`, then records. `base` is the manifest seq the log follows and
//! `fingerprint` the first 8 bytes (LE) of the BLAKE3 hash of that manifest's bytes. A
//! record is `u64le len || u64le base || u64le fingerprint || u64le synced || u32 prev ||
//! body || crc32`, `len` counting the bytes after itself and the CRC covering every byte
//! before it (the length included). `synced` is the highest seq that was durable when the
//! record was written (so a record written after record s was synced has `synced >= s`),
//! `prev` the CRC of the record before it in the log (0 for the first). body = `u64le seq ||
//! u32 n || n × op || u8 end || u32 m || m × (u64le height || root?)` (each MMR's height and
//! root after the record, checked on replay). An op is `u8 tag || u32 mmr ||` fields: append
//! `0 || u8 keyed || [32-byte key] || data || value`, update `1 || index || data || value`,
//! spend `2 || index || data`, block `3 || u32 k || k × (u8 tag || fields)` (D16
//! apply_block); `end` 0 commits every MMR after the ops, 1 means the block op was the
//! commit.
//!
//! Records identify themselves: the log of the manifest of seq S is the chain of records
//! from the end of the header with base S, the manifest's fingerprint, seq S+1, S+2, ...,
//! each naming its predecessor's CRC. The header is only a hint (it is rewritten without a
//! sync at each checkpoint): a damaged header loses nothing. The chain ends at the first
//! record that fails its checksum or does not continue it; that is a torn tail unless a
//! valid record of this log written after the failed one was durable (`synced` at least
//! its seq) lies anywhere after it: then it is corruption of `wal.bin` at that offset
//! (see [`read`] and STORAGE.md section 4.1).
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{R, W};
use crate::keys::Key;
use mmr_spec::{Block, BlockOp, Node};

pub(crate) const WAL: &str = "wal.bin";
const MAGIC: &[u8; 8] = b"MMRWAL02";
/// Version 1 (before issue 31): records without their length, base or chain under a
/// checksum; refused when it may hold records of the current checkpoint.
const MAGIC_V1: &[u8; 8] = b"MMRWAL01";
/// Bytes of the header.
pub(crate) const HEADER: u64 = 28;
/// Bytes of a record's frame before its body: len, base, fingerprint, synced, prev.
const HEAD: usize = 8 + 8 + 8 + 8 + 4;
/// The smallest `len`: the rest of the frame's head, the smallest body (seq, n = 0, end,
/// m = 0) and the CRC.
const MIN_LEN: u64 = (HEAD - 8) as u64 + 8 + 4 + 1 + 4 + 4;

/// The header of a log that follows the manifest of `base` whose fingerprint is `fp`.
pub(crate) fn header(base: u64, fp: u64) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.0.extend_from_slice(MAGIC);
    w.u64(base);
    w.u64(fp);
    w.seal()
}

/// Where a record goes in the log: the checkpoint it follows (its seq and manifest
/// fingerprint), the highest seq already durable, and the CRC of the record before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Link {
    pub base: u64,
    pub fp: u64,
    pub synced: u64,
    pub prev: u32,
}

/// The operations of the block in progress, encoded as they are made.
#[derive(Debug, Default)]
pub(crate) struct OpLog {
    buf: Vec<u8>,
    n: u32,
}

const APPEND: u8 = 0;
const UPDATE: u8 = 1;
const SPEND: u8 = 2;
const BLOCK: u8 = 3;

/// How a record ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// Every MMR commits a block after the ops (D16 commit).
    Commit = 0,
    /// The last op was a block (D16 apply_block), which committed.
    Block = 1,
}

impl OpLog {
    fn op(&mut self, tag: u8, mmr: usize) -> W {
        self.n += 1;
        let mut w = W(std::mem::take(&mut self.buf));
        w.0.push(tag);
        w.u32(mmr as u32);
        w
    }

    pub fn append(&mut self, mmr: usize, key: Option<&Key>, data: &[u8], value: u64) {
        let mut w = self.op(APPEND, mmr);
        match key {
            Some(k) => {
                w.0.push(1);
                w.0.extend_from_slice(k);
            }
            None => w.0.push(0),
        }
        w.bytes(data);
        w.u64(value);
        self.buf = w.0;
    }

    pub fn update(&mut self, mmr: usize, index: u64, data: &[u8], value: u64) {
        let mut w = self.op(UPDATE, mmr);
        w.u64(index);
        w.bytes(data);
        w.u64(value);
        self.buf = w.0;
    }

    pub fn spend(&mut self, mmr: usize, index: u64, data: &[u8]) {
        let mut w = self.op(SPEND, mmr);
        w.u64(index);
        w.bytes(data);
        self.buf = w.0;
    }

    pub fn block(&mut self, mmr: usize, block: &Block) {
        let mut w = self.op(BLOCK, mmr);
        w.u32(block.ops.len() as u32);
        for op in &block.ops {
            match op {
                BlockOp::Append { data, value } => {
                    w.0.push(APPEND);
                    w.bytes(data);
                    w.u64(*value);
                }
                BlockOp::Update { index, data, value } => {
                    w.0.push(UPDATE);
                    w.u64(*index);
                    w.bytes(data);
                    w.u64(*value);
                }
                BlockOp::Spend { index, data } => {
                    w.0.push(SPEND);
                    w.u64(*index);
                    w.bytes(data);
                }
            }
        }
        self.buf = w.0;
    }

    /// Forgets the ops (a checkpoint captured them, or a rewind discarded them).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.n = 0;
    }

    /// The framed record of commit `seq` ending with `end`, the MMRs then at `tips`, placed
    /// in the log by `link`; the ops are consumed. Its CRC (the last 4 bytes) is the next
    /// record's `prev`.
    pub fn record(
        &mut self,
        seq: u64,
        link: Link,
        end: End,
        tips: &[(u64, Option<Node>)],
    ) -> Vec<u8> {
        let mut w = W(Vec::with_capacity(self.buf.len() + HEAD + 64));
        w.u64(0); // the length, set below
        w.u64(link.base);
        w.u64(link.fp);
        w.u64(link.synced);
        w.u32(link.prev);
        w.u64(seq);
        w.u32(self.n);
        w.0.extend_from_slice(&self.buf);
        w.0.push(end as u8);
        w.u32(tips.len() as u32);
        for (h, root) in tips {
            w.u64(*h);
            w.opt_node(root.as_ref());
        }
        let len = (w.0.len() - 8 + 4) as u64;
        w.0[..8].copy_from_slice(&len.to_le_bytes());
        self.clear();
        w.seal()
    }
}

/// The CRC of a framed record (its last 4 bytes).
pub(crate) fn crc_of(rec: &[u8]) -> u32 {
    rec.len()
        .checked_sub(4)
        .and_then(|n| rec.get(n..))
        .and_then(|c| c.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// One decoded operation.
#[derive(Debug)]
pub(crate) enum Op {
    Append {
        mmr: u32,
        key: Option<Key>,
        data: Vec<u8>,
        value: u64,
    },
    Update {
        mmr: u32,
        index: u64,
        data: Vec<u8>,
        value: u64,
    },
    Spend {
        mmr: u32,
        index: u64,
        data: Vec<u8>,
    },
    Block {
        mmr: u32,
        block: Block,
    },
}

/// One decoded record.
#[derive(Debug)]
pub(crate) struct Record {
    /// Offset of the record in the log.
    pub at: u64,
    pub seq: u64,
    pub ops: Vec<Op>,
    pub end: End,
    pub tips: Vec<(u64, Option<Node>)>,
}

fn decode(f: &Frame) -> Result<Record, StorageError> {
    let at = f.at;
    let mut r = R {
        b: f.body,
        at: 0,
        file: WAL,
        base: at + HEAD as u64,
    };
    let seq = r.u64()?;
    let n = r.u32()?;
    let mut ops = Vec::new();
    for _ in 0..n {
        let op_at = r.pos();
        let tag = r.u8()?;
        let mmr = r.u32()?;
        ops.push(match tag {
            APPEND => {
                let key = match r.u8()? {
                    0 => None,
                    1 => {
                        let mut k = [0u8; 32];
                        for b in &mut k {
                            *b = r.u8()?;
                        }
                        Some(k)
                    }
                    _ => return Err(StorageError::corrupt(WAL, op_at, "bad key flag")),
                };
                let data = r.bytes()?.to_vec();
                Op::Append {
                    mmr,
                    key,
                    data,
                    value: r.u64()?,
                }
            }
            UPDATE => Op::Update {
                mmr,
                index: r.u64()?,
                data: r.bytes()?.to_vec(),
                value: r.u64()?,
            },
            SPEND => Op::Spend {
                mmr,
                index: r.u64()?,
                data: r.bytes()?.to_vec(),
            },
            BLOCK => {
                let k = r.u32()?;
                let mut block = Block::default();
                for _ in 0..k {
                    let t_at = r.pos();
                    block.ops.push(match r.u8()? {
                        APPEND => BlockOp::Append {
                            data: r.bytes()?.to_vec(),
                            value: r.u64()?,
                        },
                        UPDATE => BlockOp::Update {
                            index: r.u64()?,
                            data: r.bytes()?.to_vec(),
                            value: r.u64()?,
                        },
                        SPEND => BlockOp::Spend {
                            index: r.u64()?,
                            data: r.bytes()?.to_vec(),
                        },
                        t => {
                            return Err(StorageError::corrupt(
                                WAL,
                                t_at,
                                format!("unknown block op {t}"),
                            ));
                        }
                    });
                }
                Op::Block { mmr, block }
            }
            t => return Err(StorageError::corrupt(WAL, op_at, format!("unknown op {t}"))),
        });
    }
    let end_at = r.pos();
    let end = match r.u8()? {
        0 => End::Commit,
        1 => End::Block,
        e => {
            return Err(StorageError::corrupt(
                WAL,
                end_at,
                format!("unknown end {e}"),
            ));
        }
    };
    let m = r.u32()?;
    let mut tips = Vec::new();
    for _ in 0..m {
        let h = r.u64()?;
        tips.push((h, r.opt_node()?));
    }
    r.done()?;
    Ok(Record {
        at,
        seq,
        ops,
        end,
        tips,
    })
}

/// A record's frame as found in the log, its checksum good.
struct Frame<'a> {
    at: u64,
    base: u64,
    fp: u64,
    synced: u64,
    prev: u32,
    seq: u64,
    /// From the seq to the CRC (excluded).
    body: &'a [u8],
    crc: u32,
    /// Where the next record starts.
    next: u64,
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The record at `at`, if its length fits the file and its checksum is good.
fn frame(b: &[u8], at: u64) -> Option<Frame<'_>> {
    let a = usize::try_from(at).ok()?;
    let rest = b.get(a..)?;
    let len = le64(rest, 0)?;
    if len < MIN_LEN || len > (rest.len() - 8) as u64 {
        return None;
    }
    let whole = &rest[..8 + len as usize];
    let (x, c) = whole.split_at(whole.len() - 4);
    let crc = u32::from_le_bytes(c.try_into().ok()?);
    if crc32fast::hash(x) != crc {
        return None;
    }
    Some(Frame {
        at,
        base: le64(x, 8)?,
        fp: le64(x, 16)?,
        synced: le64(x, 24)?,
        prev: u32::from_le_bytes(x.get(32..36)?.try_into().ok()?),
        seq: le64(x, HEAD)?,
        body: &x[HEAD..],
        crc,
        next: at + 8 + len,
    })
}

/// What the log holds for the manifest it was read against.
#[derive(Debug)]
pub(crate) struct Log {
    /// The records to replay (seq base+1, base+2, ...).
    pub records: Vec<Record>,
    /// The end of the last record (where the next one goes).
    pub end: u64,
    /// The CRC of the last record (the next one's `prev`; 0 if none).
    pub last_crc: u32,
    /// Whether the header is this manifest's (otherwise it is rewritten).
    pub header_current: bool,
}

/// How a log can say that the manifest is not the one it follows.
#[derive(Debug)]
pub(crate) enum Mismatch {
    /// The log follows the later checkpoint `base`: the manifest is an older one put back.
    Older(u64),
    /// A record of the earlier checkpoint the log follows has seq `seq`, at or above the
    /// manifest's: the manifest is ahead of its log (its seq was raised).
    Ahead { seq: u64, at: u64 },
    /// The log follows a manifest of the same seq with other content (a field was edited).
    Edited { at: u64 },
}

/// Reads a log's bytes (the whole file: its real size bounds every allocation) for the
/// manifest of seq `seq` and fingerprint `fp`. The records of this manifest's log are
/// returned for replay; a damaged record that is not a torn tail is `Corrupt` on `wal.bin`
/// at its offset; a log that shows the manifest to be another one than it follows is
/// `Err(Ok(mismatch))`, for the caller to name the manifest.
pub(crate) fn read(b: &[u8], seq: u64, fp: u64) -> Result<Log, Result<Mismatch, StorageError>> {
    let mut log = Log {
        records: Vec::new(),
        end: HEADER,
        last_crc: 0,
        header_current: false,
    };
    if b.len() >= 20 && &b[..8] == MAGIC_V1 {
        // A version-1 log of this or a later checkpoint may hold commits that this build
        // cannot check; one of an earlier checkpoint holds nothing.
        let base = R::sealed(&b[..20], WAL, 0).ok().and_then(|r| le64(r.b, 8));
        if base.is_some_and(|base| base >= seq) {
            return Err(Err(StorageError::corrupt(
                WAL,
                0,
                "log format version 1 may hold commits after the last checkpoint; open the \
                 store with the build that wrote it and checkpoint it first",
            )));
        }
        return Ok(log);
    }
    if b.len() >= HEADER as usize && &b[..8] == MAGIC {
        if let Ok(r) = R::sealed(&b[..HEADER as usize], WAL, 0) {
            let (hb, hfp) = (le64(r.b, 8).unwrap_or(0), le64(r.b, 16).unwrap_or(0));
            if hb > seq {
                return Err(Ok(Mismatch::Older(hb)));
            }
            if hb == seq && hfp != fp {
                return Err(Ok(Mismatch::Edited { at: 0 }));
            }
            log.header_current = hb == seq;
        }
    }
    // The chain of records from the header on.
    let mut at = HEADER;
    let mut last: Option<(u64, u32, u64)> = None; // (seq, crc, base)
    while let Some(f) = frame(b, at) {
        let follows = match last {
            None => f.prev == 0 && f.base.checked_add(1) == Some(f.seq),
            Some((s, c, base)) => f.base == base && s.checked_add(1) == Some(f.seq) && f.prev == c,
        };
        if !follows {
            break;
        }
        if f.base > seq {
            return Err(Ok(Mismatch::Older(f.base)));
        }
        if f.base == seq {
            if f.fp != fp {
                return Err(Ok(Mismatch::Edited { at: f.at }));
            }
            log.records.push(decode(&f).map_err(Err)?);
        } else if f.seq >= seq {
            // Every record of the log of an earlier checkpoint came before it: the
            // checkpoint's seq is above theirs.
            return Err(Ok(Mismatch::Ahead {
                seq: f.seq,
                at: f.at,
            }));
        }
        last = Some((f.seq, f.crc, f.base));
        at = f.next;
    }
    if last.is_some_and(|(_, _, base)| base != seq) {
        return Ok(log); // the log of an earlier checkpoint: nothing to replay
    }
    // This manifest's log ends at `at`. A torn tail only if no record of it that was
    // written after the one expected here was durable follows.
    let want = last.map_or(seq.saturating_add(1), |(s, _, _)| s.saturating_add(1));
    let found = durable_after(b, at, seq, want).map_err(|o| {
        Err(StorageError::corrupt(
            WAL,
            o,
            "the bytes after the end of the log hold more record-like frames than any log \
             leaves (a crafted file)",
        ))
    })?;
    if let Some(f) = found {
        return Err(Err(StorageError::corrupt(
            WAL,
            at,
            format!(
                "the record of commit {want} is damaged or missing, but the record of commit \
                 {} at byte {}, written after commit {want} was durable, follows",
                f.seq, f.at
            ),
        )));
    }
    if let Some((_, crc, _)) = last {
        log.end = at;
        log.last_crc = crc;
    }
    Ok(log)
}

/// A valid record of the log of checkpoint `base` at or after `from` that was written once
/// commit `want` was durable: proof that a record of commit `want` existed and was synced.
/// Every offset is tried (a damaged length hides where the next record starts); only those
/// whose base and synced fields fit are checksummed, and the bytes checksummed are bounded
/// by twice the file (an honest log has few such candidates: the records left after a torn
/// group), so a file crafted with a candidate every few bytes is refused, not a quadratic
/// stall.
fn durable_after(b: &[u8], from: u64, base: u64, want: u64) -> Result<Option<Frame<'_>>, u64> {
    let Ok(from) = usize::try_from(from) else {
        return Ok(None);
    };
    let mut budget = 2 * b.len() as u64 + (1 << 20);
    for o in from..b.len().saturating_sub(HEAD) {
        if le64(b, o + 8) != Some(base) || le64(b, o + 24).is_none_or(|s| s < want) {
            continue;
        }
        let len = le64(b, o).unwrap_or(0);
        if len < MIN_LEN || len > (b.len() - o - 8) as u64 {
            continue;
        }
        budget = budget.checked_sub(len).ok_or(o as u64)?;
        if let Some(f) = frame(b, o as u64).filter(|f| f.synced >= want && f.seq >= want) {
            return Ok(Some(f));
        }
    }
    Ok(None)
}
