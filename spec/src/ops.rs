//! The operation model: every capability of [`ProofDb`] and [`Client`] as data.
//!
//! One sequence of [`Op`]s drives the differential harness (both implementations, compared
//! after every step), the YAML vectors (a sequence with its expected [`Outcome`]s) and the
//! conformance protocol (one request per op). [`Executor`] runs ops against any
//! implementation through the traits, so all three see the same semantics.
//!
//! Some ops are *derived*: they read a proof or MMR set from the database and feed it,
//! possibly tampered, back to a verifier or client ([`Op::ProveAndVerify`],
//! [`Op::ClientFollow`], ...). They let random sequences exercise honest and forged inputs
//! without knowing hashes in advance; a vector generator may expand them into the concrete
//! ops ([`Op::Verify`], [`Op::ClientApply`]) they amount to.

use crate::{
    At, BatchProof, Block, BlockInfo, Client, ClientState, CompactReport, Error, ErrorKind, Leaf,
    MmrSet, Node, Proof, ProofDb, Side, StateInfo,
};

/// A change to a proof before it is verified; every variant but `None` that alters the
/// encoding must make verification fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Tamper {
    /// The honest proof.
    None,
    /// Flip one bit of a step's hash (step and bit taken modulo the path length and 256).
    FlipHashBit {
        /// Step index (modulo the path length).
        step: u8,
        /// Bit index 0..=255.
        bit: u8,
    },
    /// Add to a step's value, wrapping (modulo the path length).
    AddValue {
        /// Step index (modulo the path length).
        step: u8,
        /// Amount added, wrapping.
        delta: u64,
    },
    /// Swap a step's side.
    FlipSide {
        /// Step index (modulo the path length).
        step: u8,
    },
    /// Remove a step.
    DropStep {
        /// Step index (modulo the path length).
        step: u8,
    },
    /// Insert a copy of a step after itself.
    DuplicateStep {
        /// Step index (modulo the path length).
        step: u8,
    },
    /// Swap two adjacent steps.
    SwapSteps {
        /// Index of the first of the two (modulo the path length).
        step: u8,
    },
    /// Replace the size.
    SetSize(u64),
    /// Replace the position.
    SetPos(u64),
    /// Append a byte to the encoding.
    TrailingByte(u8),
    /// Cut the encoding to this many bytes (if shorter than it).
    Truncate(u16),
    /// Overwrite one byte of the encoding (offset modulo the length) with this value.
    SetByte {
        /// Offset, modulo the encoding's length.
        offset: u16,
        /// The new byte.
        byte: u8,
    },
}

impl Tamper {
    /// Applies the change to a proof, returning its bytes (which may no longer decode).
    pub fn apply(self, proof: &Proof) -> Vec<u8> {
        let mut p = proof.clone();
        let n = p.path.len();
        let idx = |s: u8| {
            if n == 0 {
                None
            } else {
                Some(usize::from(s) % n)
            }
        };
        match self {
            Tamper::FlipHashBit { step, bit } => {
                if let Some(i) = idx(step) {
                    p.path[i].node.hash.0[usize::from(bit / 8)] ^= 1 << (bit % 8);
                }
            }
            Tamper::AddValue { step, delta } => {
                if let Some(i) = idx(step) {
                    p.path[i].node.value = p.path[i].node.value.wrapping_add(delta);
                }
            }
            Tamper::FlipSide { step } => {
                if let Some(i) = idx(step) {
                    p.path[i].side = match p.path[i].side {
                        Side::Left => Side::Right,
                        Side::Right => Side::Left,
                    };
                }
            }
            Tamper::DropStep { step } => {
                if let Some(i) = idx(step) {
                    p.path.remove(i);
                }
            }
            Tamper::DuplicateStep { step } => {
                if let Some(i) = idx(step) {
                    let s = p.path[i];
                    p.path.insert(i, s);
                }
            }
            Tamper::SwapSteps { step } => {
                if let Some(i) = idx(step) {
                    if i + 1 < n {
                        p.path.swap(i, i + 1);
                    }
                }
            }
            Tamper::SetSize(s) => p.size = s,
            Tamper::SetPos(q) => p.pos = q,
            Tamper::None
            | Tamper::TrailingByte(_)
            | Tamper::Truncate(_)
            | Tamper::SetByte { .. } => {}
        }
        let mut bytes = p.encode().unwrap_or_default();
        match self {
            Tamper::TrailingByte(b) => bytes.push(b),
            Tamper::Truncate(len) => bytes.truncate(usize::from(len)),
            Tamper::SetByte { offset, byte } if !bytes.is_empty() => {
                let i = usize::from(offset) % bytes.len();
                bytes[i] = byte;
            }
            _ => {}
        }
        bytes
    }
}

