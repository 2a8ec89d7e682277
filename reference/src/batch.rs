//! Batch proofs (SPEC.md D15): the set A of path positions, the canonical items, proving
//! and verification with every rejection rule in the order D15 gives.

use crate::addr::{self, Addr};
use crate::bagging;
use crate::proof::{compare_root, leaf_index, pos_of};
use mmr_spec::{BatchProof, Error, Node, Profile, parent_node};
use std::collections::{BTreeMap, BTreeSet};

/// D15: A, every proven leaf and its ancestors up to and including its peak.
fn path_set(n: u64, leaves: &[u64]) -> BTreeSet<Addr> {
    let mut a = BTreeSet::new();
    for &i in leaves {
        let mut at = Addr::leaf(i);
        a.insert(at);
        while let Some(up) = addr::parent(at).filter(|u| addr::exists(*u, n)) {
            a.insert(up);
            at = up;
        }
    }
    a
}

/// D15: the canonical items, `{sibling(x) : x in A not a peak, sibling(x) not in A}` and
/// the peaks not in A, keyed (and so ordered) by position.
fn canonical_items(n: u64, a: &BTreeSet<Addr>) -> Result<BTreeMap<u64, Addr>, Error> {
    let siblings = a
        .iter()
        .filter(|x| !addr::is_peak(**x, n))
        .map(|x| addr::sibling(*x))
        .filter(|s| !a.contains(s));
    let peaks = addr::peaks(n).into_iter().filter(|p| !a.contains(p));
    siblings.chain(peaks).map(|x| Ok((pos_of(x)?, x))).collect()
}

/// D15 proving: checks the indices (`empty-batch`, the first `leaf-index-out-of-range` in
/// the given order, the first `duplicate-leaf` in the given order), then emits the sorted
/// leaves and canonical items. `node` fetches stored nodes and is asked in increasing
/// position order, so its first `pruned` names the lowest dropped position.
pub(crate) fn build(
    size: u64,
    n: u64,
    indices: &[u64],
    mut node: impl FnMut(Addr) -> Result<Node, Error>,
) -> Result<BatchProof, Error> {
    if indices.is_empty() {
        return Err(Error::EmptyBatch);
    }
    if let Some(&index) = indices.iter().find(|&&i| i >= n) {
        return Err(Error::LeafIndexOutOfRange {
            index,
            leaf_count: n,
        });
    }
    let mut seen = BTreeSet::new();
    for &i in indices {
        if !seen.insert(i) {
            return Err(Error::DuplicateLeaf {
                pos: pos_of(Addr::leaf(i))?,
            });
        }
    }
    let sorted: Vec<u64> = seen.into_iter().collect();
    let a = path_set(n, &sorted);
    let items = canonical_items(n, &a)?;
    // Every needed stored node (leaves and items), by increasing position.
    let mut needed: BTreeMap<u64, Addr> = items.clone();
    for &i in &sorted {
        needed.insert(pos_of(Addr::leaf(i))?, Addr::leaf(i));
    }
    let mut fetched = BTreeMap::new();
    for (pos, x) in needed {
        fetched.insert(pos, node(x)?);
    }
    let leaves = sorted
        .iter()
        .map(|&i| pos_of(Addr::leaf(i)))
        .collect::<Result<Vec<u64>, Error>>()?;
    let items = items
        .keys()
        .map(|pos| {
            Ok((
                *pos,
                *fetched.get(pos).ok_or(Error::MissingItem { pos: *pos })?,
            ))
        })
        .collect::<Result<Vec<(u64, Node)>, Error>>()?;
    Ok(BatchProof {
        size,
        leaves,
        items,
    })
}

/// D15 verification: rules 1-7 in order; the first failure is the result.
pub fn verify<P: Profile + ?Sized>(
    p: &P,
    root: &Node,
    proof: &BatchProof,
    leaves: &[Node],
) -> Result<(), Error> {
    // Rule 1: a valid size.
    let n = addr::leaf_count(proof.size).ok_or(Error::InvalidSize { size: proof.size })?;
    // Rules 2-3: the leaf positions.
    let indices = check_leaves(n, &proof.leaves)?;
    // Rule 4: one supplied leaf per position.
    if leaves.len() != proof.leaves.len() {
        return Err(Error::LeafCountMismatch {
            expected: proof.leaves.len() as u64,
            got: leaves.len() as u64,
        });
    }
    // Rule 5: the items, strictly increasing and exactly the canonical set.
    let a = path_set(n, &indices);
    let items = check_items(n, &a, &proof.items)?;
    // Rule 6: recompute A bottom up, collect the peaks, bag them.
    let computed = recompute(p, proof.size, n, &a, &indices, leaves, &items)?;
    // Rule 7: value, then hash.
    compare_root(root, &computed)
}

