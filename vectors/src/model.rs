//! The vector model: the file types of `vectors/SCHEMA.md`, shared with the JSON protocol
//! of `vectors/PROTOCOL.md` (a protocol request is a [`VOp`] plus an id; a response is a
//! [`VOut`]).
//!
//! Every op here is *concrete*: proofs, blocks and MMR sets are bytes, nodes are given
//! explicitly, so an outside implementation needs nothing but the op to run it. The derived
//! ops of `mmr_spec::ops` are expanded into these by the generator and the random runner.

use crate::num::{Hex, Kind, U64, VNode};
use mmr_spec::ops::{ClientInfo, DbInfo, Op, Outcome, Output};
use mmr_spec::{At, BlockInfo, CompactReport, StateInfo};
use mmr_spec::{Block, Leaf};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The schema version written in every file; readers reject others.
pub const SCHEMA_VERSION: u64 = 1;

/// Which state a read looks at: `"current"` (the working state) or a block height as a
/// decimal string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VAt(pub At);

impl Serialize for VAt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            At::Current => s.serialize_str("current"),
            At::Block(h) => s.serialize_str(&h.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for VAt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<VAt, D::Error> {
        let s = String::deserialize(d)?;
        if s == "current" {
            return Ok(VAt(At::Current));
        }
        crate::num::parse_u64(&s)
            .map(|h| VAt(At::Block(h)))
            .map_err(|e| {
                serde::de::Error::custom(format!(
                    "`at` is \"current\" or a block height as a decimal string: {e}"
                ))
            })
    }
}

/// A leaf given to a batch verifier as data and value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VLeaf {
    /// Leaf data.
    pub data: Hex,
    /// Leaf value.
    pub value: U64,
}

