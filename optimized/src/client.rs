//! The storage-less client (SPEC.md D24): peaks plus the proofs of tracked leaves, moved
//! forward by each block's MMR set.

use crate::bagging;
use crate::index;
use crate::mmr::peak_positions;
use crate::profile::Sha3Default;
use crate::proof::{LeafPlace, mountain, verify_with};
use mmr_spec::{
    Client, ClientState, Error, MmrSet, Node, Profile, Proof, Step, checked_total, leaf_node,
};

/// One tracked leaf: its node and its current proof.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tracked {
    index: u64,
    leaf: Node,
    proof: Proof,
}

/// A client that stores no MMR (D24), generic over the profile.
///
/// ```
/// use mmr_optimized::{Optimized, OptimizedClient};
/// use mmr_spec::{At, Client, ClientState, ProofDb, leaf_node, profiles::DEFAULT};
/// let mut db = Optimized::new(Default::default());
/// db.append(b"a", 1).unwrap();
/// db.commit().unwrap();
/// let st = db.state(At::Current).unwrap();
/// let mut c = OptimizedClient::new(ClientState { height: 1, size: st.size, peaks: st.peaks })
///     .unwrap();
/// let proof = db.prove(At::Current, 0).unwrap();
/// c.track(&proof, &leaf_node(&DEFAULT, 0, b"a", 1)).unwrap();
/// db.append(b"b", 2).unwrap();
/// db.commit().unwrap();
/// c.apply(&db.mmr_set(2).unwrap()).unwrap();
/// assert_eq!(c.proof(0).unwrap(), db.prove(At::Block(2), 0).unwrap());
/// ```
#[derive(Clone, Debug)]
pub struct OptimizedClient<P: Profile = Sha3Default> {
    profile: P,
    height: u64,
    size: u64,
    peaks: Vec<Node>,
    tracked: Vec<Tracked>,
}

impl OptimizedClient<Sha3Default> {
    /// A client of the default profile from a committed state (D24).
    pub fn new(state: ClientState) -> Result<Self, Error> {
        Self::with_profile(Sha3Default, state)
    }
}

impl<P: Profile> OptimizedClient<P> {
    /// A client from a committed state: the size must be valid (`invalid-size`), the peaks
    /// as many as the size has (`missing-node` at the first missing peak, `malformed-set`
    /// naming the size if there are too many), their total must fit (`value-overflow`).
    pub fn with_profile(profile: P, state: ClientState) -> Result<Self, Error> {
        let n =
            index::leaves_for_size(state.size).ok_or(Error::InvalidSize { size: state.size })?;
        let want = n.count_ones() as usize;
        if state.peaks.len() < want {
            let pos = peak_positions(n).nth(state.peaks.len()).unwrap_or(0);
            return Err(Error::MissingNode { pos });
        }
        if state.peaks.len() > want {
            return Err(Error::MalformedSet { pos: state.size });
        }
        checked_total(&state.peaks)?;
        // D11: the client's state must have a root (`empty-root` for an empty state of a
        // profile without one).
        bagging::root(&profile, state.size, &state.peaks)?;
        Ok(OptimizedClient {
            profile,
            height: state.height,
            size: state.size,
            peaks: state.peaks,
            tracked: Vec::new(),
        })
    }

    fn slot(&self, index: u64) -> Result<usize, Error> {
        self.tracked
            .binary_search_by_key(&index, |t| t.index)
            .map_err(|_| Error::NotTracked { index })
    }

    /// The client's proof-size check (D24): proofs must be for the client's size.
    fn same_size(&self, proof: &Proof) -> Result<(), Error> {
        if proof.size != self.size {
            return Err(Error::SizeMismatch {
                expected: self.size,
                got: proof.size,
            });
        }
        Ok(())
    }
}

/// The node at `pos` in a set whose positions are strictly increasing.
fn set_node(set: &MmrSet, pos: u64) -> Option<Node> {
    set.nodes
        .binary_search_by_key(&pos, |e| e.0)
        .ok()
        .map(|i| set.nodes[i].1)
}

