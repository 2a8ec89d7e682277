//! The leaf-data files (STORAGE.md section 1): each leaf's data as appended, in leaf order,
//! like grin's data file beside its hash file. For a keyed MMR a leaf's record starts with
//! its 32-byte key.
//!
//! `data.{gen}.bin` holds the records back to back; `dataidx.{gen}.bin` holds one u64le per
//! leaf: the end offset of its record, with the top bit set when compaction dropped it (its
//! leaf node was dropped, D21). Records never change after the append (updates and spends
//! change the hash file only), so a rewind is a truncation of both files, and the record of
//! leaf i is the bytes between the end of leaf i-1 and its own end.
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{Change, FileInfo, GenWriter, JFile, read_at};
use crate::io::Io;
use crate::layout::{data_file_name, idx_file_name};
use mmr_optimized::{Bits, index};
use std::path::Path;

/// Top bit of an index entry: the record was dropped by compaction.
const DROPPED: u64 = 1 << 63;
/// Next bit: the leaf's node was updated or spent after its append (at some point; a
/// rewind keeps the mark), so its node no longer commits to the record and the record
/// cannot be checked against it.
const CHANGED: u64 = 1 << 62;
/// The offset bits of an entry.
const OFFSET: u64 = !(DROPPED | CHANGED);

/// The committed leaf-data files and the uncommitted records after them.
#[derive(Debug)]
pub(crate) struct LeafData {
    pub data: JFile,
    pub idx: JFile,
    /// Leaves whose entries are read from the index file (the committed leaf count,
    /// lowered by a rewind).
    base_leaves: u64,
    /// End of the last of those records.
    base_data: u64,
    /// Uncommitted records, appended after `base_data`.
    tail: Vec<u8>,
    /// Their end offsets (with `CHANGED` for a leaf changed before its first commit).
    ends: Vec<u64>,
    /// Committed leaves changed since the commit (their entries get `CHANGED`).
    changed: std::collections::BTreeSet<u64>,
}

/// A planned new generation of both files.
pub(crate) struct DataGeneration {
    pub data: JFile,
    pub idx: JFile,
}

impl LeafData {
    pub fn create(dir: &Path, prefix: &str, io: &mut Io) -> Result<LeafData, StorageError> {
        let data = JFile::create(dir, &data_file_name(prefix, 0), io)?;
        let idx = JFile::create(dir, &idx_file_name(prefix, 0), io)?;
        Ok(LeafData::over(data, idx, 0))
    }

    fn over(data: JFile, idx: JFile, base_data: u64) -> LeafData {
        LeafData {
            base_leaves: idx.len / 8,
            base_data,
            data,
            idx,
            tail: Vec::new(),
            ends: Vec::new(),
            changed: Default::default(),
        }
    }

    /// Opens committed files (already checked against the manifest) for `leaves` leaves.
    pub fn open(data: JFile, idx: JFile, leaves: u64) -> Result<LeafData, StorageError> {
        if Some(idx.len) != leaves.checked_mul(8) {
            return Err(StorageError::corrupt(
                &idx.name,
                idx.len.min(leaves.saturating_mul(8)),
                format!("{} bytes of index for {leaves} leaves", idx.len),
            ));
        }
        let end = match leaves {
            0 => 0,
            n => entry_at(&idx, n - 1)? & OFFSET,
        };
        if end != data.len {
            return Err(StorageError::corrupt(
                &data.name,
                data.len.min(end),
                format!(
                    "the index ends the last record at {end}, the file holds {}",
                    data.len
                ),
            ));
        }
        Ok(LeafData::over(data, idx, end))
    }

    /// The index entry of leaf `i` (< `leaves()`).
    fn entry(&self, i: u64) -> Result<u64, StorageError> {
        if i < self.base_leaves {
            entry_at(&self.idx, i)
        } else {
            self.ends
                .get((i - self.base_leaves) as usize)
                .copied()
                .ok_or_else(|| {
                    StorageError::corrupt(
                        &self.idx.name,
                        8 * i,
                        format!("leaf {i} has no record ({} leaves)", self.leaves()),
                    )
                })
        }
    }

    /// Memory held by records not yet in the files.
    pub fn pending_bytes(&self) -> u64 {
        (self.tail.len() + self.ends.len() * 8 + self.changed.len() * 16) as u64
    }

    pub fn leaves(&self) -> u64 {
        self.base_leaves + self.ends.len() as u64
    }

    /// Whether leaf `i`'s node changed after its append (its record cannot be checked).
    pub fn is_changed(&self, i: u64) -> Result<bool, StorageError> {
        Ok(self.entry(i)? & CHANGED != 0 || self.changed.contains(&i))
    }

    /// Whether leaf `i`'s record was dropped by compaction (its index entry's top bit).
    pub fn is_dropped(&self, i: u64) -> Result<bool, StorageError> {
        Ok(self.entry(i)? & DROPPED != 0)
    }

    /// Marks leaf `i` (< `leaves()`) as updated or spent.
    pub fn mark_changed(&mut self, i: u64) {
        if i >= self.base_leaves {
            if let Some(e) = self.ends.get_mut((i - self.base_leaves) as usize) {
                *e |= CHANGED;
            }
        } else {
            self.changed.insert(i);
        }
    }