/// One concrete operation (SCHEMA.md "ops"; PROTOCOL.md requests). The tag `op` names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum VOp {
    /// `ProofDb::append` (D12): output the new leaf index.
    Append {
        /// Leaf data.
        data: Hex,
        /// Leaf value.
        value: U64,
    },
    /// `ProofDb::update` (D12).
    Update {
        /// Leaf index.
        index: U64,
        /// New data.
        data: Hex,
        /// New value.
        value: U64,
    },
    /// `ProofDb::spend` (D12).
    Spend {
        /// Leaf index.
        index: U64,
        /// Spent data.
        data: Hex,
    },
    /// `ProofDb::commit` (D16).
    Commit,
    /// `ProofDb::apply_block` of a D17-encoded block (decoded first).
    ApplyBlock {
        /// The block's encoding (D17).
        block: Hex,
    },
    /// `ProofDb::rewind` (D19).
    Rewind {
        /// Target height.
        height: U64,
    },
    /// `ProofDb::compact` (D21).
    Compact {
        /// Horizon height.
        horizon: U64,
    },
    /// `ProofDb::unprune` (D23) with a D13-encoded proof.
    Unprune {
        /// Encoded proof.
        proof: Hex,
        /// The leaf's node.
        leaf: VNode,
    },
    /// Height, oldest, horizon, pending flag, size and leaf count.
    Info,
    /// `ProofDb::state`.
    State {
        /// Which state.
        at: VAt,
    },
    /// `ProofDb::node`.
    Node {
        /// Which state.
        at: VAt,
        /// Position.
        pos: U64,
    },
    /// `ProofDb::is_unspent`.
    IsUnspent {
        /// Which state.
        at: VAt,
        /// Leaf index.
        index: U64,
    },
    /// `ProofDb::leaf_set` (D20 bytes).
    LeafSet {
        /// Which state.
        at: VAt,
    },
    /// `ProofDb::prune_list` (D22 bytes).
    PruneList,
    /// `ProofDb::mmr_set` (D18 bytes).
    MmrSet {
        /// Block height.
        height: U64,
    },
    /// `ProofDb::prove` (D13 bytes).
    Prove {
        /// Which state.
        at: VAt,
        /// Leaf index.
        index: U64,
    },
    /// `ProofDb::prove_batch` (D15 bytes).
    ProveBatch {
        /// Which state.
        at: VAt,
        /// Leaf indices in any order.
        indices: Vec<U64>,
    },
    /// `ProofDb::verify` (D14): the proof decoded, the leaf given as data and value.
    Verify {
        /// Trusted root.
        root: VNode,
        /// Encoded proof.
        proof: Hex,
        /// Leaf data.
        data: Hex,
        /// Leaf value.
        value: U64,
    },
    /// `ProofDb::verify_node` (D14): the leaf given as a node.
    VerifyNode {
        /// Trusted root.
        root: VNode,
        /// Encoded proof.
        proof: Hex,
        /// The leaf's node.
        leaf: VNode,
    },
    /// `ProofDb::verify_batch` (D15).
    VerifyBatch {
        /// Trusted root.
        root: VNode,
        /// Encoded batch proof.
        proof: Hex,
        /// Leaves in the proof's order.
        leaves: Vec<VLeaf>,
    },
    /// `ProofDb::verify_batch_nodes` (D15).
    VerifyBatchNodes {
        /// Trusted root.
        root: VNode,
        /// Encoded batch proof.
        proof: Hex,
        /// Leaf nodes in the proof's order.
        leaves: Vec<VNode>,
    },
    /// Creates (or re-creates) the client from a committed state (D24).
    ClientInit {
        /// The state's height.
        height: U64,
        /// Its size.
        size: U64,
        /// Its peaks, left to right.
        peaks: Vec<VNode>,
    },
    /// The client's height, size, peaks, root and tracked leaves.
    ClientInfo,
    /// `Client::apply` of a D18-encoded MMR set.
    ClientApply {
        /// The set's encoding.
        set: Hex,
    },
    /// `Client::track` with a D13-encoded proof and the leaf's node; output the leaf index.
    ClientTrack {
        /// Encoded proof.
        proof: Hex,
        /// The leaf's node.
        leaf: VNode,
    },
    /// `Client::untrack`.
    ClientUntrack {
        /// Leaf index.
        index: U64,
    },
    /// `Client::proof` (D13 bytes).
    ClientProof {
        /// Leaf index.
        index: U64,
    },
    /// `Client::leaf`.
    ClientLeaf {
        /// Leaf index.
        index: U64,
    },
    /// `Client::verify` with a D13-encoded proof, data and value.
    ClientVerify {
        /// Encoded proof.
        proof: Hex,
        /// Leaf data.
        data: Hex,
        /// Leaf value.
        value: U64,
    },
}

/// Every op name, in SCHEMA.md order. [`VOp::name`] is exhaustive over the enum, and a test
/// checks that this list matches it.
pub const OP_NAMES: &[&str] = &[
    "append",
    "update",
    "spend",
    "commit",
    "apply_block",
    "rewind",
    "compact",
    "unprune",
    "info",
    "state",
    "node",
    "is_unspent",
    "leaf_set",
    "prune_list",
    "mmr_set",
    "prove",
    "prove_batch",
    "verify",
    "verify_node",
    "verify_batch",
    "verify_batch_nodes",
    "client_init",
    "client_info",
    "client_apply",
    "client_track",
    "client_untrack",
    "client_proof",
    "client_leaf",
    "client_verify",
];

impl VOp {
    /// The state a read addresses, for the reads that take `at`.
    pub fn at(&self) -> Option<At> {
        match self {
            VOp::State { at }
            | VOp::Node { at, .. }
            | VOp::IsUnspent { at, .. }
            | VOp::LeafSet { at }
            | VOp::Prove { at, .. }
            | VOp::ProveBatch { at, .. } => Some(at.0),
            _ => None,
        }
    }