/// A change to a batch proof before it is verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum BatchTamper {
    /// The honest proof.
    None,
    /// Flip one bit of an item's hash (item modulo the item count).
    FlipHashBit {
        /// Item index (modulo the item count).
        item: u8,
        /// Bit index 0..=255.
        bit: u8,
    },
    /// Add to an item's value, wrapping.
    AddValue {
        /// Item index (modulo the item count).
        item: u8,
        /// Amount added, wrapping.
        delta: u64,
    },
    /// Remove an item.
    DropItem {
        /// Item index (modulo the item count).
        item: u8,
    },
    /// Insert a copy of an item after itself.
    DuplicateItem {
        /// Item index (modulo the item count).
        item: u8,
    },
    /// Insert a copy of an item with a changed hash after itself (a conflicting item).
    ConflictingItem {
        /// Item index (modulo the item count).
        item: u8,
    },
    /// Swap two adjacent items.
    SwapItems {
        /// Index of the first of the two (modulo the item count).
        item: u8,
    },
    /// Repeat a leaf position (with its leaf).
    DuplicateLeaf {
        /// Leaf index in the list (modulo the leaf count).
        leaf: u8,
    },
    /// Swap two adjacent leaf positions (and their leaves).
    SwapLeaves {
        /// Index of the first of the two (modulo the leaf count).
        leaf: u8,
    },
    /// Remove a leaf position (and its leaf).
    DropLeaf {
        /// Leaf index in the list (modulo the leaf count).
        leaf: u8,
    },
    /// Replace the size.
    SetSize(u64),
    /// Append a byte to the encoding.
    TrailingByte(u8),
    /// Cut the encoding to this many bytes (if shorter than it).
    Truncate(u16),
}

impl BatchTamper {
    /// Applies the change to a batch proof and its leaf list; returns the proof's bytes and
    /// the leaves to supply.
    pub fn apply(self, proof: &BatchProof, leaves: &[Node]) -> (Vec<u8>, Vec<Node>) {
        let mut p = proof.clone();
        let mut l = leaves.to_vec();
        let ni = p.items.len();
        let nl = p.leaves.len();
        let item = |s: u8| {
            if ni == 0 {
                None
            } else {
                Some(usize::from(s) % ni)
            }
        };
        let leaf = |s: u8| {
            if nl == 0 {
                None
            } else {
                Some(usize::from(s) % nl)
            }
        };
        match self {
            BatchTamper::FlipHashBit { item: s, bit } => {
                if let Some(i) = item(s) {
                    p.items[i].1.hash.0[usize::from(bit / 8)] ^= 1 << (bit % 8);
                }
            }
            BatchTamper::AddValue { item: s, delta } => {
                if let Some(i) = item(s) {
                    p.items[i].1.value = p.items[i].1.value.wrapping_add(delta);
                }
            }
            BatchTamper::DropItem { item: s } => {
                if let Some(i) = item(s) {
                    p.items.remove(i);
                }
            }
            BatchTamper::DuplicateItem { item: s } => {
                if let Some(i) = item(s) {
                    let it = p.items[i];
                    p.items.insert(i, it);
                }
            }
            BatchTamper::ConflictingItem { item: s } => {
                if let Some(i) = item(s) {
                    let mut it = p.items[i];
                    it.1.hash.0[0] ^= 1;
                    p.items.insert(i + 1, it);
                }
            }
            BatchTamper::SwapItems { item: s } => {
                if let Some(i) = item(s) {
                    if i + 1 < ni {
                        p.items.swap(i, i + 1);
                    }
                }
            }
            BatchTamper::DuplicateLeaf { leaf: s } => {
                if let Some(i) = leaf(s) {
                    p.leaves.insert(i, p.leaves[i]);
                    if i < l.len() {
                        l.insert(i, l[i]);
                    }
                }
            }
            BatchTamper::SwapLeaves { leaf: s } => {
                if let Some(i) = leaf(s) {
                    if i + 1 < nl {
                        p.leaves.swap(i, i + 1);
                        if i + 1 < l.len() {
                            l.swap(i, i + 1);
                        }
                    }
                }
            }
            BatchTamper::DropLeaf { leaf: s } => {
                if let Some(i) = leaf(s) {
                    p.leaves.remove(i);
                    if i < l.len() {
                        l.remove(i);
                    }
                }
            }
            BatchTamper::SetSize(s) => p.size = s,
            BatchTamper::None | BatchTamper::TrailingByte(_) | BatchTamper::Truncate(_) => {}
        }
        let mut bytes = p.encode();
        match self {
            BatchTamper::TrailingByte(b) => bytes.push(b),
            BatchTamper::Truncate(len) => bytes.truncate(usize::from(len)),
            _ => {}
        }
        (bytes, l)
    }
}

