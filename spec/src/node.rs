//! Hash-sum nodes (SPEC.md D9).

use crate::Hash;

/// A node of the MMR: its hash and its value. A leaf's value is the coin's amount (0 once
/// spent); an internal node's value is the sum of its children's values (D9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Node {
    /// The node's digest under the active profile.
    pub hash: Hash,
    /// The node's value: a leaf's amount or the sum of the leaves below.
    pub value: u64,
}

impl Node {
    /// A node from its parts.
    pub const fn new(hash: Hash, value: u64) -> Node {
        Node { hash, value }
    }
}
