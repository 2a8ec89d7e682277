//! Pruning (SPEC.md D21-D23): which nodes a compaction drops, the prune list's positions,
//! and the nodes an un-pruning proof restores.

use crate::addr::{self, Addr};
use crate::proof::{Shape, leaf_index};
use mmr_spec::{Error, Node, Profile, Proof, Side, parent_node};
use std::collections::BTreeSet;

/// D21: the nodes droppable as of a state with `n` leaves of which `spent` are spent:
/// `{ p : p not a peak, and no leaf below parent(p) is unspent }`, by (row, entry).
pub(crate) fn droppable(n: u64, spent: &BTreeSet<u64>) -> Vec<Addr> {
    let mut out = Vec::new();
    for row in 0..=addr::MAX_ROW {
        let width = 2u128.pow(row);
        let entries = u128::from(n) / width;
        if entries == 0 {
            break;
        }
        for entry in 0..u64::try_from(entries).unwrap_or(u64::MAX) {
            let a = Addr { row, entry };
            if !addr::is_peak(a, n) && addr::parent(a).is_some_and(|up| all_spent(up, spent)) {
                out.push(a);
            }
        }
    }
    out
}

/// Whether every leaf below `a` is spent (so none is in the leaf set U).
fn all_spent(a: Addr, spent: &BTreeSet<u64>) -> bool {
    let (start, end) = addr::leaf_range(a);
    let (Ok(start), Ok(end)) = (u64::try_from(start), u64::try_from(end)) else {
        return false;
    };
    spent.range(start..end).count() as u64 == end - start
}

/// D23: the nodes a valid proof determines: the leaf, every mountain sibling, and every
/// ancestor of the leaf below its peak, recomputed from the path. The proof must have
/// passed D14 already (so its shape matches `n`).
pub(crate) fn path_nodes<P: Profile + ?Sized>(
    p: &P,
    n: u64,
    proof: &Proof,
    leaf: &Node,
) -> Result<Vec<(Addr, Node)>, Error> {
    let index = leaf_index(proof.pos)?;
    let shape = Shape::new(n, index).ok_or(Error::LeafIndexOutOfRange {
        index,
        leaf_count: n,
    })?;
    let mut out = vec![(Addr::leaf(index), *leaf)];
    let mut running = *leaf;
    for (level, step) in shape.mountain.iter().zip(&proof.path) {
        out.push((level.sibling, step.node));
        let up = addr::parent(level.node).unwrap_or(shape.peak);
        let at = crate::proof::pos_of(up)?;
        running = match step.side {
            Side::Left => parent_node(p, at, &step.node, &running)?,
            Side::Right => parent_node(p, at, &running, &step.node)?,
        };
        if up != shape.peak {
            out.push((up, running));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(v: Vec<Addr>) -> Vec<u64> {
        let mut p: Vec<u64> = v.into_iter().filter_map(addr::position).collect();
        p.sort_unstable();
        p
    }

    #[test]
    fn d21_example_sets() {
        let spent = |s: &[u64]| s.iter().copied().collect::<BTreeSet<u64>>();
        assert_eq!(positions(droppable(4, &spent(&[0, 1]))), [0, 1]);
        assert_eq!(positions(droppable(4, &spent(&[0, 1, 2]))), [0, 1]);
        assert_eq!(
            positions(droppable(4, &spent(&[0, 1, 2, 3]))),
            [0, 1, 2, 3, 4, 5]
        );
        // A spent peak leaf is never dropped (no parent).
        assert!(droppable(3, &spent(&[2])).is_empty());
        assert!(droppable(0, &spent(&[])).is_empty());
    }
}
