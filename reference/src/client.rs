//! The storage-less client (SPEC.md D24): Minima's "spine". It keeps the height, the size,
//! the peaks and, per tracked leaf, its node and proof, and follows the chain by applying
//! each block's MMR set (D18).

use crate::addr::{self, Addr};
use crate::bagging;
use crate::proof::{self, Shape, compare_root, leaf_index, pos_of};
use mmr_spec::{
    Client, ClientState, Error, MmrSet, Node, Profile, Proof, checked_total, leaf_node,
};
use std::collections::BTreeMap;

/// A tracked leaf: its current node and proof.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tracked {
    leaf: Node,
    proof: Proof,
}

/// The reference storage-less client (D24).
#[derive(Clone, Debug)]
pub struct RefClient<P: Profile> {
    profile: P,
    height: u64,
    size: u64,
    peaks: Vec<Node>,
    tracked: BTreeMap<u64, Tracked>,
}

impl<P: Profile> RefClient<P> {
    /// D24: a client at a committed state. The size must be valid (`invalid-size`), the
    /// peaks as many as the size has (`missing-node` naming the first missing peak's
    /// position, `malformed-set` naming the size if there are too many), their total must
    /// fit u64 (`value-overflow`), and the state must have a root (`empty-root` for an
    /// empty state under a profile without an empty root, D11).
    pub fn new(profile: P, state: ClientState) -> Result<Self, Error> {
        let n = addr::leaf_count(state.size).ok_or(Error::InvalidSize { size: state.size })?;
        let expected = addr::peaks(n);
        if let Some(missing) = expected.get(state.peaks.len()) {
            return Err(Error::MissingNode {
                pos: pos_of(*missing)?,
            });
        }
        if state.peaks.len() > expected.len() {
            return Err(Error::MalformedSet { pos: state.size });
        }
        checked_total(&state.peaks)?;
        bagging::root(&profile, state.size, &state.peaks)?;
        Ok(RefClient {
            profile,
            height: state.height,
            size: state.size,
            peaks: state.peaks,
            tracked: BTreeMap::new(),
        })
    }

    /// D24: a proof must be for the client's size (`size-mismatch`), then pass D14.
    fn check(&self, proof: &Proof, leaf: &Node) -> Result<(), Error> {
        if proof.size != self.size {
            return Err(Error::SizeMismatch {
                expected: self.size,
                got: proof.size,
            });
        }
        proof::verify(&self.profile, &self.root()?, proof, leaf)
    }

    /// D24 steps 1-2: the set builds on the client's exact state.
    fn check_parent(&self, set: &MmrSet) -> Result<(), Error> {
        let next = self.height.checked_add(1);
        if next != Some(set.height) {
            return Err(Error::HeightMismatch {
                expected: self.height.saturating_add(1),
                got: set.height,
            });
        }
        let root = self.root()?;
        if set.prev_size != self.size || set.prev_root != root {
            return Err(Error::ParentMismatch {
                size: self.size,
                root: root.hash,
            });
        }
        Ok(())
    }

    /// D24 steps 3-5: a valid, non-shrinking size; positions strictly increasing and below
    /// it; every created position present. Returns the new leaf count and the nodes.
    fn check_nodes(&self, set: &MmrSet) -> Result<(u64, BTreeMap<u64, Node>), Error> {
        let n = addr::leaf_count(set.size).ok_or(Error::InvalidSize { size: set.size })?;
        if set.size < set.prev_size {
            return Err(Error::MalformedSet { pos: set.size });
        }
        let mut nodes = BTreeMap::new();
        let mut last: Option<u64> = None;
        for &(pos, node) in &set.nodes {
            if pos >= set.size || last.is_some_and(|l| pos <= l) {
                return Err(Error::MalformedSet { pos });
            }
            last = Some(pos);
            nodes.insert(pos, node);
        }
        // Step 5: the smallest absent position of prev_size .. size (walked, never looped
        // over the whole range, which may be huge).
        let mut want = set.prev_size;
        for &pos in nodes.range(set.prev_size..).map(|(p, _)| p) {
            if pos != want {
                break;
            }
            want += 1;
        }
        if want < set.size {
            return Err(Error::MissingNode { pos: want });
        }
        Ok((n, nodes))
    }

    /// D24 step 6: the new peaks, each from the set or else the old peak at that position;
    /// their root must be the set's root.
    fn new_peaks(
        &self,
        set: &MmrSet,
        n: u64,
        nodes: &BTreeMap<u64, Node>,
    ) -> Result<Vec<Node>, Error> {
        let old = self.old_peaks()?;
        let peaks = addr::peaks(n)
            .into_iter()
            .map(|a| {
                let pos = pos_of(a)?;
                nodes
                    .get(&pos)
                    .or_else(|| old.get(&a))
                    .copied()
                    .ok_or(Error::MissingNode { pos })
            })
            .collect::<Result<Vec<Node>, Error>>()?;
        compare_root(&set.root, &bagging::root(&self.profile, set.size, &peaks)?)?;
        Ok(peaks)
    }

