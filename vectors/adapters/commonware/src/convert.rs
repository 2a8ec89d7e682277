//! commonware-storage's single-element `Proof` and D13 (SPEC.md D13), both ways, without
//! loss. For a leaf in peak i of k peaks, mountain height h, commonware lists (with no
//! inactive peaks, `src/merkle/proof.rs`, `Blueprint::build_proof`):
//!
//! - ForwardFold: the fold of the peaks before (if i > 0), the peaks after one by one, then
//!   the h siblings in left-first DFS order, i.e. in increasing position;
//! - BackwardFold: the peaks before one by one, the fold of the peaks after (if i < k - 1),
//!   then the siblings likewise.
//!
//! D13 lists the siblings bottom up, then the bagging part: fold-left (ForwardFold) the
//! fold of the peaks before, then the peaks after, nearest first (commonware's order);
//! fold-right (BackwardFold) the bag of the peaks after, then the peaks before, nearest
//! first (commonware's order reversed). Siblings in increasing position are the left-side
//! ones top down, then the right-side ones bottom up.

use commonware_cryptography::sha256::Digest;
use commonware_storage::merkle::{Bagging, Family as _};
use commonware_storage::mmr::{Family, Location, Position};
use mmr_adapter_protocol::Fail;
use mmr_spec::{Hash, Node, Proof, Side, Step};

/// commonware's proof of one element.
pub type CwProof = commonware_storage::mmr::Proof<Digest>;

/// The D13 sides of a proof of leaf `index` among `leaves`, and the mountain height (the
/// mountain part is the first `h` sides); `None` for an index out of range.
fn layout(leaves: u64, index: u64, bagging: Bagging) -> Option<(Vec<Side>, usize)> {
    if index >= leaves {
        return None;
    }
    let size = Position::try_from(Location::new(leaves)).ok()?;
    let peaks: Vec<u32> = Family::peaks(size).map(|(_, h)| h).collect();
    let k = peaks.len();
    let (mut start, mut i) = (0u64, None);
    for (j, &h) in peaks.iter().enumerate() {
        let width = 1u64.checked_shl(h)?;
        if index < start + width {
            i = Some(j);
            break;
        }
        start += width;
    }
    let i = i?;
    let h = peaks[i] as usize;
    let offset = index - start;
    let mut sides: Vec<Side> = (0..h)
        .map(|j| {
            if (offset >> j) & 1 == 0 {
                Side::Right
            } else {
                Side::Left
            }
        })
        .collect();
    match bagging {
        Bagging::ForwardFold => {
            if i > 0 {
                sides.push(Side::Left);
            }
            sides.extend(std::iter::repeat_n(Side::Right, k - 1 - i));
        }
        Bagging::BackwardFold => {
            if i + 1 < k {
                sides.push(Side::Right);
            }
            sides.extend(std::iter::repeat_n(Side::Left, i));
        }
    }
    Some((sides, h))
}

/// commonware's proof of element `index` as D13.
pub fn to_d13(proof: &CwProof, index: u64, bagging: Bagging) -> Result<Proof, String> {
    let leaves = *proof.leaves;
    let (sides, h) = layout(leaves, index, bagging)
        .ok_or_else(|| format!("no D13 layout for element {index} of {leaves}"))?;
    if proof.inactive_peaks != 0 || proof.digests.len() != sides.len() {
        return Err(format!(
            "commonware proof of {} digests ({} inactive peaks) for a D13 path of {}",
            proof.digests.len(),
            proof.inactive_peaks,
            sides.len()
        ));
    }
    let bag_len = sides.len() - h;
    let (bag, siblings) = proof.digests.split_at(bag_len);
    let lefts = sides[..h].iter().filter(|s| **s == Side::Left).count();
    let mut left_top_down = siblings[..lefts].iter().rev();
    let mut right_bottom_up = siblings[lefts..].iter();
    let mut nodes: Vec<&Digest> = Vec::with_capacity(sides.len());
    for side in &sides[..h] {
        let next = match side {
            Side::Left => left_top_down.next(),
            Side::Right => right_bottom_up.next(),
        };
        nodes.extend(next);
    }
    match bagging {
        Bagging::ForwardFold => nodes.extend(bag.iter()),
        Bagging::BackwardFold => nodes.extend(bag.iter().rev()),
    }
    let size = *Position::try_from(Location::new(leaves)).map_err(|e| e.to_string())?;
    let pos = *Position::try_from(Location::new(index)).map_err(|e| e.to_string())?;
    let path = sides
        .iter()
        .zip(nodes)
        .map(|(side, d)| Step {
            side: *side,
            node: Node::new(Hash(d.0), 0),
        })
        .collect();
    Ok(Proof { size, pos, path })
}

