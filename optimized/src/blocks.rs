//! Blocks and retained states (SPEC.md D16-D19): commit, all-or-nothing block application,
//! MMR sets, rewind. Each block is kept as an undo record ([`crate::undo`]).

use crate::mmr::{Optimized, View};
use crate::store::Store;
use crate::undo::{BlockRecord, Savepoint};
use mmr_spec::{Block, BlockInfo, BlockOp, Error, MmrSet, Node, Profile};

impl<P: Profile, S: Store> Optimized<P, S> {
    /// D16 commit, with the working root already computed.
    pub(crate) fn commit_with_root(&mut self, root: Node) -> BlockInfo {
        let size = self.store.len();
        let leaves = self.leaves();
        let mut changed = core::mem::take(&mut self.pending.changed);
        for &(p, _) in &changed {
            self.pending.dirty.set(p, false);
        }
        changed.sort_unstable_by_key(|e| e.0);
        // D18: an identical rewrite is not a change.
        changed.retain(|&(p, old)| self.store.get(p) != Some(old));
        changed.shrink_to_fit();
        let mut spent = core::mem::take(&mut self.pending.spent);
        spent.sort_unstable();
        self.pending.mutated = false;
        self.height += 1;
        self.blocks.push_back(BlockRecord {
            height: self.height,
            prev_size: self.tip_size,
            prev_leaves: self.tip_leaves,
            size,
            leaves,
            prev_root: self.tip_root,
            root,
            changed,
            spent,
        });
        self.tip_size = size;
        self.tip_leaves = leaves;
        self.tip_root = Some(root);
        // D19: oldest rises to height - K.
        let oldest = self.height.saturating_sub(self.config.retain);
        self.raise_oldest(oldest);
        self.store.checkpoint(self.height, size);
        BlockInfo {
            height: self.height,
            size,
            leaf_count: leaves,
            root,
        }
    }

    /// Raises `oldest` (never lowers it) and forgets the records no retained state needs:
    /// block b's record serves reads of state b - 1, so blocks at or below `oldest` go.
    pub(crate) fn raise_oldest(&mut self, to: u64) {
        self.oldest = self.oldest.max(to);
        while self.blocks.front().is_some_and(|r| r.height <= self.oldest) {
            self.blocks.pop_front();
        }
    }

    /// D16 commit.
    pub(crate) fn commit_block(&mut self) -> Result<BlockInfo, Error> {
        let v = self.view(mmr_spec::At::Current)?;
        let root = self.view_root(&v)?;
        Ok(self.commit_with_root(root))
    }

    /// D16 apply_block: every op in order, all or nothing, then commit.
    pub(crate) fn apply(&mut self, block: &Block) -> Result<BlockInfo, Error> {
        self.savepoint = Some(Savepoint {
            size: self.store.len(),
            leaves: self.leaves(),
            total: self.total,
            pending_changed: self.pending.changed.len(),
            pending_spent: self.pending.spent.len(),
            mutated: self.pending.mutated,
            writes: Vec::new(),
            spent: Vec::new(),
        });
        for (j, op) in block.ops.iter().enumerate() {
            let r = match op {
                BlockOp::Append { data, value } => self.append_leaf(data, *value).map(|_| ()),
                BlockOp::Update { index, data, value } => self.update_leaf(*index, data, *value),
                BlockOp::Spend { index, data } => self.spend_leaf(*index, data),
            };
            if let Err(e) = r {
                self.restore_savepoint();
                return Err(Error::InBlock {
                    op: j as u64,
                    error: Box::new(e),
                });
            }
        }
        let v = self.view(mmr_spec::At::Current)?;
        match self.view_root(&v) {
            Ok(root) => {
                self.savepoint = None;
                Ok(self.commit_with_root(root))
            }
            Err(e) => {
                self.restore_savepoint();
                Err(e)
            }
        }
    }

