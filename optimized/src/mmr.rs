//! The database: [`Optimized`], its working state in a [`Store`], leaf updates (D12) and
//! reads of any retained state (D19).

use crate::Bits;
use crate::bagging::{self, PeakBuf};
use crate::index;
use crate::profile::Sha3Default;
use crate::proof::{LeafPlace, mountain};
use crate::store::{MemStore, Store};
use crate::undo::{BlockRecord, Pending, Savepoint};
use mmr_spec::{At, Config, Error, Node, Profile, StateInfo};
use std::collections::VecDeque;

/// The optimized MMR proof database (SPEC.md D12-D23): nodes in a flat positional store
/// (Mwc style), closed-form index arithmetic ([`crate::index`]), the leaf set and prune list
/// as bitsets, and per-block states kept as undo records.
///
/// Generic over the hash profile `P` (monomorphized: every hash call is static) and the
/// store `S`. Every method of [`mmr_spec::ProofDb`] is total, and a failed call changes
/// nothing.
///
/// ```
/// use mmr_optimized::Optimized;
/// use mmr_spec::{At, ProofDb};
/// let mut db = Optimized::new(Default::default());
/// let i = db.append(b"coin", 50).unwrap();
/// db.commit().unwrap();
/// let proof = db.prove(At::Current, i).unwrap();
/// let root = db.root(At::Current).unwrap();
/// assert_eq!(db.verify(&root, &proof, b"coin", 50), Ok(()));
/// ```
#[derive(Debug)]
pub struct Optimized<P: Profile, S: Store = MemStore> {
    pub(crate) profile: P,
    pub(crate) config: Config,
    /// The working state's nodes.
    pub(crate) store: S,
    /// The working leaf set (D12): bit i set iff leaf i is unspent; its length is the
    /// working leaf count.
    pub(crate) leaf_set: Bits,
    /// Working total value (the root's value, D9).
    pub(crate) total: u64,
    /// Dropped positions (D21, D22).
    pub(crate) pruned: Bits,
    pub(crate) horizon: u64,
    /// Leaf count of the state at the horizon (the prune list has twice as many bits, D22).
    pub(crate) horizon_leaves: u64,
    pub(crate) height: u64,
    pub(crate) oldest: u64,
    /// Size, leaf count and root of the last committed state. The root is the outcome of
    /// D11's rule, cached: `None` where the profile defines no root for that (empty) state,
    /// which every read reports as `empty-root`.
    pub(crate) tip_size: u64,
    pub(crate) tip_leaves: u64,
    pub(crate) tip_root: Option<Node>,
    /// Undo records of blocks `oldest + 1 ..= height`, oldest first.
    pub(crate) blocks: VecDeque<BlockRecord>,
    pub(crate) pending: Pending,
    pub(crate) savepoint: Option<Savepoint>,
}

/// A state to read (D19): its size, its leaf count, and which committed block it is
/// (`None`: the working state).
#[derive(Clone, Copy, Debug)]
pub(crate) struct View {
    pub size: u64,
    pub leaves: u64,
    pub block: Option<u64>,
}

impl Optimized<Sha3Default, MemStore> {
    /// An empty database with the default profile (D11, as [`Sha3Default`]) in memory.
    pub fn new(config: Config) -> Self {
        Self::with_parts(Sha3Default, MemStore::new(), config)
    }
}

impl<P: Profile> Optimized<P, MemStore> {
    /// An empty in-memory database with this profile.
    pub fn with_profile(profile: P, config: Config) -> Self {
        Self::with_parts(profile, MemStore::new(), config)
    }
}

impl<P: Profile, S: Store> Optimized<P, S> {
    /// An empty database over an empty store. A store that already holds nodes is truncated
    /// to none (reopening a persistent store is the job of that store's own constructor).
    pub fn with_parts(profile: P, mut store: S, config: Config) -> Self {
        store.truncate(0);
        // Genesis (D16): the empty MMR. Its root is computed by D11's rule like any other; a
        // profile without an empty root has none (`empty-root` on every read of it).
        let tip_root = bagging::root(&profile, 0, &[]).ok();
        Optimized {
            profile,
            config,
            store,
            leaf_set: Bits::new(),
            total: 0,
            pruned: Bits::new(),
            horizon: 0,
            horizon_leaves: 0,
            height: 0,
            oldest: 0,
            tip_size: 0,
            tip_leaves: 0,
            tip_root,
            blocks: VecDeque::new(),
            pending: Pending::default(),
            savepoint: None,
        }
    }

