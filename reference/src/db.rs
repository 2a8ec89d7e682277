//! The reference proof database (SPEC.md D12-D23): [`Reference`] implements
//! [`mmr_spec::ProofDb`] over the layered (row, entry) maps of [`crate::layers`].

use crate::addr::{self, Addr, MAX_LEAVES};
use crate::layers::{States, View};
use crate::proof::{self, pos_of};
use crate::{bagging, batch, prune};
use mmr_spec::{
    At, BatchProof, Block, BlockInfo, BlockOp, CompactReport, Config, Error, MmrSet, Node, Profile,
    Proof, ProofDb, StateInfo, checked_total, encode_leaf_set, encode_prune_list, leaf_node,
    parent_node,
};
use std::collections::BTreeSet;

/// The reference MMR proof database: every definition of SPEC.md executed as directly as
/// possible, nodes kept in (row, entry) maps layered per block (D5, D18, D19).
#[derive(Clone, Debug)]
pub struct Reference<P: Profile> {
    profile: P,
    config: Config,
    /// Height of the last committed block (D16).
    height: u64,
    /// The oldest retained height (D19).
    oldest: u64,
    /// The compaction horizon (D21).
    horizon: u64,
    /// The leaf count of the state at the horizon, which sizes the prune list (D22).
    horizon_leaves: u64,
    states: States,
    /// The prune list: every node dropped by compaction (D21, D22).
    dropped: BTreeSet<Addr>,
}

impl<P: Profile> Reference<P> {
    /// A new database holding genesis, the empty MMR at height 0 (D16), keeping
    /// `config.retain` past states (D19).
    pub fn new(profile: P, config: Config) -> Self {
        Reference {
            profile,
            config,
            height: 0,
            oldest: 0,
            horizon: 0,
            horizon_leaves: 0,
            states: States::genesis(),
            dropped: BTreeSet::new(),
        }
    }

    /// D19: resolves a read's state, `future-height` above the tip, `not-retained` below
    /// the oldest retained height.
    fn view(&self, at: At) -> Result<View, Error> {
        match at {
            At::Current => Ok(View::Current),
            At::Block(h) if h > self.height => Err(Error::FutureHeight {
                height: h,
                tip: self.height,
            }),
            At::Block(h) if h < self.oldest => Err(Error::NotRetained {
                height: h,
                oldest: self.oldest,
            }),
            At::Block(h) => Ok(View::Block(h)),
        }
    }

    /// D4: the size of a view, from its leaf count (at most 2^63 by D8).
    fn size_at(&self, v: View) -> Result<u64, Error> {
        let n = self.states.leaf_count(v);
        addr::size_of(n).ok_or(Error::CapacityExceeded { leaf_count: n })
    }

    /// A stored node: `pruned` if compaction dropped it (D19, D21).
    fn get(&self, v: View, a: Addr) -> Result<Node, Error> {
        if self.dropped.contains(&a) {
            return Err(Error::Pruned { pos: pos_of(a)? });
        }
        self.states
            .node(v, a)
            .ok_or(Error::Pruned { pos: pos_of(a)? })
    }

    /// D6: the peak nodes of a view, left to right (peaks are never dropped, D21).
    fn peaks(&self, v: View) -> Result<Vec<Node>, Error> {
        let n = self.states.leaf_count(v);
        addr::peaks(n).into_iter().map(|a| self.get(v, a)).collect()
    }

    /// The observable summary of a view: size, leaf count, root (D11) and peaks.
    fn info(&self, v: View) -> Result<StateInfo, Error> {
        let size = self.size_at(v)?;
        let peaks = self.peaks(v)?;
        Ok(StateInfo {
            size,
            leaf_count: self.states.leaf_count(v),
            root: bagging::root(&self.profile, size, &peaks)?,
            peaks,
        })
    }

