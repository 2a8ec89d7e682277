//! [`FileStore`]: the `mmr_optimized::Store` over the hash file.
//!
//! The hash file holds one 40-byte record per kept position (32-byte hash, u64le value),
//! in position order, with the positions of the prune list left out (a compacted
//! generation, D22): the record of position p sits at slot `p - rank(p)`, rank(p) being the
//! number of dropped positions below p. Committed records are read through a memory map;
//! uncommitted writes stay in memory (an overlay for positions below the committed size, a
//! tail for new ones) until the database commits (`PersistentDb`).
#![forbid(unsafe_code)]

use crate::files::{Change, GenWriter, JFile};
use crate::sys::Map;
use mmr_optimized::{Bits, Store};
use mmr_spec::{Hash, Node};
use std::collections::HashMap;

pub const RECORD: u64 = 40;

/// Which positions have no record in the current generation (the prune list when it was
/// written), with a rank table for the slot arithmetic.
#[derive(Clone, Debug, Default)]
pub(crate) struct Gaps {
    words: Vec<u64>,
    /// Gaps below each word.
    ranks: Vec<u64>,
    pub total: u64,
}

impl Gaps {
    pub fn from_bits(bits: &Bits, limit: u64) -> Gaps {
        let nwords = limit.div_ceil(64) as usize;
        let mut words = vec![0u64; nwords];
        for p in bits.ones().take_while(|&p| p < limit) {
            words[(p >> 6) as usize] |= 1 << (p & 63);
        }
        let mut ranks = Vec::with_capacity(nwords);
        let mut acc = 0u64;
        for w in &words {
            ranks.push(acc);
            acc += u64::from(w.count_ones());
        }
        Gaps {
            words,
            ranks,
            total: acc,
        }
    }

    #[inline]
    pub fn is_gap(&self, p: u64) -> bool {
        self.words
            .get((p >> 6) as usize)
            .is_some_and(|w| (w >> (p & 63)) & 1 == 1)
    }

    /// Number of gaps below `p`.
    #[inline]
    pub fn rank(&self, p: u64) -> u64 {
        let i = (p >> 6) as usize;
        match self.words.get(i) {
            Some(w) => self.ranks[i] + u64::from((w & ((1u64 << (p & 63)) - 1)).count_ones()),
            None => self.total,
        }
    }

    pub fn heap_bytes(&self) -> usize {
        (self.words.capacity() + self.ranks.capacity()) * 8
    }
}

/// The file-backed node store.
#[derive(Debug)]
pub struct FileStore {
    pub(crate) file: JFile,
    pub(crate) map: Map,
    pub(crate) generation: u64,
    pub(crate) gaps: Gaps,
    /// Positions below this are read from the file unless overlaid (the committed size,
    /// lowered by truncation).
    base_len: u64,
    overlay: HashMap<u64, Node>,
    tail: Vec<Node>,
    /// A compaction or un-pruning changed which positions have records: the next commit
    /// writes a new generation.
    pub(crate) gaps_dirty: bool,
}

/// What a commit does to the hash file.
pub(crate) enum HashPlan {
    /// Change the current generation in place.
    InPlace(Change),
    /// Write a new generation without the positions of this prune list.
    Rewrite,
}

pub(crate) fn encode_node(n: &Node, out: &mut Vec<u8>) {
    out.extend_from_slice(&n.hash.0);
    out.extend_from_slice(&n.value.to_le_bytes());
}

impl FileStore {
    /// A store over a committed hash file of `size` positions with these gaps.
    pub(crate) fn new(
        file: JFile,
        generation: u64,
        gaps: Gaps,
        size: u64,
    ) -> Result<FileStore, crate::StorageError> {
        let slots = size - gaps.total.min(size);
        if Some(file.len) != slots.checked_mul(RECORD) {
            return Err(crate::StorageError::corrupt(
                &file.name,
                file.len.min(slots.saturating_mul(RECORD)),
                format!(
                    "hash file holds {} bytes, but {size} positions less {} dropped need {}",
                    file.len,
                    gaps.total,
                    slots.saturating_mul(RECORD)
                ),
            ));
        }
        let mut map = Map::default();
        map.remap(&file.file, file.len)
            .map_err(|e| crate::StorageError::io(&file.name, 0, &e))?;
        Ok(FileStore {
            file,
            map,
            generation,
            gaps,
            base_len: size,
            overlay: HashMap::new(),
            tail: Vec::new(),
            gaps_dirty: false,
        })
    }

    #[inline]
    fn slot(&self, pos: u64) -> u64 {
        pos - self.gaps.rank(pos)
    }

    /// The committed record of `pos` (ignoring uncommitted writes); `None` for a gap or a
    /// position past the committed records.
    #[inline]
    pub(crate) fn committed(&self, pos: u64) -> Option<Node> {
        if self.gaps.is_gap(pos) {
            return None;
        }
        let off = (self.slot(pos) * RECORD) as usize;
        let r = self.map.bytes().get(off..off + RECORD as usize)?;
        let mut h = [0u8; 32];
        h.copy_from_slice(&r[..32]);
        let mut v = [0u8; 8];
        v.copy_from_slice(&r[32..]);
        Some(Node::new(Hash(h), u64::from_le_bytes(v)))
    }

