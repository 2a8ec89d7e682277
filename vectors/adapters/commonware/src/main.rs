//! `mmr-adapter-commonware`: the conformance adapter (vectors/PROTOCOL.md, version 2) around
//! the in-memory MMR of commonware-storage 2026.10.0 (`merkle::mmr::mem::Mmr` with
//! `merkle::hasher::Standard<Sha256>`), for the profile files
//! `vectors/profiles/commonware-forward.yaml` (its default bagging, ForwardFold) and
//! `commonware-backward.yaml` (BackwardFold). Every answer is the library's: appends go
//! through its batches, roots through `Mem::root`, proofs through `Mem::proof` and
//! `Proof::verify_element_inclusion`; the adapter only converts between its proof layout
//! and D13 (SPEC.md D13, "fold-left"; README.md "Proofs").

#![forbid(unsafe_code)]

mod convert;

use commonware_cryptography::Sha256;
use commonware_cryptography::sha256::Digest;
use commonware_storage::merkle::{Bagging, Family as _};
use commonware_storage::mmr::mem::Mmr;
use commonware_storage::mmr::{Family, Location, Position, StandardHasher};
use mmr_adapter_protocol::{
    Fail, Res, decode, fatal, field, hex_field, node_of, size_at, trace, u64_field,
};
use mmr_spec::{Hash, Node, Proof};
use serde_json::{Value, json};

/// The library, as the handshake and REACH.md name it.
const LIBRARY: &str = "commonware-storage 2026.10.0";

/// The ops answered with commonware's API (SCHEMA.md names). Not declared, hence skipped by
/// the runner: update and spend (an MMR of commonware is append-only), blocks, the leaf set,
/// pruning, the client, batch proofs (its multi-proofs are position-keyed like D15 but
/// answer only true/false), `verify_node` (it verifies elements, not leaf digests), arith.
const OPS: &[&str] = &["append", "state", "node", "prove", "verify"];

/// The profile files this adapter implements, with commonware's bagging for each.
const PROFILES: [(&str, Bagging); 2] = [
    ("commonware-forward", Bagging::ForwardFold),
    ("commonware-backward", Bagging::BackwardFold),
];

/// A session: commonware's MMR of the current state under the profile's bagging. Blocks
/// are not declared, so the database stays at height 0, whose state is the empty MMR.
struct Session {
    mmr: Mmr<Digest>,
    bagging: Bagging,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            mmr: Mmr::new(),
            bagging: Bagging::ForwardFold,
        }
    }
}

fn hash_of(d: &Digest) -> Hash {
    Hash(d.0)
}

/// A node as answers carry it: the library hashes no values (`values: false`).
fn out(d: &Digest) -> Value {
    mmr_adapter_protocol::node_out(&Node::new(hash_of(d), 0))
}

impl Session {
    fn hasher(&self) -> StandardHasher<Sha256> {
        StandardHasher::<Sha256>::new(self.bagging)
    }

    fn reset(&mut self, req: &Value) -> Res<Value> {
        let given = field(req, "profile")?.as_str().unwrap_or_default();
        let Some((_, bagging)) = PROFILES.iter().find(|(n, _)| *n == given) else {
            return fatal(format!(
                "profile {given:?}: this adapter implements commonware-forward and commonware-backward"
            ));
        };
        u64_field(req, "retain")?;
        *self = Session {
            mmr: Mmr::new(),
            bagging: *bagging,
        };
        Ok(json!("unit"))
    }

    fn size(&self) -> u64 {
        *self.mmr.size()
    }

    fn append(&mut self, data: &[u8]) -> Res<Value> {
        let index = *self.mmr.leaves();
        let hasher = self.hasher();
        let batch = self
            .mmr
            .new_batch()
            .add(&hasher, data)
            .merkleize(&self.mmr, &hasher);
        self.mmr
            .apply_batch(&batch)
            .map_err(|e| Fail::Fatal(format!("commonware apply_batch: {e}")))?;
        Ok(json!({"number": index.to_string()}))
    }

