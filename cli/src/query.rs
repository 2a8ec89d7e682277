//! The query commands (`mmr root`, `peaks`, `prove`, `verify`, `pos`): like `sha256sum`
//! for MMRs. Leaves are `HEX[:VALUE]` (Minima's `mmrcreate` style), the value a decimal u64
//! defaulting to 0 (`root --profile minima`: a MiniNumber amount such as `0.001`).

use mmr_optimized::Optimized;
use mmr_spec::profiles::mininumber::MiniNumber;
use mmr_spec::{At, BatchProof, Config, Error, Leaf, Node, Profile, Proof, ProofDb};
use mmr_vectors::num::{VNode, parse_u64};

/// Why a query could not be answered: bad input (exit 2) or a failed verification (exit 1).
#[derive(Debug)]
pub enum QueryError {
    /// Malformed arguments or input.
    Input(String),
    /// A proof or query was rejected by a rule of the spec.
    Rejected(Error),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Input(s) => f.write_str(s),
            QueryError::Rejected(e) => write!(f, "{}: {e}", e.kind()),
        }
    }
}

/// Characters of a bad input that an error quotes.
const QUOTE: usize = 40;

/// A bad input as an error quotes it: whole if short, else its first characters and its
/// length, so that a 10 MB line gives a short message, not 10 MB of stderr.
pub fn quote(s: &str) -> String {
    match s.char_indices().nth(QUOTE) {
        None => format!("{s:?}"),
        Some((end, _)) => format!("{:?}... ({} bytes)", &s[..end], s.len()),
    }
}

/// A parser's message about a bad input, cut to a few lines: some parsers quote the whole
/// input back.
fn clip(e: impl std::fmt::Display) -> String {
    const MAX: usize = 160;
    let m = e.to_string();
    match m.char_indices().nth(MAX) {
        None => m,
        Some((end, _)) => format!("{}...", &m[..end]),
    }
}

/// Splits a leaf argument `HEX[:VALUE]` into its data and its value text (`0` if absent).
fn split_leaf(s: &str) -> Result<(Vec<u8>, &str), QueryError> {
    let (hex, value) = s.split_once(':').unwrap_or((s, "0"));
    let data = mmr_spec::from_hex(hex.trim())
        .map_err(|e| QueryError::Input(format!("leaf {}: bad hex data: {}", quote(s), clip(e))))?;
    Ok((data, value.trim()))
}

/// Parses a leaf argument `HEX[:VALUE]`.
pub fn parse_leaf(s: &str) -> Result<Leaf, QueryError> {
    let (data, value) = split_leaf(s)?;
    let value = parse_u64(value)
        .map_err(|e| QueryError::Input(format!("leaf {}: bad value: {}", quote(s), clip(e))))?;
    Ok(Leaf { data, value })
}

/// Parses a `minima` leaf argument `HEX[:DECIMAL]`: the value a MiniNumber amount
/// (`0.001`), defaulting to 0.
pub fn parse_minima_leaf(s: &str) -> Result<(Vec<u8>, MiniNumber), QueryError> {
    let (data, value) = split_leaf(s)?;
    let value = MiniNumber::parse(value)
        .map_err(|e| QueryError::Input(format!("leaf {}: bad value: {}", quote(s), clip(e))))?;
    Ok((data, value))
}

/// The size, root hash and root value of a `minima` MMR of these leaves. With every value
/// of scale 0 the MMR is built through `ProofDb` (the optimized implementation); otherwise
/// by Minima's decimal arithmetic, `profiles::minima::decimal_root`.
pub fn minima_root(
    profile: &'static dyn Profile,
    leaves: &[(Vec<u8>, MiniNumber)],
) -> Result<(u64, mmr_spec::Hash, MiniNumber), QueryError> {
    let integers: Option<Vec<Leaf>> = leaves
        .iter()
        .map(|(d, v)| {
            v.as_integer().map(|value| Leaf {
                data: d.clone(),
                value,
            })
        })
        .collect();
    let n = leaves.len() as u64;
    let size = 2 * n - u64::from(n.count_ones());
    match integers {
        Some(ls) => {
            let (size, r) = root(profile, &ls)?;
            Ok((size, r.hash, MiniNumber::from_u64(r.value)))
        }
        None => {
            let r =
                mmr_spec::profiles::minima::decimal_root(leaves).map_err(QueryError::Rejected)?;
            Ok((size, r.hash, r.value))
        }
    }
}

