//! Batch proofs (SPEC.md D15): proving from a state, and verification with D15's exact
//! rejection order. The canonical item set is computed row by row over (row, entry)
//! addresses (D5), so no map of positions is needed.

use crate::bagging::{self, PeakBuf};
use crate::index;
use crate::mmr::{Optimized, View, peak_positions};
use crate::store::Store;
use mmr_spec::{BatchProof, Error, Node, Profile, parent_node};

/// D15: the canonical item positions for the proven leaf indices `sorted` (strictly
/// increasing, each below `leaves`), ascending: the siblings of path nodes that are not on
/// a path themselves, then the peaks no path reaches.
pub(crate) fn canonical_items(leaves: u64, sorted: &[u64]) -> Vec<u64> {
    let mut items = Vec::new();
    let mut cur: Vec<u64> = sorted.to_vec();
    let mut next: Vec<u64> = Vec::with_capacity(cur.len());
    let mut reached = 0u64; // bit h: the peak of height h is on a path
    let mut r = 0u32;
    while !cur.is_empty() && r < 64 {
        let row_peak = ((leaves >> r) & 1 == 1).then(|| (leaves >> r) - 1);
        next.clear();
        let mut k = 0;
        while k < cur.len() {
            let e = cur[k];
            if Some(e) == row_peak {
                reached |= 1 << r;
                k += 1;
                continue;
            }
            if e & 1 == 0 && cur.get(k + 1) == Some(&(e + 1)) {
                next.push(e >> 1);
                k += 2;
                continue;
            }
            if let Some(p) = index::from_row_entry(r, e ^ 1) {
                items.push(p);
            }
            next.push(e >> 1);
            k += 1;
        }
        core::mem::swap(&mut cur, &mut next);
        r += 1;
    }
    let mut rest = leaves & !reached;
    while rest != 0 {
        let h = 63 - rest.leading_zeros();
        rest &= !(1u64 << h);
        if let Some(s) = index::size_for_leaves((leaves >> h) << h) {
            items.push(s - 1);
        }
    }
    items.sort_unstable();
    items
}

/// D15 verification of `proof` for the leaf nodes `leaves` (in the proof's order) against
/// the trusted `root`, under profile `p`. The first failing check of D15 is returned.
pub fn verify_batch_proof<P: Profile + ?Sized>(
    p: &P,
    root: &Node,
    proof: &BatchProof,
    leaves: &[Node],
) -> Result<(), Error> {
    // 1.
    let n = index::leaves_for_size(proof.size).ok_or(Error::InvalidSize { size: proof.size })?;
    // 2.
    if proof.leaves.is_empty() {
        return Err(Error::EmptyBatch);
    }
    // 3.
    let mut idx = Vec::with_capacity(proof.leaves.len());
    for (j, &pos) in proof.leaves.iter().enumerate() {
        let li = index::pos_to_leaf(pos).ok_or(Error::NotALeaf { pos })?;
        if li >= n {
            return Err(Error::LeafIndexOutOfRange {
                index: li,
                leaf_count: n,
            });
        }
        if j > 0 {
            let prev = proof.leaves[j - 1];
            if pos == prev {
                return Err(Error::DuplicateLeaf { pos });
            }
            if pos < prev {
                return Err(Error::UnorderedLeaves { index: j as u64 });
            }
        }
        idx.push(li);
    }
    // 4.
    if leaves.len() != proof.leaves.len() {
        return Err(Error::LeafCountMismatch {
            expected: proof.leaves.len() as u64,
            got: leaves.len() as u64,
        });
    }
    // 5.
    for j in 1..proof.items.len() {
        let (pos, prev) = (proof.items[j].0, proof.items[j - 1].0);
        if pos == prev {
            return Err(Error::DuplicateItem { pos });
        }
        if pos < prev {
            return Err(Error::UnorderedItems { index: j as u64 });
        }
    }
    let canon = canonical_items(n, &idx);
    let (mut a, mut b) = (0, 0);
    loop {
        match (proof.items.get(a).map(|x| x.0), canon.get(b)) {
            (None, None) => break,
            (Some(x), Some(&y)) if x == y => {
                a += 1;
                b += 1;
            }
            (Some(x), Some(&y)) if x < y => return Err(Error::UnexpectedItem { pos: x }),
            (Some(x), None) => return Err(Error::UnexpectedItem { pos: x }),
            (_, Some(&y)) => return Err(Error::MissingItem { pos: y }),
        }
    }
    // 6.
    let item = |pos: u64| -> Result<Node, Error> {
        proof
            .items
            .binary_search_by_key(&pos, |x| x.0)
            .map(|i| proof.items[i].1)
            .map_err(|_| Error::MissingItem { pos })
    };
    let mut peak_of_height = [None::<Node>; 64];
    let mut cur: Vec<(u64, Node)> = idx.iter().copied().zip(leaves.iter().copied()).collect();
    let mut next: Vec<(u64, Node)> = Vec::with_capacity(cur.len());
    let mut r = 0u32;
    while !cur.is_empty() && r < 64 {
        let row_peak = ((n >> r) & 1 == 1).then(|| (n >> r) - 1);
        next.clear();
        let mut k = 0;
        while k < cur.len() {
            let (e, node) = cur[k];
            if Some(e) == row_peak {
                peak_of_height[r as usize] = Some(node);
                k += 1;
                continue;
            }
            let (l, rt, step) = if e & 1 == 0 {
                match cur.get(k + 1) {
                    Some(&(e2, n2)) if e2 == e + 1 => (node, n2, 2),
                    _ => (node, item(sib_pos(r, e)?)?, 1),
                }
            } else {
                (item(sib_pos(r, e)?)?, node, 1)
            };
            let ppos = index::from_row_entry(r + 1, e >> 1).ok_or(Error::NotALeaf { pos: 0 })?;
            next.push((e >> 1, parent_node(p, ppos, &l, &rt)?));
            k += step;
        }
        core::mem::swap(&mut cur, &mut next);
        r += 1;
    }
    let mut peaks = PeakBuf::new();
    let mut rest = n;
    for pos in peak_positions(n) {
        let h = 63 - rest.leading_zeros();
        rest &= !(1u64 << h);
        match peak_of_height[h as usize] {
            Some(node) => peaks.push(node),
            None => peaks.push(item(pos)?),
        }
    }
    let computed = bagging::root(p, proof.size, peaks.as_slice())?;
    // 7.
    if computed.value != root.value {
        return Err(Error::SumMismatch {
            expected: root.value,
            computed: computed.value,
        });
    }
    if computed.hash != root.hash {
        return Err(Error::RootMismatch {
            expected: root.hash,
            computed: computed.hash,
        });
    }
    Ok(())
}

