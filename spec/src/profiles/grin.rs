//! The Grin / Mwc dialect (SPEC.md D10, section 10; `spec/DIALECTS.md`).
//!
//! Sources: mimblewimble/grin and mwcproject/mwc-node, `core/src/core/pmmr/pmmr.rs`
//! (`push`, `root`, `bag_the_rhs`, `peak_path`, `merkle_proof`), `core/src/ser.rs`
//! (`PMMRIndexHashable::hash_with_index`: the u64 index is written big-endian before the
//! element), `core/src/core/hash.rs` (BLAKE2b, 32-byte output, unkeyed),
//! `core/src/core/merkle_proof.rs` (`MerkleProof { mmr_size, path }`).
//!
//! - `leaf_hash(pos, data, _) = BLAKE2b-256(u64be(pos) || data)`, where `data` is the
//!   element's serialization (grin hashes `(pos, elem)`; 0-based postorder positions).
//! - `parent_hash(pos, l, r, _) = BLAKE2b-256(u64be(pos) || l.hash || r.hash)`.
//! - fold-right bagging, `bag_hash(size, l, r, _) = BLAKE2b-256(u64be(size) || l.hash || r.hash)`
//!   (`root`: `(peak, rhash).hash_with_index(mmr_size)` folding from the right).
//! - empty root: 32 zero bytes (`ZERO_HASH`).
//!
//! Values are not hashed; the algorithms still track sums.

use crate::codec::Reader;
use crate::{Bagging, Error, Hash, Node, Profile, Proof, Side, Step};
use blake2::{Blake2b, Digest, digest::consts::U32};

type Blake2b256 = Blake2b<U32>;

/// The Grin / Mwc profile, named `"grin"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GrinProfile;

/// The Grin profile's one instance.
pub static GRIN: GrinProfile = GrinProfile;

/// BLAKE2b-256 of `u64be(index) || a || b` (grin `hash_with_index` of a tuple).
fn hash_indexed(index: u64, parts: &[&[u8]]) -> Hash {
    let mut h = Blake2b256::new();
    h.update(index.to_be_bytes());
    for p in parts {
        h.update(p);
    }
    Hash(h.finalize().into())
}

impl Profile for GrinProfile {
    fn name(&self) -> &'static str {
        "grin"
    }

    /// `BLAKE2b-256(u64be(pos) || data)`; the value is not hashed.
    fn leaf_hash(&self, pos: u64, data: &[u8], _value: u64) -> Hash {
        hash_indexed(pos, &[data])
    }

    /// `BLAKE2b-256(u64be(pos) || left.hash || right.hash)`.
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        hash_indexed(pos, &[left.hash.as_bytes(), right.hash.as_bytes()])
    }

    fn bagging(&self) -> Bagging {
        Bagging::FoldRight
    }

    /// `BLAKE2b-256(u64be(size) || left.hash || right.hash)`: left is a peak, right the bag
    /// of the peaks to its right.
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        hash_indexed(size, &[left.hash.as_bytes(), right.hash.as_bytes()])
    }

    /// Unused by a fold-right profile; defined as the fold-right root over `peaks` so that the
    /// function is total (empty: the zero hash).
    fn commit_hash(&self, size: u64, _total: u64, peaks: &[Node]) -> Hash {
        fold_right(peaks, |l, r| self.bag_hash(size, l, r, 0)).unwrap_or(Hash::ZERO)
    }

    fn empty_root(&self) -> Option<Hash> {
        Some(Hash::ZERO)
    }
}

/// Folds peaks from the right with `bag`; `None` for no peaks.
pub(crate) fn fold_right(peaks: &[Node], bag: impl Fn(&Node, &Node) -> Hash) -> Option<Hash> {
    let (last, rest) = peaks.split_last()?;
    let mut acc = Node::new(last.hash, 0);
    for p in rest.iter().rev() {
        acc = Node::new(bag(p, &acc), 0);
    }
    Some(acc.hash)
}

/// The longest path [`decode_merkle_proof`] accepts (the canonical encoding's limit, D13).
pub const MAX_PATH: u64 = 255;

/// Grin's `MerkleProof` serialization (`core/src/core/merkle_proof.rs`, `Writeable`):
/// `u64be mmr_size || u64be path_len || path_len × 32-byte hash`.
///
/// Grin's proof carries neither the position nor the sides nor any value: only `proof.size`
/// and the hashes of `proof.path` are written.
pub fn encode_merkle_proof(proof: &Proof) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + 32 * proof.path.len());
    out.extend_from_slice(&proof.size.to_be_bytes());
    out.extend_from_slice(&(proof.path.len() as u64).to_be_bytes());
    for s in &proof.path {
        out.extend_from_slice(s.node.hash.as_bytes());
    }
    out
}

