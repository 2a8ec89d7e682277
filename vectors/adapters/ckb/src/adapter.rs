//! The protocol and the ops, shared by both binaries: `mmr-adapter-ckb`
//! (ckb-merkle-mountain-range 0.6.1, `src/main.rs`) and `mmr-adapter-polkadot-ckb`
//! (polkadot-ckb-merkle-mountain-range 0.8.3, `src/bin/mmr-adapter-polkadot-ckb.rs`). Each
//! binary names its library `crate::ckb`; the two releases have the same API for what the
//! adapter uses, except for error variants, which [`crate::library_kind`] maps.

use crate::ckb::helper::{get_peak_map, get_peaks};
use crate::ckb::{Error as CkbError, MMRStoreReadOps, leaf_index_to_pos};
use crate::glue::{self, CkbProof, MemStore, Mmr, VALUE_OVERFLOW};
use crate::{LIBRARY, convert, library_kind};
use mmr_adapter_protocol::{
    Fail, Res, decode, fatal, field, hex_field, hex_of, list, node_of, node_out, size_at, trace,
    u64_field, u64_of,
};
use mmr_spec::profiles::CKB;
use mmr_spec::{BatchProof, Node, Proof};
use serde_json::{Value, json};

/// The ops this adapter implements with ckb's API (SCHEMA.md names). Not declared, hence
/// skipped by the runner: update, spend, blocks (commit, apply_block, rewind, mmr_set,
/// info), the leaf set, compaction and un-pruning, the storage-less client, arith.
const OPS: &[&str] = &[
    "append",
    "state",
    "node",
    "prove",
    "prove_batch",
    "verify",
    "verify_node",
    "verify_batch",
    "verify_batch_nodes",
];

/// ckb's errors where the kind follows from ckb's own error alone.
fn ckb_kind(e: &CkbError) -> Fail {
    match e {
        CkbError::GetRootOnEmpty => Fail::Kind("empty-root"),
        CkbError::MergeError(m) if m == VALUE_OVERFLOW => Fail::Kind("value-overflow"),
        other => match library_kind(other) {
            Some(kind) => Fail::Kind(kind),
            None => Fail::Fatal(format!("ckb error: {other}")),
        },
    }
}

/// A session: ckb's MMR of the current state, as a store and a size. Blocks are not
/// declared, so the database stays at height 0, whose state is the empty MMR.
#[derive(Default)]
struct Session {
    store: MemStore,
    size: u64,
}

// ----- ops -----

impl Session {
    fn read(&self, pos: u64) -> Res<Node> {
        match (&self.store).get_elem(pos) {
            Ok(Some(n)) => Ok(n),
            Ok(None) => fatal(format!("node {pos} missing from the store")),
            Err(e) => fatal(format!("store: {e}")),
        }
    }

    /// `MMR::push`, then `get_root` (the check of the total's sum, README.md "Values"),
    /// then `commit`; on a failure ckb's uncommitted batch is dropped, the store unchanged.
    fn append(&mut self, data: &[u8], value: u64) -> Res<Value> {
        let index = get_peak_map(self.size);
        let mut mmr = Mmr::new(self.size, &self.store);
        mmr.push(glue::leaf(data, value))
            .map_err(|e| ckb_kind(&e))?;
        mmr.get_root().map_err(|e| ckb_kind(&e))?;
        mmr.commit().map_err(|e| ckb_kind(&e))?;
        self.size = mmr.mmr_size();
        Ok(json!({"number": index.to_string()}))
    }

    fn state(&self, size: u64) -> Res<Value> {
        let mmr = Mmr::new(size, &self.store);
        let root = mmr.get_root().map_err(|e| ckb_kind(&e))?;
        let peaks = get_peaks(size)
            .into_iter()
            .map(|p| self.read(p).map(|n| node_out(&n)))
            .collect::<Res<Vec<Value>>>()?;
        Ok(json!({"state": {
            "size": size.to_string(),
            "leaf_count": get_peak_map(size).to_string(),
            "root": node_out(&root),
            "peaks": peaks,
        }}))
    }

