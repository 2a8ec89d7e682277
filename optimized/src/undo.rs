//! Per-block states as undo records (SPEC.md D16, D18, D19).
//!
//! The store holds only the working state. Each committed block keeps what it changed: the
//! old value of every node below the previous size whose value differs after the block, the
//! previous size and leaf count, and the leaves it spent that existed before it. Rewinding r
//! blocks replays those records backwards; reading a retained height h reconstructs a node
//! by looking it up in the records of the blocks above h (oldest first: the first record
//! holding the position has its value at h), then in the pending (uncommitted) record. The
//! cost is proportional to what changed and to the number of blocks above h, never to the
//! MMR's size.

use crate::Bits;
use mmr_spec::Node;

/// What block `height` changed (D18), enough to undo it.
#[derive(Clone, Debug)]
pub(crate) struct BlockRecord {
    /// The block's height.
    pub height: u64,
    /// Size and leaf count before the block.
    pub prev_size: u64,
    pub prev_leaves: u64,
    /// Size and leaf count after the block.
    pub size: u64,
    pub leaves: u64,
    /// Roots before and after the block (D11). The state before has no root (`None`) only
    /// if it is empty and the profile defines no empty root; a commit needs a root, so the
    /// state after always has one.
    pub prev_root: Option<Node>,
    pub root: Node,
    /// (position, value before the block) for every position below `prev_size` whose node
    /// differs after the block, strictly increasing by position.
    pub changed: Vec<(u64, Node)>,
    /// Leaves below `prev_leaves` spent by the block, ascending.
    pub spent: Vec<u64>,
}

impl BlockRecord {
    /// The value before this block of a position it changed.
    #[inline]
    pub fn old(&self, pos: u64) -> Option<Node> {
        if pos >= self.prev_size {
            return None;
        }
        self.changed
            .binary_search_by_key(&pos, |e| e.0)
            .ok()
            .map(|i| self.changed[i].1)
    }

    /// Whether this block spent leaf `index` (which existed before it).
    #[inline]
    pub fn spent(&self, index: u64) -> bool {
        self.spent.binary_search(&index).is_ok()
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.changed.capacity() * core::mem::size_of::<(u64, Node)>() + self.spent.capacity() * 8
    }
}

/// The uncommitted changes of the working state relative to the tip (D16).
#[derive(Clone, Debug, Default)]
pub(crate) struct Pending {
    /// (position, value at the tip) of every position below the tip size written since the
    /// last commit, in order of first write; `dirty` marks them.
    pub changed: Vec<(u64, Node)>,
    /// Marks the positions listed in `changed`.
    pub dirty: Bits,
    /// Leaves below the tip's leaf count spent since the last commit.
    pub spent: Vec<u64>,
    /// Whether any mutation succeeded since the last commit or rewind.
    pub mutated: bool,
}

impl Pending {
    /// The tip value of a position written since the last commit.
    pub fn old(&self, pos: u64) -> Option<Node> {
        if !self.dirty.get(pos) {
            return None;
        }
        self.changed.iter().find(|e| e.0 == pos).map(|e| e.1)
    }

    /// Forgets everything (after commit or discard), keeping capacity.
    pub fn clear(&mut self) {
        for &(p, _) in &self.changed {
            self.dirty.set(p, false);
        }
        self.changed.clear();
        self.spent.clear();
        self.mutated = false;
    }
}

/// A savepoint inside the working state, for the all-or-nothing `apply_block` (D16).
#[derive(Clone, Debug, Default)]
pub(crate) struct Savepoint {
    pub size: u64,
    pub leaves: u64,
    pub total: u64,
    pub pending_changed: usize,
    pub pending_spent: usize,
    pub mutated: bool,
    /// Every write below `size` since the savepoint, (position, previous value), in order.
    pub writes: Vec<(u64, Node)>,
    /// Leaves below `leaves` spent since the savepoint.
    pub spent: Vec<u64>,
}
