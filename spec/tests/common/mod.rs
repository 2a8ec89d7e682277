//! A tiny MMR builder on top of the `Profile` trait, for the published-value tests: appends
//! leaves with their parents by the postorder rules (SPEC.md D1, D9), and computes the root
//! by the profile's bagging shape (D11). Written for obviousness, not speed.

#![allow(dead_code)]

use mmr_spec::{
    Bagging, Error, Hash, Node, Profile, bag_node, empty_root, flat_root, leaf_node, parent_node,
};

/// An MMR held in memory: every node by position, and the peaks as (position, height).
pub struct Mmr<'p> {
    pub profile: &'p dyn Profile,
    pub nodes: Vec<Node>,
    peaks: Vec<(u64, u32)>,
}

impl<'p> Mmr<'p> {
    pub fn new(profile: &'p dyn Profile) -> Self {
        Mmr {
            profile,
            nodes: Vec::new(),
            peaks: Vec::new(),
        }
    }

    pub fn size(&self) -> u64 {
        self.nodes.len() as u64
    }

    /// Appends a leaf and every parent it completes (D1); returns the leaf's position.
    pub fn append(&mut self, data: &[u8], value: u64) -> u64 {
        let pos = self.size();
        self.nodes.push(leaf_node(self.profile, pos, data, value));
        let mut cur = (pos, 0u32);
        while let Some(&(lpos, lh)) = self.peaks.last() {
            if lh != cur.1 {
                break;
            }
            self.peaks.pop();
            let p = self.size();
            let node = parent_node(
                self.profile,
                p,
                &self.nodes[lpos as usize],
                &self.nodes[cur.0 as usize],
            )
            .expect("test values do not overflow");
            self.nodes.push(node);
            cur = (p, lh + 1);
        }
        self.peaks.push(cur);
        pos
    }

    pub fn peaks(&self) -> Vec<Node> {
        self.peaks
            .iter()
            .map(|&(p, _)| self.nodes[p as usize])
            .collect()
    }

    /// The root node by the profile's bagging shape (D11).
    pub fn root(&self) -> Result<Node, Error> {
        let size = self.size();
        let peaks = self.peaks();
        match self.profile.bagging() {
            Bagging::Flat => flat_root(self.profile, size, &peaks),
            _ if peaks.is_empty() => empty_root(self.profile),
            Bagging::FoldRight => {
                let mut acc = *peaks.last().expect("non-empty");
                for p in peaks.iter().rev().skip(1) {
                    acc = bag_node(self.profile, size, p, &acc)?;
                }
                Ok(self.wrap(size, acc))
            }
            Bagging::FoldLeft => {
                let mut acc = peaks[0];
                for p in &peaks[1..] {
                    acc = bag_node(self.profile, size, &acc, p)?;
                }
                Ok(self.wrap(size, acc))
            }
            Bagging::PeakTree => {
                let mut level = peaks;
                while level.len() > 1 {
                    let mut stack: Vec<(u32, Node)> = Vec::new();
                    for n in level {
                        let mut cur = (0u32, n);
                        while let Some(&(h, l)) = stack.last() {
                            if h != cur.0 {
                                break;
                            }
                            stack.pop();
                            cur = (h + 1, bag_node(self.profile, size, &l, &cur.1)?);
                        }
                        stack.push(cur);
                    }
                    level = stack.into_iter().map(|(_, n)| n).collect();
                }
                Ok(self.wrap(size, level[0]))
            }
        }
    }

    /// The root template around the bagged peaks, where the profile has one (D11).
    fn wrap(&self, size: u64, folded: Node) -> Node {
        match self.profile.wrap_root(size, &folded) {
            Some(h) => Node::new(h, folded.value),
            None => folded,
        }
    }
}

pub fn hex(s: &str) -> Hash {
    Hash::from_hex(s).expect("64 hex digits")
}

/// The peaks of an MMR of `size` (D6), left to right, as (position, height); written
/// independently of the crate for the tests.
pub fn peak_positions(size: u64) -> Vec<(u64, u32)> {
    let mut peaks = Vec::new();
    let (mut offset, mut left) = (0u64, size);
    let mut h = 63 - size.max(1).leading_zeros();
    loop {
        let tree = (1u64 << (h + 1)) - 1;
        if left >= tree {
            peaks.push((offset + tree - 1, h));
            offset += tree;
            left -= tree;
        }
        if h == 0 {
            break;
        }
        h -= 1;
    }
    peaks
}

/// Folds a fold-right proof (D13: siblings up to the peak, then the bag of the peaks to the
/// right, then the left peaks) from `leaf` at `proof.pos` to the root, with the profile's
/// parent and bag hashes. Panics on a path that does not fit (test inputs are well formed).
pub fn fold_right_proof_root(profile: &dyn Profile, proof: &mmr_spec::Proof, leaf: Node) -> Node {
    let peaks = peak_positions(proof.size);
    let (mut pos, mut h, mut cur) = (proof.pos, 0u32, leaf);
    let mut steps = proof.path.iter();
    while !peaks.iter().any(|&(p, _)| p == pos) {
        let s = steps.next().expect("a sibling below the peak");
        let (l, r, parent) = match s.side {
            mmr_spec::Side::Left => (s.node, cur, pos + 1),
            mmr_spec::Side::Right => (cur, s.node, pos + (2u64 << h)),
        };
        cur = parent_node(profile, parent, &l, &r).expect("no overflow");
        pos = parent;
        h += 1;
    }
    for s in steps {
        cur = match s.side {
            mmr_spec::Side::Left => bag_node(profile, proof.size, &s.node, &cur),
            mmr_spec::Side::Right => bag_node(profile, proof.size, &cur, &s.node),
        }
        .expect("no overflow");
    }
    cur
}
