//! [`Sha3Default`]: the default profile of SPEC.md D11, hashed from one contiguous stack
//! buffer per call. Its outputs are those of `mmr_spec::profiles::DEFAULT` bit for bit (a
//! test checks it on every input shape); it only avoids the per-field incremental updates
//! (about 5-10% of an append on this machine's SHA3-256).

use mmr_spec::profiles::DEFAULT;
use mmr_spec::{Bagging, Hash, Node, Profile};
use sha3::{Digest, Sha3_256};

/// The default profile (D11), named `"default"`, with single-buffer hashing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sha3Default;

/// Leaf inputs up to this many bytes (header included) are hashed from one buffer.
const LEAF_BUF: usize = 136; // one SHA3-256 rate block

#[inline]
fn digest(bytes: &[u8]) -> Hash {
    Hash(Sha3_256::digest(bytes).into())
}

impl Profile for Sha3Default {
    fn name(&self) -> &'static str {
        DEFAULT.name()
    }

    /// `SHA3-256(0x00 || u64be(pos) || u64be(value) || data)`.
    #[inline]
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        let len = 17 + data.len();
        if len > LEAF_BUF {
            return DEFAULT.leaf_hash(pos, data, value);
        }
        let mut b = [0u8; LEAF_BUF];
        b[1..9].copy_from_slice(&pos.to_be_bytes());
        b[9..17].copy_from_slice(&value.to_be_bytes());
        b[17..len].copy_from_slice(data);
        digest(&b[..len])
    }

    /// `SHA3-256(0x01 || u64be(pos) || u64be(sum) || left.hash || right.hash)`.
    #[inline]
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        let mut b = [0u8; 81];
        b[0] = 0x01;
        b[1..9].copy_from_slice(&pos.to_be_bytes());
        b[9..17].copy_from_slice(&sum.to_be_bytes());
        b[17..49].copy_from_slice(left.hash.as_bytes());
        b[49..81].copy_from_slice(right.hash.as_bytes());
        digest(&b)
    }

    fn bagging(&self) -> Bagging {
        Bagging::Flat
    }

    fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        DEFAULT.bag_hash(size, left, right, sum)
    }

    /// `SHA3-256(0x02 || u64be(size) || u64be(total) || (peak hash || u64be(peak value))...)`.
    #[inline]
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        const PEAK: usize = 32 + 8;
        let mut b = [0u8; 17 + PEAK * 64];
        let len = 17 + PEAK * peaks.len();
        if len > b.len() {
            return DEFAULT.commit_hash(size, total, peaks);
        }
        b[0] = 0x02;
        b[1..9].copy_from_slice(&size.to_be_bytes());
        b[9..17].copy_from_slice(&total.to_be_bytes());
        for (k, p) in peaks.iter().enumerate() {
            let at = 17 + PEAK * k;
            b[at..at + 32].copy_from_slice(p.hash.as_bytes());
            b[at + 32..at + PEAK].copy_from_slice(&p.value.to_be_bytes());
        }
        digest(&b[..len])
    }

    fn empty_root(&self) -> Option<Hash> {
        DEFAULT.empty_root()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_spec_default_profile() {
        let p = Sha3Default;
        for len in [0usize, 1, 32, 118, 119, 120, 200, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            for (pos, v) in [(0u64, 0u64), (7, 5), (u64::MAX - 1, u64::MAX)] {
                assert_eq!(p.leaf_hash(pos, &data, v), DEFAULT.leaf_hash(pos, &data, v));
            }
        }
        let a = Node::new(Hash([1; 32]), 3);
        let b = Node::new(Hash([2; 32]), 4);
        assert_eq!(
            p.parent_hash(9, &a, &b, 7),
            DEFAULT.parent_hash(9, &a, &b, 7)
        );
        for k in [0usize, 1, 3, 63, 64, 70] {
            let peaks = vec![a; k];
            assert_eq!(
                p.commit_hash(11, 5, &peaks),
                DEFAULT.commit_hash(11, 5, &peaks)
            );
        }
        assert_eq!(p.empty_root(), DEFAULT.empty_root());
        assert_eq!(p.bag_hash(3, &a, &b, 7), DEFAULT.bag_hash(3, &a, &b, 7));
        assert_eq!((p.name(), p.bagging()), ("default", Bagging::Flat));
    }
}
