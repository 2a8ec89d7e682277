//! Comparing an answer with the expected outcome under a target's declared capabilities
//! (`errors: "any"`, `values: false`), naming the class of a difference, and the ops a
//! target cannot run as the vector states them.

use crate::protocol::{Caps, ENCODINGS, Errors, Got, Leaves};
use mmr_spec::{At, BatchProof, ErrorKind, Proof};
use mmr_vectors::model::{VOp, VOut, VRoot};
use mmr_vectors::num::Hex;
use mmr_vectors::num::{U64, VNode};

/// The verdict on one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judged {
    /// The answer is the expected one.
    Pass,
    /// The vector expects an error and the target said `rejected` (`errors: "any"`).
    PassAnyError,
    /// Anything else; with a note when the handshake explains it.
    Fail(Option<String>),
    /// The target cannot represent the request (`{"error":"unsupported"}`): neither a pass
    /// nor a difference, counted on its own.
    Unsupported(String),
}

fn zero(n: &VNode) -> VNode {
    VNode {
        hash: n.hash,
        value: U64(0),
    }
}

/// Proof bytes (`op`'s encoding, D13 or D15) with every value set to 0; bytes that do not
/// decode are left as they are, so they still differ.
fn proof_without_values(op: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    match encoding_of(op)? {
        "d13" => {
            let mut p = Proof::decode(bytes).ok()?;
            for s in &mut p.path {
                s.node.value = 0;
            }
            p.encode().ok()
        }
        _ => {
            let mut p = BatchProof::decode(bytes).ok()?;
            for (_, n) in &mut p.items {
                n.value = 0;
            }
            Some(p.encode())
        }
    }
}

/// The outcome of `op` with every value set to 0 (targets declaring `values: false`),
/// those inside the proof bytes that `prove`, `prove_batch` and `client_proof` return
/// included.
pub fn without_values(op: &str, v: &VOut) -> VOut {
    if let VOut::Bytes(b) = v
        && matches!(op, "prove" | "prove_batch" | "client_proof")
        && let Some(masked) = proof_without_values(op, &b.0)
    {
        return VOut::Bytes(Hex(masked));
    }
    let zs = |v: &[VNode]| v.iter().map(zero).collect();
    match v {
        VOut::Block {
            height,
            size,
            leaf_count,
            root,
        } => VOut::Block {
            height: *height,
            size: *size,
            leaf_count: *leaf_count,
            root: zero(root),
        },
        VOut::State {
            size,
            leaf_count,
            root,
            peaks,
        } => VOut::State {
            size: *size,
            leaf_count: *leaf_count,
            root: zero(root),
            peaks: zs(peaks),
        },
        VOut::Node(n) => VOut::Node(zero(n)),
        VOut::Client {
            height,
            size,
            peaks,
            root,
            tracked,
        } => VOut::Client {
            height: *height,
            size: *size,
            peaks: zs(peaks),
            root: match root {
                VRoot::Node(n) => VRoot::Node(zero(n)),
                other => other.clone(),
            },
            tracked: tracked.clone(),
        },
        other => other.clone(),
    }
}

/// Judges an answer to `op` (`arith` for a query).
pub fn judge(caps: &Caps, op: &str, expect: &VOut, got: &Got) -> Judged {
    match got {
        Got::Out(v) if v == expect => Judged::Pass,
        Got::Out(v) if !caps.values && without_values(op, v) == without_values(op, expect) => {
            Judged::Pass
        }
        Got::Out(_) | Got::Unreadable(_) => Judged::Fail(None),
        Got::Unsupported(why) => Judged::Unsupported(why.clone()),
        Got::Rejected => match (expect.error().is_some(), caps.errors) {
            (true, Errors::Any) => Judged::PassAnyError,
            (true, Errors::Exact) => Judged::Fail(Some(
                "the adapter answered \"rejected\", but its handshake declares errors: exact (declare \"errors\":\"any\" in a version 2 handshake, or answer with the kind)".into(),
            )),
            (false, _) => Judged::Fail(None),
        },
    }
}

