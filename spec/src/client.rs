//! The storage-less client (SPEC.md D24).

use crate::{Error, MmrSet, Node, Proof};

/// The state a client starts from: a committed state's height, size and peaks (D24).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientState {
    /// The block height the state belongs to.
    pub height: u64,
    /// The MMR's size.
    pub size: u64,
    /// The peaks, left to right.
    pub peaks: Vec<Node>,
}

/// A client that keeps only the peaks and the proofs of the leaves it tracks, and follows
/// the chain by applying each block's MMR set (D24). A failed call changes nothing.
pub trait Client {
    /// The height of the last applied block.
    fn height(&self) -> u64;
    /// The MMR's size.
    fn size(&self) -> u64;
    /// The peaks, left to right.
    fn peaks(&self) -> Vec<Node>;
    /// The root (D11).
    fn root(&self) -> Result<Node, Error>;
    /// Applies the next block's MMR set, updating the peaks and every tracked proof.
    fn apply(&mut self, set: &MmrSet) -> Result<(), Error>;
    /// Starts tracking a leaf given its node and a proof valid at the client's state;
    /// returns the leaf index. Tracking a tracked leaf replaces its proof.
    fn track(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error>;
    /// Stops tracking a leaf.
    fn untrack(&mut self, index: u64) -> Result<(), Error>;
    /// The tracked leaf indices, ascending.
    fn tracked(&self) -> Vec<u64>;
    /// A tracked leaf's current node.
    fn leaf(&self, index: u64) -> Result<Node, Error>;
    /// A tracked leaf's current proof.
    fn proof(&self, index: u64) -> Result<Proof, Error>;
    /// Verifies anyone's proof against the client's state (the sizes must match).
    fn verify(&self, proof: &Proof, data: &[u8], value: u64) -> Result<(), Error>;
}
