//! [`Sha3Default`]: the default profile of SPEC.md D11, hashed from one contiguous stack
//! buffer per call with the fastest SHA3-256 backend of the build ([`crate::hash::Fast`]:
//! keccak-asm on x86-64 and aarch64). [`PortableSha3Default`] is the same profile on the
//! `sha3` crate. Both give the outputs of `mmr_spec::profiles::DEFAULT` bit for bit (tests
//! here on every input shape, `tests/backends.rs` by proptest and whole MMRs, and the
//! `differential` fuzz target); the single buffer avoids the per-field incremental updates
//! (about 5-10% of an append on this machine's SHA3-256).

use crate::hash::{Fast, Portable, Sha3Backend};
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{Bagging, Hash, Node, Profile};

/// The default profile (D11), named `"default"`, with single-buffer hashing on the fast
/// SHA3-256 backend ([`crate::hash::Fast`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sha3Default;

/// The default profile (D11), named `"default"`, with single-buffer hashing on the portable
/// `sha3` crate: the floor the fast backend is measured against, and its fallback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PortableSha3Default;

/// Leaf inputs up to this many bytes (header included) are hashed from one buffer.
const LEAF_BUF: usize = 136; // one SHA3-256 rate block

/// `SHA3-256(0x00 || u64be(pos) || u64be(value) || data)`.
#[inline]
fn leaf_hash<B: Sha3Backend>(pos: u64, data: &[u8], value: u64) -> Hash {
    let len = 17 + data.len();
    if len > LEAF_BUF {
        return B::digest_parts(&[&[0x00], &pos.to_be_bytes(), &value.to_be_bytes(), data]);
    }
    let mut b = [0u8; LEAF_BUF];
    b[1..9].copy_from_slice(&pos.to_be_bytes());
    b[9..17].copy_from_slice(&value.to_be_bytes());
    b[17..len].copy_from_slice(data);
    B::digest(&b[..len])
}

/// `SHA3-256(0x01 || u64be(pos) || u64be(sum) || left.hash || right.hash)`.
#[inline]
fn parent_hash<B: Sha3Backend>(pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
    let mut b = [0u8; 81];
    b[0] = 0x01;
    b[1..9].copy_from_slice(&pos.to_be_bytes());
    b[9..17].copy_from_slice(&sum.to_be_bytes());
    b[17..49].copy_from_slice(left.hash.as_bytes());
    b[49..81].copy_from_slice(right.hash.as_bytes());
    B::digest(&b)
}

/// `SHA3-256(0x02 || u64be(size) || u64be(total) || (peak hash || u64be(peak value))...)`.
#[inline]
fn commit_hash<B: Sha3Backend>(size: u64, total: u64, peaks: &[Node]) -> Hash {
    const PEAK: usize = 32 + 8;
    let mut b = [0u8; 17 + PEAK * 64];
    let len = 17 + PEAK * peaks.len();
    if len > b.len() {
        // More than 64 peaks only in a made-up proof (an MMR has at most 64).
        let mut parts: Vec<[u8; PEAK]> = Vec::with_capacity(peaks.len());
        for p in peaks {
            let mut e = [0u8; PEAK];
            e[..32].copy_from_slice(p.hash.as_bytes());
            e[32..].copy_from_slice(&p.value.to_be_bytes());
            parts.push(e);
        }
        let mut all: Vec<&[u8]> = vec![&[0x02]];
        let (s, t) = (size.to_be_bytes(), total.to_be_bytes());
        all.push(&s);
        all.push(&t);
        all.extend(parts.iter().map(|e| &e[..]));
        return B::digest_parts(&all);
    }
    b[0] = 0x02;
    b[1..9].copy_from_slice(&size.to_be_bytes());
    b[9..17].copy_from_slice(&total.to_be_bytes());
    for (k, p) in peaks.iter().enumerate() {
        let at = 17 + PEAK * k;
        b[at..at + 32].copy_from_slice(p.hash.as_bytes());
        b[at + 32..at + PEAK].copy_from_slice(&p.value.to_be_bytes());
    }
    B::digest(&b[..len])
}

macro_rules! single_buffer_profile {
    ($name:ident, $backend:ty) => {
        impl Profile for $name {
            fn name(&self) -> &'static str {
                DEFAULT.name()
            }

            #[inline]
            fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
                leaf_hash::<$backend>(pos, data, value)
            }

            #[inline]
            fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
                parent_hash::<$backend>(pos, left, right, sum)
            }

            fn bagging(&self) -> Bagging {
                Bagging::Flat
            }

            /// As the spec's default: the root commitment of the two nodes.
            fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
                commit_hash::<$backend>(size, sum, &[*left, *right])
            }

            #[inline]
            fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
                commit_hash::<$backend>(size, total, peaks)
            }

            fn empty_root(&self) -> Option<Hash> {
                Some(commit_hash::<$backend>(0, 0, &[]))
            }
        }
    };
}

single_buffer_profile!(Sha3Default, Fast);
single_buffer_profile!(PortableSha3Default, Portable);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_equal_the_spec_default_profile() {
        check(&Sha3Default);
        check(&PortableSha3Default);
    }

    fn check(p: &dyn Profile) {
        for len in [0usize, 1, 32, 118, 119, 120, 135, 136, 200, 271, 272, 1000] {
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
        for k in [0usize, 1, 2, 3, 29, 30, 63, 64, 65, 70] {
            let peaks: Vec<Node> = (0..k)
                .map(|i| Node::new(Hash([i as u8; 32]), 3 * i as u64))
                .collect();
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