/// The shape of an outcome for difference classes: `error:KIND`, or the result's tag.
pub fn shape(v: &VOut) -> String {
    match v {
        VOut::Error(k) => format!("error {}", k.0.name()),
        other => {
            let s = serde_json::to_value(other).unwrap_or_default();
            match s {
                serde_json::Value::String(t) => t,
                serde_json::Value::Object(m) => m.keys().next().cloned().unwrap_or_default(),
                _ => "?".into(),
            }
        }
    }
}

/// The class of a difference: the op, the expected shape, the actual shape (`random`
/// findings are grouped by it, and `--known` files name it).
pub fn class(op: &str, expect: &VOut, got: &Got) -> String {
    let got_shape = match got {
        Got::Out(v) => shape(v),
        Got::Rejected => "rejected".into(),
        Got::Unreadable(_) => "unreadable".into(),
        Got::Unsupported(_) => "unsupported".into(),
    };
    let e = shape(expect);
    if e == got_shape {
        format!("{op}: expected {e}, got another {got_shape}")
    } else {
        format!("{op}: expected {e}, got {got_shape}")
    }
}

/// Ops whose requests carry leaf data, which a target taking hashed leaves cannot use
/// (`verify` and `verify_batch` reach it in their node forms instead,
/// [`crate::runner::node_form`]).
pub const DATA_OPS: &[&str] = &["update", "spend", "apply_block", "client_verify"];

/// The encoding an op's proof bytes are in, if it carries or returns a proof.
pub fn encoding_of(op: &str) -> Option<&'static str> {
    match op {
        "prove" | "verify" | "verify_node" | "unprune" | "client_track" | "client_verify"
        | "client_proof" => Some(ENCODINGS[0]),
        "prove_batch" | "verify_batch" | "verify_batch_nodes" => Some(ENCODINGS[1]),
        _ => None,
    }
}

/// The op a target is sent for `name`: `verify` and `verify_batch` go to a target taking
/// hashed leaves in their node forms ([`crate::runner::node_form`]).
pub fn sent_as(caps: &Caps, name: &'static str) -> &'static str {
    match name {
        "verify" if caps.leaves == Leaves::Hashed => "verify_node",
        "verify_batch" if caps.leaves == Leaves::Hashed => "verify_batch_nodes",
        _ => name,
    }
}

/// Why a target cannot run this op as the vectors state it (`None`: it can).
pub fn cannot_run(caps: &Caps, op: &VOp, excluded: &[String]) -> Option<String> {
    let name = op.name();
    if excluded.iter().any(|e| e == name) {
        return Some(format!("op {name} excluded by --exclude-ops"));
    }
    let sent = sent_as(caps, name);
    if !caps.has_op(sent) {
        return Some(if sent == name {
            format!("op {name} not declared")
        } else {
            format!("op {name} goes to an adapter taking hashed leaves as {sent}, not declared")
        });
    }
    if caps.leaves == Leaves::Hashed && DATA_OPS.contains(&name) {
        return Some(format!(
            "op {name} carries leaf data (the adapter takes hashed leaves)"
        ));
    }
    if let Some(enc) = encoding_of(name)
        && !caps.proofs.contains(enc)
    {
        return Some(format!("op {name} needs proof encoding {enc}"));
    }
    // Block heights exist only where blocks are committed (PROTOCOL.md, "Reads at a height").
    if matches!(op.at(), Some(At::Block(_)))
        && !caps.has_op("commit")
        && !caps.has_op("apply_block")
    {
        return Some(format!(
            "op {name} reads at a block height (the adapter declares neither commit nor apply_block)"
        ));
    }
    None
}

/// Why a target cannot be judged on this expected outcome (`None`: it can).
pub fn cannot_judge(caps: &Caps, expect: &VOut) -> Option<String> {
    match expect.error() {
        Some(k @ (ErrorKind::SumMismatch | ErrorKind::ValueOverflow)) if !caps.values => Some(
            format!("expects {} (the adapter declares values: false)", k.name()),
        ),
        _ => None,
    }
}