/// One operation. Each names the trait method(s) it exercises in [`Op::methods`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Op {
    // ----- mutations (D12, D16, D19, D21, D23) -----
    /// `ProofDb::append`.
    Append {
        /// Leaf data.
        data: Vec<u8>,
        /// Leaf value.
        value: u64,
    },
    /// `ProofDb::update`.
    Update {
        /// Leaf index.
        index: u64,
        /// New data.
        data: Vec<u8>,
        /// New value.
        value: u64,
    },
    /// `ProofDb::spend`.
    Spend {
        /// Leaf index.
        index: u64,
        /// Spent data.
        data: Vec<u8>,
    },
    /// `ProofDb::commit`.
    Commit,
    /// `ProofDb::apply_block`.
    ApplyBlock {
        /// The block.
        block: Block,
    },
    /// `ProofDb::rewind`.
    Rewind {
        /// Target height.
        height: u64,
    },
    /// `ProofDb::compact`.
    Compact {
        /// Horizon height.
        horizon: u64,
    },
    /// `ProofDb::unprune` with a concrete proof (bytes, decoded first) and leaf node.
    Unprune {
        /// Encoded proof (D13).
        proof: Vec<u8>,
        /// The leaf's node.
        leaf: Node,
    },
    /// Derived: `ProofDb::unprune` with the proof of leaf `index` that the database gave at
    /// retained height `height` (typically before a compaction), and that leaf's node there.
    UnpruneFrom {
        /// Height at which proof and leaf are read.
        height: u64,
        /// Leaf index.
        index: u64,
    },

    // ----- reads (D19, D20, D22, D18) -----
    /// Height, oldest, horizon, pending flag, size and leaf count.
    Info,
    /// `ProofDb::state`.
    State {
        /// Which state.
        at: At,
    },
    /// `ProofDb::node`.
    Node {
        /// Which state.
        at: At,
        /// Position.
        pos: u64,
    },
    /// `ProofDb::is_unspent`.
    IsUnspent {
        /// Which state.
        at: At,
        /// Leaf index.
        index: u64,
    },
    /// `ProofDb::leaf_set`.
    LeafSet {
        /// Which state.
        at: At,
    },
    /// `ProofDb::prune_list`.
    PruneList,
    /// `ProofDb::mmr_set`.
    MmrSet {
        /// Block height.
        height: u64,
    },

    // ----- proofs (D13-D15) -----
    /// `ProofDb::prove`; the output is the encoded proof.
    Prove {
        /// Which state.
        at: At,
        /// Leaf index.
        index: u64,
    },
    /// `ProofDb::prove_batch`; the output is the encoded batch proof.
    ProveBatch {
        /// Which state.
        at: At,
        /// Leaf indices, any order.
        indices: Vec<u64>,
    },
    /// `ProofDb::verify` with concrete inputs (the proof is decoded first).
    Verify {
        /// Trusted root.
        root: Node,
        /// Encoded proof.
        proof: Vec<u8>,
        /// Leaf data.
        data: Vec<u8>,
        /// Leaf value.
        value: u64,
    },
    /// `ProofDb::verify_batch` with concrete inputs.
    VerifyBatch {
        /// Trusted root.
        root: Node,
        /// Encoded batch proof.
        proof: Vec<u8>,
        /// The leaves, in the proof's order.
        leaves: Vec<Leaf>,
    },
    /// Derived: prove leaf `index` at `at`, tamper, and `verify_node` it against the root of
    /// `at` with the leaf's node read at `at`.
    ProveAndVerify {
        /// Which state.
        at: At,
        /// Leaf index.
        index: u64,
        /// The change made before verifying.
        tamper: Tamper,
    },
    /// Derived: batch-prove `indices` at `at`, tamper, and `verify_batch_nodes` against the
    /// root of `at` with the leaves' nodes read at `at`.
    ProveBatchAndVerify {
        /// Which state.
        at: At,
        /// Leaf indices.
        indices: Vec<u64>,
        /// The change made before verifying.
        tamper: BatchTamper,
    },

    // ----- the storage-less client (D24) -----
    /// Creates (or re-creates) the client from the committed state of `height`.
    ClientInit {
        /// The height whose state seeds the client.
        height: u64,
    },
    /// The client's height, size, peaks, root and tracked leaves.
    ClientInfo,
    /// `Client::apply` with a concrete, encoded MMR set (decoded first).
    ClientApply {
        /// Encoded MMR set (D18).
        set: Vec<u8>,
    },
    /// Derived: `Client::apply` of the database's MMR set of block `client height + 1`,
    /// optionally tampered.
    ClientFollow {
        /// The change made before applying.
        tamper: SetTamper,
    },
    /// Derived: `Client::track` of leaf `index` with the database's proof and node at the
    /// client's height.
    ClientTrack {
        /// Leaf index.
        index: u64,
    },
    /// `Client::untrack`.
    ClientUntrack {
        /// Leaf index.
        index: u64,
    },
    /// `Client::proof`; the output is the encoded proof.
    ClientProof {
        /// Leaf index.
        index: u64,
    },
    /// `Client::leaf`.
    ClientLeaf {
        /// Leaf index.
        index: u64,
    },
    /// Derived: `Client::verify` of the database's proof of leaf `index` at the client's
    /// height, with the given data and value.
    ClientVerify {
        /// Leaf index.
        index: u64,
        /// Leaf data.
        data: Vec<u8>,
        /// Leaf value.
        value: u64,
    },
}