    fn node(&self, size: u64, pos: u64) -> Res<Value> {
        if pos >= size {
            return Err(Fail::Kind("position-out-of-range"));
        }
        Ok(json!({"node": node_out(&self.read(pos)?)}))
    }

    /// A leaf index to ckb's position: indices beyond the leaf count have none.
    fn leaf_pos(size: u64, index: u64) -> Res<u64> {
        if index >= get_peak_map(size) {
            return Err(Fail::Kind("leaf-index-out-of-range"));
        }
        Ok(leaf_index_to_pos(index))
    }

    fn prove(&self, size: u64, index: u64) -> Res<Value> {
        let pos = Self::leaf_pos(size, index)?;
        let mmr = Mmr::new(size, &self.store);
        let proof = mmr.gen_proof(vec![pos]).map_err(|e| ckb_kind(&e))?;
        let ours =
            convert::ckb_to_d13(proof.mmr_size(), pos, proof.proof_items()).map_err(Fail::Fatal)?;
        let bytes = ours
            .encode()
            .map_err(|e| Fail::Fatal(format!("encoding: {e}")))?;
        Ok(json!({"bytes": mmr_spec::to_hex(&bytes)}))
    }

    fn prove_batch(&self, size: u64, indices: &[u64]) -> Res<Value> {
        let mmr = Mmr::new(size, &self.store);
        let positions = indices
            .iter()
            .map(|&i| Self::leaf_pos(size, i))
            .collect::<Res<Vec<u64>>>()?;
        // ckb sorts and deduplicates the positions itself (a repeated index is accepted).
        let proof = mmr.gen_proof(positions.clone()).map_err(|e| match e {
            CkbError::GenProofForInvalidLeaves if positions.is_empty() => Fail::Kind("empty-batch"),
            e => ckb_kind(&e),
        })?;
        let mut leaves = positions;
        leaves.sort_unstable();
        leaves.dedup();
        let ours = convert::ckb_to_d15(proof.mmr_size(), leaves, proof.proof_items(), &self.store)
            .map_err(Fail::Fatal)?;
        Ok(json!({"bytes": mmr_spec::to_hex(&ours.encode())}))
    }
}

/// ckb's verdict on a single proof: converted to ckb's items and given to
/// `MerkleProof::verify`. A rejection is named by [`name_single`].
fn verify_single(root: &Node, proof: &Proof, leaf: &Node) -> Res<Value> {
    let fail = match convert::d13_to_ckb(proof) {
        Ok(items) => {
            let p = CkbProof::new(proof.size, items);
            let outcome = p.verify(*root, vec![(proof.pos, *leaf)]);
            if outcome == Ok(true) {
                return Ok(json!("unit"));
            }
            let kind = name_single(root, proof, leaf, || {
                ckb_rejection(
                    root,
                    &outcome,
                    || p.calculate_root(vec![(proof.pos, *leaf)]),
                    "path-length",
                )
            });
            trace(&format!("ckb's verify answered {outcome:?}"), &kind);
            kind
        }
        Err(convert::Unrepresentable(k)) => {
            let kind = name_single(root, proof, leaf, || Fail::Kind(k));
            trace(&format!("the conversion to ckb's proof ({k})"), &kind);
            kind
        }
    };
    Err(fail)
}

/// ckb's verdict on a batch proof (its multi-leaf `verify`).
fn verify_batch(root: &Node, proof: &BatchProof, leaves: &[Node]) -> Res<Value> {
    let fail = match convert::d15_to_ckb(proof, leaves) {
        Ok((pairs, items)) => {
            let p = CkbProof::new(proof.size, items);
            let outcome = p.verify(*root, pairs.clone());
            if outcome == Ok(true) {
                return Ok(json!("unit"));
            }
            let kind = name_batch(root, proof, leaves, || {
                ckb_rejection(root, &outcome, || p.calculate_root(pairs), "missing-item")
            });
            trace(&format!("ckb's verify answered {outcome:?}"), &kind);
            kind
        }
        Err(convert::Unrepresentable(k)) => {
            let kind = name_batch(root, proof, leaves, || Fail::Kind(k));
            trace(&format!("the conversion to ckb's proof ({k})"), &kind);
            kind
        }
    };
    Err(fail)
}