    /// The op's name (its `op` tag).
    pub fn name(&self) -> &'static str {
        match self {
            VOp::Append { .. } => "append",
            VOp::Update { .. } => "update",
            VOp::Spend { .. } => "spend",
            VOp::Commit => "commit",
            VOp::ApplyBlock { .. } => "apply_block",
            VOp::Rewind { .. } => "rewind",
            VOp::Compact { .. } => "compact",
            VOp::Unprune { .. } => "unprune",
            VOp::Info => "info",
            VOp::State { .. } => "state",
            VOp::Node { .. } => "node",
            VOp::IsUnspent { .. } => "is_unspent",
            VOp::LeafSet { .. } => "leaf_set",
            VOp::PruneList => "prune_list",
            VOp::MmrSet { .. } => "mmr_set",
            VOp::Prove { .. } => "prove",
            VOp::ProveBatch { .. } => "prove_batch",
            VOp::Verify { .. } => "verify",
            VOp::VerifyNode { .. } => "verify_node",
            VOp::VerifyBatch { .. } => "verify_batch",
            VOp::VerifyBatchNodes { .. } => "verify_batch_nodes",
            VOp::ClientInit { .. } => "client_init",
            VOp::ClientInfo => "client_info",
            VOp::ClientApply { .. } => "client_apply",
            VOp::ClientTrack { .. } => "client_track",
            VOp::ClientUntrack { .. } => "client_untrack",
            VOp::ClientProof { .. } => "client_proof",
            VOp::ClientLeaf { .. } => "client_leaf",
            VOp::ClientVerify { .. } => "client_verify",
        }
    }

    /// The trait methods the op exercises (names as in `mmr_spec::ops::TRAIT_METHODS`).
    pub fn methods(&self) -> &'static [&'static str] {
        match self {
            VOp::VerifyNode { .. } => &["ProofDb::verify_node"],
            VOp::VerifyBatch { .. } => &["ProofDb::verify_batch", "ProofDb::verify_batch_nodes"],
            VOp::Verify { .. } => &["ProofDb::verify", "ProofDb::verify_node"],
            VOp::VerifyBatchNodes { .. } => &["ProofDb::verify_batch_nodes"],
            VOp::ClientInit { .. } => &["Client::new"],
            VOp::ClientTrack { .. } => &["Client::track"],
            VOp::ClientVerify { .. } => &["Client::verify"],
            other => match to_op(other) {
                Some(op) => op.methods(),
                None => &[],
            },
        }
    }
}

/// The state of the client as reported by `client_info`: its root, or the error kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VRoot {
    /// The root.
    Node(VNode),
    /// Why there is none (`empty-root`).
    Error(Kind),
}

/// What an op or query returns: an output, or the error kind. Externally tagged: `unit`,
/// `none`, `{number: "3"}`, `{error: root-mismatch}`, ...
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VOut {
    /// The op returns nothing.
    Unit,
    /// Index arithmetic: no such node (the parent of the largest tree's root, the
    /// children of a leaf).
    None,
    /// A number: a leaf index, a restored-node count, a position, a size, a height.
    Number(U64),
    /// A list of numbers (peak positions, children).
    Numbers(Vec<U64>),
    /// A boolean.
    Bool(bool),
    /// A (row, entry) address (D5).
    RowEntry {
        /// The row (height).
        row: U64,
        /// The entry.
        entry: U64,
    },
    /// A committed block (D16).
    Block {
        /// Its height.
        height: U64,
        /// Size after it.
        size: U64,
        /// Leaf count after it.
        leaf_count: U64,
        /// Root after it.
        root: VNode,
    },
    /// Database bookkeeping.
    Info {
        /// Last committed height.
        height: U64,
        /// Oldest retained height.
        oldest: U64,
        /// Compaction horizon.
        horizon: U64,
        /// Uncommitted changes?
        pending: bool,
        /// Working size.
        size: U64,
        /// Working leaf count.
        leaf_count: U64,
    },
    /// A state summary.
    State {
        /// Size.
        size: U64,
        /// Leaf count.
        leaf_count: U64,
        /// Root.
        root: VNode,
        /// Peaks, left to right.
        peaks: Vec<VNode>,
    },
    /// A node.
    Node(VNode),
    /// Bytes: a proof, batch proof, MMR set, leaf set or prune list.
    Bytes(Hex),
    /// A compaction report (D21).
    Compact {
        /// New horizon.
        horizon: U64,
        /// Positions newly dropped.
        dropped: U64,
        /// Positions dropped in all.
        total_dropped: U64,
    },
    /// The client's state.
    Client {
        /// Height.
        height: U64,
        /// Size.
        size: U64,
        /// Peaks.
        peaks: Vec<VNode>,
        /// Root or error kind.
        root: VRoot,
        /// Tracked leaf indices, ascending.
        tracked: Vec<U64>,
    },
    /// The op failed with this kind.
    Error(Kind),
}