/// A change to an MMR set before a client applies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SetTamper {
    /// The honest set.
    None,
    /// Remove a node (index modulo the node count).
    DropNode(u8),
    /// Flip a bit of a node's hash.
    FlipHash(u8),
    /// Add to a node's value, wrapping.
    AddValue(u8, u64),
    /// Swap two adjacent nodes.
    SwapNodes(u8),
    /// Repeat a node.
    DuplicateNode(u8),
    /// Replace the height.
    SetHeight(u64),
    /// Replace the previous size.
    SetPrevSize(u64),
    /// Replace the new size.
    SetSize(u64),
    /// Flip a bit of the announced root.
    FlipRoot,
    /// Flip a bit of the hash of a node that is not a peak of the new size (index modulo
    /// the count of such nodes; no change if there is none): the peaks and the root stay
    /// right, so only D24 step 7 (re-verifying the tracked proofs) can catch it, when a
    /// tracked proof uses that node.
    ForgeNonPeak(u8),
    /// [`SetTamper::ForgeNonPeak`] aimed at a node a tracked proof uses: run by a client
    /// op ([`Op::ClientFollow`]), it flips a bit of the k-th set node (modulo their count)
    /// that is a sibling on a tracked leaf's path at the new size, so D24 step 7 must
    /// reject the set; with no such node, and on its own ([`SetTamper::apply`]), it is
    /// `ForgeNonPeak(k)`. Random sessions rarely hit a tracked sibling by chance.
    ForgeTrackedSibling(u8),
}

/// The peak positions of an MMR of `size` nodes (D6), by peeling perfect trees from the
/// left; for an invalid size, those of its largest valid prefix.
fn peak_positions(size: u64) -> Vec<u64> {
    let (mut left, mut offset, mut out) = (u128::from(size), 0u128, Vec::new());
    for h in (0..64u32).rev() {
        let tree = (1u128 << (h + 1)) - 1;
        if left >= tree {
            out.push(u64::try_from(offset + tree - 1).unwrap_or(u64::MAX));
            offset += tree;
            left -= tree;
        }
    }
    out
}

/// The height of position `pos` in postorder (D4), by jumping to the left sibling of the
/// largest tree until `pos + 1` is all ones.
fn pos_height(pos: u64) -> u32 {
    let mut p = u128::from(pos) + 1;
    loop {
        let bits = 128 - p.leading_zeros();
        if p == (1u128 << bits) - 1 {
            return bits - 1;
        }
        p -= (1u128 << (bits - 1)) - 1;
    }
}

/// The siblings on the path of the leaf at `pos` up to its peak in an MMR of `size` (D13's
/// mountain part), by postorder arithmetic: a node is a right child iff the next position
/// is one higher.
fn mountain_siblings(pos: u64, size: u64) -> Vec<u64> {
    let peaks = peak_positions(size);
    let (mut p, mut out) = (pos, Vec::new());
    while p < size && !peaks.contains(&p) {
        let h = pos_height(p);
        let span = (1u64 << (h + 1)) - 1;
        let (sibling, parent) = if p.checked_add(1).is_some_and(|q| pos_height(q) == h + 1) {
            (p - span, p + 1)
        } else {
            match p.checked_add(span) {
                Some(sib) => (sib, sib.saturating_add(1)),
                None => break,
            }
        };
        out.push(sibling);
        p = parent;
    }
    out
}

impl SetTamper {
    /// [`SetTamper::ForgeTrackedSibling`] with the client's tracked leaves (their leaf
    /// positions); any other tamper as [`SetTamper::apply`].
    pub fn apply_tracked(self, set: &MmrSet, tracked_positions: &[u64]) -> MmrSet {
        let SetTamper::ForgeTrackedSibling(k) = self else {
            return self.apply(set);
        };
        let used: Vec<u64> = tracked_positions
            .iter()
            .flat_map(|&p| mountain_siblings(p, set.size))
            .collect();
        let hits: Vec<usize> = (0..set.nodes.len())
            .filter(|&i| used.contains(&set.nodes[i].0))
            .collect();
        if hits.is_empty() {
            return self.apply(set);
        }
        let mut s = set.clone();
        let i = hits[usize::from(k) % hits.len()];
        s.nodes[i].1.hash.0[31] ^= 1;
        s
    }

    /// Applies the change to a set.
    pub fn apply(self, set: &MmrSet) -> MmrSet {
        let mut s = set.clone();
        let n = s.nodes.len();
        let idx = |k: u8| {
            if n == 0 {
                None
            } else {
                Some(usize::from(k) % n)
            }
        };
        match self {
            SetTamper::None => {}
            SetTamper::DropNode(k) => {
                if let Some(i) = idx(k) {
                    s.nodes.remove(i);
                }
            }
            SetTamper::FlipHash(k) => {
                if let Some(i) = idx(k) {
                    s.nodes[i].1.hash.0[31] ^= 1;
                }
            }
            SetTamper::AddValue(k, d) => {
                if let Some(i) = idx(k) {
                    s.nodes[i].1.value = s.nodes[i].1.value.wrapping_add(d);
                }
            }
            SetTamper::SwapNodes(k) => {
                if let Some(i) = idx(k) {
                    if i + 1 < n {
                        s.nodes.swap(i, i + 1);
                    }
                }
            }
            SetTamper::DuplicateNode(k) => {
                if let Some(i) = idx(k) {
                    let x = s.nodes[i];
                    s.nodes.insert(i, x);
                }
            }
            SetTamper::SetHeight(h) => s.height = h,
            SetTamper::SetPrevSize(v) => s.prev_size = v,
            SetTamper::SetSize(v) => s.size = v,
            SetTamper::FlipRoot => s.root.hash.0[0] ^= 1,
            SetTamper::ForgeNonPeak(k) | SetTamper::ForgeTrackedSibling(k) => {
                let peaks = peak_positions(s.size);
                let inner: Vec<usize> =
                    (0..n).filter(|&i| !peaks.contains(&s.nodes[i].0)).collect();
                if !inner.is_empty() {
                    let i = inner[usize::from(k) % inner.len()];
                    s.nodes[i].1.hash.0[31] ^= 1;
                }
            }
        }
        s
    }
}