    /// Byte offset in the hash file of `pos`'s record.
    pub(crate) fn offset_of(&self, pos: u64) -> u64 {
        self.slot(pos) * RECORD
    }

    /// The change a commit makes to the hash file.
    pub(crate) fn plan(&self) -> HashPlan {
        if self.gaps_dirty || self.overlay.keys().any(|&p| self.gaps.is_gap(p)) {
            return HashPlan::Rewrite;
        }
        let mut writes = Vec::new();
        let mut keys: Vec<u64> = self.overlay.keys().copied().collect();
        keys.sort_unstable();
        for p in keys {
            let mut b = Vec::with_capacity(RECORD as usize);
            encode_node(&self.overlay[&p], &mut b);
            writes.push((self.slot(p) * RECORD, b));
        }
        if !self.tail.is_empty() {
            let mut b = Vec::with_capacity(self.tail.len() * RECORD as usize);
            for n in &self.tail {
                encode_node(n, &mut b);
            }
            writes.push((self.slot(self.base_len) * RECORD, b));
        }
        let new_len = (self.len() - self.gaps.total.min(self.len())) * RECORD;
        HashPlan::InPlace(Change { writes, new_len })
    }

    /// Memory held by changes not yet in the file (an estimate: overlay entries and tail
    /// nodes).
    pub(crate) fn pending_bytes(&self) -> u64 {
        (self.overlay.len() * 64 + self.tail.len() * core::mem::size_of::<Node>()) as u64
    }

    /// Drops the map before the file is shrunk or replaced (module `sys`).
    pub(crate) fn unmap(&mut self) {
        self.map.clear();
    }

    /// After a committed in-place change: everything is in the file now.
    pub(crate) fn settle(&mut self) -> Result<(), crate::StorageError> {
        self.base_len = self.len();
        self.overlay.clear();
        self.tail.clear();
        self.tail.shrink_to(1 << 16);
        self.map
            .remap(&self.file.file, self.file.len)
            .map_err(|e| crate::StorageError::io(&self.file.name, 0, &e))
    }

    /// After a committed new generation: switch to its file and gaps.
    pub(crate) fn switch(
        &mut self,
        file: JFile,
        generation: u64,
        gaps: Gaps,
    ) -> Result<(), crate::StorageError> {
        self.map.clear();
        self.file = file;
        self.generation = generation;
        self.gaps = gaps;
        self.gaps_dirty = false;
        self.settle()
    }

    /// Writes a new generation file holding every position below `len()` that is not in
    /// `pruned`, in order, through `io` (so faults can hit it), and syncs it.
    pub(crate) fn write_generation(
        &self,
        dir: &std::path::Path,
        name: &str,
        io: &mut crate::io::Io,
        pruned: &Bits,
    ) -> Result<(JFile, Gaps), crate::StorageError> {
        let mut w = GenWriter::create(dir, name, io)?;
        let len = self.len();
        let gaps = Gaps::from_bits(pruned, len);
        let mut rec = Vec::with_capacity(RECORD as usize);
        for p in 0..len {
            if gaps.is_gap(p) {
                continue;
            }
            let n = self.get(p).ok_or_else(|| {
                crate::StorageError::corrupt(
                    &self.file.name,
                    self.offset_of(p),
                    format!("kept position {p} has no record"),
                )
            })?;
            rec.clear();
            encode_node(&n, &mut rec);
            w.push(io, &rec)?;
        }
        Ok((w.finish(io)?, gaps))
    }
}

impl Store for FileStore {
    #[inline]
    fn len(&self) -> u64 {
        self.base_len + self.tail.len() as u64
    }

    #[inline]
    fn get(&self, pos: u64) -> Option<Node> {
        if pos >= self.base_len {
            return self.tail.get((pos - self.base_len) as usize).copied();
        }
        if !self.overlay.is_empty() {
            if let Some(n) = self.overlay.get(&pos) {
                return Some(*n);
            }
        }
        self.committed(pos)
    }

    #[inline]
    fn push(&mut self, node: Node) {
        self.tail.push(node);
    }

    fn extend_from_slice(&mut self, nodes: &[Node]) {
        self.tail.extend_from_slice(nodes);
    }

    #[inline]
    fn set(&mut self, pos: u64, node: Node) {
        if pos >= self.base_len {
            if let Some(slot) = self.tail.get_mut((pos - self.base_len) as usize) {
                *slot = node;
            }
            return;
        }
        if self.gaps.is_gap(pos) {
            self.gaps_dirty = true;
        }
        self.overlay.insert(pos, node);
    }

    fn truncate(&mut self, len: u64) {
        if len >= self.base_len {
            self.tail.truncate((len - self.base_len) as usize);
            return;
        }
        self.tail.clear();
        self.base_len = len;
        self.overlay.retain(|&p, _| p < len);
    }

    fn reserve(&mut self, additional: u64) {
        self.tail.reserve(additional.min(1 << 24) as usize);
    }

    fn compacted(&mut self, _dropped: &Bits) {
        self.gaps_dirty = true;
    }

    fn heap_bytes(&self) -> usize {
        self.tail.capacity() * core::mem::size_of::<Node>()
            + self.overlay.capacity() * (8 + core::mem::size_of::<Node>())
            + self.gaps.heap_bytes()
            + self.file.crcs.capacity() * 4
    }
}
