//! Between our proof encodings (SPEC.md D13, D15) and ckb's `MerkleProof { mmr_size,
//! proof_items }`.
//!
//! ckb's items carry no positions and no sides: which node an item stands for follows from
//! the leaf positions and the order in which ckb's verifier (`calculate_peaks_hashes`,
//! `calculate_peak_root`) consumes items. [`slots`] replays that order with ckb's own
//! index arithmetic (`helper::get_peaks`, `pos_height_in_tree`, `sibling_offset`,
//! `parent_offset`), so that a size ckb misreads is misread here the same way.

use crate::ckb::helper::{get_peaks, parent_offset, pos_height_in_tree, sibling_offset};
use crate::ckb::{MMRStoreReadOps, Merge};
use crate::glue::{Blake2bMerge, MemStore};
use mmr_spec::{BatchProof, Node, Proof, Side, Step};
use std::collections::{BTreeMap, VecDeque};

/// One item position in ckb's consumption order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The node the item stands for.
    pub pos: u64,
    /// Whether it is a peak with no proven leaf below it (ckb's `gen_proof` bags two or more
    /// trailing ones into one item).
    pub untouched_peak: bool,
}

/// The positions ckb's verifier reads items for, in order, for the proven leaf positions
/// `leaves` (sorted and deduplicated, as ckb's verifier sorts and deduplicates them) in an
/// MMR of `size`, every untouched peak on its own. `None` where ckb's verifier fails
/// before reading items in a meaningful order (a non-leaf, a leaf beyond the last peak).
pub fn slots(size: u64, leaves: &[u64]) -> Option<Vec<Slot>> {
    if leaves.iter().any(|&p| pos_height_in_tree(p) > 0) {
        return None;
    }
    let mut out = Vec::new();
    let mut rest = leaves;
    for peak in get_peaks(size) {
        let n = rest.iter().take_while(|&&p| p <= peak).count();
        let (under, tail) = rest.split_at(n);
        rest = tail;
        if under.is_empty() {
            out.push(Slot {
                pos: peak,
                untouched_peak: true,
            });
        } else if under != [peak] {
            climb(under, peak, &mut out)?;
        }
    }
    rest.is_empty().then_some(out)
}

/// ckb's breadth-first climb of `gen_proof_for_peak` / `calculate_peak_root`: the siblings
/// it reads from the proof, in order.
fn climb(under: &[u64], peak: u64, out: &mut Vec<Slot>) -> Option<()> {
    let mut queue: VecDeque<(u64, u8)> = under.iter().map(|&p| (p, 0)).collect();
    while let Some((pos, height)) = queue.pop_front() {
        if pos == peak {
            return queue.is_empty().then_some(());
        }
        let (sib, parent) = step(pos, height)?;
        if queue.front().map(|&(p, _)| p) == Some(sib.0) {
            queue.pop_front();
        } else {
            out.push(Slot {
                pos: sib.0,
                untouched_peak: false,
            });
        }
        if parent < peak {
            queue.push_back((parent, height.checked_add(1)?));
        } else if parent > peak {
            return None;
        }
    }
    Some(())
}

/// One level up from `pos` at `height`, as ckb computes it: `((sibling, sibling's side),
/// parent)`.
fn step(pos: u64, height: u8) -> Option<((u64, Side), u64)> {
    if height >= 63 {
        return None;
    }
    let next_height = pos_height_in_tree(pos.checked_add(1)?);
    if next_height > height {
        Some((
            (pos.checked_sub(sibling_offset(height))?, Side::Left),
            pos + 1,
        ))
    } else {
        Some((
            (pos.checked_add(sibling_offset(height))?, Side::Right),
            pos.checked_add(parent_offset(height))?,
        ))
    }
}

/// The shape ckb gives a single leaf: its peak's index among `k` peaks, and the mountain
/// siblings' sides, bottom up.
struct Shape {
    peak_index: usize,
    peaks: usize,
    mountain: Vec<Side>,
}

fn shape(size: u64, pos: u64) -> Option<Shape> {
    if pos_height_in_tree(pos) != 0 {
        return None;
    }
    let peaks = get_peaks(size);
    let peak_index = peaks.iter().position(|&p| p >= pos)?;
    let peak = peaks[peak_index];
    let mut mountain = Vec::new();
    let (mut p, mut h) = (pos, 0u8);
    while p != peak {
        let ((_, side), parent) = step(p, h)?;
        mountain.push(side);
        if parent > peak {
            return None;
        }
        p = parent;
        h += 1;
    }
    Some(Shape {
        peak_index,
        peaks: peaks.len(),
        mountain,
    })
}