impl VOut {
    /// The error kind, if this is an error.
    pub fn error(&self) -> Option<mmr_spec::ErrorKind> {
        match self {
            VOut::Error(k) => Some(k.0),
            _ => None,
        }
    }

    /// One-line JSON form, for reports and diffs.
    pub fn show(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("<{e}>"))
    }
}

impl fmt::Display for VOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show())
    }
}

fn nodes(v: &[mmr_spec::Node]) -> Vec<VNode> {
    v.iter().copied().map(VNode::from).collect()
}

impl From<BlockInfo> for VOut {
    fn from(b: BlockInfo) -> Self {
        VOut::Block {
            height: U64(b.height),
            size: U64(b.size),
            leaf_count: U64(b.leaf_count),
            root: b.root.into(),
        }
    }
}

impl From<StateInfo> for VOut {
    fn from(s: StateInfo) -> Self {
        VOut::State {
            size: U64(s.size),
            leaf_count: U64(s.leaf_count),
            root: s.root.into(),
            peaks: nodes(&s.peaks),
        }
    }
}

impl From<DbInfo> for VOut {
    fn from(i: DbInfo) -> Self {
        VOut::Info {
            height: U64(i.height),
            oldest: U64(i.oldest),
            horizon: U64(i.horizon),
            pending: i.pending,
            size: U64(i.size),
            leaf_count: U64(i.leaf_count),
        }
    }
}

impl From<CompactReport> for VOut {
    fn from(c: CompactReport) -> Self {
        VOut::Compact {
            horizon: U64(c.horizon),
            dropped: U64(c.dropped),
            total_dropped: U64(c.total_dropped),
        }
    }
}

impl From<ClientInfo> for VOut {
    fn from(c: ClientInfo) -> Self {
        VOut::Client {
            height: U64(c.height),
            size: U64(c.size),
            peaks: nodes(&c.peaks),
            root: match c.root {
                Ok(n) => VRoot::Node(n.into()),
                Err(k) => VRoot::Error(Kind(k)),
            },
            tracked: c.tracked.into_iter().map(U64).collect(),
        }
    }
}

impl From<Output> for VOut {
    fn from(o: Output) -> Self {
        match o {
            Output::Unit => VOut::Unit,
            Output::Number(n) => VOut::Number(U64(n)),
            Output::Bool(b) => VOut::Bool(b),
            Output::Block(b) => b.into(),
            Output::Info(i) => i.into(),
            Output::State(s) => s.into(),
            Output::Node(n) => VOut::Node(n.into()),
            Output::Bytes(b) => VOut::Bytes(Hex(b)),
            Output::Compact(c) => c.into(),
            Output::Client(c) => c.into(),
        }
    }
}

/// The outcome of an op as a [`VOut`].
pub fn from_outcome(o: Outcome) -> VOut {
    match o {
        Ok(v) => v.into(),
        Err(k) => VOut::Error(Kind(k)),
    }
}