/// The kind of a rejection ckb (or the conversion) decided: ckb's errors are coarser than
/// SPEC.md section 9 (`CorruptedProof`, or `verify` answering false), so the rejection is
/// named by the first D14 rule the input breaks (mmr-reference's strict verifier under the
/// `ckb` profile). Only if that verifier would accept does the name come from ckb's own
/// outcome (`fallback`). The verdict stays ckb's: this runs only after ckb rejected.
fn name_single(root: &Node, proof: &Proof, leaf: &Node, fallback: impl FnOnce() -> Fail) -> Fail {
    match mmr_reference::proof::verify(&CKB, root, proof, leaf) {
        Err(e) => Fail::Kind(e.kind().name()),
        Ok(()) => fallback(),
    }
}

/// [`name_single`] for D15.
fn name_batch(
    root: &Node,
    proof: &BatchProof,
    leaves: &[Node],
    fallback: impl FnOnce() -> Fail,
) -> Fail {
    match mmr_reference::batch::verify(&CKB, root, proof, leaves) {
        Err(e) => Fail::Kind(e.kind().name()),
        Ok(()) => fallback(),
    }
}

/// A kind from ckb's own outcome: `false` is a sum or root mismatch (by the recomputed
/// root), a merge overflow `value-overflow`, a non-leaf `not-a-leaf`, `CorruptedProof`
/// the given kind.
fn ckb_rejection(
    root: &Node,
    outcome: &Result<bool, CkbError>,
    recompute: impl FnOnce() -> Result<Node, CkbError>,
    corrupted: &'static str,
) -> Fail {
    match outcome {
        Ok(_) => match recompute() {
            Ok(r) if r.value != root.value => Fail::Kind("sum-mismatch"),
            _ => Fail::Kind("root-mismatch"),
        },
        Err(CkbError::CorruptedProof) => Fail::Kind(corrupted),
        Err(e) => ckb_kind(e),
    }
}

impl mmr_adapter_protocol::Session for Session {
    fn handle(&mut self, op: &str, req: &Value) -> Res<Value> {
        let session = self;
        match op {
            "reset" => mmr_adapter_protocol::reset_one_profile(session, req, "ckb"),
            "append" => session.append(&hex_field(req, "data")?, u64_field(req, "value")?),
            "state" => session.state(size_at(req, session.size)?),
            "node" => session.node(size_at(req, session.size)?, u64_field(req, "pos")?),
            "prove" => session.prove(size_at(req, session.size)?, u64_field(req, "index")?),
            "prove_batch" => {
                let size = size_at(req, session.size)?;
                let indices = list(req, "indices")?
                    .iter()
                    .map(|v| u64_of(v, "indices"))
                    .collect::<Res<Vec<u64>>>()?;
                session.prove_batch(size, &indices)
            }
            "verify" | "verify_node" => {
                let root = node_of(field(req, "root")?, "root")?;
                let proof = decode(Proof::decode(&hex_field(req, "proof")?))?;
                let leaf = if op == "verify" {
                    glue::leaf(&hex_field(req, "data")?, u64_field(req, "value")?)
                } else {
                    node_of(field(req, "leaf")?, "leaf")?
                };
                verify_single(&root, &proof, &leaf)
            }
            "verify_batch" | "verify_batch_nodes" => {
                let root = node_of(field(req, "root")?, "root")?;
                let proof = decode(BatchProof::decode(&hex_field(req, "proof")?))?;
                let leaves = list(req, "leaves")?
                    .iter()
                    .map(|l| {
                        if op == "verify_batch" {
                            Ok(glue::leaf(
                                &hex_of(field(l, "data")?, "data")?,
                                u64_of(field(l, "value")?, "value")?,
                            ))
                        } else {
                            node_of(l, "leaves")
                        }
                    })
                    .collect::<Res<Vec<Node>>>()?;
                verify_batch(&root, &proof, &leaves)
            }
            other => fatal(format!("op {other:?} is not implemented by this adapter")),
        }
    }
}

