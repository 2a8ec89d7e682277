//! The four bagging shapes of SPEC.md D11 (flat, fold-right, fold-left, peak-tree) and the
//! root template around the bagged peaks: the root over the
//! peaks, the bagging part of a coin proof (D13), the sides a verifier demands of it and its
//! recomputation (D14.5, D14.6). Generic over the profile, so each shape is monomorphized.

use mmr_spec::{
    Bagging, Error, Node, Profile, ProofShape, Side, Step, bag_node, empty_root, flat_root,
    proof_listing, wrapped_root,
};

/// At most 63 peaks (D6); one spare slot.
pub(crate) const MAX_PEAKS: usize = 64;

/// A fixed-capacity list of nodes (peaks), kept on the stack.
#[derive(Clone, Copy)]
pub(crate) struct PeakBuf {
    nodes: [Node; MAX_PEAKS],
    len: usize,
}

impl PeakBuf {
    pub(crate) const fn new() -> Self {
        PeakBuf {
            nodes: [Node::new(mmr_spec::Hash::ZERO, 0); MAX_PEAKS],
            len: 0,
        }
    }

    /// Appends a node; ignored when full (no valid MMR has more than 63 peaks).
    #[inline]
    pub(crate) fn push(&mut self, n: Node) {
        if let Some(slot) = self.nodes.get_mut(self.len) {
            *slot = n;
            self.len += 1;
        }
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[Node] {
        &self.nodes[..self.len]
    }
}

/// D11: the root of an MMR of `size` whose peaks are `peaks`, left to right.
pub(crate) fn root<P: Profile + ?Sized>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, Error> {
    let folded = match p.bagging() {
        Bagging::Flat => return flat_root(p, size, peaks),
        Bagging::FoldRight => match peaks.split_last() {
            None => return empty_root(p),
            Some((last, rest)) => fold_right(p, size, rest, *last)?,
        },
        Bagging::FoldLeft => match peaks.split_first() {
            None => return empty_root(p),
            Some((first, rest)) => fold_left(p, size, *first, rest)?,
        },
        Bagging::PeakTree => {
            if peaks.is_empty() {
                return empty_root(p);
            }
            let mut level = peaks.to_vec();
            while level.len() > 1 {
                level = peak_tree_level(p, size, &level, None)?.0;
            }
            level[0]
        }
    };
    Ok(wrapped_root(p, size, folded))
}

/// D11 fold-left: `bag(... bag(bag(acc, p_1), p_2) ..., p_{k-1})` with `acc` the first node
/// and `right` the rest.
fn fold_left<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    mut acc: Node,
    right: &[Node],
) -> Result<Node, Error> {
    for pk in right {
        acc = bag_node(p, size, &acc, pk)?;
    }
    Ok(acc)
}

/// D11 fold-right: `bag(p_0, bag(p_1, ... bag(p_{k-2}, acc)))` with `acc` the last node.
fn fold_right<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    left: &[Node],
    mut acc: Node,
) -> Result<Node, Error> {
    for pk in left.iter().rev() {
        acc = bag_node(p, size, pk, &acc)?;
    }
    Ok(acc)
}

/// One level of D11's peak-tree: the peaks of the MMR whose leaves are `level` (merged with
/// the profile's bag, not re-hashed). If `track = Some((i, path))`, the siblings of node `i`
/// on its way to its peak are appended to `path` and the index of that peak in the next
/// level is returned.
fn peak_tree_level<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    level: &[Node],
    mut track: Option<(usize, &mut Vec<Step>)>,
) -> Result<(Vec<Node>, usize), Error> {
    let k = level.len();
    let mut next = Vec::with_capacity(k.count_ones() as usize);
    let mut next_idx = 0;
    let mut off = 0usize;
    let mut scratch: Vec<Node> = Vec::new();
    for h in (0..usize::BITS).rev() {
        if (k >> h) & 1 == 0 {
            continue;
        }
        let width = 1usize << h;
        scratch.clear();
        scratch.extend_from_slice(&level[off..off + width]);
        let mut local = match &track {
            Some((i, _)) if *i >= off && *i < off + width => {
                next_idx = next.len();
                Some(*i - off)
            }
            _ => None,
        };
        let mut w = width;
        while w > 1 {
            if let (Some(l), Some((_, path))) = (local, track.as_mut()) {
                let (side, sib) = if l & 1 == 0 {
                    (Side::Right, scratch[l + 1])
                } else {
                    (Side::Left, scratch[l - 1])
                };
                path.push(Step { side, node: sib });
                local = Some(l >> 1);
            }
            for j in 0..w / 2 {
                scratch[j] = bag_node(p, size, &scratch[2 * j], &scratch[2 * j + 1])?;
            }
            w /= 2;
        }
        next.push(scratch[0]);
        off += width;
    }
    Ok((next, next_idx))
}

