//! Compaction, the prune list and un-pruning (SPEC.md D20-D23).
//!
//! The prune list is a bitset of dropped positions. The in-memory store keeps dropped nodes
//! in place (reads of them fail with `pruned` all the same); a file store is told the list
//! after each compaction and may remove them, shifting each kept position down by the
//! number of dropped positions below it (D22, [`crate::Bits::rank`]).

use crate::Bits;
use crate::index;
use crate::mmr::Optimized;
use crate::proof::{mountain, verify_with};
use crate::store::Store;
use mmr_spec::{At, CompactReport, Error, Node, Profile, Proof};

impl<P: Profile, S: Store> Optimized<P, S> {
    /// D21 compaction as of the state of block `h`.
    pub(crate) fn compact_at(&mut self, h: u64) -> Result<CompactReport, Error> {
        self.check_target_height(h)?;
        let v = self.view(At::Block(h))?;
        let n = v.leaves;
        // Row by row (D5): a node is live iff an unspent leaf lies below it; both children
        // of a node that is not live are dropped (MWEB BuildCompactBitSet, litecoin
        // src/libmw/src/mmr/MMRUtil.cpp). Peaks have no parent and always stay.
        let mut live: Bits = self.view_leaf_set(&v);
        let mut newly = 0u64;
        let mut r = 0u32;
        while r < 63 && (n >> (r + 1)) > 0 {
            let parents = n >> (r + 1);
            let mut up = Bits::new();
            up.resize(parents);
            for e in 0..parents {
                if live.get(2 * e) || live.get(2 * e + 1) {
                    up.set(e, true);
                    continue;
                }
                let Some(ppos) = index::from_row_entry(r + 1, e) else {
                    continue;
                };
                let left = ppos - (2u64 << r);
                for c in [left, ppos - 1] {
                    if !self.pruned.get(c) {
                        self.pruned.set(c, true);
                        newly += 1;
                    }
                }
            }
            live = up;
            r += 1;
        }
        self.horizon = h;
        self.horizon_leaves = n;
        self.raise_oldest(h);
        self.store.compacted(&self.pruned);
        Ok(CompactReport {
            horizon: h,
            dropped: newly,
            total_dropped: self.pruned.count_ones(),
        })
    }

    /// D22: the prune list in MWEB's layout, `2 * n_h` bits MSB-first.
    pub(crate) fn prune_bytes(&self) -> Vec<u8> {
        self.pruned
            .to_msb_bytes(self.horizon_leaves.saturating_mul(2))
    }

    /// D23 un-pruning from a proof of the working state.
    pub(crate) fn unprune_from(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        let size = self.store.len();
        if proof.size != size {
            return Err(Error::SizeMismatch {
                expected: size,
                got: proof.size,
            });
        }
        let v = self.view(At::Current)?;
        let root = self.view_root(&v)?;
        let mut path = Vec::new();
        verify_with(&self.profile, &root, proof, leaf, Some(&mut path))?;
        // Verified: pos is a leaf below the leaf count, the path has the peak's height.
        let index = index::pos_to_leaf(proof.pos).unwrap_or(0);
        let h = path.len();
        let mut restore = Vec::with_capacity(2 * h + 1);
        restore.push((proof.pos, *leaf));
        for ((sib, _), step) in mountain(proof.pos, index, h as u32).zip(&proof.path) {
            restore.push((sib, step.node));
        }
        // The path nodes below the peak (the last computed node is the peak itself).
        restore.extend_from_slice(&path[..h.saturating_sub(1)]);
        let mut restored = 0;
        for (pos, node) in restore {
            if self.pruned.get(pos) {
                self.pruned.set(pos, false);
                self.store.set(pos, node);
                restored += 1;
            }
        }
        Ok(restored)
    }
}