    /// The current peaks by address.
    fn old_peaks(&self) -> Result<BTreeMap<Addr, Node>, Error> {
        let n = addr::leaf_count(self.size).ok_or(Error::InvalidSize { size: self.size })?;
        Ok(addr::peaks(n)
            .into_iter()
            .zip(self.peaks.iter().copied())
            .collect())
    }

    /// D24 step 7: a tracked leaf's node and proof after the set: the leaf from the set or
    /// unchanged; each new mountain sibling from the set, else the old proof, else the old
    /// peaks, else `missing-node`; the bagging part from the new peaks; then D14 against
    /// the set's root.
    fn advance(
        &self,
        index: u64,
        t: &Tracked,
        set: &MmrSet,
        n: u64,
        nodes: &BTreeMap<u64, Node>,
        peaks: &[Node],
    ) -> Result<Tracked, Error> {
        let mut known = self.old_peaks()?;
        let old_n = addr::leaf_count(self.size).ok_or(Error::InvalidSize { size: self.size })?;
        if let Some(shape) = Shape::new(old_n, index) {
            for (level, step) in shape.mountain.iter().zip(&t.proof.path) {
                known.insert(level.sibling, step.node);
            }
        }
        let leaf_at = pos_of(Addr::leaf(index))?;
        let leaf = nodes.get(&leaf_at).copied().unwrap_or(t.leaf);
        let lookup = |a: Addr| -> Result<Node, Error> {
            if a == Addr::leaf(index) {
                return Ok(leaf);
            }
            let pos = pos_of(a)?;
            nodes
                .get(&pos)
                .or_else(|| known.get(&a))
                .copied()
                .ok_or(Error::MissingNode { pos })
        };
        let proof = proof::build(&self.profile, set.size, n, index, peaks, lookup)?;
        proof::verify(&self.profile, &set.root, &proof, &leaf)?;
        Ok(Tracked { leaf, proof })
    }
}

impl<P: Profile> Client for RefClient<P> {
    fn height(&self) -> u64 {
        self.height
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn peaks(&self) -> Vec<Node> {
        self.peaks.clone()
    }

    /// D11 over the client's peaks.
    fn root(&self) -> Result<Node, Error> {
        bagging::root(&self.profile, self.size, &self.peaks)
    }

    /// D24 `apply`: steps 1-7 in order; the client changes only if all pass.
    fn apply(&mut self, set: &MmrSet) -> Result<(), Error> {
        self.check_parent(set)?;
        let (n, nodes) = self.check_nodes(set)?;
        let peaks = self.new_peaks(set, n, &nodes)?;
        let tracked = self
            .tracked
            .iter()
            .map(|(&i, t)| Ok((i, self.advance(i, t, set, n, &nodes, &peaks)?)))
            .collect::<Result<BTreeMap<u64, Tracked>, Error>>()?;
        self.height = set.height;
        self.size = set.size;
        self.peaks = peaks;
        self.tracked = tracked;
        Ok(())
    }

    /// D24 `track`: `size-mismatch`, then D14; returns the leaf index.
    fn track(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        self.check(proof, leaf)?;
        let index = leaf_index(proof.pos)?;
        self.tracked.insert(
            index,
            Tracked {
                leaf: *leaf,
                proof: proof.clone(),
            },
        );
        Ok(index)
    }

    fn untrack(&mut self, index: u64) -> Result<(), Error> {
        self.tracked
            .remove(&index)
            .map(|_| ())
            .ok_or(Error::NotTracked { index })
    }

    fn tracked(&self) -> Vec<u64> {
        self.tracked.keys().copied().collect()
    }

    fn leaf(&self, index: u64) -> Result<Node, Error> {
        self.tracked
            .get(&index)
            .map(|t| t.leaf)
            .ok_or(Error::NotTracked { index })
    }

    fn proof(&self, index: u64) -> Result<Proof, Error> {
        self.tracked
            .get(&index)
            .map(|t| t.proof.clone())
            .ok_or(Error::NotTracked { index })
    }

    /// D24 `verify`: anyone's proof for data and value, `size-mismatch` then D14.
    fn verify(&self, proof: &Proof, data: &[u8], value: u64) -> Result<(), Error> {
        let leaf = leaf_node(&self.profile, proof.pos, data, value);
        self.check(proof, &leaf)
    }
}