    /// Leaf `i`'s record and its offset in the data file; `None` if compaction dropped it.
    pub fn get_at(&self, i: u64) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        let end = self.entry(i)?;
        if end & DROPPED != 0 {
            return Ok(None);
        }
        let end = end & OFFSET;
        let start = if i == 0 {
            0
        } else {
            self.entry(i - 1)? & OFFSET
        };
        if end < start {
            return Err(StorageError::corrupt(
                &self.idx.name,
                8 * i,
                format!("record end {end} before its start {start}"),
            ));
        }
        if start >= self.base_data {
            let a = (start - self.base_data) as usize;
            let b = (end - self.base_data) as usize;
            return Ok(self.tail.get(a..b).map(|r| (start, r.to_vec())));
        }
        if end > self.base_data {
            return Err(StorageError::corrupt(
                &self.idx.name,
                8 * i,
                format!("record end {end} beyond the data file"),
            ));
        }
        read_at(&self.data.file, &self.data.name, start, end - start).map(|r| Some((start, r)))
    }

    /// Leaf `i`'s record; `None` if compaction dropped it.
    pub fn get(&self, i: u64) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.get_at(i)?.map(|(_, r)| r))
    }

    /// Appends the next leaf's record (its parts concatenated).
    pub fn push(&mut self, parts: &[&[u8]]) {
        for p in parts {
            self.tail.extend_from_slice(p);
        }
        self.ends.push(self.base_data + self.tail.len() as u64);
    }

    /// End offset (without marks) of the last uncommitted record.
    fn tail_end(&self) -> u64 {
        self.ends.last().map_or(self.base_data, |&e| e & OFFSET)
    }

    /// Drops records beyond leaf `leaves` (uncommitted first, then committed ones: the next
    /// commit truncates the files).
    pub fn truncate(&mut self, leaves: u64) -> Result<(), StorageError> {
        if leaves >= self.base_leaves {
            let keep = (leaves - self.base_leaves) as usize;
            if keep < self.ends.len() {
                self.ends.truncate(keep);
                let end = self.tail_end();
                self.tail.truncate((end - self.base_data) as usize);
            }
            return Ok(());
        }
        self.tail.clear();
        self.ends.clear();
        self.changed.retain(|&i| i < leaves);
        self.base_data = match leaves {
            0 => 0,
            n => self.entry(n - 1)? & OFFSET,
        };
        self.base_leaves = leaves;
        Ok(())
    }

    /// The in-place changes of the next commit: (data, index): the new records, their
    /// entries, and the `CHANGED` mark on the entries of committed leaves changed since.
    pub fn plan(&self) -> Result<(Change, Change), StorageError> {
        let mut writes: Vec<(u64, Vec<u8>)> = Vec::new();
        for &i in &self.changed {
            let e = entry_at(&self.idx, i)?;
            if e & CHANGED != 0 {
                continue;
            }
            let b = (e | CHANGED).to_le_bytes();
            match writes.last_mut() {
                Some((o, v)) if *o + v.len() as u64 == 8 * i => v.extend_from_slice(&b),
                _ => writes.push((8 * i, b.to_vec())),
            }
        }
        let mut ib = Vec::with_capacity(self.ends.len() * 8);
        for e in &self.ends {
            ib.extend_from_slice(&e.to_le_bytes());
        }
        if !ib.is_empty() {
            writes.push((self.base_leaves * 8, ib));
        }
        let idx = Change {
            new_len: (self.base_leaves + self.ends.len() as u64) * 8,
            writes,
        };
        let data = Change {
            new_len: self.base_data + self.tail.len() as u64,
            writes: if self.tail.is_empty() {
                vec![]
            } else {
                vec![(self.base_data, self.tail.clone())]
            },
        };
        Ok((data, idx))
    }

    /// Writes a new generation holding every record except those of leaves whose node is
    /// in `pruned` (and those already dropped), synced.
    pub fn write_generation(
        &self,
        dir: &Path,
        prefix: &str,
        generation: u64,
        io: &mut Io,
        pruned: &Bits,
    ) -> Result<DataGeneration, StorageError> {
        let mut data = GenWriter::create(dir, &data_file_name(prefix, generation), io)?;
        let mut idx = GenWriter::create(dir, &idx_file_name(prefix, generation), io)?;
        for i in 0..self.leaves() {
            let pos = index::leaf_to_pos(i).unwrap_or(u64::MAX);
            let rec = if pruned.get(pos) { None } else { self.get(i)? };
            let mark = if self.is_changed(i)? { CHANGED } else { 0 };
            let end = match rec {
                Some(r) => {
                    data.push(io, &r)?;
                    data.len() | mark
                }
                None => data.len() | DROPPED | mark,
            };
            idx.push(io, &end.to_le_bytes())?;
        }
        Ok(DataGeneration {
            data: data.finish(io)?,
            idx: idx.finish(io)?,
        })
    }

    /// After a committed in-place change (the JFiles were applied) or a new generation.
    pub fn settle(&mut self, new: Option<DataGeneration>) {
        if let Some(g) = new {
            self.data = g.data;
            self.idx = g.idx;
        }
        self.base_leaves = self.idx.len / 8;
        self.base_data = self.data.len;
        self.tail.clear();
        self.ends.clear();
        self.changed.clear();
    }

    /// The manifest's entries for both files (`new`: a generation about to be committed).
    pub fn infos(&self, new: Option<&DataGeneration>) -> [FileInfo; 2] {
        match new {
            Some(g) => [g.data.info(), g.idx.info()],
            None => [self.data.info(), self.idx.info()],
        }
    }
}

fn entry_at(idx: &JFile, i: u64) -> Result<u64, StorageError> {
    let b = read_at(&idx.file, &idx.name, 8 * i, 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(&b);
    Ok(u64::from_le_bytes(a))
}
