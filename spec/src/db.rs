//! The trait both implementations implement: the MMR proof database (SPEC.md D12-D23).

use crate::{BatchProof, Block, BlockInfo, Error, MmrSet, Node, Profile, Proof, leaf_node};

/// Which state a read looks at (D19).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum At {
    /// The working state: the last committed block plus any uncommitted changes.
    Current,
    /// The committed state after the block of this height (0 is genesis, the empty MMR).
    Block(u64),
}

/// Database settings (D19).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    /// How many past block states stay readable and reachable by rewind, besides the last
    /// committed one. 0 keeps only the tip.
    pub retain: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config { retain: 16 }
    }
}

/// The observable summary of one state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StateInfo {
    /// Node count.
    pub size: u64,
    /// Leaf count.
    pub leaf_count: u64,
    /// The root; its value is the total value.
    pub root: Node,
    /// The peaks, left (highest) to right.
    pub peaks: Vec<Node>,
}

/// What a compaction did (D21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompactReport {
    /// The new horizon.
    pub horizon: u64,
    /// Positions dropped by this compaction.
    pub dropped: u64,
    /// Positions dropped in all (the prune list's population).
    pub total_dropped: u64,
}

/// A leaf as supplied to a verifier: its data and value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Leaf {
    /// The leaf's data.
    pub data: Vec<u8>,
    /// The leaf's value.
    pub value: u64,
}

/// The leaf nodes a batch verifier checks for leaves given as data and value (D15): each
/// hashed at the position the proof names for it, in order; leaves beyond the positions
/// get a zero node, so the verifier still reports the count mismatch (rule 4) and not a
/// hash. Shared by `ProofDb::verify_batch` and by callers that must send the node form.
pub fn batch_leaf_nodes<P: Profile + ?Sized>(
    p: &P,
    positions: &[u64],
    leaves: &[Leaf],
) -> Vec<Node> {
    leaves
        .iter()
        .enumerate()
        .map(|(i, l)| match positions.get(i) {
            Some(pos) => leaf_node(p, *pos, &l.data, l.value),
            None => Node::default(),
        })
        .collect()
}

/// The MMR proof database (D12-D23). Mutations change the working state; `commit` seals
/// it as the next block. Every method is total: bad input is an [`Error`], never a panic,
/// and a failed mutation changes nothing.
pub trait ProofDb {
    /// The hash profile in use.
    fn profile(&self) -> &dyn Profile;
    /// The settings the database was created with.
    fn config(&self) -> Config;

    // ----- block bookkeeping (D16, D19, D21) -----
    /// Height of the last committed block (0 before any).
    fn height(&self) -> u64;
    /// The oldest retained height; states `oldest()..=height()` are readable.
    fn oldest(&self) -> u64;
    /// The compaction horizon (0 before any compaction).
    fn horizon(&self) -> u64;
    /// Whether the working state has uncommitted changes.
    fn has_pending(&self) -> bool;

    // ----- reads -----
    /// Node count of the working state.
    fn size(&self) -> u64;
    /// Leaf count of the working state.
    fn leaf_count(&self) -> u64;
    /// Size, leaf count, root and peaks of a state.
    fn state(&self, at: At) -> Result<StateInfo, Error>;
    /// The root of a state (D11).
    fn root(&self, at: At) -> Result<Node, Error> {
        Ok(self.state(at)?.root)
    }
    /// The node at a position (D1).
    fn node(&self, at: At, pos: u64) -> Result<Node, Error>;
    /// Whether a leaf is unspent (in the leaf set, D20).
    fn is_unspent(&self, at: At, index: u64) -> Result<bool, Error>;
    /// The leaf set of a state in MWEB's byte layout (D20).
    fn leaf_set(&self, at: At) -> Result<Vec<u8>, Error>;
    /// The prune list in MWEB's byte layout (D22).
    fn prune_list(&self) -> Vec<u8>;
    /// The MMR set of a retained block above the oldest retained state (D18).
    fn mmr_set(&self, height: u64) -> Result<MmrSet, Error>;

    // ----- proofs (D13-D15) -----
    /// A coin proof for a leaf.
    fn prove(&self, at: At, index: u64) -> Result<Proof, Error>;
    /// A batch proof for several leaves (any order, no duplicates).
    fn prove_batch(&self, at: At, indices: &[u64]) -> Result<BatchProof, Error>;
    /// Verifies a proof for a leaf given as a node (D14).
    fn verify_node(&self, root: &Node, proof: &Proof, leaf: &Node) -> Result<(), Error>;
    /// Verifies a proof for a leaf given as data and value (D14).
    fn verify(&self, root: &Node, proof: &Proof, data: &[u8], value: u64) -> Result<(), Error> {
        let leaf = leaf_node(self.profile(), proof.pos, data, value);
        self.verify_node(root, proof, &leaf)
    }
    /// Verifies a batch proof for leaves given as nodes, in the proof's leaf order (D15).
    fn verify_batch_nodes(
        &self,
        root: &Node,
        proof: &BatchProof,
        leaves: &[Node],
    ) -> Result<(), Error>;
    /// Verifies a batch proof for leaves given as data and value, in the proof's order (D15).
    fn verify_batch(&self, root: &Node, proof: &BatchProof, leaves: &[Leaf]) -> Result<(), Error> {
        let nodes = batch_leaf_nodes(self.profile(), &proof.leaves, leaves);
        self.verify_batch_nodes(root, proof, &nodes)
    }

    // ----- mutations of the working state (D12) -----
    /// Appends a leaf; returns its index.
    fn append(&mut self, data: &[u8], value: u64) -> Result<u64, Error>;
    /// Replaces an unspent leaf's data and value.
    fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), Error>;
    /// Spends an unspent leaf: value 0, this data, out of the leaf set.
    fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), Error>;

    // ----- blocks (D16-D19) -----
    /// Seals the working state as block `height() + 1`.
    fn commit(&mut self) -> Result<BlockInfo, Error>;
    /// Applies every op of the block to the working state, all or nothing, then commits.
    fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, Error>;
    /// Returns to the committed state of a retained height, dropping later blocks and any
    /// uncommitted changes (D19).
    fn rewind(&mut self, height: u64) -> Result<(), Error>;

    // ----- pruning (D20-D23) -----
    /// Drops the nodes no unspent leaf needs, as of the state at `horizon` (D21).
    fn compact(&mut self, horizon: u64) -> Result<CompactReport, Error>;
    /// Re-inserts the nodes of a valid proof of the working state; returns how many
    /// positions came back (D23).
    fn unprune(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error>;
}