/// Decodes grin's `MerkleProof` bytes into a [`Proof`] for the leaf at `pos`, which the
/// verifier supplies (grin's proof does not carry it). Strict where grin is lenient:
///
/// - truncated input: `truncated`; bytes after the path: `trailing-bytes`;
/// - a path length above [`MAX_PATH`]: `path-length` (checked before reading the hashes);
/// - the size must be valid (D4, `invalid-size`), `pos` a leaf position (D3, `not-a-leaf`)
///   below the size (`leaf-index-out-of-range`), and the path exactly as long as D13
///   prescribes for the fold-right shape (`path-length`); grin accepts all of these.
///
/// Sides are recomputed from (size, pos) by D7 (mountain part) and D13 (fold-right bagging
/// part); every node's value is 0 (grin commits no values).
pub fn decode_merkle_proof(bytes: &[u8], pos: u64) -> Result<Proof, Error> {
    let mut r = Reader::new(bytes);
    let size = r.u64()?;
    let len = r.u64()?;
    if len > MAX_PATH {
        return Err(Error::PathLength {
            expected: MAX_PATH,
            got: len,
        });
    }
    let mut hashes = Vec::with_capacity(len as usize);
    for _ in 0..len {
        hashes.push(r.hash()?);
    }
    r.finish()?;
    let sides = fold_right_sides(size, pos)?;
    if sides.len() as u64 != len {
        return Err(Error::PathLength {
            expected: sides.len() as u64,
            got: len,
        });
    }
    let path = sides
        .into_iter()
        .zip(hashes)
        .map(|(side, hash)| Step {
            side,
            node: Node::new(hash, 0),
        })
        .collect();
    Ok(Proof { size, pos, path })
}

/// Grin's `peak_map_height`: for `n` taken as a size, the bitmap of perfect-tree peaks peeled
/// greedily from the top and the remainder (SPEC.md D2: for a position, the remainder is its
/// height; D4: for a size, remainder 0 means valid and the bitmap is the leaf count).
pub fn peak_map_height(mut n: u64) -> (u64, u64) {
    if n == 0 {
        return (0, 0);
    }
    let mut peak_size = u64::MAX >> n.leading_zeros();
    let mut map = 0u64;
    while peak_size != 0 {
        map <<= 1;
        if n >= peak_size {
            n -= peak_size;
            map |= 1;
        }
        peak_size >>= 1;
    }
    (map, n)
}

/// The sides of a fold-right proof path for the leaf at `pos` in an MMR of `size`
/// (D13), after the D14 checks 1-3 (an adapter around a library whose proofs carry no
/// sides compares a D13 path's sides with these).
pub fn fold_right_sides(size: u64, pos: u64) -> Result<Vec<Side>, Error> {
    // D4: valid size.
    if peak_map_height(size).1 != 0 {
        return Err(Error::InvalidSize { size });
    }
    // D3, D8: a leaf position (u64::MAX is not a position).
    if pos == u64::MAX || peak_map_height(pos).1 != 0 {
        return Err(Error::NotALeaf { pos });
    }
    // D3: the leaf index is below the leaf count iff the leaf position is below the size.
    if pos >= size {
        return Err(Error::LeafIndexOutOfRange {
            index: peak_map_height(pos).0,
            leaf_count: peak_map_height(size).0,
        });
    }
    // D6: the peaks of `size`, left to right.
    let mut peaks = Vec::new();
    let mut left = size;
    let mut offset = 0u64;
    let mut peak_size = u64::MAX >> size.leading_zeros();
    while peak_size != 0 {
        if left >= peak_size {
            peaks.push(offset + (peak_size - 1));
            offset += peak_size;
            left -= peak_size;
        }
        peak_size >>= 1;
    }
    // D7, D13 part 1: climb to the peak; a right child's sibling is on the left.
    let mut sides = Vec::new();
    let mut p = pos;
    let mut h = 0u32;
    while !peaks.contains(&p) {
        let is_right = p
            .checked_add(1)
            .is_some_and(|q| peak_map_height(q).1 == u64::from(h) + 1);
        let parent = if is_right {
            sides.push(Side::Left);
            p.checked_add(1)
        } else {
            sides.push(Side::Right);
            1u64.checked_shl(h + 1).and_then(|d| p.checked_add(d))
        };
        p = parent.ok_or(Error::NotALeaf { pos })?;
        h += 1;
        if p >= size || h > 63 {
            return Err(Error::NotALeaf { pos });
        }
    }
    // D13 part 2 (fold-right): the bag of the peaks to the right, then each left peak.
    let i = peaks.iter().position(|&q| q == p).unwrap_or(0);
    if i + 1 < peaks.len() {
        sides.push(Side::Right);
    }
    sides.extend(core::iter::repeat_n(Side::Left, i));
    Ok(sides)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_follow_d13() {
        // Size 11, pos 7 (peaks 6, 9, 10): sibling 8 on the right, then the bag of peak 10
        // on the right, then peak 6 on the left (D13 fold-right; grin `peak_path`).
        assert_eq!(
            fold_right_sides(11, 7).unwrap(),
            vec![Side::Right, Side::Right, Side::Left]
        );
        assert_eq!(fold_right_sides(1, 0).unwrap(), vec![]);
        assert_eq!(fold_right_sides(4, 3).unwrap(), vec![Side::Left]);
        assert_eq!(
            fold_right_sides(4, 1).unwrap(),
            vec![Side::Left, Side::Right]
        );
        assert_eq!(fold_right_sides(5, 0), Err(Error::InvalidSize { size: 5 }));
        assert_eq!(fold_right_sides(7, 2), Err(Error::NotALeaf { pos: 2 }));
        assert_eq!(
            fold_right_sides(4, 4),
            Err(Error::LeafIndexOutOfRange {
                index: 3,
                leaf_count: 3
            })
        );
        assert_eq!(
            fold_right_sides(u64::MAX, u64::MAX),
            Err(Error::NotALeaf { pos: u64::MAX })
        );
        // The last leaf of the largest MMR (D8) climbs 63 levels without overflow.
        let last = u64::MAX - 64;
        assert_eq!(fold_right_sides(u64::MAX, last).unwrap().len(), 63);
    }
}
