//! Export and restore of everything besides the nodes, for persistent stores (the
//! `mmr-storage` crate): the leaf set, the prune list, the horizon, height and oldest
//! retained height, the tip's root and the retained blocks' undo records (D16-D22).
//!
//! A root is an `Option<Node>` here as in the database: `None` is the root of an empty state
//! under a profile that defines no empty root (D11), which every read reports as
//! `empty-root`. A persistent store must record whether the root exists, not a placeholder.
//!
//! A persistent store saves these at each commit and, on reopening, hands them back with a
//! store that holds the committed nodes; [`Optimized::restore`] checks that they fit
//! together and rebuilds the database exactly at that committed block.

use crate::Bits;
use crate::mmr::Optimized;
use crate::store::Store;
use crate::undo::{BlockRecord, Pending};
use mmr_spec::{Config, Node, Profile};
use std::collections::VecDeque;

/// One retained block's undo record (D18, D19), as a persistent store saves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetainedBlock {
    /// The block's height.
    pub height: u64,
    /// Size before the block.
    pub prev_size: u64,
    /// Leaf count before the block.
    pub prev_leaves: u64,
    /// Size after the block.
    pub size: u64,
    /// Leaf count after the block.
    pub leaves: u64,
    /// Root before the block: `None` only if the state before was empty and the profile
    /// defines no empty root (D11). A commit needs a root, so `root` always has one.
    pub prev_root: Option<Node>,
    /// Root after the block.
    pub root: Node,
    /// (position, node before the block) for every position below `prev_size` the block
    /// changed, strictly increasing by position.
    pub changed: Vec<(u64, Node)>,
    /// Leaves below `prev_leaves` the block spent, ascending.
    pub spent: Vec<u64>,
}

/// Everything besides the nodes that a database needs to reopen at its last committed
/// block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persisted {
    /// Height of the last committed block.
    pub height: u64,
    /// Oldest retained height (D19).
    pub oldest: u64,
    /// Compaction horizon (D21).
    pub horizon: u64,
    /// Leaf count of the state at the horizon (the prune list has twice as many bits).
    pub horizon_leaves: u64,
    /// Root of the last committed block: `None` only for an empty state under a profile
    /// without an empty root (D11).
    pub tip_root: Option<Node>,
    /// The committed leaf set; its length is the committed leaf count.
    pub leaf_set: Bits,
    /// The prune list (dropped positions).
    pub pruned: Bits,
    /// Undo records of blocks `oldest + 1 ..= height`, oldest first.
    pub blocks: Vec<RetainedBlock>,
}

impl From<&BlockRecord> for RetainedBlock {
    fn from(r: &BlockRecord) -> Self {
        RetainedBlock {
            height: r.height,
            prev_size: r.prev_size,
            prev_leaves: r.prev_leaves,
            size: r.size,
            leaves: r.leaves,
            prev_root: r.prev_root,
            root: r.root,
            changed: r.changed.clone(),
            spent: r.spent.clone(),
        }
    }
}

impl<P: Profile, S: Store> Optimized<P, S> {
    /// The working leaf set (bit i set iff leaf i is unspent).
    pub fn leaf_bits(&self) -> &Bits {
        &self.leaf_set
    }

    /// The store, mutably, for a persistent store's own bookkeeping after a commit (syncing,
    /// re-mapping, switching files). The caller must not change what the store returns for
    /// any position, nor its length.
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// The prune list as a bitset of dropped positions (D22).
    pub fn pruned_bits(&self) -> &Bits {
        &self.pruned
    }

    /// Leaf count of the state at the horizon.
    pub fn horizon_leaves(&self) -> u64 {
        self.horizon_leaves
    }

    /// The undo record of retained block `height` (`oldest < height <= height()`).
    pub fn retained_block(&self, height: u64) -> Option<RetainedBlock> {
        if height <= self.oldest {
            return None;
        }
        self.record(height).map(RetainedBlock::from)
    }

    /// The persistent part of the last committed state, or `None` while the working state
    /// has uncommitted changes (exactly when `has_pending()`; a working state whose writes
    /// all put back the committed values is the committed state).
    pub fn persisted(&self) -> Option<Persisted> {
        if self.differs_from_tip() {
            return None;
        }
        Some(Persisted {
            height: self.height,
            oldest: self.oldest,
            horizon: self.horizon,
            horizon_leaves: self.horizon_leaves,
            tip_root: self.tip_root,
            leaf_set: self.leaf_set.clone(),
            pruned: self.pruned.clone(),
            blocks: self.blocks.iter().map(RetainedBlock::from).collect(),
        })
    }