/// Serves the protocol on stdin/stdout until stdin ends.
pub fn serve() {
    mmr_adapter_protocol::serve::<Session>(json!({
        "protocol": "mmr-conformance",
        "version": "1",
        "name": LIBRARY,
        "profiles": ["ckb"],
        "ops": OPS,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(s: &mut Session, line: &str) -> Value {
        mmr_adapter_protocol::respond(s, line)
    }

    #[test]
    fn garbage_lines_get_error_responses() {
        let mut s = Session::default();
        for line in [
            "",
            "not json",
            "[]",
            "{}",
            "{\"id\":-1}",
            "{\"id\":1}",
            "{\"id\":1,\"op\":7}",
            "{\"id\":1,\"op\":\"append\"}",
            "{\"id\":1,\"op\":\"append\",\"data\":\"0G\",\"value\":\"1\"}",
            "{\"id\":1,\"op\":\"append\",\"data\":\"00\",\"value\":1}",
            "{\"id\":1,\"op\":\"append\",\"data\":\"00\",\"value\":\"01\"}",
            "{\"id\":1,\"op\":\"append\",\"data\":\"00\",\"value\":\"18446744073709551616\"}",
            "{\"id\":1,\"op\":\"state\",\"at\":\"yesterday\"}",
            "{\"id\":1,\"op\":\"verify\",\"root\":{},\"proof\":\"\",\"data\":\"\",\"value\":\"0\"}",
            "{\"id\":1,\"op\":\"verify_batch\",\"root\":{\"hash\":\"00\",\"value\":\"0\"},\"proof\":\"\",\"leaves\":[]}",
            "{\"id\":1,\"op\":\"prove_batch\",\"at\":\"current\",\"indices\":\"x\"}",
            "{\"id\":1,\"op\":\"reset\",\"profile\":\"default\",\"retain\":\"1\"}",
            "{\"id\":1,\"op\":\"spend\",\"index\":\"0\",\"data\":\"\"}",
        ] {
            let r = ask(&mut s, line);
            assert!(r.get("fatal").is_some(), "{line} -> {r}");
        }
    }

    #[test]
    fn hostile_values_are_answered() {
        let mut s = Session::default();
        let zero = "0".repeat(64);
        for line in [
            "{\"id\":1,\"op\":\"prove\",\"at\":\"current\",\"index\":\"18446744073709551615\"}"
                .to_string(),
            "{\"id\":1,\"op\":\"node\",\"at\":\"current\",\"pos\":\"18446744073709551615\"}"
                .to_string(),
            "{\"id\":1,\"op\":\"state\",\"at\":\"18446744073709551615\"}".to_string(),
            "{\"id\":1,\"op\":\"prove_batch\",\"at\":\"0\",\"indices\":[]}".to_string(),
            // A size of u64::MAX, a position of u64::MAX, a path of 255 steps.
            format!(
                "{{\"id\":1,\"op\":\"verify_node\",\"root\":{{\"hash\":\"{zero}\",\"value\":\"0\"}},\"proof\":\"{}{}ff{}\",\"leaf\":{{\"hash\":\"{zero}\",\"value\":\"0\"}}}}",
                "ff".repeat(8),
                "ff".repeat(8),
                format!("00{zero}0000000000000000").repeat(255)
            ),
            format!(
                "{{\"id\":1,\"op\":\"verify_batch_nodes\",\"root\":{{\"hash\":\"{zero}\",\"value\":\"0\"}},\"proof\":\"{}0000000000000002{}{}0000000000000000\",\"leaves\":[{{\"hash\":\"{zero}\",\"value\":\"0\"}},{{\"hash\":\"{zero}\",\"value\":\"0\"}}]}}",
                "ff".repeat(8),
                "ff".repeat(8),
                "fe".repeat(8),
            ),
        ] {
            let r = ask(&mut s, &line);
            assert!(r["result"]["error"].is_string(), "{line} -> {r}");
        }
    }

    #[test]
    fn append_state_prove_verify_round_trip() {
        let mut s = Session::default();
        for i in 0..7u8 {
            let r = ask(
                &mut s,
                &format!(
                    "{{\"id\":1,\"op\":\"append\",\"data\":\"{i:02x}\",\"value\":\"{}\"}}",
                    i + 1
                ),
            );
            assert_eq!(r["result"]["number"], i.to_string());
        }
        let st = ask(&mut s, "{\"id\":2,\"op\":\"state\",\"at\":\"current\"}");
        // The ckb vectors' 7-leaf root (vectors/ckb/proofs.yaml).
        assert_eq!(
            st["result"]["state"]["root"]["hash"],
            "8acd64bb3be4ac6282e04def23d8a832b7460617b1d9107bb04157f243d63cc2"
        );
        let root = st["result"]["state"]["root"].clone();
        for i in 0..7u8 {
            let p = ask(
                &mut s,
                &format!("{{\"id\":3,\"op\":\"prove\",\"at\":\"current\",\"index\":\"{i}\"}}"),
            );
            let bytes = p["result"]["bytes"].as_str().unwrap();
            let v = ask(
                &mut s,
                &json!({"id": 4, "op": "verify", "root": root, "proof": bytes,
                        "data": format!("{i:02x}"), "value": (i + 1).to_string()})
                .to_string(),
            );
            assert_eq!(v["result"], "unit", "leaf {i}");
        }
        let b = ask(
            &mut s,
            "{\"id\":5,\"op\":\"prove_batch\",\"at\":\"current\",\"indices\":[\"6\",\"0\",\"3\"]}",
        );
        let bytes = b["result"]["bytes"].as_str().unwrap();
        let leaves: Vec<Value> = [0u8, 3, 6]
            .iter()
            .map(|&i| json!({"data": format!("{i:02x}"), "value": (i + 1).to_string()}))
            .collect();
        let v = ask(
            &mut s,
            &json!({"id": 6, "op": "verify_batch", "root": root, "proof": bytes, "leaves": leaves})
                .to_string(),
        );
        assert_eq!(v["result"], "unit");
    }
}

/// The conversion's side check (README.md, "Sides") decides only what ckb cannot see: a
/// flipped side leaves ckb's items unchanged, so ckb accepts them; the short path and the
/// replayed proof of the vectors are rejected by ckb itself, whatever the order of their
/// items.
#[cfg(test)]
mod side_check {
    use super::*;

    fn permutations(v: &[Node]) -> Vec<Vec<Node>> {
        if v.len() <= 1 {
            return vec![v.to_vec()];
        }
        let mut out = Vec::new();
        for i in 0..v.len() {
            let mut rest = v.to_vec();
            let x = rest.remove(i);
            for mut p in permutations(&rest) {
                p.insert(0, x);
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn ckb_rejects_the_short_and_replayed_paths_by_itself() {
        let mut s = Session::default();
        for i in 0..7u8 {
            s.append(&[i], u64::from(i) + 1).unwrap();
        }
        let root = Mmr::new(s.size, &s.store).get_root().unwrap();
        let (peak6, node8, peak10) = (s.read(6).unwrap(), s.read(8).unwrap(), s.read(10).unwrap());
        let (leaf4, leaf5) = (glue::leaf(&[4], 5), glue::leaf(&[5], 6));
        let ckb = |pos: u64, items: Vec<Node>, leaf: Node| {
            CkbProof::new(s.size, items).verify(root, vec![(pos, leaf)]) == Ok(true)
        };
        // Leaf 4 (position 7): ckb's items are [peak 6, node 8, peak 10]; a D13 path with a
        // flipped side converts to these same items.
        assert!(ckb(7, vec![peak6, node8, peak10], leaf4));
        for items in permutations(&[peak6, node8, peak10]) {
            // verify-replayed-at-other-position: leaf 4's path for position 8, leaf 5.
            assert!(!ckb(8, items, leaf5));
        }
        for items in permutations(&[peak6, peak10]) {
            // verify-short-path: node 8 removed.
            assert!(!ckb(7, items, leaf4));
        }
    }
}