/// A D13 proof as commonware's, with the element's location; a proof commonware cannot
/// hold (an invalid size, a position that is no leaf of it, another length or other sides
/// than D13 prescribes) is rejected here, since the honest proof converts.
pub fn from_d13(proof: &Proof, bagging: Bagging) -> Result<(CwProof, Location), Fail> {
    let rejected = Fail::Kind("rejected");
    let size = Position::new(proof.size);
    if !size.is_valid_size() {
        return Err(rejected);
    }
    let leaves = *Location::try_from(size).map_err(|_| Fail::Kind("rejected"))?;
    let index =
        *Location::try_from(Position::new(proof.pos)).map_err(|_| Fail::Kind("rejected"))?;
    let (sides, h) = layout(leaves, index, bagging).ok_or(Fail::Kind("rejected"))?;
    if proof.path.len() != sides.len()
        || proof
            .path
            .iter()
            .zip(&sides)
            .any(|(s, want)| s.side != *want)
    {
        return Err(rejected);
    }
    let (mountain, bag) = proof.path.split_at(h);
    let digest = |s: &Step| Digest(s.node.hash.0);
    let mut digests: Vec<Digest> = Vec::with_capacity(proof.path.len());
    match bagging {
        Bagging::ForwardFold => digests.extend(bag.iter().map(digest)),
        Bagging::BackwardFold => digests.extend(bag.iter().rev().map(digest)),
    }
    digests.extend(
        mountain
            .iter()
            .rev()
            .filter(|s| s.side == Side::Left)
            .map(digest),
    );
    digests.extend(
        mountain
            .iter()
            .filter(|s| s.side == Side::Right)
            .map(digest),
    );
    Ok((
        CwProof {
            leaves: Location::new(leaves),
            inactive_peaks: 0,
            digests,
        },
        Location::new(index),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_cryptography::Sha256;
    use commonware_storage::mmr::StandardHasher;
    use commonware_storage::mmr::mem::Mmr;

    /// Every element of MMRs of 1..=20 elements, both baggings: commonware's proof converts
    /// to D13 and back to the same digests, D13's sides are the ones its layout prescribes,
    /// and a D13 path with one side flipped or one step dropped has no commonware form.
    #[test]
    fn conversion_round_trips_and_refuses_other_shapes() {
        for bagging in [Bagging::ForwardFold, Bagging::BackwardFold] {
            let hasher = StandardHasher::<Sha256>::new(bagging);
            let mut mmr: Mmr<Digest> = Mmr::new();
            for n in 1..=20u64 {
                let batch = mmr
                    .new_batch()
                    .add(&hasher, &[n as u8])
                    .merkleize(&mmr, &hasher);
                mmr.apply_batch(&batch).unwrap();
                for index in 0..n {
                    let theirs = mmr.proof(&hasher, Location::new(index), 0).unwrap();
                    let ours = to_d13(&theirs, index, bagging).unwrap();
                    let (back, loc) = from_d13(&ours, bagging).unwrap();
                    assert_eq!((back.digests, *loc), (theirs.digests.clone(), index));
                    let root = mmr.root(&hasher, 0).unwrap();
                    let (cw, loc) = from_d13(&ours, bagging).unwrap();
                    assert!(cw.verify_element_inclusion(&hasher, &[index as u8 + 1], loc, &root));
                    if let Some(first) = ours.path.first() {
                        let mut flipped = ours.clone();
                        flipped.path[0].side = match first.side {
                            Side::Left => Side::Right,
                            Side::Right => Side::Left,
                        };
                        assert!(from_d13(&flipped, bagging).is_err());
                        let mut short = ours.clone();
                        short.path.pop();
                        assert!(from_d13(&short, bagging).is_err());
                    }
                }
            }
        }
    }
}
