//! Bagging the peaks into the root (SPEC.md D11), the bagging part of a coin proof (D13
//! part 2) and its recomputation by a verifier (D14 rule 6), for every shape of
//! [`Bagging`]. Written once, generically from `Profile::bagging()`, so a new profile only
//! supplies hashes.

use mmr_spec::{
    Bagging, Error, Node, Profile, ProofShape, Side, Step, bag_node, empty_root, flat_root,
    proof_listing, wrapped_root,
};

/// D11: the root of an MMR of valid `size` whose peaks, left to right, are `peaks`: the
/// flat commitment, or the bagged node inside the profile's root template (if it has one);
/// the profile's empty root for no peaks.
pub fn root<P: Profile + ?Sized>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, Error> {
    let folded = match p.bagging() {
        Bagging::Flat => return flat_root(p, size, peaks),
        _ if peaks.is_empty() => return empty_root(p),
        Bagging::FoldRight => fold_right_root(p, size, peaks)?,
        Bagging::FoldLeft => fold_left_root(p, size, peaks)?,
        Bagging::PeakTree => peak_tree_root(p, size, peaks)?,
    };
    Ok(wrapped_root(p, size, folded))
}

/// D11 fold-left: `A_0 = p_0`, `A_j = bag(s, A_{j-1}, p_j)`, the bag `A_{k-1}`; the
/// profile's empty root for no peaks.
fn fold_left_root<P: Profile + ?Sized>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, Error> {
    let Some((first, rest)) = peaks.split_first() else {
        return empty_root(p);
    };
    rest.iter()
        .try_fold(*first, |acc, peak| bag_node(p, size, &acc, peak))
}

/// D11 fold-right: `B_{k-1} = p_{k-1}`, `B_i = bag(s, p_i, B_{i+1})`, root `B_0`; the
/// profile's empty root for no peaks.
fn fold_right_root<P: Profile + ?Sized>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, Error> {
    let Some((last, rest)) = peaks.split_last() else {
        return empty_root(p);
    };
    rest.iter()
        .rev()
        .try_fold(*last, |acc, peak| bag_node(p, size, peak, &acc))
}

/// D11 peak-tree: the last node left after repeatedly replacing the list by the peaks of the
/// MMR built over it; the profile's empty root for no peaks.
fn peak_tree_root<P: Profile + ?Sized>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, Error> {
    if peaks.is_empty() {
        return empty_root(p);
    }
    let (top, _) = peak_tree_walk(peaks.to_vec(), 0, |l: &Node, r: &Node| {
        bag_node(p, size, l, r)
    })?;
    Ok(top)
}

/// One entry of the MMR built in a peak-tree round: its height, its value, and whether the
/// tracked element lies below it.
struct Mountain<T> {
    height: u32,
    item: T,
    tracked: bool,
}

/// One round of D11 peak-tree: builds the MMR whose leaves are `leaves` by D1's append rule
/// (merge the two last mountains while they have equal height), recording the steps of
/// leaf `target`'s path (sibling and side, D13) as merges involve it. Returns the round's
/// peaks, the index of the peak above the target, and the steps.
type Round<T> = (Vec<T>, usize, Vec<(Side, T)>);

fn peak_tree_round<T: Clone>(
    leaves: Vec<T>,
    target: usize,
    merge: &mut impl FnMut(&T, &T) -> Result<T, Error>,
) -> Result<Round<T>, Error> {
    let mut stack: Vec<Mountain<T>> = Vec::new();
    let mut steps = Vec::new();
    for (j, item) in leaves.into_iter().enumerate() {
        let mut cur = Mountain {
            height: 0,
            item,
            tracked: j == target,
        };
        while stack.last().is_some_and(|m| m.height == cur.height) {
            let Some(left) = stack.pop() else { break };
            if left.tracked {
                steps.push((Side::Right, cur.item.clone()));
            } else if cur.tracked {
                steps.push((Side::Left, left.item.clone()));
            }
            cur = Mountain {
                height: cur.height + 1,
                item: merge(&left.item, &cur.item)?,
                tracked: left.tracked || cur.tracked,
            };
        }
        stack.push(cur);
    }
    let at = stack.iter().position(|m| m.tracked).unwrap_or(0);
    Ok((stack.into_iter().map(|m| m.item).collect(), at, steps))
}