    /// The profile instance.
    pub fn profile_ref(&self) -> &P {
        &self.profile
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Heap bytes held by the whole database: store, bitsets and undo records.
    pub fn heap_bytes(&self) -> usize {
        self.store.heap_bytes()
            + self.leaf_set.heap_bytes()
            + self.pruned.heap_bytes()
            + self.pending.dirty.heap_bytes()
            + self.pending.changed.capacity() * core::mem::size_of::<(u64, Node)>()
            + self.pending.spent.capacity() * 8
            + self
                .blocks
                .iter()
                .map(BlockRecord::heap_bytes)
                .sum::<usize>()
            + self.blocks.capacity() * core::mem::size_of::<BlockRecord>()
    }

    /// Working leaf count.
    #[inline]
    pub(crate) fn leaves(&self) -> u64 {
        self.leaf_set.len()
    }

    /// The undo record of block `h` (`oldest < h <= height`).
    #[inline]
    pub(crate) fn record(&self, h: u64) -> Option<&BlockRecord> {
        let back = self.height.checked_sub(h)?;
        let i = (self.blocks.len() as u64).checked_sub(back + 1)?;
        self.blocks.get(i as usize)
    }

    /// D19: the state `at` names, or `future-height` / `not-retained`.
    pub(crate) fn view(&self, at: At) -> Result<View, Error> {
        match at {
            At::Current => Ok(View {
                size: self.store.len(),
                leaves: self.leaves(),
                block: None,
            }),
            At::Block(h) => {
                if h > self.height {
                    return Err(Error::FutureHeight {
                        height: h,
                        tip: self.height,
                    });
                }
                if h < self.oldest {
                    return Err(Error::NotRetained {
                        height: h,
                        oldest: self.oldest,
                    });
                }
                if h == self.height {
                    return Ok(View {
                        size: self.tip_size,
                        leaves: self.tip_leaves,
                        block: Some(h),
                    });
                }
                let r = self.record(h + 1).ok_or(Error::NotRetained {
                    height: h,
                    oldest: self.oldest,
                })?;
                Ok(View {
                    size: r.prev_size,
                    leaves: r.prev_leaves,
                    block: Some(h),
                })
            }
        }
    }

    /// The node at `pos < v.size` in state `v`, ignoring the prune list: the working value,
    /// unless a block above the state (oldest first) or the pending changes recorded an
    /// older one.
    pub(crate) fn view_node(&self, v: &View, pos: u64) -> Result<Node, Error> {
        if let Some(h) = v.block {
            if h < self.height {
                let first = self.blocks.len() - (self.height - h) as usize;
                for r in self.blocks.range(first..) {
                    if let Some(n) = r.old(pos) {
                        return Ok(n);
                    }
                }
            }
            if self.pending.mutated {
                if let Some(n) = self.pending.old(pos) {
                    return Ok(n);
                }
            }
        }
        self.store.get(pos).ok_or(Error::Pruned { pos })
    }

    /// D19 `node`: range check, prune check, then the value in state `v`.
    pub(crate) fn checked_node(&self, v: &View, pos: u64) -> Result<Node, Error> {
        if pos >= v.size {
            return Err(Error::PositionOutOfRange { pos, size: v.size });
        }
        if self.pruned.get(pos) {
            return Err(Error::Pruned { pos });
        }
        self.view_node(v, pos)
    }

    /// D6: the peaks of state `v`, left to right.
    pub(crate) fn peaks(&self, v: &View) -> Result<PeakBuf, Error> {
        let mut buf = PeakBuf::new();
        for pos in peak_positions(v.leaves) {
            buf.push(self.view_node(v, pos)?);
        }
        Ok(buf)
    }

    /// D11: the root of state `v` (cached for committed states).
    pub(crate) fn view_root(&self, v: &View) -> Result<Node, Error> {
        match v.block {
            Some(h) if h == self.height => self.tip_root.ok_or(Error::EmptyRoot),
            Some(h) => match self.record(h + 1) {
                Some(r) => r.prev_root.ok_or(Error::EmptyRoot),
                None => bagging::root(&self.profile, v.size, self.peaks(v)?.as_slice()),
            },
            None => bagging::root(&self.profile, v.size, self.peaks(v)?.as_slice()),
        }
    }

    /// The summary of state `v`.
    pub(crate) fn view_state(&self, v: &View) -> Result<StateInfo, Error> {
        let peaks = self.peaks(v)?;
        let root = match v.block {
            Some(_) => self.view_root(v)?,
            None => bagging::root(&self.profile, v.size, peaks.as_slice())?,
        };
        Ok(StateInfo {
            size: v.size,
            leaf_count: v.leaves,
            root,
            peaks: peaks.as_slice().to_vec(),
        })
    }

    /// Whether leaf `index < v.leaves` is unspent in state `v`: unspent now, or spent by a
    /// block above the state or by the pending changes (spends are final, D12, so such a
    /// leaf was unspent at `v`).
    pub(crate) fn view_unspent(&self, v: &View, index: u64) -> bool {
        if self.leaf_set.get(index) {
            return true;
        }
        if let Some(h) = v.block {
            if self.pending.spent.contains(&index) {
                return true;
            }
            if h < self.height {
                let first = self.blocks.len() - (self.height - h) as usize;
                return self.blocks.range(first..).any(|r| r.spent(index));
            }
        }
        false
    }

    /// The leaf set of state `v` as a bitset of `v.leaves` bits.
    pub(crate) fn view_leaf_set(&self, v: &View) -> Bits {
        let mut bits = self.leaf_set.clone();
        bits.truncate(v.leaves);
        if let Some(h) = v.block {
            let mut restore = |i: u64| {
                if i < v.leaves {
                    bits.set(i, true);
                }
            };
            self.pending.spent.iter().for_each(|&i| restore(i));
            if h < self.height {
                let first = self.blocks.len() - (self.height - h) as usize;
                for r in self.blocks.range(first..) {
                    r.spent.iter().for_each(|&i| restore(i));
                }
            }
        }
        bits
    }

    /// D16: whether the working state differs from the last committed block: its leaf
    /// count, its leaf set (a spend is final, so any spend of a committed leaf is a change)
    /// or any node. Nodes below the tip size that were written since the commit are listed
    /// in the pending record with their committed value; a write-back or an undone update
    /// leaves them equal, which is no change (D18). Linear in what was written since the
    /// commit; not on any hot path.
    pub(crate) fn differs_from_tip(&self) -> bool {
        self.pending.mutated
            && (self.leaves() != self.tip_leaves
                || !self.pending.spent.is_empty()
                || self
                    .pending
                    .changed
                    .iter()
                    .any(|&(p, old)| self.store.get(p) != Some(old)))
    }

    // ----- mutations (D12) -----

    /// Records the tip value of `pos` before its first write since the last commit, and
    /// every write inside an `apply_block` savepoint, then writes.
    #[inline]
    pub(crate) fn write(&mut self, pos: u64, node: Node, old: Node) {
        if pos < self.tip_size && !self.pending.dirty.get(pos) {
            self.pending.changed.push((pos, old));
            self.pending.dirty.set(pos, true);
        }
        if let Some(sp) = self.savepoint.as_mut() {
            if pos < sp.size {
                sp.writes.push((pos, old));
            }
        }
        self.store.set(pos, node);
    }

    /// D12 append: the leaf node at pos(n), then each parent it completes.
    #[inline]
    pub(crate) fn append_leaf(&mut self, data: &[u8], value: u64) -> Result<u64, Error> {
        let n = self.leaves();
        if n >= index::MAX_LEAVES {
            return Err(Error::CapacityExceeded { leaf_count: n });
        }
        let total = self.total.checked_add(value).ok_or(Error::ValueOverflow)?;
        let start = self.store.len();
        let mut pos = start;
        let mut cur = Node {
            hash: self.profile.leaf_hash(pos, data, value),
            value,
        };
        self.store.push(cur);
        // The new node is a right child as long as the leaf count's low bits are ones (D1).
        let mut m = n;
        let mut d = 1u64; // node count of a perfect tree of the current height
        while m & 1 == 1 {
            let lpos = pos - d;
            let Some(left) = self.store.get(lpos) else {
                self.store.truncate(start);
                return Err(Error::Pruned { pos: lpos });
            };
            // Both values are at most the new total: the sum cannot overflow.
            let sum = left.value.wrapping_add(cur.value);
            pos += 1;
            cur = Node {
                hash: self.profile.parent_hash(pos, &left, &cur, sum),
                value: sum,
            };
            self.store.push(cur);
            m >>= 1;
            d = 2 * d + 1;
        }
        self.leaf_set.push(true);
        self.total = total;
        self.pending.mutated = true;
        Ok(n)
    }

    /// D12 checks shared by update and spend: range, pruned, spent. Returns the leaf's
    /// position and node.
    fn check_unspent(&self, index: u64) -> Result<(u64, Node), Error> {
        let n = self.leaves();
        if index >= n {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: n,
            });
        }
        let pos = index::leaf_to_pos(index).ok_or(Error::LeafIndexOutOfRange {
            index,
            leaf_count: n,
        })?;
        if self.pruned.get(pos) {
            return Err(Error::Pruned { pos });
        }
        if !self.leaf_set.get(index) {
            return Err(Error::LeafSpent { index });
        }
        let old = self.store.get(pos).ok_or(Error::Pruned { pos })?;
        Ok((pos, old))
    }

    /// Rewrites leaf `index` at `pos` and every ancestor up to its peak (D12): one leaf hash
    /// and one parent hash per level, no allocation beyond the undo log.
    fn rewrite_path(&mut self, index: u64, pos: u64, old: Node, leaf: Node) -> Result<(), Error> {
        let pl = LeafPlace::new(self.leaves(), index);
        // Read every sibling first, so that a store missing one changes nothing.
        let mut sibs = [Node::default(); 64];
        for (j, (sib, _)) in mountain(pos, index, pl.peak_height).enumerate() {
            sibs[j] = self.store.get(sib).ok_or(Error::Pruned { pos: sib })?;
        }
        self.write(pos, leaf, old);
        let mut cur = leaf;
        let mut p = pos;
        for (j, sib) in sibs[..pl.peak_height as usize].iter().enumerate() {
            let left_child = (index >> j) & 1 == 0;
            let parent = if left_child { p + (2u64 << j) } else { p + 1 };
            let sum = cur.value.wrapping_add(sib.value);
            let (l, r) = if left_child { (&cur, sib) } else { (sib, &cur) };
            let node = Node {
                hash: self.profile.parent_hash(parent, l, r, sum),
                value: sum,
            };
            let prev = self.store.get(parent).unwrap_or_default();
            self.write(parent, node, prev);
            cur = node;
            p = parent;
        }
        self.pending.mutated = true;
        Ok(())
    }

    /// D12 update.
    pub(crate) fn update_leaf(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), Error> {
        let (pos, old) = self.check_unspent(index)?;
        let total = (self.total - old.value)
            .checked_add(value)
            .ok_or(Error::ValueOverflow)?;
        let leaf = Node {
            hash: self.profile.leaf_hash(pos, data, value),
            value,
        };
        self.rewrite_path(index, pos, old, leaf)?;
        self.total = total;
        Ok(())
    }

    /// D12 spend.
    pub(crate) fn spend_leaf(&mut self, index: u64, data: &[u8]) -> Result<(), Error> {
        let (pos, old) = self.check_unspent(index)?;
        let leaf = Node {
            hash: self.profile.leaf_hash(pos, data, 0),
            value: 0,
        };
        self.rewrite_path(index, pos, old, leaf)?;
        self.total -= old.value;
        self.leaf_set.set(index, false);
        if index < self.tip_leaves {
            self.pending.spent.push(index);
        }
        if let Some(sp) = self.savepoint.as_mut() {
            if index < sp.leaves {
                sp.spent.push(index);
            }
        }
        Ok(())
    }
}

/// D6: the peak positions of an MMR of `leaves` leaves, left to right: for each set bit h
/// (descending), the last node of the size after leaf `((n >> h) << h) - 1`.
pub(crate) fn peak_positions(leaves: u64) -> impl Iterator<Item = u64> {
    let mut rest = leaves;
    core::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let h = 63 - rest.leading_zeros();
        rest &= !(1u64 << h);
        let upto = (leaves >> h) << h;
        index::size_for_leaves(upto).map(|s| s - 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_positions_match_index_crate() {
        for n in 0..300u64 {
            let size = index::size_for_leaves(n).unwrap();
            let a: Vec<u64> = peak_positions(n).collect();
            let b: Vec<u64> = index::peaks(size).unwrap().collect();
            assert_eq!(a, b, "n = {n}");
        }
        let a: Vec<u64> = peak_positions(1 << 63).collect();
        assert_eq!(a, vec![u64::MAX - 1]);
    }
}
