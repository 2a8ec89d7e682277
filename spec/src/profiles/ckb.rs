//! The ckb-merkle-mountain-range dialect, version 0.6.1 (SPEC.md D10, section 10;
//! `spec/DIALECTS.md`).
//!
//! Sources: nervosnetwork/merkle-mountain-range `src/mmr.rs` (`push`, `get_root`,
//! `bag_rhs_peaks`, `gen_proof`), `src/helper.rs`, `src/tests/mod.rs` (the test hasher
//! `Blake2bBuilder::new(32).build()`: BLAKE2b, 32-byte output, no key, no personalization;
//! `NumberHash::from(u32)` hashes the number's 4 little-endian bytes; `MergeNumberHash`
//! hashes `lhs || rhs`).
//!
//! The merge is caller-supplied in ckb; this profile is the one its own tests use:
//! - `leaf_hash(_, data, _) = BLAKE2b-256(data)` (the tests push `NumberHash::from(i)`,
//!   i.e. `data = u32le(i)`); no position, no domain separation;
//! - `parent_hash(_, l, r, _) = BLAKE2b-256(l.hash || r.hash)`;
//! - fold-right bagging with ckb's swap: `bag_rhs_peaks` merges `(right_acc, left_peak)`,
//!   so `bag_hash(_, left = peak, right = acc, _) = BLAKE2b-256(acc || peak)`;
//! - empty root: none (`get_root` fails with `GetRootOnEmpty`), hence error `empty-root`.

use crate::profiles::grin::fold_right;
use crate::{Bagging, Hash, Node, Profile};
use blake2::{Blake2b, Digest, digest::consts::U32};

type Blake2b256 = Blake2b<U32>;

/// The ckb profile, named `"ckb"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CkbProfile;

/// The ckb profile's one instance.
pub static CKB: CkbProfile = CkbProfile;

/// ckb's test merge: `BLAKE2b-256(lhs || rhs)`.
fn merge(lhs: &Hash, rhs: &Hash) -> Hash {
    let mut h = Blake2b256::new();
    h.update(lhs.as_bytes());
    h.update(rhs.as_bytes());
    Hash(h.finalize().into())
}

impl Profile for CkbProfile {
    fn name(&self) -> &'static str {
        "ckb"
    }

    /// `BLAKE2b-256(data)`: neither the position nor the value is hashed.
    fn leaf_hash(&self, _pos: u64, data: &[u8], _value: u64) -> Hash {
        Hash(Blake2b256::digest(data).into())
    }

    /// `BLAKE2b-256(left.hash || right.hash)`.
    fn parent_hash(&self, _pos: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        merge(&left.hash, &right.hash)
    }

    fn bagging(&self) -> Bagging {
        Bagging::FoldRight
    }

    /// ckb's swapped bagging step: `BLAKE2b-256(right.hash || left.hash)`, where `left` is the
    /// peak and `right` the bag of the peaks to its right.
    fn bag_hash(&self, _size: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        merge(&right.hash, &left.hash)
    }

    /// Unused by a fold-right profile; the fold-right root over `peaks` (empty: zero hash).
    fn commit_hash(&self, _size: u64, _total: u64, peaks: &[Node]) -> Hash {
        fold_right(peaks, |l, r| merge(&r.hash, &l.hash)).unwrap_or(Hash::ZERO)
    }

    /// ckb defines no root for the empty MMR.
    fn empty_root(&self) -> Option<Hash> {
        None
    }
}