/// D11/D13 peak-tree: runs rounds until one node remains; returns it and the full path of
/// element `target` through all rounds. `items` must be non-empty.
fn peak_tree_walk<T: Clone>(
    items: Vec<T>,
    target: usize,
    mut merge: impl FnMut(&T, &T) -> Result<T, Error>,
) -> Result<(T, Vec<(Side, T)>), Error> {
    let (mut list, mut at, mut path) = (items, target, Vec::new());
    while list.len() > 1 {
        let (next, next_at, steps) = peak_tree_round(list, at, &mut merge)?;
        path.extend(steps);
        (list, at) = (next, next_at);
    }
    let top = list.pop().ok_or(Error::EmptyRoot)?;
    Ok((top, path))
}

/// D13 part 2: the sides of the bagging part of a proof for peak `i` of `k` peaks, `shape`
/// being the listing the proof follows (`mmr_spec::proof_listing`: a per-peak proof lists
/// like `Flat`).
pub fn sides(shape: Bagging, k: usize, i: usize) -> Vec<Side> {
    match shape {
        // Every other peak, left to right.
        Bagging::Flat => (0..k).filter(|&j| j != i).map(side_of_peak(i)).collect(),
        // The bag of the peaks to the right (if any), then the peaks to the left.
        Bagging::FoldRight => {
            let right = (i + 1 < k).then_some(Side::Right);
            right
                .into_iter()
                .chain(std::iter::repeat_n(Side::Left, i))
                .collect()
        }
        // The fold of the peaks to the left (if any), then the peaks to the right.
        Bagging::FoldLeft => {
            let left = (i > 0 && i < k).then_some(Side::Left);
            left.into_iter()
                .chain(std::iter::repeat_n(Side::Right, k.saturating_sub(i + 1)))
                .collect()
        }
        // The path through the rounds of peak MMRs, computed on placeholders.
        Bagging::PeakTree => match peak_tree_walk(vec![(); k], i, |_, _| Ok(())) {
            Ok((_, path)) => path.into_iter().map(|(s, ())| s).collect(),
            Err(_) => Vec::new(), // k = 0: no peaks, no path
        },
    }
}

/// Flat bagging: peak j sits on the left of peak i iff j < i.
fn side_of_peak(i: usize) -> impl Fn(usize) -> Side {
    move |j| if j < i { Side::Left } else { Side::Right }
}

/// D13 part 2: the bagging part of the proof for peak `i` of `peaks` in an MMR of `size`.
pub fn path<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    peaks: &[Node],
    i: usize,
) -> Result<Vec<Step>, Error> {
    let step = |(side, node): (Side, Node)| Step { side, node };
    match proof_listing(p) {
        Bagging::Flat => Ok(peaks
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, n)| step((side_of_peak(i)(j), *n)))
            .collect()),
        Bagging::FoldRight => {
            let right = peaks.get(i + 1..).unwrap_or(&[]);
            let left = peaks.get(..i).unwrap_or(&[]);
            let mut out = Vec::new();
            if !right.is_empty() {
                out.push(step((Side::Right, fold_right_root(p, size, right)?)));
            }
            out.extend(left.iter().rev().map(|n| step((Side::Left, *n))));
            Ok(out)
        }
        Bagging::FoldLeft => {
            let left = peaks.get(..i).unwrap_or(&[]);
            let right = peaks.get(i + 1..).unwrap_or(&[]);
            let mut out = Vec::new();
            if !left.is_empty() {
                out.push(step((Side::Left, fold_left_root(p, size, left)?)));
            }
            out.extend(right.iter().map(|n| step((Side::Right, *n))));
            Ok(out)
        }
        Bagging::PeakTree => {
            let (_, walk) = peak_tree_walk(peaks.to_vec(), i, |l: &Node, r: &Node| {
                bag_node(p, size, l, r)
            })?;
            Ok(walk.into_iter().map(step).collect())
        }
    }
}

