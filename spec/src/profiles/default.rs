//! The default profile (SPEC.md D11): SHA3-256 with domain separation, position binding,
//! sums committed in every parent, and a flat root over size, total and peaks.

use crate::{Bagging, Hash, Node, Profile};
use sha3::{Digest, Sha3_256};

/// Domain tag of leaf hashes.
pub const TAG_LEAF: u8 = 0x00;
/// Domain tag of parent hashes.
pub const TAG_PARENT: u8 = 0x01;
/// Domain tag of the root commitment.
pub const TAG_ROOT: u8 = 0x02;

/// The default profile, named `"default"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefaultProfile;

/// The default profile's one instance.
pub static DEFAULT: DefaultProfile = DefaultProfile;

fn finish(h: Sha3_256) -> Hash {
    Hash(h.finalize().into())
}

impl Profile for DefaultProfile {
    fn name(&self) -> &'static str {
        "default"
    }

    /// `SHA3-256(0x00 || u64be(pos) || u64be(value) || data)`.
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        let mut h = Sha3_256::new();
        h.update([TAG_LEAF]);
        h.update(pos.to_be_bytes());
        h.update(value.to_be_bytes());
        h.update(data);
        finish(h)
    }

    /// `SHA3-256(0x01 || u64be(pos) || u64be(sum) || left.hash || right.hash)`.
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        let mut h = Sha3_256::new();
        h.update([TAG_PARENT]);
        h.update(pos.to_be_bytes());
        h.update(sum.to_be_bytes());
        h.update(left.hash.as_bytes());
        h.update(right.hash.as_bytes());
        finish(h)
    }

    fn bagging(&self) -> Bagging {
        Bagging::Flat
    }

    /// Not used by a flat profile; defined as the root commitment of the two nodes so the
    /// function is total.
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        self.commit_hash(size, sum, &[*left, *right])
    }

    /// `SHA3-256(0x02 || u64be(size) || u64be(total) || for each peak: hash || u64be(value))`.
    ///
    /// Each peak's value is committed, not only the total: otherwise a proof could move
    /// value between the other peaks it carries and still verify (fuzz finding F4).
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        let mut h = Sha3_256::new();
        h.update([TAG_ROOT]);
        h.update(size.to_be_bytes());
        h.update(total.to_be_bytes());
        for p in peaks {
            h.update(p.hash.as_bytes());
            h.update(p.value.to_be_bytes());
        }
        finish(h)
    }

    fn empty_root(&self) -> Option<Hash> {
        Some(self.commit_hash(0, 0, &[]))
    }
}