/// Parses a node argument `HASH[:VALUE]` (64 hex digits).
pub fn parse_node(s: &str) -> Result<Node, QueryError> {
    let (hex, value) = s.split_once(':').unwrap_or((s, "0"));
    let hash = mmr_spec::Hash::from_hex(hex.trim())
        .map_err(|e| QueryError::Input(format!("node {}: bad hash: {}", quote(s), clip(e))))?;
    let value = parse_u64(value.trim())
        .map_err(|e| QueryError::Input(format!("node {}: bad value: {}", quote(s), clip(e))))?;
    Ok(Node::new(hash, value))
}

/// Parses hex bytes given on the command line (either case).
pub fn parse_bytes(what: &str, s: &str) -> Result<Vec<u8>, QueryError> {
    mmr_spec::from_hex(s.trim())
        .map_err(|e| QueryError::Input(format!("{what}: bad hex: {}", clip(e))))
}

/// Builds the MMR of these leaves with the optimized implementation.
pub fn build(
    profile: &'static dyn Profile,
    leaves: &[Leaf],
) -> Result<Optimized<&'static dyn Profile>, QueryError> {
    let mut db = Optimized::with_profile(profile, Config::default());
    for (i, l) in leaves.iter().enumerate() {
        db.append(&l.data, l.value)
            .map_err(|e| QueryError::Input(format!("leaf {i}: {}: {e}", e.kind())))?;
    }
    Ok(db)
}

/// The root and size of the MMR of these leaves.
pub fn root(profile: &'static dyn Profile, leaves: &[Leaf]) -> Result<(u64, Node), QueryError> {
    let db = build(profile, leaves)?;
    let r = db.root(At::Current).map_err(QueryError::Rejected)?;
    Ok((db.size(), r))
}

/// The peaks (position, node) of the MMR of these leaves.
pub fn peaks(
    profile: &'static dyn Profile,
    leaves: &[Leaf],
) -> Result<Vec<(u64, Node)>, QueryError> {
    let db = build(profile, leaves)?;
    let st = db.state(At::Current).map_err(QueryError::Rejected)?;
    let positions = mmr_optimized::index::peaks(st.size)
        .map(|p| (0..p.len()).filter_map(|i| p.get(i)).collect::<Vec<u64>>())
        .unwrap_or_default();
    Ok(positions.into_iter().zip(st.peaks).collect())
}

/// A proof (one index: D13) or batch proof (several: D15) as bytes, with the root.
pub fn prove(
    profile: &'static dyn Profile,
    leaves: &[Leaf],
    indices: &[u64],
) -> Result<(Vec<u8>, Node), QueryError> {
    let db = build(profile, leaves)?;
    let root = db.root(At::Current).map_err(QueryError::Rejected)?;
    let bytes = if let [i] = indices {
        db.prove(At::Current, *i)
            .and_then(|p| p.encode())
            .map_err(QueryError::Rejected)?
    } else {
        db.prove_batch(At::Current, indices)
            .map_err(QueryError::Rejected)?
            .encode()
    };
    Ok((bytes, root))
}

/// Verifies a proof (one leaf) or batch proof (`batch`, or several leaves) against a root.
pub fn verify(
    profile: &'static dyn Profile,
    root: &Node,
    proof: &[u8],
    leaves: &[Leaf],
    batch: bool,
) -> Result<(), QueryError> {
    let db = Optimized::with_profile(profile, Config::default());
    if leaves.is_empty() {
        return Err(QueryError::Input("verify needs at least one leaf".into()));
    }
    if batch || leaves.len() > 1 {
        let p = BatchProof::decode(proof).map_err(QueryError::Rejected)?;
        db.verify_batch(root, &p, leaves)
            .map_err(QueryError::Rejected)
    } else {
        let p = Proof::decode(proof).map_err(QueryError::Rejected)?;
        db.verify(root, &p, &leaves[0].data, leaves[0].value)
            .map_err(QueryError::Rejected)
    }
}

/// A node in the JSON outputs.
pub fn json_node(n: Node) -> VNode {
    VNode::from(n)
}