    /// D12 checks shared by update and spend, in order: the index in range, the leaf not
    /// dropped (`pruned`), the leaf unspent (`leaf-spent`). Returns the leaf's node.
    fn mutable_leaf(&self, index: u64) -> Result<Node, Error> {
        let n = self.states.leaf_count(View::Current);
        if index >= n {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: n,
            });
        }
        let leaf = self.get(View::Current, Addr::leaf(index))?;
        if self.states.is_spent(View::Current, index) {
            return Err(Error::LeafSpent { index });
        }
        Ok(leaf)
    }

    /// D12: the writes that replace leaf `index` by `leaf` and rewrite every ancestor up to
    /// its peak (computed in full before anything is written, so failure changes nothing).
    fn leaf_rewrite(&self, index: u64, leaf: Node) -> Result<Vec<(Addr, Node)>, Error> {
        let n = self.states.leaf_count(View::Current);
        let mut at = Addr::leaf(index);
        let mut cur = leaf;
        let mut writes = vec![(at, cur)];
        while let Some(up) = addr::parent(at).filter(|u| addr::exists(*u, n)) {
            let sibling = self.get(View::Current, addr::sibling(at))?;
            cur = if addr::is_left(at) {
                parent_node(&self.profile, pos_of(up)?, &cur, &sibling)?
            } else {
                parent_node(&self.profile, pos_of(up)?, &sibling, &cur)?
            };
            at = up;
            writes.push((at, cur));
        }
        Ok(writes)
    }

    /// Writes nodes into the working state (D16).
    fn write_all(&mut self, writes: Vec<(Addr, Node)>) {
        for (a, node) in writes {
            self.states.write(self.height, a, node);
        }
    }

    /// The total value of the working state (D9).
    fn total(&self) -> Result<u64, Error> {
        checked_total(&self.peaks(View::Current)?)
    }

    /// D16: one operation of a block.
    fn apply_op(&mut self, op: &BlockOp) -> Result<(), Error> {
        match op {
            BlockOp::Append { data, value } => self.append(data, *value).map(|_| ()),
            BlockOp::Update { index, data, value } => self.update(*index, data, *value),
            BlockOp::Spend { index, data } => self.spend(*index, data),
        }
    }

    /// D19/D21: the checks of rewind and compact, in order: `future-height`,
    /// `below-horizon`, `not-retained`.
    fn check_target(&self, h: u64) -> Result<(), Error> {
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

    /// D19: raises the oldest retained height (never lowers it) and merges the states that
    /// fell out of retention into the base.
    fn raise_oldest(&mut self, to: u64) {
        self.oldest = self.oldest.max(to);
        self.states.merge_to(self.oldest);
    }
}

impl<P: Profile> ProofDb for Reference<P> {
    fn profile(&self) -> &dyn Profile {
        &self.profile
    }

    fn config(&self) -> Config {
        self.config
    }

    fn height(&self) -> u64 {
        self.height
    }

    fn oldest(&self) -> u64 {
        self.oldest
    }

    fn horizon(&self) -> u64 {
        self.horizon
    }

    fn has_pending(&self) -> bool {
        self.states.has_pending(self.height)
    }

    fn size(&self) -> u64 {
        self.size_at(View::Current).unwrap_or(u64::MAX)
    }

    fn leaf_count(&self) -> u64 {
        self.states.leaf_count(View::Current)
    }

    fn state(&self, at: At) -> Result<StateInfo, Error> {
        self.info(self.view(at)?)
    }

    /// D19 `node`: `position-out-of-range` at or beyond the size, `pruned` if dropped.
    fn node(&self, at: At, pos: u64) -> Result<Node, Error> {
        let v = self.view(at)?;
        let size = self.size_at(v)?;
        if pos >= size {
            return Err(Error::PositionOutOfRange { pos, size });
        }
        let a = addr::addr_of(pos).ok_or(Error::PositionOutOfRange { pos, size })?;
        self.get(v, a)
    }