/// The database-level bookkeeping returned by [`Op::Info`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DbInfo {
    /// `ProofDb::height`.
    pub height: u64,
    /// `ProofDb::oldest`.
    pub oldest: u64,
    /// `ProofDb::horizon`.
    pub horizon: u64,
    /// `ProofDb::has_pending`.
    pub pending: bool,
    /// `ProofDb::size`.
    pub size: u64,
    /// `ProofDb::leaf_count`.
    pub leaf_count: u64,
}

/// The client's observable state, returned by [`Op::ClientInfo`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientInfo {
    /// `Client::height`.
    pub height: u64,
    /// `Client::size`.
    pub size: u64,
    /// `Client::peaks`.
    pub peaks: Vec<Node>,
    /// `Client::root` (or the error kind).
    pub root: Result<Node, ErrorKind>,
    /// `Client::tracked`.
    pub tracked: Vec<u64>,
}

/// What a successful op returns.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Output {
    /// The op returns nothing.
    Unit,
    /// A number: an appended leaf's index, a tracked leaf's index, a restored-node count.
    Number(u64),
    /// A boolean (`is_unspent`).
    Bool(bool),
    /// A committed block.
    Block(BlockInfo),
    /// Database bookkeeping.
    Info(DbInfo),
    /// A state summary.
    State(StateInfo),
    /// A node.
    Node(Node),
    /// Bytes: a leaf set, a prune list, an encoded proof, batch proof or MMR set.
    Bytes(Vec<u8>),
    /// A compaction report.
    Compact(CompactReport),
    /// The client's state.
    Client(ClientInfo),
}

/// The result of one op: its output or the kind of error it raised.
pub type Outcome = Result<Output, ErrorKind>;

/// What the executor needs from an implementation: its database, and a way to make a
/// client of the same implementation.
pub trait Subject {
    /// The database under test.
    fn db(&self) -> &dyn ProofDb;
    /// The database under test, mutably.
    fn db_mut(&mut self) -> &mut dyn ProofDb;
    /// A new client seeded from a committed state.
    fn new_client(&self, state: ClientState) -> Result<Box<dyn Client>, Error>;
}

/// Runs ops against one [`Subject`], keeping the client between ops.
pub struct Executor<S: Subject> {
    /// The implementation under test.
    pub subject: S,
    /// The client, once [`Op::ClientInit`] succeeded.
    pub client: Option<Box<dyn Client>>,
}

impl<S: Subject> Executor<S> {
    /// An executor with no client yet.
    pub fn new(subject: S) -> Self {
        Executor {
            subject,
            client: None,
        }
    }

    /// Runs one op. Never panics for any op and any implementation that never panics.
    pub fn run(&mut self, op: &Op) -> Outcome {
        self.run_inner(op).map_err(|e| e.kind())
    }

    /// The client; a client op before any successful [`Op::ClientInit`] fails as
    /// `not-tracked`.
    fn client(&self) -> Result<&dyn Client, Error> {
        self.client.as_deref().ok_or(Error::NotTracked { index: 0 })
    }

