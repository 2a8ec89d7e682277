//! What ckb-merkle-mountain-range leaves to its caller: the merge and the store.
//!
//! ckb's `MMR<T, M, S>` is generic over the item `T`, the merge `M` and the store `S`. The
//! adapter instantiates it as ckb's own tests do (`src/tests/mod.rs`: BLAKE2b-256 of
//! `lhs || rhs`, no personalization, an in-memory store), with one addition that our model
//! needs and ckb lacks: the item is a hash-sum [`Node`], whose value the merge adds up
//! (checked) and never hashes (README.md, "Values").

use crate::ckb::{Error, MMR, MMRStoreReadOps, MMRStoreWriteOps, Merge, Result};
use blake2::{Blake2b, Digest, digest::consts::U32};
use mmr_spec::{Hash, Node};
use std::cell::RefCell;

type Blake2b256 = Blake2b<U32>;

/// The message of the [`Error::MergeError`] the merge returns when a sum exceeds u64::MAX.
pub const VALUE_OVERFLOW: &str = "value-overflow";

/// BLAKE2b-256 of `data`: a leaf's hash (ckb's tests push `NumberHash::from(i)`, the hash
/// of the number's bytes).
pub fn leaf_hash(data: &[u8]) -> Hash {
    Hash(Blake2b256::digest(data).into())
}

/// A leaf item: ckb nodes carry no value, the adapter's items do (unhashed).
pub fn leaf(data: &[u8], value: u64) -> Node {
    Node::new(leaf_hash(data), value)
}

/// ckb's test merge (`MergeNumberHash`): `BLAKE2b-256(lhs || rhs)`; the values add up.
/// `merge_peaks` is ckb's default (`merge(peak1, peak2)`), as in ckb's tests.
#[derive(Debug)]
pub struct Blake2bMerge;

impl Merge for Blake2bMerge {
    type Item = Node;

    fn merge(left: &Node, right: &Node) -> Result<Node> {
        let value = left
            .value
            .checked_add(right.value)
            .ok_or_else(|| Error::MergeError(VALUE_OVERFLOW.into()))?;
        let mut h = Blake2b256::new();
        h.update(left.hash.as_bytes());
        h.update(right.hash.as_bytes());
        Ok(Node::new(Hash(h.finalize().into()), value))
    }
}

/// An in-memory store of the nodes by position (ckb's tests use a `RefCell` map the same
/// way). ckb only ever appends at the current size.
#[derive(Debug, Default)]
pub struct MemStore(RefCell<Vec<Node>>);

impl MMRStoreReadOps<Node> for &MemStore {
    fn get_elem(&self, pos: u64) -> Result<Option<Node>> {
        Ok(usize::try_from(pos)
            .ok()
            .and_then(|i| self.0.borrow().get(i).copied()))
    }
}

impl MMRStoreWriteOps<Node> for &MemStore {
    fn append(&mut self, pos: u64, elems: Vec<Node>) -> Result<()> {
        let mut v = self.0.borrow_mut();
        if pos != v.len() as u64 {
            return Err(Error::StoreError(format!(
                "append at {pos}, store holds {} nodes",
                v.len()
            )));
        }
        v.extend(elems);
        Ok(())
    }
}

/// ckb's MMR over the adapter's item, merge and store.
pub type Mmr<'a> = MMR<Node, Blake2bMerge, &'a MemStore>;

/// ckb's proof over the adapter's item and merge.
pub type CkbProof = crate::ckb::MerkleProof<Node, Blake2bMerge>;

#[cfg(test)]
mod tests {
    use super::*;
    use mmr_spec::profiles::CKB;
    use mmr_spec::{Profile, leaf_node};

    /// The merge and leaf hash agree with our `ckb` profile, and ckb's root of its own
    /// test's 11 leaves is the published `f6794677...` (DIALECTS.md).
    #[test]
    fn merge_matches_the_ckb_profile_and_the_published_root() {
        let store = MemStore::default();
        let mut mmr = Mmr::new(0, &store);
        for i in 0u32..11 {
            let data = i.to_le_bytes();
            let ours = leaf_node(&CKB, 0, &data, 0);
            assert_eq!(leaf(&data, 0), ours);
            mmr.push(leaf(&data, u64::from(i))).unwrap();
        }
        mmr.commit().unwrap();
        let root = mmr.get_root().unwrap();
        assert_eq!(
            root.hash.to_hex(),
            "f6794677f37a57df6a5ec36ce61036e43a36c1a009d05c81c9aa685dde1fd6e3"
        );
        assert_eq!(root.value, 55);
        let (l, r) = (leaf(b"a", 1), leaf(b"b", 2));
        assert_eq!(
            Blake2bMerge::merge(&l, &r).unwrap().hash,
            CKB.parent_hash(0, &l, &r, 3)
        );
        let big = Node::new(Hash::ZERO, u64::MAX);
        assert_eq!(
            Blake2bMerge::merge(&big, &l),
            Err(Error::MergeError(VALUE_OVERFLOW.into()))
        );
    }
}
