//! Hash profiles: the data that makes a dialect (SPEC.md D10).
//!
//! A profile fixes how leaves, parents and bags are hashed and which shape the bagging of
//! the peaks has. The algorithms (positions, proofs, blocks, pruning) never change with the
//! profile; each implementation walks the shape named by [`Bagging`] itself.

use crate::{Error, Hash, Node};
use core::fmt::Debug;

/// How the peaks are combined into the root (D10, D11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bagging {
    /// One hash over the size, the total value and every peak: [`Profile::commit_hash`].
    /// The bagging part of a proof lists the other peaks, left to right (D13).
    Flat,
    /// Fold from the right: `root = bag(p0, bag(p1, ... bag(p(k-2), p(k-1))))` with
    /// [`Profile::bag_hash`]; one peak is the root itself (Grin, MWEB, ckb). The bagging
    /// part of a proof is the bag of the peaks to the right (if any), then the peaks to the
    /// left, nearest first.
    FoldRight,
    /// Fold from the left: `A_0 = p0`, `A_j = bag(A_(j-1), p_j)`, root `A_(k-1)` with
    /// [`Profile::bag_hash`] (commonware-storage's `ForwardFold`). The bagging part of a proof
    /// is the fold of the peaks to the left (if any), then the peaks to the right, nearest
    /// first (D13).
    FoldLeft,
    /// Minima's iterated MMR of peaks: the peaks become the leaves of a fresh MMR (combined
    /// with [`Profile::bag_hash`]), whose peaks become the leaves of the next, until one node
    /// remains. The bagging part of a proof is the path through those MMRs.
    PeakTree,
}

/// How the bagging part of a coin proof lists the peaks outside the leaf's mountain (D13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProofShape {
    /// By the bagging shape: the bags and peaks [`Bagging`] names (the default).
    Bagged,
    /// Every other peak on its own, left to right, whatever the bagging (MMRIVER,
    /// checkpointed-local-log); the verifier bags them with the recomputed peak (D14 rule 6).
    /// The same listing as [`Bagging::Flat`]'s.
    PerPeak,
}

/// A dialect's hashing rules (D10). Object safe: `&dyn Profile` selects a profile at run time.
pub trait Profile: Debug + Send + Sync {
    /// The profile's stable name, as used by `--profile` and in vectors.
    fn name(&self) -> &'static str;

    /// The hash of the leaf at position `pos` with this data and value.
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash;

    /// The hash of the internal node at `pos` with these children; `sum` is their value sum.
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash;

    /// The shape of the bagging.
    fn bagging(&self) -> Bagging;

    /// One bagging step for [`Bagging::FoldRight`], [`Bagging::FoldLeft`] and
    /// [`Bagging::PeakTree`]: combine `left`
    /// and `right` in an MMR of `size`; `sum` is their value sum. Unused by `Flat` profiles.
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash;

    /// The root hash of a [`Bagging::Flat`] profile over all peaks (possibly none); `total`
    /// is their value sum. Unused by other baggings.
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash;

    /// The root hash of the empty MMR for `FoldRight`/`PeakTree` profiles, or `None` where
    /// the dialect defines none (the operation then fails with [`Error::EmptyRoot`]).
    fn empty_root(&self) -> Option<Hash>;

    /// The root template around the bagged peaks (D11) of a non-flat profile: the root hash
    /// over `folded`, the node the bagging produced, in an MMR of `size`; `None` (the
    /// default) where the profile has none and the bagged node is the root.
    fn wrap_root(&self, size: u64, folded: &Node) -> Option<Hash> {
        let _ = (size, folded);
        None
    }

    /// How a coin proof's bagging part lists the other peaks (D13); [`ProofShape::Bagged`]
    /// by default.
    fn proof_shape(&self) -> ProofShape {
        ProofShape::Bagged
    }
}