    /// D12/D20: whether a leaf is in the leaf set.
    fn is_unspent(&self, at: At, index: u64) -> Result<bool, Error> {
        let v = self.view(at)?;
        let n = self.states.leaf_count(v);
        if index >= n {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: n,
            });
        }
        Ok(!self.states.is_spent(v, index))
    }

    /// D20: the leaf set in MWEB's layout.
    fn leaf_set(&self, at: At) -> Result<Vec<u8>, Error> {
        let v = self.view(at)?;
        let n = self.states.leaf_count(v);
        let spent = self.states.spent(v);
        Ok(encode_leaf_set(n, (0..n).filter(|i| !spent.contains(i))))
    }

    /// D22: the dropped positions as a bitset of 2·n_h bits.
    fn prune_list(&self) -> Vec<u8> {
        let positions = self.dropped.iter().filter_map(|a| addr::position(*a));
        encode_prune_list(self.horizon_leaves, positions)
    }

    /// D18: the nodes block `h` created or changed, with the states it joins.
    fn mmr_set(&self, h: u64) -> Result<MmrSet, Error> {
        if h > self.height {
            return Err(Error::FutureHeight {
                height: h,
                tip: self.height,
            });
        }
        let layer = match self.states.block(h) {
            Some(layer) if h > self.oldest => layer,
            _ => {
                return Err(Error::NotRetained {
                    height: h,
                    oldest: self.oldest,
                });
            }
        };
        let before = self.info(View::Block(h - 1))?;
        let after = self.info(View::Block(h))?;
        let mut nodes = layer
            .nodes
            .iter()
            .map(|(a, n)| Ok((pos_of(*a)?, *n)))
            .collect::<Result<Vec<(u64, Node)>, Error>>()?;
        nodes.sort_by_key(|(pos, _)| *pos);
        Ok(MmrSet {
            height: h,
            prev_size: before.size,
            prev_root: before.root,
            size: after.size,
            root: after.root,
            nodes,
        })
    }

    /// D13/D19 `prove`: `leaf-index-out-of-range`, then `pruned` naming the leaf or the
    /// first dropped sibling bottom up.
    fn prove(&self, at: At, index: u64) -> Result<Proof, Error> {
        let v = self.view(at)?;
        let n = self.states.leaf_count(v);
        if index >= n {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: n,
            });
        }
        let peaks = self.peaks(v)?;
        let size = self.size_at(v)?;
        proof::build(&self.profile, size, n, index, &peaks, |a| self.get(v, a))
    }

    /// D15 proving.
    fn prove_batch(&self, at: At, indices: &[u64]) -> Result<BatchProof, Error> {
        let v = self.view(at)?;
        let n = self.states.leaf_count(v);
        batch::build(self.size_at(v)?, n, indices, |a| self.get(v, a))
    }

    /// D14.
    fn verify_node(&self, root: &Node, proof: &Proof, leaf: &Node) -> Result<(), Error> {
        proof::verify(&self.profile, root, proof, leaf)
    }

    /// D15 verification.
    fn verify_batch_nodes(
        &self,
        root: &Node,
        proof: &BatchProof,
        leaves: &[Node],
    ) -> Result<(), Error> {
        batch::verify(&self.profile, root, proof, leaves)
    }

    /// D12 append: `capacity-exceeded`, then `value-overflow`; writes the leaf and every
    /// parent it completes (D1).
    fn append(&mut self, data: &[u8], value: u64) -> Result<u64, Error> {
        let n = self.states.leaf_count(View::Current);
        if n >= MAX_LEAVES {
            return Err(Error::CapacityExceeded { leaf_count: n });
        }
        self.total()?
            .checked_add(value)
            .ok_or(Error::ValueOverflow)?;
        let mut at = Addr::leaf(n);
        let mut cur = leaf_node(&self.profile, pos_of(at)?, data, value);
        let mut writes = vec![(at, cur)];
        // D1: while the new node is a right child, its left sibling is a peak to merge with.
        while !addr::is_left(at) {
            let up = addr::parent(at).ok_or(Error::CapacityExceeded { leaf_count: n })?;
            let left = self.get(View::Current, addr::sibling(at))?;
            cur = parent_node(&self.profile, pos_of(up)?, &left, &cur)?;
            at = up;
            writes.push((at, cur));
        }
        self.write_all(writes);
        self.states.set_leaf_count(n + 1);
        Ok(n)
    }

    /// D12 update: range, `pruned`, `leaf-spent`, `value-overflow`, then rewrite the path.
    fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), Error> {
        let old = self.mutable_leaf(index)?;
        // The old value is part of the total, so the subtraction cannot fail.
        (self.total()?.saturating_sub(old.value))
            .checked_add(value)
            .ok_or(Error::ValueOverflow)?;
        let leaf = leaf_node(&self.profile, pos_of(Addr::leaf(index))?, data, value);
        let writes = self.leaf_rewrite(index, leaf)?;
        self.write_all(writes);
        Ok(())
    }

    /// D12 spend: the update checks, then value 0 and out of the leaf set.
    fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), Error> {
        self.mutable_leaf(index)?;
        let leaf = leaf_node(&self.profile, pos_of(Addr::leaf(index))?, data, 0);
        let writes = self.leaf_rewrite(index, leaf)?;
        self.write_all(writes);
        self.states.spend(index);
        Ok(())
    }

    /// D16 commit: seals the working state as block height + 1; D19 raises `oldest`.
    fn commit(&mut self) -> Result<BlockInfo, Error> {
        let next = self.height.checked_add(1).ok_or(Error::FutureHeight {
            height: self.height,
            tip: self.height,
        })?;
        let info = self.info(View::Current)?;
        self.states.seal(next);
        self.height = next;
        self.raise_oldest(next.saturating_sub(self.config.retain));
        Ok(BlockInfo {
            height: next,
            size: info.size,
            leaf_count: info.leaf_count,
            root: info.root,
        })
    }

    /// D16: every op in order, all or nothing (`in-block` naming the failing op), then
    /// commit.
    fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, Error> {
        let saved = self.states.pending();
        for (j, op) in block.ops.iter().enumerate() {
            if let Err(e) = self.apply_op(op) {
                self.states.restore_pending(saved);
                return Err(Error::InBlock {
                    op: j as u64,
                    error: Box::new(e),
                });
            }
        }
        self.commit()
            .inspect_err(|_| self.states.restore_pending(saved))
    }

    /// D19 rewind: the working state becomes block h's; later blocks are discarded.
    fn rewind(&mut self, h: u64) -> Result<(), Error> {
        self.check_target(h)?;
        self.states.truncate(h);
        self.height = h;
        Ok(())
    }

    /// D21 compaction as of block h: drops every non-peak node whose parent has no unspent
    /// leaf below it; the horizon and `oldest` become h.
    fn compact(&mut self, h: u64) -> Result<CompactReport, Error> {
        self.check_target(h)?;
        let v = View::Block(h);
        let n = self.states.leaf_count(v);
        let fresh: Vec<Addr> = prune::droppable(n, &self.states.spent(v))
            .into_iter()
            .filter(|a| !self.dropped.contains(a))
            .collect();
        self.raise_oldest(h);
        self.horizon = h;
        self.horizon_leaves = n;
        for a in &fresh {
            self.states.drop_node(*a);
            self.dropped.insert(*a);
        }
        Ok(CompactReport {
            horizon: h,
            dropped: fresh.len() as u64,
            total_dropped: self.dropped.len() as u64,
        })
    }

    /// D23 un-pruning: `size-mismatch`, then any D14 error against the working root; then
    /// every dropped node the proof determines is restored.
    fn unprune(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        let size = self.size_at(View::Current)?;
        if proof.size != size {
            return Err(Error::SizeMismatch {
                expected: size,
                got: proof.size,
            });
        }
        let root = self.info(View::Current)?.root;
        proof::verify(&self.profile, &root, proof, leaf)?;
        let n = self.states.leaf_count(View::Current);
        let restored: Vec<(Addr, Node)> = prune::path_nodes(&self.profile, n, proof, leaf)?
            .into_iter()
            .filter(|(a, _)| self.dropped.contains(a))
            .collect();
        for (a, node) in &restored {
            self.dropped.remove(a);
            self.states.restore_node(*a, *node);
        }
        Ok(restored.len() as u64)
    }
}
