//! Bulk append on every core (issue item 4): equal in result to appending the leaves one at
//! a time (D12), but hashing aligned perfect subtrees in parallel.
//!
//! The new leaves are split into a head (appended one by one until the leaf count is a
//! multiple of the chunk width 2^c), whole chunks of 2^c leaves, and a tail. A chunk starting
//! at an aligned leaf index is a perfect subtree whose 2^(c+1) - 1 nodes occupy consecutive
//! positions (D1), so each chunk is hashed independently by a worker; the parents above the
//! chunks ("merges", as in D1's append) and the tail are computed in order afterwards.

use crate::index;
use crate::mmr::Optimized;
use crate::store::Store;
use mmr_spec::{Error, Node, Profile};
use rayon::prelude::*;

/// Chunks hashed per parallel round (bounds the temporary memory to this many subtrees).
const CHUNKS_PER_ROUND: usize = 64;

impl<P: Profile, S: Store> Optimized<P, S> {
    /// Appends every leaf `(data, value)` in order, hashing on all cores; returns the index
    /// of the first. The result (nodes, root, leaf set, and the MMR set of the enclosing
    /// block) equals that of calling [`mmr_spec::ProofDb::append`] for each leaf in turn.
    /// All or nothing: if leaf j would fail (`capacity-exceeded`, `value-overflow`), that
    /// error is returned and nothing is appended.
    ///
    /// ```
    /// use mmr_optimized::Optimized;
    /// use mmr_spec::{At, ProofDb};
    /// let leaves: Vec<(Vec<u8>, u64)> = (0..5000u32).map(|i| (i.to_be_bytes().to_vec(), 1)).collect();
    /// let mut a = Optimized::new(Default::default());
    /// a.append_bulk(&leaves).unwrap();
    /// let mut b = Optimized::new(Default::default());
    /// for (d, v) in &leaves { b.append(d, *v).unwrap(); }
    /// assert_eq!(a.root(At::Current), b.root(At::Current));
    /// ```
    pub fn append_bulk<D: AsRef<[u8]> + Sync>(&mut self, leaves: &[(D, u64)]) -> Result<u64, Error>
    where
        P: Sync,
    {
        let n0 = self.leaves();
        // Every check of D12, in leaf order, before anything changes.
        let room = index::MAX_LEAVES - n0;
        let mut total = self.total;
        for (j, (_, v)) in leaves.iter().enumerate() {
            if j as u64 >= room {
                return Err(Error::CapacityExceeded {
                    leaf_count: n0 + j as u64,
                });
            }
            total = total.checked_add(*v).ok_or(Error::ValueOverflow)?;
        }
        let m = leaves.len();
        let threads = rayon::current_num_threads().max(1);
        // Chunk height: 2^c leaves per chunk, at least 4 chunks per thread.
        let mut c = 10u32;
        while c > 4 && (m >> c) < 4 * threads {
            c -= 1;
        }
        let width = 1usize << c;
        if threads == 1 || m < 2 * width {
            self.store.reserve(2 * m as u64);
            for (d, v) in leaves {
                self.append_leaf(d.as_ref(), *v)?;
            }
            return Ok(n0);
        }
        self.store.reserve(2 * m as u64);
        let mut k = 0usize;
        // Head: up to alignment.
        while k < m && (self.leaves() & (width as u64 - 1)) != 0 {
            self.append_leaf(leaves[k].0.as_ref(), leaves[k].1)?;
            k += 1;
        }
        // Whole chunks, in rounds.
        while m - k >= width {
            let chunks = ((m - k) / width).min(CHUNKS_PER_ROUND);
            let base_leaf = self.leaves();
            let profile = &self.profile;
            let built: Vec<Vec<Node>> = (0..chunks)
                .into_par_iter()
                .map(|j| {
                    let first = base_leaf + (j * width) as u64;
                    let start = index::size_for_leaves(first).unwrap_or(0);
                    let src = &leaves[k + j * width..k + (j + 1) * width];
                    build_subtree(profile, start, c, src)
                })
                .collect();
            for (j, nodes) in built.into_iter().enumerate() {
                self.store.extend_from_slice(&nodes);
                let root = nodes.last().copied().unwrap_or_default();
                // Merges above the chunk: the chunk number's trailing ones (D1).
                let chunk_no = (base_leaf >> c) + j as u64;
                self.push_merges(root, chunk_no, (2u64 << c) - 1)?;
            }
            let added = (chunks * width) as u64;
            self.leaf_set.push_many(added, true);
            for (_, v) in &leaves[k..k + chunks * width] {
                self.total += *v;
            }
            self.pending.mutated = true;
            k += chunks * width;
        }
        // Tail.
        for (d, v) in &leaves[k..] {
            self.append_leaf(d.as_ref(), *v)?;
        }
        debug_assert_eq!(self.total, total);
        Ok(n0)
    }

    /// Pushes the parents completed above a node `cur` just pushed: while the low bits of
    /// `m` are ones, `cur` is a right child whose left sibling lies `d` positions back.
    fn push_merges(&mut self, mut cur: Node, mut m: u64, mut d: u64) -> Result<(), Error> {
        let mut pos = self.store.len() - 1;
        while m & 1 == 1 {
            let lpos = pos - d;
            let left = self.store.get(lpos).ok_or(Error::Pruned { pos: lpos })?;
            let sum = left.value.wrapping_add(cur.value);
            pos += 1;
            cur = Node {
                hash: self.profile.parent_hash(pos, &left, &cur, sum),
                value: sum,
            };
            self.store.push(cur);
            m >>= 1;
            d = 2 * d + 1;
        }
        Ok(())
    }
}

/// The 2^(c+1) - 1 nodes of the perfect subtree over `src` (2^c leaves) whose first leaf is
/// at position `start`, in postorder (D1).
fn build_subtree<P: Profile, D: AsRef<[u8]>>(
    p: &P,
    start: u64,
    c: u32,
    src: &[(D, u64)],
) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity((2usize << c) - 1);
    for (k, (data, value)) in src.iter().enumerate() {
        let mut pos = start + out.len() as u64;
        let mut cur = Node {
            hash: p.leaf_hash(pos, data.as_ref(), *value),
            value: *value,
        };
        out.push(cur);
        let mut m = k;
        let mut d = 1usize;
        while m & 1 == 1 {
            let left = out[out.len() - 1 - d];
            let sum = left.value.wrapping_add(cur.value);
            pos += 1;
            cur = Node {
                hash: p.parent_hash(pos, &left, &cur, sum),
                value: sum,
            };
            out.push(cur);
            m >>= 1;
            d = 2 * d + 1;
        }
    }
    out
}
