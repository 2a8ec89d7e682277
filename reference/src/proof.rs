//! Coin proofs: their shape (D13), building them (D13) and verifying them (D14).

use crate::addr::{self, Addr};
use crate::bagging;
use mmr_spec::{Bagging, Error, Node, Profile, Proof, Side, Step, parent_node};

/// The position of an address of a valid MMR. Every address this crate converts lies in
/// D8's domain, so the error (naming u64::MAX, which is no position) is never returned.
pub(crate) fn pos_of(a: Addr) -> Result<u64, Error> {
    addr::position(a).ok_or(Error::PositionOutOfRange {
        pos: u64::MAX,
        size: u64::MAX,
    })
}

/// D14 rule 2 (and D3): the leaf index of a leaf position, else `not-a-leaf`.
pub(crate) fn leaf_index(pos: u64) -> Result<u64, Error> {
    match addr::addr_of(pos) {
        Some(Addr { row: 0, entry }) => Ok(entry),
        _ => Err(Error::NotALeaf { pos }),
    }
}

/// One level of a leaf's mountain path (D13 part 1): the node on the path, its sibling,
/// and the side the sibling sits on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Level {
    /// The node on the path (the leaf at level 0).
    pub node: Addr,
    /// Its sibling, the proof step's node.
    pub sibling: Addr,
    /// The sibling's side: a left child's sibling is on the right.
    pub side: Side,
}

/// Where a leaf sits in an MMR: the data D13 derives a proof's shape from.
#[derive(Clone, Debug)]
pub(crate) struct Shape {
    /// The leaf's peak (D6).
    pub peak: Addr,
    /// The index of the leaf's peak among the peaks.
    pub peak_index: usize,
    /// The number of peaks.
    pub peak_count: usize,
    /// D13 part 1: the levels from the leaf up to (not including) its peak.
    pub mountain: Vec<Level>,
}

impl Shape {
    /// The shape of leaf `index` in an MMR of `n` leaves, `None` if index >= n.
    pub fn new(n: u64, index: u64) -> Option<Shape> {
        let (peak_index, peak) = addr::peak_of_leaf(n, index)?;
        let mountain = (0..peak.row)
            .map(|r| {
                let node = Addr {
                    row: r,
                    entry: index / 2u64.pow(r),
                };
                let side = if addr::is_left(node) {
                    Side::Right
                } else {
                    Side::Left
                };
                Level {
                    node,
                    sibling: addr::sibling(node),
                    side,
                }
            })
            .collect();
        Some(Shape {
            peak,
            peak_index,
            peak_count: addr::peaks(n).len(),
            mountain,
        })
    }

    /// D13: every step's prescribed side: the mountain part, then the bagging part.
    pub fn sides(&self, shape: Bagging) -> Vec<Side> {
        let mountain = self.mountain.iter().map(|l| l.side);
        mountain
            .chain(bagging::sides(shape, self.peak_count, self.peak_index))
            .collect()
    }
}

/// D13: the proof of leaf `index` of an MMR of `size` (`n` leaves) with these peaks.
/// `node` fetches a stored node; it is asked for the leaf first and then for the siblings
/// bottom up, so its first failure names the position D19 requires.
pub(crate) fn build<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    n: u64,
    index: u64,
    peaks: &[Node],
    mut node: impl FnMut(Addr) -> Result<Node, Error>,
) -> Result<Proof, Error> {
    let shape = Shape::new(n, index).ok_or(Error::LeafIndexOutOfRange {
        index,
        leaf_count: n,
    })?;
    node(Addr::leaf(index))?;
    let mut path = Vec::new();
    for level in &shape.mountain {
        let sibling = node(level.sibling)?;
        path.push(Step {
            side: level.side,
            node: sibling,
        });
    }
    path.extend(bagging::path(p, size, peaks, shape.peak_index)?);
    Ok(Proof {
        size,
        pos: pos_of(Addr::leaf(index))?,
        path,
    })
}

/// D14: verifies `proof` for the leaf node `leaf` against the trusted `root`, running the
/// seven rules in order; the first failure is the result.
pub fn verify<P: Profile + ?Sized>(
    p: &P,
    root: &Node,
    proof: &Proof,
    leaf: &Node,
) -> Result<(), Error> {
    let shape = check_shape(mmr_spec::proof_listing(p), proof)?;
    let computed = recompute(p, proof, &shape, leaf)?;
    compare_root(root, &computed)
}

/// D14 rules 1-5: the size, the position, the index, the path length and the sides.
fn check_shape(bagging: Bagging, proof: &Proof) -> Result<Shape, Error> {
    // Rule 1: a valid size.
    let n = addr::leaf_count(proof.size).ok_or(Error::InvalidSize { size: proof.size })?;
    // Rule 2: a leaf position.
    let index = leaf_index(proof.pos)?;
    // Rule 3: the index below the leaf count (never wrapped).
    let shape = Shape::new(n, index).ok_or(Error::LeafIndexOutOfRange {
        index,
        leaf_count: n,
    })?;
    // Rule 4: exactly D13's length.
    let sides = shape.sides(bagging);
    if proof.path.len() != sides.len() {
        return Err(Error::PathLength {
            expected: sides.len() as u64,
            got: proof.path.len() as u64,
        });
    }
    // Rule 5: every side as D13 prescribes.
    for (step, (got, expected)) in proof.path.iter().zip(&sides).enumerate() {
        if got.side != *expected {
            return Err(Error::WrongSide {
                step: step as u64,
                expected: *expected,
            });
        }
    }
    Ok(shape)
}

/// D14 rule 6: the root recomputed from the leaf and the path (`value-overflow` on a sum
/// above u64::MAX).
fn recompute<P: Profile + ?Sized>(
    p: &P,
    proof: &Proof,
    shape: &Shape,
    leaf: &Node,
) -> Result<Node, Error> {
    let (mountain, bag) =
        proof
            .path
            .split_at_checked(shape.mountain.len())
            .ok_or(Error::PathLength {
                expected: shape.mountain.len() as u64,
                got: proof.path.len() as u64,
            })?;
    let mut running = *leaf;
    for (level, step) in shape.mountain.iter().zip(mountain) {
        let at = pos_of(addr::parent(level.node).unwrap_or(shape.peak))?;
        running = match step.side {
            Side::Left => parent_node(p, at, &step.node, &running)?,
            Side::Right => parent_node(p, at, &running, &step.node)?,
        };
    }
    bagging::fold(p, proof.size, running, bag)
}

/// D14 rule 7 (and D15 rule 7, D24 step 6): value first (`sum-mismatch`), then hash
/// (`root-mismatch`).
pub(crate) fn compare_root(root: &Node, computed: &Node) -> Result<(), Error> {
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