/// D13 bagging part for peak `i` of `peaks` (appended to `path`).
pub(crate) fn bag_path<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    peaks: &[Node],
    i: usize,
    path: &mut Vec<Step>,
) -> Result<(), Error> {
    let k = peaks.len();
    match proof_listing(p) {
        Bagging::Flat => {
            for (j, pk) in peaks.iter().enumerate() {
                if j != i {
                    let side = if j < i { Side::Left } else { Side::Right };
                    path.push(Step { side, node: *pk });
                }
            }
        }
        Bagging::FoldRight => {
            if i + 1 < k {
                let b = fold_right(p, size, &peaks[i + 1..k - 1], peaks[k - 1])?;
                path.push(Step {
                    side: Side::Right,
                    node: b,
                });
            }
            for pk in peaks[..i].iter().rev() {
                path.push(Step {
                    side: Side::Left,
                    node: *pk,
                });
            }
        }
        Bagging::FoldLeft => {
            if i > 0 && i < k {
                let a = fold_left(p, size, peaks[0], &peaks[1..i])?;
                path.push(Step {
                    side: Side::Left,
                    node: a,
                });
            }
            for pk in peaks.get(i + 1..).unwrap_or(&[]) {
                path.push(Step {
                    side: Side::Right,
                    node: *pk,
                });
            }
        }
        Bagging::PeakTree => {
            let mut level = peaks.to_vec();
            let mut idx = i;
            while level.len() > 1 {
                let (next, ni) = peak_tree_level(p, size, &level, Some((idx, &mut *path)))?;
                level = next;
                idx = ni;
            }
        }
    }
    Ok(())
}

/// The sides D13 prescribes for the bagging part of peak `i` of `k` peaks, in order;
/// `bagging` is the listing the proof follows (`mmr_spec::proof_listing`).
pub(crate) fn bag_sides(bagging: Bagging, k: u64, i: u64) -> BagSides {
    BagSides {
        bagging,
        k,
        i,
        step: 0,
        local: 0,
        tree_h: 0,
        level_k: k,
        level_i: i,
        started: false,
    }
}

/// Iterator over the sides of a bagging part (see [`bag_sides`]). No allocation.
pub(crate) struct BagSides {
    bagging: Bagging,
    k: u64,
    i: u64,
    step: u64,
    // peak-tree state: position within the current perfect tree, its height, the current
    // level's node count and the node's index in it.
    local: u64,
    tree_h: u32,
    level_k: u64,
    level_i: u64,
    started: bool,
}

impl BagSides {
    /// Sets up the perfect tree of the current peak-tree level holding `level_i`.
    fn enter_level(&mut self) {
        let mut off = 0u64;
        let mut trees = 0u64;
        for h in (0..64u32).rev() {
            if (self.level_k >> h) & 1 == 0 {
                continue;
            }
            let w = 1u64 << h;
            if self.level_i < off + w {
                self.local = self.level_i - off;
                self.tree_h = h;
                self.step = 0;
                self.level_i = trees;
                self.level_k = u64::from(self.level_k.count_ones());
                return;
            }
            off += w;
            trees += 1;
        }
        self.tree_h = 0;
        self.level_k = 1;
    }
}

impl Iterator for BagSides {
    type Item = Side;

    fn next(&mut self) -> Option<Side> {
        match self.bagging {
            Bagging::Flat => {
                let len = self.k.saturating_sub(1);
                if self.step >= len {
                    return None;
                }
                let s = if self.step < self.i {
                    Side::Left
                } else {
                    Side::Right
                };
                self.step += 1;
                Some(s)
            }
            Bagging::FoldRight => {
                let has_right = self.i + 1 < self.k;
                let len = self.i + u64::from(has_right);
                if self.step >= len {
                    return None;
                }
                let s = if has_right && self.step == 0 {
                    Side::Right
                } else {
                    Side::Left
                };
                self.step += 1;
                Some(s)
            }
            Bagging::FoldLeft => {
                let has_left = self.i > 0 && self.i < self.k;
                let len = u64::from(has_left) + self.k.saturating_sub(self.i + 1);
                if self.step >= len {
                    return None;
                }
                let s = if has_left && self.step == 0 {
                    Side::Left
                } else {
                    Side::Right
                };
                self.step += 1;
                Some(s)
            }
            Bagging::PeakTree => loop {
                if !self.started {
                    self.started = true;
                    if self.level_k <= 1 {
                        return None;
                    }
                    self.enter_level();
                }
                if u64::from(self.tree_h) > self.step {
                    let s = if (self.local >> self.step) & 1 == 0 {
                        Side::Right
                    } else {
                        Side::Left
                    };
                    self.step += 1;
                    return Some(s);
                }
                if self.level_k <= 1 {
                    return None;
                }
                self.enter_level();
            },
        }
    }
}

/// D14.6, bagging part: folds the (side-checked) bagging steps onto the running peak node
/// `peak`, the peak of index `i`.
pub(crate) fn fold<P: Profile + ?Sized>(
    p: &P,
    size: u64,
    peak: Node,
    i: usize,
    steps: &[Step],
) -> Result<Node, Error> {
    match proof_listing(p) {
        Bagging::Flat => {
            let mut buf = PeakBuf::new();
            for s in &steps[..i.min(steps.len())] {
                buf.push(s.node);
            }
            buf.push(peak);
            for s in steps.get(i..).unwrap_or(&[]) {
                buf.push(s.node);
            }
            // Per-peak proofs of another bagging: D11 bags the listed peaks.
            if p.proof_shape() == ProofShape::PerPeak {
                return root(p, size, buf.as_slice());
            }
            flat_root(p, size, buf.as_slice())
        }
        Bagging::FoldRight | Bagging::FoldLeft | Bagging::PeakTree => {
            let mut acc = peak;
            for s in steps {
                acc = match s.side {
                    Side::Left => bag_node(p, size, &s.node, &acc)?,
                    Side::Right => bag_node(p, size, &acc, &s.node)?,
                };
            }
            Ok(wrapped_root(p, size, acc))
        }
    }
}
