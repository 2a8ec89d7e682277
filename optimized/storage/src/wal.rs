//! The write-ahead log (STORAGE.md section 3): a commit appends one record holding the
//! operations of its block (a logical redo log) and fdatasyncs the log once; the hash,
//! leaf-set, data and key files are brought up to date only at a checkpoint (the commit
//! protocol of module `db`), every few commits or when the log grows large. Opening the
//! store replays the records after the checkpoint through the same code that made them.
//!
//! `wal.bin` = header `"MMRWAL01" || u64le base || crc32` (base: the manifest seq the log
//! follows), then records `u64le len || body || crc32(body)`, body = `u64le seq || u32 n ||
//! n × op || u8 end || u32 m || m × (u64le height || root?)` (each MMR's height and root
//! after the record, checked on replay). An op is `u8 tag || u32 mmr ||` fields: append `0
//! || u8 keyed || [32-byte key] || data || value`, update `1 || index || data || value`,
//! spend `2 || index || data`, block `3 || u32 k || k × (u8 tag || fields)` (D16
//! apply_block); `end` 0 commits every MMR after the ops, 1 means the block op was the
//! commit. Records follow the header with seq base+1, base+2, ...; the first record that is
//! torn (short or checksum bad) or has another seq ends the log.
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{R, W};
use crate::keys::Key;
use mmr_spec::{Block, BlockOp, Node};

pub(crate) const WAL: &str = "wal.bin";
const MAGIC: &[u8; 8] = b"MMRWAL01";
/// Bytes of the header.
pub(crate) const HEADER: u64 = 20;

/// The header of a log that follows the manifest of `base`.
pub(crate) fn header(base: u64) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.0.extend_from_slice(MAGIC);
    w.u64(base);
    w.seal()
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

    /// The record of commit `seq` ending with `end`, the MMRs then at `tips`; the ops are
    /// consumed.
    pub fn record(&mut self, seq: u64, end: End, tips: &[(u64, Option<Node>)]) -> Vec<u8> {
        let mut w = W(Vec::with_capacity(self.buf.len() + 64));
        w.u64(seq);
        w.u32(self.n);
        w.0.extend_from_slice(&self.buf);
        w.0.push(end as u8);
        w.u32(tips.len() as u32);
        for (h, root) in tips {
            w.u64(*h);
            w.opt_node(root.as_ref());
        }
        let body = w.seal();
        self.clear();
        let mut out = Vec::with_capacity(body.len() + 8);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }
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

fn decode(b: &[u8], at: u64) -> Result<Record, StorageError> {
    let mut r = R::sealed(b, WAL, at + 8)?;
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

/// A record's frame at `at`, if complete: (body, end offset).
fn frame(b: &[u8], at: u64) -> Option<(&[u8], u64)> {
    let a = usize::try_from(at).ok()?;
    let len = u64::from_le_bytes(b.get(a..a.checked_add(8)?)?.try_into().ok()?);
    let len = usize::try_from(len).ok()?;
    let body = b.get(a + 8..(a + 8).checked_add(len)?)?;
    let crc_ok = body.len() >= 4 && {
        let (x, c) = body.split_at(body.len() - 4);
        crc32fast::hash(x).to_le_bytes() == c
    };
    crc_ok.then_some((body, (a + 8 + len) as u64))
}

/// What the log holds.
#[derive(Debug)]
pub(crate) struct Log {
    /// The manifest seq the log follows (`None`: no valid header, nothing to replay).
    pub base: Option<u64>,
    pub records: Vec<Record>,
    /// The end of the last record (where the next one goes).
    pub end: u64,
}

/// Decodes a log's bytes (the whole file: its real size bounds every allocation).
pub(crate) fn read(b: &[u8]) -> Result<Log, StorageError> {
    let mut log = Log {
        base: None,
        records: Vec::new(),
        end: HEADER,
    };
    if b.len() < HEADER as usize || &b[..8] != MAGIC {
        return Ok(log);
    }
    let Ok(mut r) = R::sealed(&b[..HEADER as usize], WAL, 0) else {
        return Ok(log);
    };
    r.at = 8;
    let base = r.u64()?;
    log.base = Some(base);
    let mut at = HEADER;
    let mut want = base + 1;
    loop {
        let Some((body, next)) = frame(b, at) else {
            // Torn or absent. A complete record of the next commit after it would mean that
            // this one was damaged, not torn (records are appended one at a time).
            let a = at as usize;
            let skip = b
                .get(a..a + 8)
                .map(|l| u64::from_le_bytes(l.try_into().unwrap_or([0; 8])));
            if let Some(next) = skip.and_then(|l| at.checked_add(8)?.checked_add(l)) {
                if let Some((body2, _)) = frame(b, next) {
                    if body2.len() >= 8 && body2[..8] == (want + 1).to_le_bytes() {
                        return Err(StorageError::corrupt(
                            WAL,
                            at,
                            format!("record of commit {want} is damaged, and a later one follows"),
                        ));
                    }
                }
            }
            break;
        };
        if body.len() < 8 || body[..8] != want.to_le_bytes() {
            break; // a record of an earlier cycle of the log
        }
        log.records.push(decode(body, at)?);
        at = next;
        want += 1;
    }
    log.end = at;
    Ok(log)
}