macro_rules! forward_profile {
    ($($ty:ty),*) => {$(
        impl<P: Profile + ?Sized> Profile for $ty {
            fn name(&self) -> &'static str { (**self).name() }
            fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
                (**self).leaf_hash(pos, data, value)
            }
            fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
                (**self).parent_hash(pos, left, right, sum)
            }
            fn bagging(&self) -> Bagging { (**self).bagging() }
            fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
                (**self).bag_hash(size, left, right, sum)
            }
            fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
                (**self).commit_hash(size, total, peaks)
            }
            fn empty_root(&self) -> Option<Hash> { (**self).empty_root() }
            fn wrap_root(&self, size: u64, folded: &Node) -> Option<Hash> {
                (**self).wrap_root(size, folded)
            }
            fn proof_shape(&self) -> ProofShape { (**self).proof_shape() }
        }
    )*};
}
forward_profile!(&P, Box<P>, std::sync::Arc<P>);

/// The leaf node at `pos` (D9): its hash under the profile, and its value.
pub fn leaf_node<P: Profile + ?Sized>(p: &P, pos: u64, data: &[u8], value: u64) -> Node {
    Node {
        hash: p.leaf_hash(pos, data, value),
        value,
    }
}

/// The parent node at `pos` (D9): the profile's parent hash and the checked value sum.
pub fn parent_node<P: Profile + ?Sized>(
    p: &P,
    pos: u64,
    left: &Node,
    right: &Node,
) -> Result<Node, Error> {
    let sum = left
        .value
        .checked_add(right.value)
        .ok_or(Error::ValueOverflow)?;
    Ok(Node {
        hash: p.parent_hash(pos, left, right, sum),
        value: sum,
    })
}

/// One bagging step (D11): the profile's bag hash and the checked value sum.
pub fn bag_node<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    left: &Node,
    right: &Node,
) -> Result<Node, Error> {
    let sum = left
        .value
        .checked_add(right.value)
        .ok_or(Error::ValueOverflow)?;
    Ok(Node {
        hash: p.bag_hash(size, left, right, sum),
        value: sum,
    })
}

/// The root of a [`Bagging::Flat`] profile (D11): the commitment over all peaks, valued at
/// their checked sum.
pub fn flat_root<P: Profile + ?Sized>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, Error> {
    let total = checked_total(peaks)?;
    Ok(Node {
        hash: p.commit_hash(size, total, peaks),
        value: total,
    })
}

/// D13: the bagging whose listing a coin proof's bagging part follows: the profile's own
/// for [`ProofShape::Bagged`], [`Bagging::Flat`]'s (every other peak, left to right) for
/// [`ProofShape::PerPeak`].
pub fn proof_listing<P: Profile + ?Sized>(p: &P) -> Bagging {
    match p.proof_shape() {
        ProofShape::Bagged => p.bagging(),
        ProofShape::PerPeak => Bagging::Flat,
    }
}

/// D11: the root of a non-flat profile over `folded`, the node its bagging produced: the
/// root template's hash where the profile has one ([`Profile::wrap_root`]), else `folded`
/// itself; the value is the folded node's.
pub fn wrapped_root<P: Profile + ?Sized>(p: &P, size: u64, folded: Node) -> Node {
    match p.wrap_root(size, &folded) {
        Some(hash) => Node::new(hash, folded.value),
        None => folded,
    }
}

/// The root of the empty MMR under a `FoldRight`/`FoldLeft`/`PeakTree` profile (D11).
pub fn empty_root<P: Profile + ?Sized>(p: &P) -> Result<Node, Error> {
    p.empty_root()
        .map(|h| Node::new(h, 0))
        .ok_or(Error::EmptyRoot)
}

/// The sum of the nodes' values, or [`Error::ValueOverflow`].
pub fn checked_total(nodes: &[Node]) -> Result<u64, Error> {
    nodes
        .iter()
        .try_fold(0u64, |acc, n| acc.checked_add(n.value))
        .ok_or(Error::ValueOverflow)
}
