//! The [`ProofDb`] implementation: each method checks its arguments in the order SPEC.md
//! gives and delegates to the module that holds the definition.

use crate::bagging;
use crate::batch::verify_batch_proof;
use crate::index;
use crate::mmr::Optimized;
use crate::proof::{LeafPlace, mountain_steps, verify_proof};
use crate::store::Store;
use mmr_spec::{
    At, BatchProof, Block, BlockInfo, CompactReport, Config, Error, MmrSet, Node, Profile, Proof,
    ProofDb, StateInfo,
};

impl<P: Profile, S: Store> ProofDb for Optimized<P, S> {
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
        self.differs_from_tip()
    }

    fn size(&self) -> u64 {
        self.store.len()
    }

    fn leaf_count(&self) -> u64 {
        self.leaves()
    }

    fn state(&self, at: At) -> Result<StateInfo, Error> {
        let v = self.view(at)?;
        self.view_state(&v)
    }

    fn root(&self, at: At) -> Result<Node, Error> {
        let v = self.view(at)?;
        self.view_root(&v)
    }

    fn node(&self, at: At, pos: u64) -> Result<Node, Error> {
        let v = self.view(at)?;
        self.checked_node(&v, pos)
    }

    fn is_unspent(&self, at: At, index: u64) -> Result<bool, Error> {
        let v = self.view(at)?;
        if index >= v.leaves {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: v.leaves,
            });
        }
        Ok(self.view_unspent(&v, index))
    }

    fn leaf_set(&self, at: At) -> Result<Vec<u8>, Error> {
        let v = self.view(at)?;
        let bits = self.view_leaf_set(&v);
        let mut out = Vec::with_capacity(8 + v.leaves.div_ceil(8) as usize);
        out.extend_from_slice(&v.leaves.to_le_bytes());
        out.extend_from_slice(&bits.to_msb_bytes(v.leaves));
        Ok(out)
    }

    fn prune_list(&self) -> Vec<u8> {
        self.prune_bytes()
    }

    fn mmr_set(&self, height: u64) -> Result<MmrSet, Error> {
        self.block_set(height)
    }

    fn prove(&self, at: At, index: u64) -> Result<Proof, Error> {
        let v = self.view(at)?;
        if index >= v.leaves {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: v.leaves,
            });
        }
        let pos = index::leaf_to_pos(index).ok_or(Error::LeafIndexOutOfRange {
            index,
            leaf_count: v.leaves,
        })?;
        let pl = LeafPlace::new(v.leaves, index);
        if !self.pruned.is_empty() {
            // D19: the leaf, then its mountain siblings bottom up.
            if self.pruned.get(pos) {
                return Err(Error::Pruned { pos });
            }
            for (sib, _) in crate::proof::mountain(pos, index, pl.peak_height) {
                if self.pruned.get(sib) {
                    return Err(Error::Pruned { pos: sib });
                }
            }
        }
        let mut path = Vec::with_capacity(pl.peak_height as usize + pl.peaks as usize);
        mountain_steps(pos, &pl, &mut path, |p| self.view_node(&v, p))?;
        let peaks = self.peaks(&v)?;
        bagging::bag_path(
            &self.profile,
            v.size,
            peaks.as_slice(),
            pl.peak_index as usize,
            &mut path,
        )?;
        Ok(Proof {
            size: v.size,
            pos,
            path,
        })
    }

    fn prove_batch(&self, at: At, indices: &[u64]) -> Result<BatchProof, Error> {
        let v = self.view(at)?;
        self.batch_in(&v, indices)
    }

    fn verify_node(&self, root: &Node, proof: &Proof, leaf: &Node) -> Result<(), Error> {
        verify_proof(&self.profile, root, proof, leaf)
    }

    fn verify_batch_nodes(
        &self,
        root: &Node,
        proof: &BatchProof,
        leaves: &[Node],
    ) -> Result<(), Error> {
        verify_batch_proof(&self.profile, root, proof, leaves)
    }

    fn append(&mut self, data: &[u8], value: u64) -> Result<u64, Error> {
        self.append_leaf(data, value)
    }

    fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), Error> {
        self.update_leaf(index, data, value)
    }

    fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), Error> {
        self.spend_leaf(index, data)
    }

    fn commit(&mut self) -> Result<BlockInfo, Error> {
        self.commit_block()
    }

    fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, Error> {
        self.apply(block)
    }

    fn rewind(&mut self, height: u64) -> Result<(), Error> {
        self.rewind_to(height)
    }

    fn compact(&mut self, horizon: u64) -> Result<CompactReport, Error> {
        self.compact_at(horizon)
    }

    fn unprune(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        self.unprune_from(proof, leaf)
    }
}