    fn state(&self, size: u64) -> Res<Value> {
        if size != self.size() {
            // Only the current state and the empty genesis state (height 0) exist.
            let hasher = self.hasher();
            let empty: Mmr<Digest> = Mmr::new();
            let root = empty
                .root(&hasher, 0)
                .map_err(|e| Fail::Fatal(format!("commonware root: {e}")))?;
            return Ok(json!({"state": {
                "size": "0", "leaf_count": "0", "root": out(&root), "peaks": [],
            }}));
        }
        let root = self
            .mmr
            .root(&self.hasher(), 0)
            .map_err(|e| Fail::Fatal(format!("commonware root: {e}")))?;
        let peaks = Family::peaks(self.mmr.size())
            .map(|(pos, _)| match self.mmr.get_node(pos) {
                Some(d) => Ok(out(&d)),
                None => fatal(format!("commonware has no peak at {}", *pos)),
            })
            .collect::<Res<Vec<Value>>>()?;
        Ok(json!({"state": {
            "size": size.to_string(),
            "leaf_count": (*self.mmr.leaves()).to_string(),
            "root": out(&root),
            "peaks": peaks,
        }}))
    }

    fn node(&self, size: u64, pos: u64) -> Res<Value> {
        if pos >= size {
            return Err(Fail::Kind("position-out-of-range"));
        }
        match self.mmr.get_node(Position::new(pos)) {
            Some(d) => Ok(json!({"node": out(&d)})),
            None => fatal(format!("commonware has no node at {pos}")),
        }
    }

    fn prove(&self, size: u64, index: u64) -> Res<Value> {
        if size != self.size() || index >= *self.mmr.leaves() {
            return Err(Fail::Kind("leaf-index-out-of-range"));
        }
        let proof = self
            .mmr
            .proof(&self.hasher(), Location::new(index), 0)
            .map_err(|e| Fail::Fatal(format!("commonware proof: {e}")))?;
        let ours = convert::to_d13(&proof, index, self.bagging).map_err(Fail::Fatal)?;
        let bytes = ours
            .encode()
            .map_err(|e| Fail::Fatal(format!("encoding: {e}")))?;
        Ok(json!({"bytes": mmr_spec::to_hex(&bytes)}))
    }

    /// D13 to commonware's proof (a shape commonware cannot hold is rejected by the
    /// conversion, README.md "Proofs"), then `verify_element_inclusion`: true or false.
    fn verify(&self, root: &Node, proof: &Proof, data: &[u8]) -> Res<Value> {
        let (theirs, loc) = convert::from_d13(proof, self.bagging).inspect_err(|k| {
            trace("the conversion to commonware's Proof", k);
        })?;
        let root = Digest(root.hash.0);
        if theirs.verify_element_inclusion(&self.hasher(), data, loc, &root) {
            Ok(json!("unit"))
        } else {
            let k = Fail::Kind("rejected");
            trace("commonware verify_element_inclusion", &k);
            Err(k)
        }
    }
}

impl mmr_adapter_protocol::Session for Session {
    fn handle(&mut self, op: &str, req: &Value) -> Res<Value> {
        match op {
            "reset" => self.reset(req),
            "append" => {
                u64_field(req, "value")?;
                self.append(&hex_field(req, "data")?)
            }
            "state" => self.state(size_at(req, self.size())?),
            "node" => self.node(size_at(req, self.size())?, u64_field(req, "pos")?),
            "prove" => self.prove(size_at(req, self.size())?, u64_field(req, "index")?),
            "verify" => {
                let root = node_of(field(req, "root")?, "root")?;
                let proof = decode(Proof::decode(&hex_field(req, "proof")?))?;
                u64_field(req, "value")?;
                self.verify(&root, &proof, &hex_field(req, "data")?)
            }
            other => fatal(format!("op {other:?} is not implemented by this adapter")),
        }
    }
}

fn main() {
    mmr_adapter_protocol::serve::<Session>(json!({
        "protocol": "mmr-conformance",
        "version": "2",
        "name": "mmr-adapter-commonware",
        "profiles": PROFILES.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "ops": OPS,
        "errors": "any",
        "values": false,
        "proofs": ["d13"],
        "library": LIBRARY,
    }));
}