/// D15 proving, on the error path only: `duplicate-leaf` naming the position of the first
/// index, in the given order, that repeats an earlier one (`indices` holds a repeat, every
/// index below `leaves`).
fn first_repeat(indices: &[u64], leaves: u64) -> Error {
    let mut seen = std::collections::HashSet::with_capacity(indices.len());
    let i = indices
        .iter()
        .copied()
        .find(|&i| !seen.insert(i))
        .unwrap_or(indices[0]);
    match index::leaf_to_pos(i) {
        Some(pos) => Error::DuplicateLeaf { pos },
        None => Error::LeafIndexOutOfRange {
            index: i,
            leaf_count: leaves,
        },
    }
}

/// Position of the sibling of node (r, e) (D5, D7).
fn sib_pos(r: u32, e: u64) -> Result<u64, Error> {
    index::from_row_entry(r, e ^ 1).ok_or(Error::MissingItem { pos: 0 })
}

impl<P: Profile, S: Store> Optimized<P, S> {
    /// D15 proving from state `v`.
    pub(crate) fn batch_in(&self, v: &View, indices: &[u64]) -> Result<BatchProof, Error> {
        if indices.is_empty() {
            return Err(Error::EmptyBatch);
        }
        for &i in indices {
            if i >= v.leaves {
                return Err(Error::LeafIndexOutOfRange {
                    index: i,
                    leaf_count: v.leaves,
                });
            }
        }
        let mut sorted = indices.to_vec();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(first_repeat(indices, v.leaves));
        }
        let mut positions = Vec::with_capacity(sorted.len());
        for &i in &sorted {
            let pos = index::leaf_to_pos(i).ok_or(Error::LeafIndexOutOfRange {
                index: i,
                leaf_count: v.leaves,
            })?;
            positions.push(pos);
        }
        let item_pos = canonical_items(v.leaves, &sorted);
        if !self.pruned.is_empty() {
            let lowest = positions
                .iter()
                .chain(&item_pos)
                .copied()
                .filter(|&p| self.pruned.get(p))
                .min();
            if let Some(pos) = lowest {
                return Err(Error::Pruned { pos });
            }
        }
        let mut items = Vec::with_capacity(item_pos.len());
        for p in item_pos {
            items.push((p, self.view_node(v, p)?));
        }
        Ok(BatchProof {
            size: v.size,
            leaves: positions,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_items_of_spec_example() {
        // SPEC.md D15: leaves 0 and 3 of four: items at positions 1 and 3.
        assert_eq!(canonical_items(4, &[0, 3]), vec![1, 3]);
        // One leaf of seven (leaf 4 at position 7): sibling 8, then peaks 6 and 10.
        assert_eq!(canonical_items(7, &[4]), vec![6, 8, 10]);
        // Every leaf: nothing needed.
        assert_eq!(canonical_items(3, &[0, 1, 2]), Vec::<u64>::new());
    }
}
