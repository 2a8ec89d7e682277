//! The adapter's session and ops, shared by both binaries: `crate::grin` is grin_core in
//! `mmr-adapter-grin` (src/main.rs) and mwc_core in `mmr-adapter-mwc` (src/bin/), whose
//! PMMR, `VecBackend`, `MerkleProof` and hashing have the same API (README.md).
//!
//! Every op it declares runs on the library's own code: `PMMR::push` on a `VecBackend` for
//! the database, `ReadablePMMR::root` and `merkle_proof` for states and proofs, and
//! `MerkleProof::verify` for verification. What grin lacks, the adapter adds and
//! README.md lists: values (grin's nodes are hashes only; the adapter keeps each node's
//! sum beside grin's hash), leaf indices, the D13 encoding of proofs, and the names of
//! rejections (grin has one error, `RootMismatch`).

use crate::glue::{self, Leaf, grin_hash};
use crate::grin::core::merkle_proof::MerkleProof;
use crate::grin::core::pmmr::{self, PMMR, ReadablePMMR, ReadonlyPMMR, VecBackend};
use mmr_adapter_protocol::{
    Fail, Res, Session, decode, fatal, field, hex_field, node_of, node_out, size_at, trace,
    u64_field,
};
use mmr_spec::profiles::GRIN;
use mmr_spec::profiles::grin::{decode_merkle_proof, fold_right_sides};
use mmr_spec::{Hash, Node, Profile, Proof};
use serde_json::{Value, json};

/// The ops this adapter runs on grin's API (SCHEMA.md names). Not declared, hence skipped
/// by the runner: `verify_node` (grin's verifier hashes the element itself), batch proofs
/// (grin has none), blocks, updates, spends, compaction, the client, arith.
const OPS: &[&str] = &["append", "state", "node", "prove", "verify"];

/// A session: grin's PMMR (hashes) and the adapter's value of every node by position.
pub struct Grin {
    pub(crate) backend: VecBackend<Leaf>,
    values: Vec<u64>,
}

impl Default for Grin {
    fn default() -> Self {
        Grin {
            backend: VecBackend::new_hash_only(),
            values: Vec::new(),
        }
    }
}

impl Grin {
    pub(crate) fn size(&self) -> u64 {
        self.values.len() as u64
    }

    fn value(&self, pos: u64) -> Res<u64> {
        match self.values.get(pos as usize) {
            Some(&v) => Ok(v),
            None => fatal(format!("no value at position {pos}")),
        }
    }

    fn node_at(&self, size: u64, pos: u64) -> Res<Node> {
        let view = ReadonlyPMMR::at(&self.backend, size);
        let Some(hash) = view.get_hash(pos) else {
            return fatal(format!("grin has no hash at position {pos}"));
        };
        Ok(Node::new(Hash(glue::our_hash(&hash)), self.value(pos)?))
    }

    /// The values of the nodes one append creates (the leaf, then its new parents: leaf
    /// count `n` has `n.trailing_ones()` of them), checked before grin is touched, and
    /// the new total (the root's value).
    fn new_values(&self, value: u64) -> Res<Vec<u64>> {
        let size = self.size();
        let mut out = vec![value];
        for height in 0..pmmr::n_leaves(size).trailing_ones() {
            let parent = size + u64::from(height) + 1;
            let left = self.value(parent - (2u64 << height))?;
            let right = *out.last().expect("the leaf is first");
            out.push(
                left.checked_add(right)
                    .ok_or(Fail::Kind("value-overflow"))?,
            );
        }
        let new_size = size + out.len() as u64;
        let mut total = 0u64;
        for p in pmmr::peaks(new_size) {
            let v = match p.checked_sub(size) {
                Some(i) => out[i as usize],
                None => self.value(p)?,
            };
            total = total.checked_add(v).ok_or(Fail::Kind("value-overflow"))?;
        }
        Ok(out)
    }

    /// `PMMR::push`; the values first, so that an overflow leaves grin untouched.
    fn append(&mut self, data: &[u8], value: u64) -> Res<Value> {
        let size = self.size();
        let values = self.new_values(value)?;
        let mut mmr = PMMR::at(&mut self.backend, size);
        let pos = mmr.push(&Leaf(data.to_vec())).map_err(Fail::Fatal)?;
        let new_size = mmr.unpruned_size();
        if pos != size || new_size != size + values.len() as u64 {
            return fatal(format!(
                "grin pushed the leaf at {pos} (size {new_size}); expected {size} (size {})",
                size + values.len() as u64
            ));
        }
        self.values.extend(values);
        Ok(json!({"number": pmmr::n_leaves(size).to_string()}))
    }

    fn state(&self, size: u64) -> Res<Value> {
        let view = ReadonlyPMMR::at(&self.backend, size);
        let root = view.root().map_err(Fail::Fatal)?;
        let peaks = pmmr::peaks(size)
            .into_iter()
            .map(|p| self.node_at(size, p))
            .collect::<Res<Vec<Node>>>()?;
        let total = peaks.iter().map(|n| n.value).sum::<u64>();
        Ok(json!({"state": {
            "size": size.to_string(),
            "leaf_count": pmmr::n_leaves(size).to_string(),
            "root": node_out(&Node::new(Hash(glue::our_hash(&root)), total)),
            "peaks": peaks.iter().map(node_out).collect::<Vec<Value>>(),
        }}))
    }

    fn node(&self, size: u64, pos: u64) -> Res<Value> {
        if pos >= size {
            return Err(Fail::Kind("position-out-of-range"));
        }
        Ok(json!({"node": node_out(&self.node_at(size, pos)?)}))
    }