/// D14 rule 6, bagging part: folds the (already side-checked) bagging steps onto `peak`,
/// the recomputed peak above the leaf, and returns the recomputed root (inside the profile's
/// root template, if it has one).
pub fn fold<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    peak: Node,
    steps: &[Step],
) -> Result<Node, Error> {
    if p.proof_shape() == ProofShape::PerPeak {
        // The peaks are the left steps, the running node, the right steps; D11 bags them.
        let left = steps.iter().filter(|s| s.side == Side::Left);
        let right = steps.iter().filter(|s| s.side == Side::Right);
        let peaks: Vec<Node> = left
            .map(|s| s.node)
            .chain([peak])
            .chain(right.map(|s| s.node))
            .collect();
        return root(p, size, &peaks);
    }
    match p.bagging() {
        // The root over the left steps, the running node, then the right steps.
        Bagging::Flat => {
            let left = steps
                .iter()
                .filter(|s| s.side == Side::Left)
                .map(|s| s.node);
            let right = steps
                .iter()
                .filter(|s| s.side == Side::Right)
                .map(|s| s.node);
            let peaks: Vec<Node> = left.chain([peak]).chain(right).collect();
            flat_root(p, size, &peaks)
        }
        // Each step merges the running node with the sibling on its side.
        Bagging::FoldRight | Bagging::FoldLeft | Bagging::PeakTree => {
            let folded = steps.iter().try_fold(peak, |acc, s| match s.side {
                Side::Left => bag_node(p, size, &s.node, &acc),
                Side::Right => bag_node(p, size, &acc, &s.node),
            })?;
            Ok(wrapped_root(p, size, folded))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d13_bagging_lengths() {
        // Flat: k - 1; fold-right: i + [i < k-1]; peak-tree: the mountain path length in
        // each round, e.g. 3 peaks -> [1, 1, 1] (p0 and p1 pair up, p2 joins their bag).
        for k in 1..40 {
            for i in 0..k {
                assert_eq!(sides(Bagging::Flat, k, i).len(), k - 1);
                assert_eq!(
                    sides(Bagging::FoldRight, k, i).len(),
                    i + usize::from(i + 1 < k)
                );
                // Fold-left mirrors it: [i > 0] + (k - 1 - i), the fold first.
                let fl = sides(Bagging::FoldLeft, k, i);
                assert_eq!(fl.len(), usize::from(i > 0) + (k - 1 - i));
                assert_eq!(fl.first() == Some(&Side::Left), i > 0);
            }
        }
        let pt: Vec<Vec<Side>> = (0..3).map(|i| sides(Bagging::PeakTree, 3, i)).collect();
        assert_eq!(
            pt,
            vec![
                vec![Side::Right, Side::Right],
                vec![Side::Left, Side::Right],
                vec![Side::Left],
            ]
        );
        let four: Vec<usize> = (0..4)
            .map(|i| sides(Bagging::PeakTree, 4, i).len())
            .collect();
        assert_eq!(four, [2, 2, 2, 2]);
        assert!(sides(Bagging::PeakTree, 0, 0).is_empty());
        assert!(sides(Bagging::PeakTree, 1, 0).is_empty());
    }

    #[test]
    fn d13_peak_tree_path_names_the_round_siblings() {
        // With placeholders that concatenate names, the path shows which node is merged.
        let mut merge = |l: &String, r: &String| Ok(format!("({l}{r})"));
        let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let (top, path) = peak_tree_walk(items.clone(), 2, &mut merge).unwrap();
        assert_eq!(top, "((ab)c)");
        assert_eq!(path, vec![(Side::Left, "(ab)".to_string())]);
        let (_, path) = peak_tree_walk(items, 0, &mut merge).unwrap();
        assert_eq!(
            path,
            vec![
                (Side::Right, "b".to_string()),
                (Side::Right, "c".to_string())
            ]
        );
        let five: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (top, _) = peak_tree_walk(five, 0, &mut merge).unwrap();
        assert_eq!(top, "(((ab)(cd))e)");
    }
}