    fn run_inner(&mut self, op: &Op) -> Result<Output, Error> {
        match op {
            Op::Append { data, value } => self
                .subject
                .db_mut()
                .append(data, *value)
                .map(Output::Number),
            Op::Update { index, data, value } => self
                .subject
                .db_mut()
                .update(*index, data, *value)
                .map(|_| Output::Unit),
            Op::Spend { index, data } => self
                .subject
                .db_mut()
                .spend(*index, data)
                .map(|_| Output::Unit),
            Op::Commit => self.subject.db_mut().commit().map(Output::Block),
            Op::ApplyBlock { block } => self.subject.db_mut().apply_block(block).map(Output::Block),
            Op::Rewind { height } => self.subject.db_mut().rewind(*height).map(|_| Output::Unit),
            Op::Compact { horizon } => self.subject.db_mut().compact(*horizon).map(Output::Compact),
            Op::Unprune { proof, leaf } => {
                let p = Proof::decode(proof)?;
                self.subject.db_mut().unprune(&p, leaf).map(Output::Number)
            }
            Op::UnpruneFrom { height, index } => {
                let at = At::Block(*height);
                let db = self.subject.db();
                let p = db.prove(at, *index)?;
                let leaf = db.node(at, p.pos)?;
                self.subject.db_mut().unprune(&p, &leaf).map(Output::Number)
            }
            Op::Info => {
                let db = self.subject.db();
                Ok(Output::Info(DbInfo {
                    height: db.height(),
                    oldest: db.oldest(),
                    horizon: db.horizon(),
                    pending: db.has_pending(),
                    size: db.size(),
                    leaf_count: db.leaf_count(),
                }))
            }
            Op::State { at } => self.subject.db().state(*at).map(Output::State),
            Op::Node { at, pos } => self.subject.db().node(*at, *pos).map(Output::Node),
            Op::IsUnspent { at, index } => {
                self.subject.db().is_unspent(*at, *index).map(Output::Bool)
            }
            Op::LeafSet { at } => self.subject.db().leaf_set(*at).map(Output::Bytes),
            Op::PruneList => Ok(Output::Bytes(self.subject.db().prune_list())),
            Op::MmrSet { height } => self
                .subject
                .db()
                .mmr_set(*height)
                .map(|s| Output::Bytes(s.encode())),
            Op::Prove { at, index } => {
                let p = self.subject.db().prove(*at, *index)?;
                Ok(Output::Bytes(p.encode()?))
            }
            Op::ProveBatch { at, indices } => {
                let p = self.subject.db().prove_batch(*at, indices)?;
                Ok(Output::Bytes(p.encode()))
            }
            Op::Verify {
                root,
                proof,
                data,
                value,
            } => {
                let p = Proof::decode(proof)?;
                self.subject
                    .db()
                    .verify(root, &p, data, *value)
                    .map(|_| Output::Unit)
            }
            Op::VerifyBatch {
                root,
                proof,
                leaves,
            } => {
                let p = BatchProof::decode(proof)?;
                self.subject
                    .db()
                    .verify_batch(root, &p, leaves)
                    .map(|_| Output::Unit)
            }
            Op::ProveAndVerify { at, index, tamper } => {
                let db = self.subject.db();
                let root = db.root(*at)?;
                let proof = db.prove(*at, *index)?;
                let leaf = db.node(*at, proof.pos)?;
                let bytes = tamper.apply(&proof);
                let p = Proof::decode(&bytes)?;
                db.verify_node(&root, &p, &leaf).map(|_| Output::Unit)
            }
            Op::ProveBatchAndVerify {
                at,
                indices,
                tamper,
            } => {
                let db = self.subject.db();
                let root = db.root(*at)?;
                let proof = db.prove_batch(*at, indices)?;
                let leaves = proof
                    .leaves
                    .iter()
                    .map(|p| db.node(*at, *p))
                    .collect::<Result<Vec<_>, _>>()?;
                let (bytes, leaves) = tamper.apply(&proof, &leaves);
                let p = BatchProof::decode(&bytes)?;
                db.verify_batch_nodes(&root, &p, &leaves)
                    .map(|_| Output::Unit)
            }
            Op::ClientInit { height } => {
                let db = self.subject.db();
                let st = db.state(At::Block(*height))?;
                let client = self.subject.new_client(ClientState {
                    height: *height,
                    size: st.size,
                    peaks: st.peaks,
                })?;
                self.client = Some(client);
                Ok(Output::Unit)
            }
            Op::ClientInfo => {
                let c = self.client()?;
                Ok(Output::Client(ClientInfo {
                    height: c.height(),
                    size: c.size(),
                    peaks: c.peaks(),
                    root: c.root().map_err(|e| e.kind()),
                    tracked: c.tracked(),
                }))
            }
            Op::ClientApply { set } => {
                let s = MmrSet::decode(set)?;
                let c = self
                    .client
                    .as_deref_mut()
                    .ok_or(Error::NotTracked { index: 0 })?;
                c.apply(&s).map(|_| Output::Unit)
            }
            Op::ClientFollow { tamper } => {
                let h = self.client()?.height();
                let set = self.subject.db().mmr_set(h.saturating_add(1))?;
                let c = self.client()?;
                let tracked: Vec<u64> = c
                    .tracked()
                    .into_iter()
                    .filter_map(|i| c.proof(i).ok().map(|p| p.pos))
                    .collect();
                let set = tamper.apply_tracked(&set, &tracked);
                let c = self
                    .client
                    .as_deref_mut()
                    .ok_or(Error::NotTracked { index: 0 })?;
                c.apply(&set).map(|_| Output::Unit)
            }
            Op::ClientTrack { index } => {
                let h = self.client()?.height();
                let db = self.subject.db();
                let proof = db.prove(At::Block(h), *index)?;
                let leaf = db.node(At::Block(h), proof.pos)?;
                let c = self
                    .client
                    .as_deref_mut()
                    .ok_or(Error::NotTracked { index: 0 })?;
                c.track(&proof, &leaf).map(Output::Number)
            }
            Op::ClientUntrack { index } => {
                let c = self
                    .client
                    .as_deref_mut()
                    .ok_or(Error::NotTracked { index: *index })?;
                c.untrack(*index).map(|_| Output::Unit)
            }
            Op::ClientProof { index } => {
                let p = self.client()?.proof(*index)?;
                Ok(Output::Bytes(p.encode()?))
            }
            Op::ClientLeaf { index } => self.client()?.leaf(*index).map(Output::Node),
            Op::ClientVerify { index, data, value } => {
                let h = self.client()?.height();
                let proof = self.subject.db().prove(At::Block(h), *index)?;
                self.client()?
                    .verify(&proof, data, *value)
                    .map(|_| Output::Unit)
            }
        }
    }
}