/// D15 rules 2-3: non-empty; each position a leaf, below the leaf count, and strictly
/// above the previous one. Returns the leaf indices.
fn check_leaves(n: u64, positions: &[u64]) -> Result<Vec<u64>, Error> {
    if positions.is_empty() {
        return Err(Error::EmptyBatch);
    }
    let mut indices: Vec<u64> = Vec::with_capacity(positions.len());
    for (j, &pos) in positions.iter().enumerate() {
        let index = leaf_index(pos)?;
        if index >= n {
            return Err(Error::LeafIndexOutOfRange {
                index,
                leaf_count: n,
            });
        }
        match indices.last() {
            Some(&prev) if prev == index => return Err(Error::DuplicateLeaf { pos }),
            Some(&prev) if prev > index => {
                return Err(Error::UnorderedLeaves { index: j as u64 });
            }
            _ => indices.push(index),
        }
    }
    Ok(indices)
}

/// D15 rule 5: items strictly increasing (`duplicate-item`, `unordered-items`), then equal
/// to the canonical set (the smallest position in exactly one set: `unexpected-item` if the
/// proof carries it, else `missing-item`). Returns the items by address.
fn check_items(
    n: u64,
    a: &BTreeSet<Addr>,
    items: &[(u64, Node)],
) -> Result<BTreeMap<Addr, Node>, Error> {
    for (j, pair) in items.windows(2).enumerate() {
        if let [(prev, _), (pos, _)] = pair {
            if pos == prev {
                return Err(Error::DuplicateItem { pos: *pos });
            }
            if pos < prev {
                return Err(Error::UnorderedItems {
                    index: j as u64 + 1,
                });
            }
        }
    }
    let canonical = canonical_items(n, a)?;
    let carried: BTreeSet<u64> = items.iter().map(|(pos, _)| *pos).collect();
    let expected: BTreeSet<u64> = canonical.keys().copied().collect();
    if let Some(&pos) = carried.symmetric_difference(&expected).next() {
        return Err(if carried.contains(&pos) {
            Error::UnexpectedItem { pos }
        } else {
            Error::MissingItem { pos }
        });
    }
    let by_pos: BTreeMap<u64, Node> = items.iter().copied().collect();
    canonical
        .iter()
        .map(|(pos, x)| {
            Ok((
                *x,
                *by_pos.get(pos).ok_or(Error::MissingItem { pos: *pos })?,
            ))
        })
        .collect()
}

/// D15 rule 6: every node of A from the supplied leaves and the items, bottom up (A is
/// ordered by row), then the root over the peaks (D11).
fn recompute<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    n: u64,
    a: &BTreeSet<Addr>,
    indices: &[u64],
    leaves: &[Node],
    items: &BTreeMap<Addr, Node>,
) -> Result<Node, Error> {
    let mut known: BTreeMap<Addr, Node> = indices
        .iter()
        .zip(leaves)
        .map(|(&i, leaf)| (Addr::leaf(i), *leaf))
        .collect();
    let lookup = |known: &BTreeMap<Addr, Node>, x: Addr| -> Result<Node, Error> {
        known
            .get(&x)
            .or_else(|| items.get(&x))
            .copied()
            .ok_or(Error::MissingItem { pos: pos_of(x)? })
    };
    for &x in a.iter().filter(|x| x.row > 0) {
        let (l, r) = addr::children(x).ok_or(Error::NotALeaf { pos: pos_of(x)? })?;
        let node = parent_node(p, pos_of(x)?, &lookup(&known, l)?, &lookup(&known, r)?)?;
        known.insert(x, node);
    }
    let peaks = addr::peaks(n)
        .into_iter()
        .map(|x| lookup(&known, x))
        .collect::<Result<Vec<Node>, Error>>()?;
    bagging::root(p, size, &peaks)
}