/// Information of our encoding that ckb's proof does not carry and derives instead, found
/// inconsistent: the proof has no ckb counterpart. Holds the SPEC.md kind of the
/// inconsistency (the rejection is named by the strict verifier first, README.md).
#[derive(Debug, PartialEq, Eq)]
pub struct Unrepresentable(pub &'static str);

/// D13 to ckb's items. For a leaf ckb can place (a leaf position under a peak of the size
/// as ckb reads it), the path is `mountain (bottom up) ++ [(right, bag of the peaks to the
/// right)] ++ [(left, p_{i-1}), ..., (left, p_0)]` and ckb wants `p_0, ..., p_{i-1},
/// mountain, bag`; steps are moved accordingly whatever the path's length (missing steps
/// are simply absent, extra ones follow at the end), and ckb judges the result. Elsewhere
/// the steps go over in their order (ckb rejects the position before reading them).
pub fn d13_to_ckb(proof: &Proof) -> Result<Vec<Node>, Unrepresentable> {
    let Some(s) = shape(proof.size, proof.pos) else {
        return Ok(proof.path.iter().map(|st| st.node).collect());
    };
    let has_bag = s.peak_index + 1 < s.peaks;
    let prescribed = s
        .mountain
        .iter()
        .copied()
        .chain(has_bag.then_some(Side::Right))
        .chain(std::iter::repeat_n(Side::Left, s.peak_index));
    if proof
        .path
        .iter()
        .zip(prescribed)
        .any(|(st, want)| st.side != want)
    {
        // ckb's proof has no sides: it derives each from the positions.
        return Err(Unrepresentable("wrong-side"));
    }
    let path: Vec<Node> = proof.path.iter().map(|st| st.node).collect();
    let (mountain, rest) = path.split_at(s.mountain.len().min(path.len()));
    let (bag, rest) = match rest.split_first() {
        Some((b, r)) if has_bag => (Some(*b), r),
        _ => (None, rest),
    };
    let (lefts, extra) = rest.split_at(s.peak_index.min(rest.len()));
    let mut items: Vec<Node> = lefts.iter().rev().copied().collect();
    items.extend_from_slice(mountain);
    items.extend(bag);
    items.extend_from_slice(extra);
    Ok(items)
}

/// ckb's single-leaf proof (from `gen_proof(vec![pos])`) to D13. `Err` names an
/// inconsistency (an adapter bug, reported as fatal).
pub fn ckb_to_d13(size: u64, pos: u64, items: &[Node]) -> Result<Proof, String> {
    let s = shape(size, pos).ok_or_else(|| format!("no shape for leaf {pos} of size {size}"))?;
    let has_bag = s.peak_index + 1 < s.peaks;
    let want = s.peak_index + s.mountain.len() + usize::from(has_bag);
    // ckb's one special case: the proof of the only leaf of a one-leaf MMR is empty.
    if items.len() != want {
        return Err(format!(
            "ckb gave {} items for leaf {pos} of size {size}, expected {want}",
            items.len()
        ));
    }
    let (lefts, rest) = items.split_at(s.peak_index);
    let (mountain, bag) = rest.split_at(s.mountain.len());
    let mut path: Vec<Step> = s
        .mountain
        .iter()
        .zip(mountain)
        .map(|(&side, &node)| Step { side, node })
        .collect();
    path.extend(bag.iter().map(|&node| Step {
        side: Side::Right,
        node,
    }));
    path.extend(lefts.iter().rev().map(|&node| Step {
        side: Side::Left,
        node,
    }));
    Ok(Proof { size, pos, path })
}

/// ckb's verifier input: the `(position, leaf)` pairs and the proof items.
pub type CkbInput = (Vec<(u64, Node)>, Vec<Node>);

/// D15 to ckb's verifier input: `(leaves, items)`. The leaves are paired with the proof's
/// positions as given (ckb sorts and deduplicates them itself); the items are laid out in
/// ckb's consumption order for those positions ([`slots`], every untouched peak on its
/// own, which ckb's verifier accepts as it accepts their bag), each position taking every
/// item the proof has there, in the proof's order; items at positions ckb reads nothing
/// for follow at the end. Where ckb fails before reading items, they go over as given.
/// `Err` for a supplied-leaf count that differs from the positions' (ckb takes
/// `(position, leaf)` pairs and has no way to receive such a mismatch), and for item
/// positions that decrease (ckb's items carry no positions: their order is ckb's climb,
/// so a reordered item list and the ordered one are the same ckb proof).
pub fn d15_to_ckb(proof: &BatchProof, leaves: &[Node]) -> Result<CkbInput, Unrepresentable> {
    if leaves.len() != proof.leaves.len() {
        return Err(Unrepresentable("leaf-count-mismatch"));
    }
    if proof.items.windows(2).any(|w| w[1].0 < w[0].0) {
        return Err(Unrepresentable("unordered-items"));
    }
    let pairs: Vec<(u64, Node)> = proof
        .leaves
        .iter()
        .copied()
        .zip(leaves.iter().copied())
        .collect();
    let mut view = proof.leaves.clone();
    view.sort_unstable();
    view.dedup();
    let Some(order) = slots(proof.size, &view) else {
        return Ok((pairs, proof.items.iter().map(|&(_, n)| n).collect()));
    };
    let mut at: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (j, (p, _)) in proof.items.iter().enumerate() {
        at.entry(*p).or_default().push(j);
    }
    let mut used = vec![false; proof.items.len()];
    let mut items = Vec::with_capacity(proof.items.len());
    for slot in &order {
        for j in at.remove(&slot.pos).unwrap_or_default() {
            used[j] = true;
            items.push(proof.items[j].1);
        }
    }
    items.extend(
        proof
            .items
            .iter()
            .zip(&used)
            .filter(|&(_, &u)| !u)
            .map(|((_, n), _)| *n),
    );
    Ok((pairs, items))
}

/// ckb's multi-leaf proof (from `gen_proof(positions)`) to D15, for `leaves` sorted and
/// deduplicated as ckb does. ckb's items get their positions from [`slots`]; where ckb
/// bagged two or more trailing untouched peaks into one item, D15 wants the peaks
/// themselves: they are read from ckb's store, after checking that ckb's bag is their bag.
/// `Err` names an inconsistency (an adapter bug, reported as fatal).
pub fn ckb_to_d15(
    size: u64,
    leaves: Vec<u64>,
    items: &[Node],
    store: &MemStore,
) -> Result<BatchProof, String> {
    let order = slots(size, &leaves).ok_or("ckb proved leaves it cannot place")?;
    let trailing = order.iter().rev().take_while(|s| s.untouched_peak).count();
    let read = |pos: u64| -> Result<Node, String> {
        store
            .get_elem(pos)
            .ok()
            .flatten()
            .ok_or_else(|| format!("node {pos} missing from the store"))
    };
    let mut out = Vec::with_capacity(order.len());
    if trailing > 1 {
        let (head, bagged) = order.split_at(order.len() - trailing);
        if items.len() != head.len() + 1 {
            return Err(format!(
                "ckb gave {} items, expected {} and a bag",
                items.len(),
                head.len()
            ));
        }
        out.extend(head.iter().zip(items).map(|(s, n)| (s.pos, *n)));
        let peaks = bagged
            .iter()
            .map(|s| read(s.pos))
            .collect::<Result<Vec<_>, _>>()?;
        let bag = bag_rhs(&peaks)?;
        if Some(&bag) != items.last() {
            return Err("ckb's bag differs from the bag of the peaks it replaces".into());
        }
        out.extend(bagged.iter().zip(peaks).map(|(s, n)| (s.pos, n)));
    } else {
        if items.len() != order.len() {
            return Err(format!(
                "ckb gave {} items, expected {}",
                items.len(),
                order.len()
            ));
        }
        out.extend(order.iter().zip(items).map(|(s, n)| (s.pos, *n)));
    }
    for (pos, node) in &out {
        if read(*pos)? != *node {
            return Err(format!(
                "ckb's item for position {pos} differs from the store"
            ));
        }
    }
    out.sort_by_key(|&(p, _)| p);
    Ok(BatchProof {
        size,
        leaves,
        items: out,
    })
}

/// ckb's `bag_rhs_peaks`: pop the right accumulator and the left peak, push
/// `merge_peaks(right, left)`.
fn bag_rhs(peaks: &[Node]) -> Result<Node, String> {
    let mut v = peaks.to_vec();
    while v.len() > 1 {
        let right = v.pop().ok_or("empty")?;
        let left = v.pop().ok_or("empty")?;
        v.push(Blake2bMerge::merge_peaks(&right, &left).map_err(|e| e.to_string())?);
    }
    v.pop().ok_or_else(|| "no peaks to bag".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_follow_ckb_order() {
        // 7 leaves, size 11, peaks 6, 9, 10. Leaf 0: siblings 1, 5, then peaks 9 and 10.
        let s: Vec<u64> = slots(11, &[0]).unwrap().iter().map(|s| s.pos).collect();
        assert_eq!(s, vec![1, 5, 9, 10]);
        // Leaves 0 and 3 (positions 0, 4): siblings 1, 3, then peaks.
        let s: Vec<u64> = slots(11, &[0, 4]).unwrap().iter().map(|s| s.pos).collect();
        assert_eq!(s, vec![1, 3, 9, 10]);
        // Leaf 4 (position 7): peak 6 first, then sibling 8, then peak 10.
        let s: Vec<u64> = slots(11, &[7]).unwrap().iter().map(|s| s.pos).collect();
        assert_eq!(s, vec![6, 8, 10]);
        assert_eq!(slots(11, &[9]), None);
        assert_eq!(slots(11, &[11]), None);
        assert_eq!(slots(11, &[u64::MAX]), None);
    }

    #[test]
    fn shapes_are_total() {
        for size in [0, 1, 2, 3, 12, 20, u64::MAX - 1, u64::MAX] {
            for pos in [0, 1, 7, 9, 11, u64::MAX - 1, u64::MAX] {
                let _ = shape(size, pos);
                let _ = slots(size, &[pos]);
            }
        }
    }
}