    /// Rebuilds a database at a committed block from a store holding exactly that block's
    /// nodes (every position not in the prune list) and the rest of its state. Checks that
    /// the parts fit together (heights, sizes, leaf counts, record order) and says what does
    /// not; it does not re-hash the nodes (a store verifies its own contents).
    pub fn restore(profile: P, store: S, config: Config, state: Persisted) -> Result<Self, String> {
        let size = store.len();
        let leaves = state.leaf_set.len();
        if crate::index::size_for_leaves(leaves) != Some(size) {
            return Err(format!(
                "store size {size} does not match the leaf set's {leaves} leaves"
            ));
        }
        if state.oldest > state.height || state.horizon > state.height {
            return Err(format!(
                "oldest {} or horizon {} above height {}",
                state.oldest, state.horizon, state.height
            ));
        }
        // D11: the root exists unless the state is empty and the profile defines no empty
        // root; for an empty state it is exactly the profile's empty root.
        let empty_root = crate::bagging::root(&profile, 0, &[]).ok();
        if (size == 0 && state.tip_root != empty_root) || (size > 0 && state.tip_root.is_none()) {
            return Err(format!(
                "the recorded root ({}) does not fit a state of size {size}",
                if state.tip_root.is_some() {
                    "present"
                } else {
                    "absent"
                }
            ));
        }
        if state.horizon > state.oldest {
            return Err(format!(
                "horizon {} above oldest {}",
                state.horizon, state.oldest
            ));
        }
        if state.blocks.len() as u64 != state.height - state.oldest {
            return Err(format!(
                "{} undo records for heights {}..={}",
                state.blocks.len(),
                state.oldest + 1,
                state.height
            ));
        }
        let mut prev: Option<&RetainedBlock> = None;
        for (i, b) in state.blocks.iter().enumerate() {
            let want = state.oldest + 1 + i as u64;
            let bad = b.height != want
                || b.size < b.prev_size
                || b.leaves < b.prev_leaves
                || crate::index::size_for_leaves(b.leaves) != Some(b.size)
                || crate::index::size_for_leaves(b.prev_leaves) != Some(b.prev_size)
                || (b.prev_size == 0 && b.prev_root != empty_root)
                || (b.prev_size > 0 && b.prev_root.is_none())
                || b.changed.windows(2).any(|w| w[0].0 >= w[1].0)
                || b.changed.iter().any(|c| c.0 >= b.prev_size)
                || b.spent.windows(2).any(|w| w[0] >= w[1])
                || b.spent.iter().any(|&s| s >= b.prev_leaves)
                || prev.is_some_and(|p| p.size != b.prev_size || Some(p.root) != b.prev_root);
            if bad {
                return Err(format!(
                    "undo record {i} (block {}) is inconsistent",
                    b.height
                ));
            }
            prev = Some(b);
        }
        if let Some(last) = state.blocks.last() {
            if last.size != size || last.leaves != leaves || Some(last.root) != state.tip_root {
                return Err(format!(
                    "the last undo record (block {}) does not end at the stored state",
                    last.height
                ));
            }
        }
        let blocks: VecDeque<BlockRecord> = state
            .blocks
            .into_iter()
            .map(|b| BlockRecord {
                height: b.height,
                prev_size: b.prev_size,
                prev_leaves: b.prev_leaves,
                size: b.size,
                leaves: b.leaves,
                prev_root: b.prev_root,
                root: b.root,
                changed: b.changed,
                spent: b.spent,
            })
            .collect();
        Ok(Optimized {
            profile,
            config,
            store,
            leaf_set: state.leaf_set,
            total: state.tip_root.map_or(0, |r| r.value),
            pruned: state.pruned,
            horizon: state.horizon,
            horizon_leaves: state.horizon_leaves,
            height: state.height,
            oldest: state.oldest,
            tip_size: size,
            tip_leaves: leaves,
            tip_root: state.tip_root,
            blocks,
            pending: Pending::default(),
            savepoint: None,
        })
    }
}
