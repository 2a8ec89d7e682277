//! What grin_core (and mwc_core, `crate::grin` in its binary) leaves to its caller: the
//! element type and the hash conversions.
//!
//! grin's PMMR is generic over a `PMMRable` element, hashed with its position as
//! `BLAKE2b-256(u64be(pos) || serialization)` (`ser::PMMRIndexHashable`). Our leaves are
//! byte strings whose serialization is the bytes themselves, so grin's leaf hash is the
//! grin profile's `H(u64be(pos) || data)` (spec/DIALECTS.md).

use crate::grin::core::hash::{DefaultHashable, Hash as GrinHash};
use crate::grin::core::merkle_proof::MerkleProof;
use crate::grin::ser::{self, PMMRable, ProtocolVersion, Readable, Reader, Writeable, Writer};
use mmr_spec::Hash;

/// A leaf's data, written as is (no length prefix).
#[derive(Clone, Debug)]
pub struct Leaf(pub Vec<u8>);

impl Writeable for Leaf {
    fn write<W: Writer>(&self, writer: &mut W) -> Result<(), ser::Error> {
        writer.write_fixed_bytes(&self.0)
    }
}

/// Never read: the adapter keeps hashes only (`VecBackend::new_hash_only`), and the data's
/// length is not in its serialization.
impl Readable for Leaf {
    fn read<R: Reader>(_reader: &mut R) -> Result<Leaf, ser::Error> {
        Err(crate::unreadable())
    }
}

impl DefaultHashable for Leaf {}

impl PMMRable for Leaf {
    type E = Leaf;

    fn as_elmt(&self) -> Leaf {
        self.clone()
    }

    fn elmt_size() -> Option<u16> {
        None
    }
}

/// Our hash as grin's.
pub fn grin_hash(h: &Hash) -> GrinHash {
    GrinHash::from_vec(h.as_bytes())
}

/// grin's hash as ours.
pub fn our_hash(h: &GrinHash) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(h.as_bytes());
    out
}

/// grin's own serialization of its proof (`u64be size || u64be count || hashes`).
pub fn grin_bytes(proof: &MerkleProof) -> Result<Vec<u8>, String> {
    ser::ser_vec(proof, ProtocolVersion::local()).map_err(|e| format!("grin serialization: {e}"))
}