impl Op {
    /// The trait methods this op exercises, as `"ProofDb::name"` / `"Client::name"`.
    pub fn methods(&self) -> &'static [&'static str] {
        match self {
            Op::Append { .. } => &["ProofDb::append"],
            Op::Update { .. } => &["ProofDb::update"],
            Op::Spend { .. } => &["ProofDb::spend"],
            Op::Commit => &["ProofDb::commit"],
            Op::ApplyBlock { .. } => &["ProofDb::apply_block"],
            Op::Rewind { .. } => &["ProofDb::rewind"],
            Op::Compact { .. } => &["ProofDb::compact"],
            Op::Unprune { .. } => &["ProofDb::unprune"],
            Op::UnpruneFrom { .. } => &["ProofDb::unprune", "ProofDb::prove", "ProofDb::node"],
            Op::Info => &[
                "ProofDb::height",
                "ProofDb::oldest",
                "ProofDb::horizon",
                "ProofDb::has_pending",
                "ProofDb::size",
                "ProofDb::leaf_count",
            ],
            Op::State { .. } => &["ProofDb::state", "ProofDb::root"],
            Op::Node { .. } => &["ProofDb::node"],
            Op::IsUnspent { .. } => &["ProofDb::is_unspent"],
            Op::LeafSet { .. } => &["ProofDb::leaf_set"],
            Op::PruneList => &["ProofDb::prune_list"],
            Op::MmrSet { .. } => &["ProofDb::mmr_set"],
            Op::Prove { .. } => &["ProofDb::prove"],
            Op::ProveBatch { .. } => &["ProofDb::prove_batch"],
            Op::Verify { .. } => &["ProofDb::verify"],
            Op::VerifyBatch { .. } => &["ProofDb::verify_batch"],
            Op::ProveAndVerify { .. } => {
                &["ProofDb::prove", "ProofDb::verify_node", "ProofDb::root"]
            }
            Op::ProveBatchAndVerify { .. } => &[
                "ProofDb::prove_batch",
                "ProofDb::verify_batch_nodes",
                "ProofDb::root",
            ],
            Op::ClientInit { .. } => &["Client::new"],
            Op::ClientInfo => &[
                "Client::height",
                "Client::size",
                "Client::peaks",
                "Client::root",
                "Client::tracked",
            ],
            Op::ClientApply { .. } | Op::ClientFollow { .. } => &["Client::apply"],
            Op::ClientTrack { .. } => &["Client::track"],
            Op::ClientUntrack { .. } => &["Client::untrack"],
            Op::ClientProof { .. } => &["Client::proof"],
            Op::ClientLeaf { .. } => &["Client::leaf"],
            Op::ClientVerify { .. } => &["Client::verify"],
        }
    }
}

