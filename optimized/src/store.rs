//! Node storage: the [`Store`] trait and the in-memory [`MemStore`].
//!
//! The database keeps every node it has not dropped as a (hash, value) pair at its postorder
//! position (D1, D9); the store is a flat array of them. The trait is shaped for a
//! file-backed store as well: nodes are appended at the end (an append-only hash file), read
//! by position (memory-mapped reads), overwritten in place only for leaf updates, rewinds and
//! un-pruning, truncated by rewind, and told after each compaction which positions were
//! dropped (D21), so that it may reclaim them and shift later positions down by the number of
//! dropped positions below them (D22; see [`crate::index`] for the shift arithmetic).

use mmr_spec::Node;

/// Where the database keeps its nodes. Positions are 0-based postorder (D1); `len()` is the
/// working size.
///
/// Contract: the database only calls [`Store::set`] for positions below `len()`, and never
/// reads a position it has dropped (D21) unless it was restored by [`Store::set`] since.
/// Writes are infallible: a persistent store buffers them and makes the committed state
/// durable in [`Store::checkpoint`].
pub trait Store {
    /// Number of positions held (the size of the working MMR).
    fn len(&self) -> u64;
    /// Whether the store holds no positions.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The node at `pos`, or `None` if `pos >= len()` or the store no longer holds it.
    fn get(&self, pos: u64) -> Option<Node>;
    /// Appends a node at position `len()`.
    fn push(&mut self, node: Node);
    /// Appends nodes at positions `len()..`.
    fn extend_from_slice(&mut self, nodes: &[Node]) {
        for n in nodes {
            self.push(*n);
        }
    }
    /// Overwrites the node at `pos < len()` (leaf update, rewind, un-pruning a dropped node).
    fn set(&mut self, pos: u64, node: Node);
    /// Drops every position at or above `len` (rewind).
    fn truncate(&mut self, len: u64);
    /// Capacity hint: about `additional` more nodes will be pushed.
    fn reserve(&mut self, additional: u64) {
        let _ = additional;
    }
    /// Called after a compaction (D21) with the prune list: every set bit is a dropped
    /// position the database will not read again unless restored. A file store may reclaim
    /// them; the in-memory store keeps them in place.
    fn compacted(&mut self, dropped: &crate::Bits) {
        let _ = dropped;
    }
    /// Called after each commit with the committed size; a persistent store syncs here.
    fn checkpoint(&mut self, height: u64, size: u64) {
        let _ = (height, size);
    }
    /// Heap bytes held (for the memory target of the issue).
    fn heap_bytes(&self) -> usize;
}

/// log2 of the nodes per page of [`MemStore`].
const PAGE_BITS: u32 = 10;
/// Nodes per page (40 KiB pages).
const PAGE: usize = 1 << PAGE_BITS;
const MASK: u64 = PAGE as u64 - 1;

/// The in-memory store: nodes at their positions in fixed pages of 1024 nodes (40 bytes
/// each), so growth never copies and never over-allocates by more than one page (the first
/// page grows by doubling, so a small MMR does not take a whole page).
#[derive(Clone, Debug, Default)]
pub struct MemStore {
    pages: Vec<Vec<Node>>,
    len: u64,
}

impl MemStore {
    /// An empty store.
    pub const fn new() -> Self {
        MemStore {
            pages: Vec::new(),
            len: 0,
        }
    }
}

impl Store for MemStore {
    #[inline]
    fn len(&self) -> u64 {
        self.len
    }

    #[inline]
    fn get(&self, pos: u64) -> Option<Node> {
        if pos >= self.len {
            return None;
        }
        self.pages
            .get((pos >> PAGE_BITS) as usize)?
            .get((pos & MASK) as usize)
            .copied()
    }

    #[inline]
    fn push(&mut self, node: Node) {
        if self.len & MASK == 0 && (self.len >> PAGE_BITS) as usize == self.pages.len() {
            let page = if self.pages.is_empty() {
                Vec::new()
            } else {
                Vec::with_capacity(PAGE)
            };
            self.pages.push(page);
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(node);
            self.len += 1;
        }
    }

    fn extend_from_slice(&mut self, mut nodes: &[Node]) {
        while !nodes.is_empty() {
            let room = PAGE - (self.len & MASK) as usize;
            if room == PAGE && (self.len >> PAGE_BITS) as usize == self.pages.len() {
                let page = if self.pages.is_empty() {
                    Vec::with_capacity(nodes.len().min(PAGE))
                } else {
                    Vec::with_capacity(PAGE)
                };
                self.pages.push(page);
            }
            let take = room.min(nodes.len());
            if let Some(page) = self.pages.last_mut() {
                page.extend_from_slice(&nodes[..take]);
            }
            self.len += take as u64;
            nodes = &nodes[take..];
        }
    }

    #[inline]
    fn set(&mut self, pos: u64, node: Node) {
        if pos >= self.len {
            return;
        }
        if let Some(slot) = self
            .pages
            .get_mut((pos >> PAGE_BITS) as usize)
            .and_then(|p| p.get_mut((pos & MASK) as usize))
        {
            *slot = node;
        }
    }

    fn truncate(&mut self, len: u64) {
        if len >= self.len {
            return;
        }
        let pages = len.div_ceil(PAGE as u64) as usize;
        self.pages.truncate(pages);
        if len & MASK != 0 {
            if let Some(p) = self.pages.last_mut() {
                p.truncate((len & MASK) as usize);
            }
        }
        self.len = len;
    }

    fn reserve(&mut self, additional: u64) {
        // Pages are allocated exactly when needed; only the page table is reserved.
        let pages = (additional >> PAGE_BITS) as usize + 1;
        self.pages.reserve(pages);
    }

    fn heap_bytes(&self) -> usize {
        self.pages.capacity() * core::mem::size_of::<Vec<Node>>()
            + self
                .pages
                .iter()
                .map(|p| p.capacity() * core::mem::size_of::<Node>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmr_spec::Hash;

    fn n(i: u64) -> Node {
        Node::new(Hash([i as u8; 32]), i)
    }

    #[test]
    fn push_get_set_truncate_across_pages() {
        let mut s = MemStore::new();
        for i in 0..3000 {
            s.push(n(i));
        }
        assert_eq!(s.len(), 3000);
        assert_eq!(s.get(2047), Some(n(2047)));
        assert_eq!(s.get(3000), None);
        s.set(5, n(99));
        assert_eq!(s.get(5), Some(n(99)));
        s.truncate(2048);
        assert_eq!(s.len(), 2048);
        assert_eq!(s.get(2048), None);
        s.push(n(7));
        assert_eq!(s.get(2048), Some(n(7)));
        s.truncate(1000);
        let more: Vec<Node> = (1000..5000).map(n).collect();
        s.extend_from_slice(&more);
        assert_eq!(s.len(), 5000);
        for i in [999u64, 1000, 1023, 1024, 4999] {
            assert_eq!(s.get(i).map(|x| x.value), Some(i));
        }
        assert_eq!(core::mem::size_of::<Node>(), 40);
        assert!(s.heap_bytes() <= 5120 * 40 + 1024);
    }
}
