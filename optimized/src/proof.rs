//! Coin proofs (SPEC.md D13) and their verification (D14), generic over the profile.

use crate::bagging;
use crate::index;
use mmr_spec::{Error, Node, Profile, Proof, Side, Step, parent_node};

/// The leaf's place in an MMR: everything D13 fixes from `(size, pos)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LeafPlace {
    /// Leaf index (D3).
    pub index: u64,
    /// Leaf count of the size (D4).
    pub leaves: u64,
    /// Height of the leaf's peak = length of the mountain part (D13.1).
    pub peak_height: u32,
    /// Index of the leaf's peak among the peaks, 0 = leftmost (D6).
    pub peak_index: u64,
    /// Number of peaks (D6).
    pub peaks: u64,
}

impl LeafPlace {
    /// For leaf `index < leaves` (other inputs give a place with no mountain and no
    /// bagging, never a panic).
    #[inline]
    pub(crate) const fn new(leaves: u64, index: u64) -> LeafPlace {
        let (h, i) = match index::leaf_peak(leaves, index) {
            Some(x) => x,
            None => (0, 0),
        };
        LeafPlace {
            index,
            leaves,
            peak_height: h,
            peak_index: i as u64,
            peaks: leaves.count_ones() as u64,
        }
    }
}

/// D14 checks 1-3: the place of `proof.pos` in an MMR of `proof.size`.
pub(crate) fn place(size: u64, pos: u64) -> Result<LeafPlace, Error> {
    let leaves = index::leaves_for_size(size).ok_or(Error::InvalidSize { size })?;
    let li = index::pos_to_leaf(pos).ok_or(Error::NotALeaf { pos })?;
    if li >= leaves {
        return Err(Error::LeafIndexOutOfRange {
            index: li,
            leaf_count: leaves,
        });
    }
    Ok(LeafPlace::new(leaves, li))
}

/// The positions of the mountain siblings of leaf `index` at `pos`, bottom up, with the side
/// each sits on (D7, D13.1): at height h the node is a left child iff bit h of the index is 0.
#[inline]
pub(crate) fn mountain(
    pos: u64,
    index: u64,
    peak_height: u32,
) -> impl Iterator<Item = (u64, Side)> + Clone {
    let mut p = pos;
    (0..peak_height).map(move |h| {
        let d = (2u64 << h) - 1; // node count of a perfect tree of height h
        if (index >> h) & 1 == 0 {
            let sib = p + d;
            p = sib + 1;
            (sib, Side::Right)
        } else {
            let sib = p - d;
            p += 1;
            (sib, Side::Left)
        }
    })
}

/// D14: verifies `proof` for the leaf node `leaf` against the trusted `root`. Returns the
/// nodes on the leaf's path below its peak, bottom up, if `path_out` is given (D23 needs them).
pub(crate) fn verify_with<P: Profile + ?Sized>(
    p: &P,
    root: &Node,
    proof: &Proof,
    leaf: &Node,
    mut path_out: Option<&mut Vec<(u64, Node)>>,
) -> Result<(), Error> {
    let pl = place(proof.size, proof.pos)?;
    let h = pl.peak_height as usize;
    // D14.4: the length D13 prescribes.
    let bag_len = bagging::bag_sides(mmr_spec::proof_listing(p), pl.peaks, pl.peak_index).count();
    let expected = h + bag_len;
    if proof.path.len() != expected {
        return Err(Error::PathLength {
            expected: expected as u64,
            got: proof.path.len() as u64,
        });
    }
    // D14.5: every side as prescribed.
    let mountain_sides = (0..h).map(|j| {
        if (pl.index >> j) & 1 == 0 {
            Side::Right
        } else {
            Side::Left
        }
    });
    let sides = mountain_sides.chain(bagging::bag_sides(
        mmr_spec::proof_listing(p),
        pl.peaks,
        pl.peak_index,
    ));
    for (j, (want, step)) in sides.zip(&proof.path).enumerate() {
        if step.side != want {
            return Err(Error::WrongSide {
                step: j as u64,
                expected: want,
            });
        }
    }
    // D14.6: recompute.
    let mut cur = *leaf;
    let mut pos = proof.pos;
    for (j, step) in proof.path[..h].iter().enumerate() {
        let (l, r, parent) = match step.side {
            Side::Right => (&cur, &step.node, pos + (2u64 << j)),
            Side::Left => (&step.node, &cur, pos + 1),
        };
        cur = parent_node(p, parent, l, r)?;
        pos = parent;
        if let Some(out) = path_out.as_deref_mut() {
            out.push((pos, cur));
        }
    }
    let computed = bagging::fold(p, proof.size, cur, pl.peak_index as usize, &proof.path[h..])?;
    // D14.7
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

/// D14: verifies a coin proof for the leaf node `leaf` against the trusted `root` under
/// profile `p`. The checks run in the order of D14 and the first failure is returned.
///
/// ```
/// use mmr_optimized::{verify_proof, Optimized};
/// use mmr_spec::{At, ProofDb, leaf_node, profiles::DEFAULT};
/// let mut db = Optimized::new(Default::default());
/// for i in 0..7u8 { db.append(&[i], u64::from(i) + 1).unwrap(); }
/// let proof = db.prove(At::Current, 4).unwrap();
/// let root = db.root(At::Current).unwrap();
/// let leaf = leaf_node(&DEFAULT, proof.pos, &[4], 5);
/// assert_eq!(verify_proof(&DEFAULT, &root, &proof, &leaf), Ok(()));
/// ```
pub fn verify_proof<P: Profile + ?Sized>(
    p: &P,
    root: &Node,
    proof: &Proof,
    leaf: &Node,
) -> Result<(), Error> {
    verify_with(p, root, proof, leaf, None)
}

/// Appends the mountain steps for the siblings read by `read` (D13.1).
pub(crate) fn mountain_steps(
    pos: u64,
    pl: &LeafPlace,
    path: &mut Vec<Step>,
    mut read: impl FnMut(u64) -> Result<Node, Error>,
) -> Result<(), Error> {
    for (sib, side) in mountain(pos, pl.index, pl.peak_height) {
        path.push(Step {
            side,
            node: read(sib)?,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_height_and_index() {
        // 7 leaves (0b111): leaf 4 is under the peak of height 1 (index 1 of 3 peaks).
        let pl = LeafPlace::new(7, 4);
        assert_eq!((pl.peak_height, pl.peak_index, pl.peaks), (1, 1, 3));
        let pl = LeafPlace::new(7, 6);
        assert_eq!((pl.peak_height, pl.peak_index), (0, 2));
        let pl = LeafPlace::new(1 << 63, (1 << 63) - 1);
        assert_eq!((pl.peak_height, pl.peak_index, pl.peaks), (63, 0, 1));
    }

    #[test]
    fn mountain_positions() {
        // Leaf 4 of 7 at position 7: sibling 8 on the right (D13 example).
        let v: Vec<_> = mountain(7, 4, 1).collect();
        assert_eq!(v, vec![(8, Side::Right)]);
        // Leaf 3 at position 4 in 4 leaves: siblings 3 (left) and 2 (left).
        let v: Vec<_> = mountain(4, 3, 2).collect();
        assert_eq!(v, vec![(3, Side::Left), (2, Side::Left)]);
        // The last leaf of the largest MMR: no overflow.
        let top = mountain(u64::MAX - 64, (1 << 63) - 1, 63).last();
        assert_eq!(top, Some(((u64::MAX - 1) - (1 << 63), Side::Left)));
    }
}