/// Index-arithmetic queries (D2-D7), answered by `arith` vectors and `mmr pos`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "fn", rename_all = "snake_case", deny_unknown_fields)]
pub enum Query {
    /// D4: the size of the MMR with `leaves` leaves (`capacity-exceeded` above 2^63).
    Size {
        /// Leaf count.
        leaves: U64,
    },
    /// D4: the leaf count of a size (`invalid-size` if it is not valid).
    LeafCount {
        /// Size.
        size: U64,
    },
    /// D3: the position of leaf `index` (`leaf-index-out-of-range` at 2^63 and above).
    LeafPos {
        /// Leaf index.
        index: U64,
    },
    /// D3: the leaf index at `pos` (`not-a-leaf` for an internal node,
    /// `position-out-of-range` for u64::MAX).
    LeafIndex {
        /// Position.
        pos: U64,
    },
    /// D2: the height of `pos` (`position-out-of-range` for u64::MAX).
    Height {
        /// Position.
        pos: U64,
    },
    /// D6: the peak positions of a size, left to right (`invalid-size`).
    Peaks {
        /// Size.
        size: U64,
    },
    /// D7: the parent position (`none` for the root of the largest tree).
    Parent {
        /// Position.
        pos: U64,
    },
    /// D7: the sibling position (`none` for the root of the largest tree).
    Sibling {
        /// Position.
        pos: U64,
    },
    /// D7: the children `[left, right]` (`none` for a leaf).
    Children {
        /// Position.
        pos: U64,
    },
    /// D5: the (row, entry) address of `pos`.
    RowEntry {
        /// Position.
        pos: U64,
    },
    /// D5: the position of (row, entry) (`position-out-of-range` outside D8's domain).
    Position {
        /// Row.
        row: U64,
        /// Entry.
        entry: U64,
    },
}

/// Every arithmetic function's name (the `fn` tag of a [`Query`]).
pub const ARITH_NAMES: &[&str] = &[
    "size",
    "leaf_count",
    "leaf_pos",
    "leaf_index",
    "height",
    "peaks",
    "parent",
    "sibling",
    "children",
    "row_entry",
    "position",
];

impl Query {
    /// The query's name (its `fn` tag).
    pub fn name(&self) -> &'static str {
        match self {
            Query::Size { .. } => "size",
            Query::LeafCount { .. } => "leaf_count",
            Query::LeafPos { .. } => "leaf_pos",
            Query::LeafIndex { .. } => "leaf_index",
            Query::Height { .. } => "height",
            Query::Peaks { .. } => "peaks",
            Query::Parent { .. } => "parent",
            Query::Sibling { .. } => "sibling",
            Query::Children { .. } => "children",
            Query::RowEntry { .. } => "row_entry",
            Query::Position { .. } => "position",
        }
    }
}

/// `valid` (every op behaves as a correct implementation must, with no rejection) or
/// `invalid` (the case targets a weakness: some op must be rejected with the given kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No op of the case fails.
    Valid,
    /// Some op must fail with the expected kind.
    Invalid,
}

/// One op of a session with its expected outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The op.
    #[serde(flatten)]
    pub op: VOp,
    /// What it must return.
    pub expect: VOut,
}

/// An `ops` case: a session on a fresh database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpsCase {
    /// Unique within the file.
    pub id: String,
    /// What the case checks, citing SPEC.md.
    pub description: String,
    /// `valid` or `invalid`.
    pub result: Verdict,
    /// Weaknesses targeted (invalid cases), and `lenient-in:<system>[<range>]` where the
    /// original system accepts what this case rejects.
    pub flags: Vec<String>,
    /// Where a published value comes from (repository and path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The database's `retain` setting (D19).
    pub retain: U64,
    /// The session.
    pub ops: Vec<Step>,
}

/// An `arith` case: one query and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArithCase {
    /// Unique within the file.
    pub id: String,
    /// What the case checks.
    pub description: String,
    /// `valid` or `invalid` (the query must be rejected).
    pub result: Verdict,
    /// Weaknesses targeted.
    pub flags: Vec<String>,
    /// Where a published value comes from (repository and path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The query.
    pub query: Query,
    /// The answer.
    pub expect: VOut,
}

/// The header fields every file has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpsFile {
    /// Always "1" for this schema.
    pub schema_version: U64,
    /// The program that wrote the file.
    pub generator: String,
    /// The profile every case runs under.
    pub profile: String,
    /// What the file covers.
    pub description: String,
    /// The cases.
    pub cases: Vec<OpsCase>,
}

/// An `arith` file (profile `any`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArithFile {
    /// Always "1" for this schema.
    pub schema_version: U64,
    /// The program that wrote the file.
    pub generator: String,
    /// Always `any`: arithmetic does not depend on the profile.
    pub profile: String,
    /// What the file covers.
    pub description: String,
    /// The cases.
    pub cases: Vec<ArithCase>,
}