/// Every method of [`ProofDb`] and [`Client`] (plus client construction), so a test can
/// check that the op model — and each generator built on it — reaches all of them.
pub const TRAIT_METHODS: &[&str] = &[
    "ProofDb::height",
    "ProofDb::oldest",
    "ProofDb::horizon",
    "ProofDb::has_pending",
    "ProofDb::size",
    "ProofDb::leaf_count",
    "ProofDb::state",
    "ProofDb::root",
    "ProofDb::node",
    "ProofDb::is_unspent",
    "ProofDb::leaf_set",
    "ProofDb::prune_list",
    "ProofDb::mmr_set",
    "ProofDb::prove",
    "ProofDb::prove_batch",
    "ProofDb::verify_node",
    "ProofDb::verify",
    "ProofDb::verify_batch_nodes",
    "ProofDb::verify_batch",
    "ProofDb::append",
    "ProofDb::update",
    "ProofDb::spend",
    "ProofDb::commit",
    "ProofDb::apply_block",
    "ProofDb::rewind",
    "ProofDb::compact",
    "ProofDb::unprune",
    "Client::new",
    "Client::height",
    "Client::size",
    "Client::peaks",
    "Client::root",
    "Client::apply",
    "Client::track",
    "Client::untrack",
    "Client::tracked",
    "Client::leaf",
    "Client::proof",
    "Client::verify",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Hash, Step};

    #[test]
    fn peak_positions_follow_d6() {
        assert_eq!(peak_positions(0), Vec::<u64>::new());
        assert_eq!(peak_positions(11), [6, 9, 10]);
        assert_eq!(peak_positions(10), [6, 9]);
        assert_eq!(peak_positions(u64::MAX), [u64::MAX - 1]);
    }

    #[test]
    fn mountain_siblings_follow_d13() {
        // D4 heights of positions 0..15 (SPEC.md's 8-leaf example).
        let heights: Vec<u32> = (0..15).map(pos_height).collect();
        assert_eq!(heights, [0, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 1, 2, 3]);
        assert_eq!(pos_height(u64::MAX - 1), 63);
        // 7 leaves (size 11): leaf 0 climbs 1, 5 to peak 6; leaf 4 (position 7) has 8.
        assert_eq!(mountain_siblings(0, 11), [1, 5]);
        assert_eq!(mountain_siblings(3, 11), [4, 2]);
        assert_eq!(mountain_siblings(7, 11), [8]);
        assert_eq!(mountain_siblings(10, 11), Vec::<u64>::new());
        // The same leaf at a larger size climbs further.
        assert_eq!(mountain_siblings(7, 15), [8, 12, 6]);
        assert_eq!(mountain_siblings(u64::MAX - 1, u64::MAX), Vec::<u64>::new());
    }

    #[test]
    fn forge_non_peak_leaves_the_peaks_alone() {
        let n = |b: u8| Node::new(Hash([b; 32]), 1);
        // Size 10 (peaks 6 and 9): the inner nodes are 3, 5, 7, 8.
        let set = MmrSet {
            height: 2,
            prev_size: 4,
            prev_root: n(0),
            size: 10,
            root: n(0),
            nodes: vec![
                (3, n(3)),
                (5, n(5)),
                (6, n(6)),
                (7, n(7)),
                (8, n(8)),
                (9, n(9)),
            ],
        };
        let forged = SetTamper::ForgeNonPeak(1).apply(&set);
        let changed: Vec<u64> = set
            .nodes
            .iter()
            .zip(&forged.nodes)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0)
            .collect();
        assert_eq!(changed, [5]);
        assert_eq!(
            SetTamper::ForgeNonPeak(4).apply(&set).nodes[0].1.hash.0[31],
            2
        );
        let peaks_only = MmrSet {
            nodes: vec![(6, n(6)), (9, n(9))],
            ..set
        };
        assert_eq!(SetTamper::ForgeNonPeak(0).apply(&peaks_only), peaks_only);
    }

    #[test]
    fn tampers_change_the_encoding() {
        let p = Proof {
            size: 4,
            pos: 0,
            path: vec![
                Step {
                    side: Side::Right,
                    node: Node::new(Hash([1; 32]), 1),
                },
                Step {
                    side: Side::Right,
                    node: Node::new(Hash([2; 32]), 2),
                },
            ],
        };
        let honest = Tamper::None.apply(&p);
        assert_eq!(honest, p.encode().unwrap());
        for t in [
            Tamper::FlipHashBit { step: 3, bit: 200 },
            Tamper::AddValue { step: 0, delta: 1 },
            Tamper::FlipSide { step: 1 },
            Tamper::DropStep { step: 0 },
            Tamper::DuplicateStep { step: 0 },
            Tamper::SwapSteps { step: 0 },
            Tamper::SetSize(5),
            Tamper::SetPos(1),
            Tamper::TrailingByte(0),
            Tamper::Truncate(10),
        ] {
            assert_ne!(t.apply(&p), honest, "{t:?} must change the bytes");
        }
    }

    #[test]
    fn every_trait_method_is_reachable_from_some_op() {
        let ops = [
            Op::Append {
                data: vec![],
                value: 0,
            },
            Op::Update {
                index: 0,
                data: vec![],
                value: 0,
            },
            Op::Spend {
                index: 0,
                data: vec![],
            },
            Op::Commit,
            Op::ApplyBlock {
                block: Block::default(),
            },
            Op::Rewind { height: 0 },
            Op::Compact { horizon: 0 },
            Op::Unprune {
                proof: vec![],
                leaf: Node::default(),
            },
            Op::Info,
            Op::State { at: At::Current },
            Op::Node {
                at: At::Current,
                pos: 0,
            },
            Op::IsUnspent {
                at: At::Current,
                index: 0,
            },
            Op::LeafSet { at: At::Current },
            Op::PruneList,
            Op::MmrSet { height: 0 },
            Op::Prove {
                at: At::Current,
                index: 0,
            },
            Op::ProveBatch {
                at: At::Current,
                indices: vec![],
            },
            Op::Verify {
                root: Node::default(),
                proof: vec![],
                data: vec![],
                value: 0,
            },
            Op::VerifyBatch {
                root: Node::default(),
                proof: vec![],
                leaves: vec![],
            },
            Op::ProveAndVerify {
                at: At::Current,
                index: 0,
                tamper: Tamper::None,
            },
            Op::ProveBatchAndVerify {
                at: At::Current,
                indices: vec![],
                tamper: BatchTamper::None,
            },
            Op::ClientInit { height: 0 },
            Op::ClientInfo,
            Op::ClientApply { set: vec![] },
            Op::ClientTrack { index: 0 },
            Op::ClientUntrack { index: 0 },
            Op::ClientProof { index: 0 },
            Op::ClientLeaf { index: 0 },
            Op::ClientVerify {
                index: 0,
                data: vec![],
                value: 0,
            },
        ];
        for m in TRAIT_METHODS {
            assert!(
                ops.iter().any(|o| o.methods().contains(m)),
                "no op exercises {m}"
            );
        }
    }
}