impl<P: Profile> Client for OptimizedClient<P> {
    fn height(&self) -> u64 {
        self.height
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn peaks(&self) -> Vec<Node> {
        self.peaks.clone()
    }

    fn root(&self) -> Result<Node, Error> {
        bagging::root(&self.profile, self.size, &self.peaks)
    }

    fn apply(&mut self, set: &MmrSet) -> Result<(), Error> {
        // 1.
        let next = self.height.saturating_add(1);
        if set.height != next || self.height == u64::MAX {
            return Err(Error::HeightMismatch {
                expected: next,
                got: set.height,
            });
        }
        // 2.
        let root = self.root()?;
        if set.prev_size != self.size || set.prev_root != root {
            return Err(Error::ParentMismatch {
                size: self.size,
                root: root.hash,
            });
        }
        // 3.
        let n = index::leaves_for_size(set.size).ok_or(Error::InvalidSize { size: set.size })?;
        if set.size < set.prev_size {
            return Err(Error::MalformedSet { pos: set.size });
        }
        // 4.
        for (j, &(pos, _)) in set.nodes.iter().enumerate() {
            if pos >= set.size || (j > 0 && pos <= set.nodes[j - 1].0) {
                return Err(Error::MalformedSet { pos });
            }
        }
        // 5. The created positions are the tail of the (sorted) list.
        let first_new = set.nodes.partition_point(|e| e.0 < set.prev_size);
        let mut want = set.prev_size;
        for &(pos, _) in &set.nodes[first_new..] {
            if pos != want {
                return Err(Error::MissingNode { pos: want });
            }
            want += 1;
        }
        if want < set.size {
            return Err(Error::MissingNode { pos: want });
        }
        // 6.
        let old_n = index::leaves_for_size(self.size).unwrap_or(0);
        let old_peak = |pos: u64| -> Option<Node> {
            peak_positions(old_n)
                .zip(&self.peaks)
                .find(|(p, _)| *p == pos)
                .map(|(_, n)| *n)
        };
        let mut peaks = Vec::with_capacity(n.count_ones() as usize);
        for pos in peak_positions(n) {
            let node = set_node(set, pos)
                .or_else(|| old_peak(pos))
                .ok_or(Error::MissingNode { pos })?;
            peaks.push(node);
        }
        let computed = bagging::root(&self.profile, set.size, &peaks)?;
        if computed.value != set.root.value {
            return Err(Error::SumMismatch {
                expected: set.root.value,
                computed: computed.value,
            });
        }
        if computed.hash != set.root.hash {
            return Err(Error::RootMismatch {
                expected: set.root.hash,
                computed: computed.hash,
            });
        }
        // 7.
        let mut tracked = Vec::with_capacity(self.tracked.len());
        for t in &self.tracked {
            let pos = t.proof.pos;
            let leaf = set_node(set, pos).unwrap_or(t.leaf);
            let old_h = LeafPlace::new(old_n, t.index).peak_height as usize;
            let pl = LeafPlace::new(n, t.index);
            let mut path = Vec::with_capacity(pl.peak_height as usize + peaks.len());
            for (j, (sib, side)) in mountain(pos, t.index, pl.peak_height).enumerate() {
                let node = set_node(set, sib)
                    .or_else(|| (j < old_h).then(|| t.proof.path.get(j).map(|s| s.node))?)
                    .or_else(|| old_peak(sib))
                    .ok_or(Error::MissingNode { pos: sib })?;
                path.push(Step { side, node });
            }
            bagging::bag_path(
                &self.profile,
                set.size,
                &peaks,
                pl.peak_index as usize,
                &mut path,
            )?;
            let proof = Proof {
                size: set.size,
                pos,
                path,
            };
            verify_with(&self.profile, &set.root, &proof, &leaf, None)?;
            tracked.push(Tracked {
                index: t.index,
                leaf,
                proof,
            });
        }
        self.height = set.height;
        self.size = set.size;
        self.peaks = peaks;
        self.tracked = tracked;
        Ok(())
    }

    fn track(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        self.same_size(proof)?;
        let root = self.root()?;
        verify_with(&self.profile, &root, proof, leaf, None)?;
        let index = index::pos_to_leaf(proof.pos).ok_or(Error::NotALeaf { pos: proof.pos })?;
        let t = Tracked {
            index,
            leaf: *leaf,
            proof: proof.clone(),
        };
        match self.tracked.binary_search_by_key(&index, |t| t.index) {
            Ok(i) => self.tracked[i] = t,
            Err(i) => self.tracked.insert(i, t),
        }
        Ok(index)
    }

    fn untrack(&mut self, index: u64) -> Result<(), Error> {
        let i = self.slot(index)?;
        self.tracked.remove(i);
        Ok(())
    }

    fn tracked(&self) -> Vec<u64> {
        self.tracked.iter().map(|t| t.index).collect()
    }

    fn leaf(&self, index: u64) -> Result<Node, Error> {
        Ok(self.tracked[self.slot(index)?].leaf)
    }

    fn proof(&self, index: u64) -> Result<Proof, Error> {
        Ok(self.tracked[self.slot(index)?].proof.clone())
    }

    fn verify(&self, proof: &Proof, data: &[u8], value: u64) -> Result<(), Error> {
        self.same_size(proof)?;
        let root = self.root()?;
        let leaf = leaf_node(&self.profile, proof.pos, data, value);
        verify_with(&self.profile, &root, proof, &leaf, None)
    }
}