    /// `merkle_proof`, serialized by grin, decoded by our grin profile into D13 (which
    /// gives each hash its side), with the values of the nodes the hashes stand for.
    fn prove(&self, size: u64, index: u64) -> Res<Value> {
        if index >= pmmr::n_leaves(size) {
            return Err(Fail::Kind("leaf-index-out-of-range"));
        }
        let pos = pmmr::insertion_to_pmmr_index(index);
        let view = ReadonlyPMMR::at(&self.backend, size);
        let grin_proof = view.merkle_proof(pos).map_err(Fail::Fatal)?;
        let bytes = glue::grin_bytes(&grin_proof).map_err(Fail::Fatal)?;
        let mut proof = decode_merkle_proof(&bytes, pos)
            .map_err(|e| Fail::Fatal(format!("grin's proof of position {pos}: {e}")))?;
        let values = self.path_values(size, pos)?;
        if values.len() != proof.path.len() {
            return fatal(format!(
                "grin's proof of position {pos} has {} hashes; the positions give {}",
                proof.path.len(),
                values.len()
            ));
        }
        for (step, v) in proof.path.iter_mut().zip(values) {
            step.node.value = v;
        }
        let ours = proof
            .encode()
            .map_err(|e| Fail::Fatal(format!("encoding: {e}")))?;
        Ok(json!({"bytes": mmr_spec::to_hex(&ours)}))
    }

    /// The values along grin's proof path of `pos`, by grin's positions: the mountain's
    /// siblings (`family_branch`), the bag of the peaks to the right (if any), then the
    /// peaks to the left from the nearest (`peak_path`).
    fn path_values(&self, size: u64, pos: u64) -> Res<Vec<u64>> {
        let branch = pmmr::family_branch(pos, size);
        let peak = branch.last().map_or(pos, |&(parent, _)| parent);
        let peaks = pmmr::peaks(size);
        let mut out = branch
            .iter()
            .map(|&(_, sibling)| self.value(sibling))
            .collect::<Res<Vec<u64>>>()?;
        let right = peaks.iter().filter(|&&p| p > peak).collect::<Vec<_>>();
        if !right.is_empty() {
            let mut bag = 0u64;
            for &p in right {
                bag = bag
                    .checked_add(self.value(p)?)
                    .ok_or_else(|| Fail::Fatal("a bag beyond u64".into()))?;
            }
            out.push(bag);
        }
        for &p in peaks.iter().rev().filter(|&&p| p < peak) {
            out.push(self.value(p)?);
        }
        Ok(out)
    }
}

/// grin's verdict on a D13 proof: its hashes become grin's `MerkleProof { mmr_size, path }`
/// and `verify(root, leaf, pos)` decides; the adapter then checks the values grin does not
/// have. A rejection is named by the first D14 rule the input breaks (mmr-reference's
/// strict verifier under the grin profile); the verdict stays grin's.
fn verify(root: &Node, proof: &Proof, data: &[u8], value: u64) -> Res<Value> {
    let leaf = Node::new(GRIN.leaf_hash(proof.pos, data, value), value);
    let name =
        |fallback: &'static str| match mmr_reference::proof::verify(&GRIN, root, proof, &leaf) {
            Err(e) => Fail::Kind(e.kind().name()),
            Ok(()) => Fail::Kind(fallback),
        };
    // grin's proof has no sides: it derives each from the positions. Where the size and
    // position allow D13's, a path whose sides differ would reach grin as the honest proof.
    if let Ok(sides) = fold_right_sides(proof.size, proof.pos)
        && proof
            .path
            .iter()
            .zip(sides)
            .any(|(st, want)| st.side != want)
    {
        let kind = name("wrong-side");
        trace("the conversion to grin's proof (its sides)", &kind);
        return Err(kind);
    }
    let grin_proof = MerkleProof {
        mmr_size: proof.size,
        path: proof
            .path
            .iter()
            .map(|st| grin_hash(&st.node.hash))
            .collect(),
    };
    if let Err(e) = grin_proof.verify(grin_hash(&root.hash), &Leaf(data.to_vec()), proof.pos) {
        let kind = name("root-mismatch");
        trace(&format!("grin's verify ({e:?})"), &kind);
        return Err(kind);
    }
    let mut total = value;
    for st in &proof.path {
        total = total
            .checked_add(st.node.value)
            .ok_or(Fail::Kind("value-overflow"))?;
    }
    if total != root.value {
        let kind = Fail::Kind("sum-mismatch");
        trace(
            "the adapter's value check (grin accepted the hashes)",
            &kind,
        );
        return Err(kind);
    }
    Ok(json!("unit"))
}

impl Session for Grin {
    fn handle(&mut self, op: &str, req: &Value) -> Res<Value> {
        match op {
            "reset" => mmr_adapter_protocol::reset_one_profile(self, req, "grin"),
            "append" => self.append(&hex_field(req, "data")?, u64_field(req, "value")?),
            "state" => self.state(size_at(req, self.size())?),
            "node" => self.node(size_at(req, self.size())?, u64_field(req, "pos")?),
            "prove" => self.prove(size_at(req, self.size())?, u64_field(req, "index")?),
            "verify" => {
                let root = node_of(field(req, "root")?, "root")?;
                let proof = decode(Proof::decode(&hex_field(req, "proof")?))?;
                verify(
                    &root,
                    &proof,
                    &hex_field(req, "data")?,
                    u64_field(req, "value")?,
                )
            }
            other => fatal(format!("op {other:?} is not implemented by this adapter")),
        }
    }
}

/// Serves the protocol on stdin and stdout, naming the binary's library.
pub fn serve() {
    mmr_adapter_protocol::serve::<Grin>(json!({
        "protocol": "mmr-conformance",
        "version": "2",
        "name": crate::NAME,
        "profiles": ["grin"],
        "ops": OPS,
        "proofs": ["d13"],
        "library": crate::LIBRARY,
    }));
}