/// A vector file, by its `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VectorFile {
    /// Operation sessions.
    Ops(OpsFile),
    /// Index-arithmetic queries.
    Arith(ArithFile),
}

impl VectorFile {
    /// The file's profile name (`any` for arith).
    pub fn profile(&self) -> &str {
        match self {
            VectorFile::Ops(f) => &f.profile,
            VectorFile::Arith(f) => &f.profile,
        }
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        match self {
            VectorFile::Ops(f) => f.cases.len(),
            VectorFile::Arith(f) => f.cases.len(),
        }
    }

    /// Whether the file has no case.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a vector file was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// Parses and validates a vector file: YAML syntax, the schema, the schema version, a
/// known profile, unique case ids, and a result consistent with the expected outcomes.
pub fn parse(text: &str) -> Result<VectorFile, ParseError> {
    let file: VectorFile = serde_saphyr::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // YAML reads unquoted hex made of digits around one `e` as a float (6e6577 is
        // infinite); the YAML reader refuses it before the field can say what it wanted.
        if msg.contains("non-finite float") {
            ParseError(format!(
                "{msg}\nhint: hex must be a quoted string; unquoted, YAML reads hex such as 6e6577 as a number: write it in double quotes"
            ))
        } else {
            ParseError(msg)
        }
    })?;
    validate(&file)?;
    Ok(file)
}

/// The entry point of the `vectors_parse` fuzz target: parses arbitrary bytes as a vector
/// file. Never panics; returns the parsed file or a readable error.
pub fn vectors_parse(bytes: &[u8]) -> Result<VectorFile, ParseError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ParseError(format!("a vector file is UTF-8 text: {e}")))?;
    parse(text)
}

fn validate(file: &VectorFile) -> Result<(), ParseError> {
    let (version, profile, arith) = match file {
        VectorFile::Ops(f) => (f.schema_version, f.profile.as_str(), false),
        VectorFile::Arith(f) => (f.schema_version, f.profile.as_str(), true),
    };
    if version.0 != SCHEMA_VERSION {
        return Err(ParseError(format!(
            "schema_version {} is not supported (this reader knows {SCHEMA_VERSION})",
            version.0
        )));
    }
    if arith {
        if profile != "any" {
            return Err(ParseError(format!(
                "an arith file has profile `any`, found {profile:?}"
            )));
        }
    } else if let Err(e) = profile_named(profile) {
        return Err(ParseError(e));
    }
    let mut ids = std::collections::BTreeSet::new();
    let cases: Vec<(&str, Verdict, bool)> = match file {
        VectorFile::Ops(f) => f
            .cases
            .iter()
            .map(|c| {
                let fails = c.ops.iter().any(|s| s.expect.error().is_some());
                (c.id.as_str(), c.result, fails)
            })
            .collect(),
        VectorFile::Arith(f) => f
            .cases
            .iter()
            .map(|c| (c.id.as_str(), c.result, c.expect.error().is_some()))
            .collect(),
    };
    for (id, result, fails) in cases {
        if id.is_empty() {
            return Err(ParseError("a case has an empty id".into()));
        }
        if !ids.insert(id) {
            return Err(ParseError(format!("case id {id:?} appears twice")));
        }
        if (result == Verdict::Invalid) != fails {
            return Err(ParseError(format!(
                "case {id}: result is {result:?} but {} expected outcome is an error",
                if fails { "an" } else { "no" }
            )));
        }
    }
    Ok(())
}

/// Writes a file as YAML (the generator's canonical form). Every written file is parsed
/// back and compared before it is accepted.
pub fn to_yaml(file: &VectorFile) -> Result<String, String> {
    let raw = serde_saphyr::to_string(file).map_err(|e| e.to_string())?;
    let text = join_empty_collections(&raw);
    let back: VectorFile = serde_saphyr::from_str(&text)
        .map_err(|e| format!("the written YAML does not parse back: {e}"))?;
    if &back != file {
        return Err("the written YAML parses back to something else".into());
    }
    Ok(text)
}