    /// Undoes everything since the savepoint.
    fn restore_savepoint(&mut self) {
        let Some(sp) = self.savepoint.take() else {
            return;
        };
        for &(p, old) in sp.writes.iter().rev() {
            self.store.set(p, old);
        }
        self.store.truncate(sp.size);
        self.leaf_set.truncate(sp.leaves);
        for &i in &sp.spent {
            self.leaf_set.set(i, true);
        }
        self.total = sp.total;
        for &(p, _) in &self.pending.changed[sp.pending_changed..] {
            self.pending.dirty.set(p, false);
        }
        self.pending.changed.truncate(sp.pending_changed);
        self.pending.spent.truncate(sp.pending_spent);
        self.pending.mutated = sp.mutated;
    }

    /// Drops the uncommitted changes: the working state becomes the tip's again.
    pub(crate) fn discard_pending(&mut self) {
        for &(p, old) in &self.pending.changed {
            self.store.set(p, old);
        }
        self.store.truncate(self.tip_size);
        self.leaf_set.truncate(self.tip_leaves);
        for &i in &self.pending.spent {
            self.leaf_set.set(i, true);
        }
        self.total = self.tip_root.map_or(0, |r| r.value);
        self.pending.clear();
    }

    /// The checks D19 (rewind) and D21 (compaction) make of a target height, in their order:
    /// `future-height`, `below-horizon`, `not-retained`.
    pub(crate) fn check_target_height(&self, h: u64) -> Result<(), Error> {
        if h > self.height {
            return Err(Error::FutureHeight {
                height: h,
                tip: self.height,
            });
        }
        if h < self.horizon {
            return Err(Error::BelowHorizon {
                height: h,
                horizon: self.horizon,
            });
        }
        if h < self.oldest {
            return Err(Error::NotRetained {
                height: h,
                oldest: self.oldest,
            });
        }
        Ok(())
    }

    /// D19 rewind.
    pub(crate) fn rewind_to(&mut self, h: u64) -> Result<(), Error> {
        self.check_target_height(h)?;
        if self.pending.mutated {
            self.discard_pending();
        }
        while self.height > h {
            let Some(r) = self.blocks.pop_back() else {
                break;
            };
            for &(p, old) in &r.changed {
                self.store.set(p, old);
            }
            self.store.truncate(r.prev_size);
            self.leaf_set.truncate(r.prev_leaves);
            for &i in &r.spent {
                self.leaf_set.set(i, true);
            }
            self.height -= 1;
            self.tip_size = r.prev_size;
            self.tip_leaves = r.prev_leaves;
            self.tip_root = r.prev_root;
        }
        self.total = self.tip_root.map_or(0, |r| r.value);
        Ok(())
    }

    /// D18 MMR set of block `h`.
    pub(crate) fn block_set(&self, h: u64) -> Result<MmrSet, Error> {
        if h > self.height {
            return Err(Error::FutureHeight {
                height: h,
                tip: self.height,
            });
        }
        let r = match self.record(h) {
            Some(r) if h > self.oldest => r,
            _ => {
                return Err(Error::NotRetained {
                    height: h,
                    oldest: self.oldest,
                });
            }
        };
        // D11: the set reports both roots, so an empty previous state without a root fails.
        let prev_root = r.prev_root.ok_or(Error::EmptyRoot)?;
        let v = View {
            size: r.size,
            leaves: r.leaves,
            block: Some(h),
        };
        let created = r.size - r.prev_size;
        let mut nodes = Vec::with_capacity(r.changed.len() + created as usize);
        for &(p, _) in &r.changed {
            nodes.push((p, self.view_node(&v, p)?));
        }
        for p in r.prev_size..r.size {
            nodes.push((p, self.view_node(&v, p)?));
        }
        Ok(MmrSet {
            height: h,
            prev_size: r.prev_size,
            prev_root,
            size: r.size,
            root: r.root,
            nodes,
        })
    }
}
