//! The Litecoin MWEB dialect (SPEC.md D10, section 10; `spec/DIALECTS.md`).
//!
//! Sources: litecoin-project/litecoin `src/libmw/include/mw/crypto/Hasher.h` (BLAKE3, 32-byte
//! output, Bitcoin `Serialize`: integers little-endian, byte vectors with a CompactSize
//! length), `src/libmw/include/mw/mmr/Leaf.h` (`Leaf::CalcHash`),
//! `src/libmw/src/mmr/MMRUtil.cpp` (`CalcParentHash`, `CalcBaggedPeak`),
//! `src/libmw/src/mmr/MMR.cpp` (`IMMR::Root`).
//!
//! - `leaf_hash(pos, data, _) = BLAKE3(u64le(pos) || CompactSize(len(data)) || data)`;
//! - `parent_hash(pos, l, r, _) = BLAKE3(u64le(pos) || l.hash || r.hash)`;
//! - fold-right bagging with `bag_hash(size, l, r, _) = BLAKE3(u64le(size) || l.hash || r.hash)`
//!   (`IMMR::Root` and `CalcBaggedPeak` use the next leaf's node index, which is the size);
//! - empty root: the zero hash (`IMMR::Root` returns a default-constructed hash).

use crate::profiles::grin::fold_right;
use crate::{Bagging, Hash, Node, Profile};

/// The MWEB profile, named `"mweb"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MwebProfile;

/// The MWEB profile's one instance.
pub static MWEB: MwebProfile = MwebProfile;

/// Bitcoin's CompactSize encoding of a length (`serialize.h` `WriteCompactSize`).
pub fn compact_size(n: u64) -> Vec<u8> {
    match n {
        0..=252 => vec![n as u8],
        253..=0xffff => {
            let mut v = vec![0xfd];
            v.extend_from_slice(&(n as u16).to_le_bytes());
            v
        }
        0x1_0000..=0xffff_ffff => {
            let mut v = vec![0xfe];
            v.extend_from_slice(&(n as u32).to_le_bytes());
            v
        }
        _ => {
            let mut v = vec![0xff];
            v.extend_from_slice(&n.to_le_bytes());
            v
        }
    }
}

fn indexed(index: u64, left: &Node, right: &Node) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(&index.to_le_bytes());
    h.update(left.hash.as_bytes());
    h.update(right.hash.as_bytes());
    Hash(*h.finalize().as_bytes())
}

impl Profile for MwebProfile {
    fn name(&self) -> &'static str {
        "mweb"
    }

    /// `BLAKE3(u64le(pos) || CompactSize(len) || data)`; the value is not hashed.
    fn leaf_hash(&self, pos: u64, data: &[u8], _value: u64) -> Hash {
        let mut h = blake3::Hasher::new();
        h.update(&pos.to_le_bytes());
        h.update(&compact_size(data.len() as u64));
        h.update(data);
        Hash(*h.finalize().as_bytes())
    }

    /// `BLAKE3(u64le(pos) || left.hash || right.hash)`.
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        indexed(pos, left, right)
    }

    fn bagging(&self) -> Bagging {
        Bagging::FoldRight
    }

    /// `BLAKE3(u64le(size) || left.hash || right.hash)`.
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        indexed(size, left, right)
    }

    /// Unused by a fold-right profile; the fold-right root over `peaks` (empty: zero hash).
    fn commit_hash(&self, size: u64, _total: u64, peaks: &[Node]) -> Hash {
        fold_right(peaks, |l, r| indexed(size, l, r)).unwrap_or(Hash::ZERO)
    }

    fn empty_root(&self) -> Option<Hash> {
        Some(Hash::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::compact_size;

    #[test]
    fn compact_size_boundaries() {
        assert_eq!(compact_size(3), [3]);
        assert_eq!(compact_size(252), [252]);
        assert_eq!(compact_size(253), [0xfd, 253, 0]);
        assert_eq!(compact_size(0x1_0000), [0xfe, 0, 0, 1, 0]);
        assert_eq!(compact_size(1 << 32), [0xff, 0, 0, 0, 0, 1, 0, 0, 0]);
    }
}