/// serde-saphyr 2.1 writes an empty sequence that is the value of a mapping key inside a
/// flattened struct on its own line at the key's indentation (`peaks:` then `[]`), which
/// YAML (and serde-saphyr's own reader) rejects; this puts it back on the key's line.
fn join_empty_collections(raw: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in raw.lines() {
        let t = line.trim();
        if (t == "[]" || t == "{}")
            && let Some(prev) = out.last_mut().filter(|p| p.ends_with(':'))
        {
            prev.push(' ');
            prev.push_str(t);
            continue;
        }
        out.push(line.to_string());
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// The op of the operation model a concrete op is, if it is one.
pub fn to_op(op: &VOp) -> Option<Op> {
    Some(match op {
        VOp::Append { data, value } => Op::Append {
            data: data.0.clone(),
            value: value.0,
        },
        VOp::Update { index, data, value } => Op::Update {
            index: index.0,
            data: data.0.clone(),
            value: value.0,
        },
        VOp::Spend { index, data } => Op::Spend {
            index: index.0,
            data: data.0.clone(),
        },
        VOp::Commit => Op::Commit,
        VOp::ApplyBlock { block } => Op::ApplyBlock {
            block: Block::decode(&block.0).ok()?,
        },
        VOp::Rewind { height } => Op::Rewind { height: height.0 },
        VOp::Compact { horizon } => Op::Compact { horizon: horizon.0 },
        VOp::Unprune { proof, leaf } => Op::Unprune {
            proof: proof.0.clone(),
            leaf: (*leaf).into(),
        },
        VOp::Info => Op::Info,
        VOp::State { at } => Op::State { at: at.0 },
        VOp::Node { at, pos } => Op::Node {
            at: at.0,
            pos: pos.0,
        },
        VOp::IsUnspent { at, index } => Op::IsUnspent {
            at: at.0,
            index: index.0,
        },
        VOp::LeafSet { at } => Op::LeafSet { at: at.0 },
        VOp::PruneList => Op::PruneList,
        VOp::MmrSet { height } => Op::MmrSet { height: height.0 },
        VOp::Prove { at, index } => Op::Prove {
            at: at.0,
            index: index.0,
        },
        VOp::ProveBatch { at, indices } => Op::ProveBatch {
            at: at.0,
            indices: indices.iter().map(|i| i.0).collect(),
        },
        VOp::Verify {
            root,
            proof,
            data,
            value,
        } => Op::Verify {
            root: (*root).into(),
            proof: proof.0.clone(),
            data: data.0.clone(),
            value: value.0,
        },
        VOp::VerifyBatch {
            root,
            proof,
            leaves,
        } => Op::VerifyBatch {
            root: (*root).into(),
            proof: proof.0.clone(),
            leaves: leaves
                .iter()
                .map(|l| Leaf {
                    data: l.data.0.clone(),
                    value: l.value.0,
                })
                .collect(),
        },
        VOp::ClientInfo => Op::ClientInfo,
        VOp::ClientApply { set } => Op::ClientApply { set: set.0.clone() },
        VOp::ClientUntrack { index } => Op::ClientUntrack { index: index.0 },
        VOp::ClientProof { index } => Op::ClientProof { index: index.0 },
        VOp::ClientLeaf { index } => Op::ClientLeaf { index: index.0 },
        VOp::VerifyNode { .. }
        | VOp::VerifyBatchNodes { .. }
        | VOp::ClientInit { .. }
        | VOp::ClientTrack { .. }
        | VOp::ClientVerify { .. } => return None,
    })
}

/// The profile a vector file names: a shipped one, a registered one, or one of the profile
/// files shipped in `vectors/profiles/` (registered on first use).
pub fn profile_named(name: &str) -> Result<&'static dyn mmr_spec::Profile, String> {
    crate::profiles::ensure_shipped();
    mmr_spec::profiles::by_name(name).ok_or_else(|| {
        format!(
            "unknown profile {name:?} (known: {})",
            mmr_spec::profiles::names().join(", ")
        )
    })
}
