//! Property tests against a naive model written inside this test: the MMR is rebuilt
//! recursively from its leaves for every state (no postorder arithmetic, no undo records),
//! every committed state is kept as a full copy, and compaction is D21's set definition
//! evaluated literally. Run for all four bagging shapes of D11 with test profiles, one of
//! them with a root template around the bagged peaks.

use mmr_optimized::Optimized;
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, Bagging, Block, BlockOp, Config, Error, ErrorKind, Hash, Node, Profile, Proof, ProofDb,
    Side, Step, leaf_node, parent_node,
};
use sha3::{Digest, Sha3_256};
use std::collections::BTreeSet;

/// A test profile: the default leaf and parent hashes, and a bag hash of its own.
#[derive(Debug, Clone, Copy)]
struct TestProfile {
    bagging: Bagging,
    empty: Option<Hash>,
    /// A root template around the bagged peaks: `sha3(0x04 || u64be(size) || folded)`.
    wrap: bool,
    /// Per-peak proofs (D13): every other peak on its own.
    per_peak: bool,
}

impl Profile for TestProfile {
    fn name(&self) -> &'static str {
        "test"
    }
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        DEFAULT.leaf_hash(pos, data, value)
    }
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        DEFAULT.parent_hash(pos, left, right, sum)
    }
    fn bagging(&self) -> Bagging {
        self.bagging
    }
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        let mut h = Sha3_256::new();
        h.update([3u8]);
        h.update(size.to_be_bytes());
        h.update(sum.to_be_bytes());
        h.update(left.hash.0);
        h.update(right.hash.0);
        Hash(h.finalize().into())
    }
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        DEFAULT.commit_hash(size, total, peaks)
    }
    fn empty_root(&self) -> Option<Hash> {
        self.empty
    }
    fn proof_shape(&self) -> mmr_spec::ProofShape {
        if self.per_peak {
            mmr_spec::ProofShape::PerPeak
        } else {
            mmr_spec::ProofShape::Bagged
        }
    }
    fn wrap_root(&self, size: u64, folded: &Node) -> Option<Hash> {
        self.wrap.then(|| {
            let mut h = Sha3_256::new();
            h.update([4u8]);
            h.update(size.to_be_bytes());
            h.update(folded.hash.0);
            Hash(h.finalize().into())
        })
    }
}

const PROFILES: [TestProfile; 7] = [
    TestProfile {
        bagging: Bagging::Flat,
        empty: None,
        wrap: false,
        per_peak: false,
    },
    TestProfile {
        bagging: Bagging::FoldRight,
        empty: Some(Hash([7; 32])),
        wrap: false,
        per_peak: false,
    },
    TestProfile {
        bagging: Bagging::PeakTree,
        empty: Some(Hash([9; 32])),
        wrap: false,
        per_peak: false,
    },
    TestProfile {
        bagging: Bagging::FoldLeft,
        empty: Some(Hash([5; 32])),
        wrap: true,
        per_peak: false,
    },
    TestProfile {
        bagging: Bagging::FoldRight,
        empty: Some(Hash([3; 32])),
        wrap: true,
        per_peak: false,
    },
    TestProfile {
        bagging: Bagging::FoldRight,
        empty: Some(Hash([2; 32])),
        wrap: false,
        per_peak: true,
    },
    TestProfile {
        bagging: Bagging::FoldLeft,
        empty: Some(Hash([1; 32])),
        wrap: true,
        per_peak: true,
    },
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

// ----- the naive model -----

#[derive(Clone, Debug, PartialEq)]
struct MLeaf {
    data: Vec<u8>,
    value: u64,
    unspent: bool,
}

/// Every node of an MMR built recursively from its leaves.
struct Tree {
    nodes: Vec<Node>,
    parent: Vec<Option<u64>>,
    children: Vec<Option<(u64, u64)>>,
    /// Leaf index range [lo, hi) below each node.
    range: Vec<(u64, u64)>,
    leaf_pos: Vec<u64>,
    peaks: Vec<u64>,
}

fn build<P: Profile>(p: &P, leaves: &[MLeaf]) -> Tree {
    let n = leaves.len() as u64;
    let size = (2 * n - u64::from(n.count_ones())) as usize;
    let mut t = Tree {
        nodes: vec![Node::default(); size],
        parent: vec![None; size],
        children: vec![None; size],
        range: vec![(0, 0); size],
        leaf_pos: vec![0; leaves.len()],
        peaks: vec![],
    };
    fn rec<P: Profile>(p: &P, t: &mut Tree, leaves: &[MLeaf], lo: u64, h: u32, base: u64) -> u64 {
        if h == 0 {
            let l = &leaves[lo as usize];
            t.nodes[base as usize] = leaf_node(p, base, &l.data, l.value);
            t.range[base as usize] = (lo, lo + 1);
            t.leaf_pos[lo as usize] = base;
            return base;
        }
        let half = 1u64 << (h - 1);
        let l = rec(p, t, leaves, lo, h - 1, base);
        let r = rec(p, t, leaves, lo + half, h - 1, base + (1 << h) - 1);
        let pos = base + (2 << h) - 2;
        t.nodes[pos as usize] =
            parent_node(p, pos, &t.nodes[l as usize], &t.nodes[r as usize]).unwrap();
        t.parent[l as usize] = Some(pos);
        t.parent[r as usize] = Some(pos);
        t.children[pos as usize] = Some((l, r));
        t.range[pos as usize] = (lo, lo + 2 * half);
        pos
    }
    let (mut base, mut lo) = (0u64, 0u64);
    for h in (0..64u32).rev() {
        if (n >> h) & 1 == 1 {
            let root = rec(p, &mut t, leaves, lo, h, base);
            t.peaks.push(root);
            base += (2 << h) - 1;
            lo += 1 << h;
        }
    }
    t
}

fn bag<P: Profile>(p: &P, size: u64, l: &Node, r: &Node) -> Node {
    let s = l.value + r.value;
    Node::new(p.bag_hash(size, l, r, s), s)
}

/// Peak-tree: root of a perfect tree of peaks by halving.
fn half_tree<P: Profile>(p: &P, size: u64, xs: &[Node]) -> Node {
    if xs.len() == 1 {
        return xs[0];
    }
    let m = xs.len() / 2;
    bag(
        p,
        size,
        &half_tree(p, size, &xs[..m]),
        &half_tree(p, size, &xs[m..]),
    )
}

/// The power-of-two chunks of a list, largest first.
fn chunks(k: usize) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut off = 0;
    for h in (0..usize::BITS).rev() {
        if (k >> h) & 1 == 1 {
            out.push((off, 1 << h));
            off += 1 << h;
        }
    }
    out
}

fn model_root<P: Profile>(p: &P, size: u64, peaks: &[Node]) -> Result<Node, ErrorKind> {
    match p.bagging() {
        Bagging::Flat => {
            let total: u64 = peaks.iter().map(|n| n.value).sum();
            Ok(Node::new(p.commit_hash(size, total, peaks), total))
        }
        _ if peaks.is_empty() => p
            .empty_root()
            .map(|h| Node::new(h, 0))
            .ok_or(ErrorKind::EmptyRoot),
        _ => {
            let folded = model_fold(p, size, peaks);
            Ok(match p.wrap_root(size, &folded) {
                Some(h) => Node::new(h, folded.value),
                None => folded,
            })
        }
    }
}

/// The bagged node of non-flat baggings over a non-empty list, recursively.
fn model_fold<P: Profile>(p: &P, size: u64, peaks: &[Node]) -> Node {
    match p.bagging() {
        Bagging::Flat => unreachable!("flat has no fold"),
        Bagging::FoldRight => {
            if peaks.len() == 1 {
                peaks[0]
            } else {
                bag(p, size, &peaks[0], &model_fold(p, size, &peaks[1..]))
            }
        }
        Bagging::FoldLeft => {
            let n = peaks.len();
            if n == 1 {
                peaks[0]
            } else {
                bag(
                    p,
                    size,
                    &model_fold(p, size, &peaks[..n - 1]),
                    &peaks[n - 1],
                )
            }
        }
        Bagging::PeakTree => {
            let mut level = peaks.to_vec();
            while level.len() > 1 {
                level = chunks(level.len())
                    .into_iter()
                    .map(|(o, w)| half_tree(p, size, &level[o..o + w]))
                    .collect();
            }
            level[0]
        }
    }
}

/// Peak-tree path of element i in a perfect tree xs, bottom up.
fn half_path<P: Profile>(p: &P, size: u64, xs: &[Node], i: usize, out: &mut Vec<Step>) {
    if xs.len() == 1 {
        return;
    }
    let m = xs.len() / 2;
    if i < m {
        half_path(p, size, &xs[..m], i, out);
        out.push(Step {
            side: Side::Right,
            node: half_tree(p, size, &xs[m..]),
        });
    } else {
        half_path(p, size, &xs[m..], i - m, out);
        out.push(Step {
            side: Side::Left,
            node: half_tree(p, size, &xs[..m]),
        });
    }
}

fn model_proof<P: Profile>(p: &P, t: &Tree, index: u64) -> Proof {
    let size = t.nodes.len() as u64;
    let pos = t.leaf_pos[index as usize];
    let mut path = vec![];
    let mut cur = pos;
    while let Some(par) = t.parent[cur as usize] {
        let (l, r) = t.children[par as usize].unwrap();
        if cur == l {
            path.push(Step {
                side: Side::Right,
                node: t.nodes[r as usize],
            });
        } else {
            path.push(Step {
                side: Side::Left,
                node: t.nodes[l as usize],
            });
        }
        cur = par;
    }
    let peaks: Vec<Node> = t.peaks.iter().map(|&q| t.nodes[q as usize]).collect();
    let i = t.peaks.iter().position(|&q| q == cur).unwrap();
    let listing = if p.proof_shape() == mmr_spec::ProofShape::PerPeak {
        Bagging::Flat
    } else {
        p.bagging()
    };
    match listing {
        Bagging::Flat => {
            for (j, pk) in peaks.iter().enumerate() {
                if j != i {
                    let side = if j < i { Side::Left } else { Side::Right };
                    path.push(Step { side, node: *pk });
                }
            }
        }
        Bagging::FoldRight => {
            if i + 1 < peaks.len() {
                path.push(Step {
                    side: Side::Right,
                    node: model_fold(p, size, &peaks[i + 1..]),
                });
            }
            for j in (0..i).rev() {
                path.push(Step {
                    side: Side::Left,
                    node: peaks[j],
                });
            }
        }
        Bagging::FoldLeft => {
            if i > 0 {
                path.push(Step {
                    side: Side::Left,
                    node: model_fold(p, size, &peaks[..i]),
                });
            }
            for pk in &peaks[i + 1..] {
                path.push(Step {
                    side: Side::Right,
                    node: *pk,
                });
            }
        }
        Bagging::PeakTree => {
            let mut level = peaks.clone();
            let mut idx = i;
            while level.len() > 1 {
                let cs = chunks(level.len());
                let (t_no, &(o, w)) = cs
                    .iter()
                    .enumerate()
                    .find(|(_, (o, w))| idx >= *o && idx < o + w)
                    .unwrap();
                half_path(p, size, &level[o..o + w], idx - o, &mut path);
                level = cs
                    .iter()
                    .map(|&(o, w)| half_tree(p, size, &level[o..o + w]))
                    .collect();
                idx = t_no;
            }
        }
    }
    Proof { size, pos, path }
}

/// D21 literally: p < s, not a peak, no unspent leaf below parent(p).
fn model_dropped(t: &Tree, leaves: &[MLeaf]) -> BTreeSet<u64> {
    let mut out = BTreeSet::new();
    for p in 0..t.nodes.len() {
        if let Some(par) = t.parent[p] {
            let (lo, hi) = t.range[par as usize];
            if !(lo..hi).any(|i| leaves[i as usize].unspent) {
                out.insert(p as u64);
            }
        }
    }
    out
}

/// D15 canonical items, from the parent/child pointers.
fn model_items(t: &Tree, indices: &[u64]) -> Vec<u64> {
    let mut a = BTreeSet::new();
    for &i in indices {
        let mut cur = t.leaf_pos[i as usize];
        a.insert(cur);
        while let Some(par) = t.parent[cur as usize] {
            a.insert(par);
            cur = par;
        }
    }
    let mut items = BTreeSet::new();
    for &x in &a {
        if let Some(par) = t.parent[x as usize] {
            let (l, r) = t.children[par as usize].unwrap();
            let sib = if l == x { r } else { l };
            if !a.contains(&sib) {
                items.insert(sib);
            }
        }
    }
    for &pk in &t.peaks {
        if !a.contains(&pk) {
            items.insert(pk);
        }
    }
    items.into_iter().collect()
}

struct Model {
    work: Vec<MLeaf>,
    history: Vec<Vec<MLeaf>>,
    oldest: u64,
    horizon: u64,
    horizon_leaves: u64,
    dropped: BTreeSet<u64>,
    retain: u64,
}

impl Model {
    fn height(&self) -> u64 {
        self.history.len() as u64 - 1
    }
    fn check_leaf(&self, i: u64) -> Result<(), ErrorKind> {
        let n = self.work.len() as u64;
        if i >= n {
            return Err(ErrorKind::LeafIndexOutOfRange);
        }
        let pos = 2 * i - u64::from(i.count_ones());
        if self.dropped.contains(&pos) {
            return Err(ErrorKind::Pruned);
        }
        if !self.work[i as usize].unspent {
            return Err(ErrorKind::LeafSpent);
        }
        Ok(())
    }
    fn op(&mut self, op: &BlockOp) -> Result<(), ErrorKind> {
        match op {
            BlockOp::Append { data, value } => self.work.push(MLeaf {
                data: data.clone(),
                value: *value,
                unspent: true,
            }),
            BlockOp::Update { index, data, value } => {
                self.check_leaf(*index)?;
                let l = &mut self.work[*index as usize];
                l.data = data.clone();
                l.value = *value;
            }
            BlockOp::Spend { index, data } => {
                self.check_leaf(*index)?;
                let l = &mut self.work[*index as usize];
                l.data = data.clone();
                l.value = 0;
                l.unspent = false;
            }
        }
        Ok(())
    }
    fn commit(&mut self) {
        self.history.push(self.work.clone());
        let h = self.height();
        self.oldest = self.oldest.max(h.saturating_sub(self.retain));
    }
    fn retained(&self, h: u64) -> Result<(), ErrorKind> {
        if h > self.height() {
            return Err(ErrorKind::FutureHeight);
        }
        if h < self.oldest {
            return Err(ErrorKind::NotRetained);
        }
        Ok(())
    }
    fn rewind(&mut self, h: u64) -> Result<(), ErrorKind> {
        if h > self.height() {
            return Err(ErrorKind::FutureHeight);
        }
        if h < self.horizon {
            return Err(ErrorKind::BelowHorizon);
        }
        if h < self.oldest {
            return Err(ErrorKind::NotRetained);
        }
        self.history.truncate(h as usize + 1);
        self.work = self.history[h as usize].clone();
        Ok(())
    }
    fn compact<P: Profile>(&mut self, p: &P, h: u64) -> Result<u64, ErrorKind> {
        self.rewind_checks(h)?;
        let st = &self.history[h as usize];
        let t = build(p, st);
        let before = self.dropped.len();
        self.dropped.extend(model_dropped(&t, st));
        self.horizon = h;
        self.horizon_leaves = st.len() as u64;
        self.oldest = self.oldest.max(h);
        Ok((self.dropped.len() - before) as u64)
    }
    fn rewind_checks(&self, h: u64) -> Result<(), ErrorKind> {
        if h > self.height() {
            return Err(ErrorKind::FutureHeight);
        }
        if h < self.horizon {
            return Err(ErrorKind::BelowHorizon);
        }
        if h < self.oldest {
            return Err(ErrorKind::NotRetained);
        }
        Ok(())
    }
}

fn kind<T>(r: Result<T, Error>) -> Result<T, ErrorKind> {
    r.map_err(|e| e.kind())
}

fn leaf_set_bytes(leaves: &[MLeaf]) -> Vec<u8> {
    mmr_spec::encode_leaf_set(
        leaves.len() as u64,
        leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| l.unspent)
            .map(|(i, _)| i as u64),
    )
}

/// Compares every observable of one state.
fn check_state<P: Profile>(
    p: &P,
    db: &Optimized<P>,
    m: &Model,
    at: At,
    leaves: &[MLeaf],
    rng: &mut Rng,
) {
    let t = build(p, leaves);
    let size = t.nodes.len() as u64;
    let peaks: Vec<Node> = t.peaks.iter().map(|&q| t.nodes[q as usize]).collect();
    let root = model_root(p, size, &peaks);
    match kind(db.state(at)) {
        Ok(st) => {
            assert_eq!(st.size, size);
            assert_eq!(st.leaf_count, leaves.len() as u64);
            assert_eq!(st.peaks, peaks);
            assert_eq!(Ok(st.root), root, "{at:?}");
        }
        Err(k) => assert_eq!(Err(k), root.map(|_| ())),
    }
    for pos in 0..size + 1 {
        let got = kind(db.node(at, pos));
        let want = if pos >= size {
            Err(ErrorKind::PositionOutOfRange)
        } else if m.dropped.contains(&pos) {
            Err(ErrorKind::Pruned)
        } else {
            Ok(t.nodes[pos as usize])
        };
        assert_eq!(got, want, "node {pos} at {at:?}");
    }
    assert_eq!(db.leaf_set(at).unwrap(), leaf_set_bytes(leaves));
    for i in 0..leaves.len() as u64 + 1 {
        let got = kind(db.is_unspent(at, i));
        let want = leaves
            .get(i as usize)
            .map(|l| l.unspent)
            .ok_or(ErrorKind::LeafIndexOutOfRange);
        assert_eq!(got, want);
        let got = kind(db.prove(at, i));
        if i >= leaves.len() as u64 {
            assert_eq!(got.unwrap_err(), ErrorKind::LeafIndexOutOfRange);
            continue;
        }
        let pos = t.leaf_pos[i as usize];
        let mut first_dropped = None;
        if m.dropped.contains(&pos) {
            first_dropped = Some(pos);
        } else {
            let mut cur = pos;
            while let Some(par) = t.parent[cur as usize] {
                let (l, r) = t.children[par as usize].unwrap();
                let sib = if l == cur { r } else { l };
                if m.dropped.contains(&sib) {
                    first_dropped = Some(sib);
                    break;
                }
                cur = par;
            }
        }
        match first_dropped {
            Some(d) => assert_eq!(db.prove(at, i).unwrap_err(), Error::Pruned { pos: d }),
            None => {
                let want = model_proof(p, &t, i);
                let proof = got.unwrap();
                assert_eq!(proof, want, "proof of {i} at {at:?}");
                let root = root.unwrap();
                let leaf = t.nodes[pos as usize];
                db.verify_node(&root, &proof, &leaf).unwrap();
                tamper(db, &root, &proof, &leaf, rng);
            }
        }
    }
    // A random batch.
    if !leaves.is_empty() {
        let k = 1 + rng.below(leaves.len() as u64);
        let idx: Vec<u64> = (0..k).map(|_| rng.below(leaves.len() as u64)).collect();
        let mut uniq = idx.clone();
        uniq.sort_unstable();
        uniq.dedup();
        let got = kind(db.prove_batch(at, &idx));
        if uniq.len() != idx.len() {
            assert_eq!(got.unwrap_err(), ErrorKind::DuplicateLeaf);
        } else {
            let items = model_items(&t, &uniq);
            let lowest_dropped = uniq
                .iter()
                .map(|&i| t.leaf_pos[i as usize])
                .chain(items.iter().copied())
                .filter(|q| m.dropped.contains(q))
                .min();
            match lowest_dropped {
                Some(d) => assert_eq!(
                    db.prove_batch(at, &idx).unwrap_err(),
                    Error::Pruned { pos: d }
                ),
                None => {
                    let bp = got.unwrap();
                    assert_eq!(bp.items.iter().map(|e| e.0).collect::<Vec<_>>(), items);
                    for (q, nd) in &bp.items {
                        assert_eq!(*nd, t.nodes[*q as usize]);
                    }
                    let lv: Vec<Node> = bp.leaves.iter().map(|&q| t.nodes[q as usize]).collect();
                    let root = root.unwrap();
                    db.verify_batch_nodes(&root, &bp, &lv).unwrap();
                    batch_tamper(db, &root, &bp, &lv);
                }
            }
        }
    }
}

fn tamper<P: Profile>(db: &Optimized<P>, root: &Node, proof: &Proof, leaf: &Node, rng: &mut Rng) {
    let v = |p: &Proof, l: &Node| kind(db.verify_node(root, p, l));
    let mut bad = proof.clone();
    bad.size += 1;
    assert!(v(&bad, leaf).is_err());
    let mut bad = proof.clone();
    bad.pos += 1;
    assert!(v(&bad, leaf).is_err());
    let mut bad = proof.clone();
    bad.path.push(Step {
        side: Side::Left,
        node: *leaf,
    });
    assert_eq!(v(&bad, leaf), Err(ErrorKind::PathLength));
    if !proof.path.is_empty() {
        let j = rng.below(proof.path.len() as u64) as usize;
        let mut bad = proof.clone();
        bad.path[j].side = match bad.path[j].side {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        };
        assert_eq!(v(&bad, leaf), Err(ErrorKind::WrongSide));
        let mut bad = proof.clone();
        bad.path[j].node.hash.0[0] ^= 1;
        assert_eq!(v(&bad, leaf), Err(ErrorKind::RootMismatch));
        let mut bad = proof.clone();
        bad.path[j].node.value += 1;
        assert_eq!(v(&bad, leaf), Err(ErrorKind::SumMismatch));
        let mut bad = proof.clone();
        bad.path[j].node.value = u64::MAX;
        assert!(matches!(
            v(&bad, leaf),
            Err(ErrorKind::ValueOverflow) | Err(ErrorKind::SumMismatch)
        ));
    }
    let mut bad_leaf = *leaf;
    bad_leaf.hash.0[31] ^= 1;
    assert_eq!(v(proof, &bad_leaf), Err(ErrorKind::RootMismatch));
}

fn batch_tamper<P: Profile>(
    db: &Optimized<P>,
    root: &Node,
    bp: &mmr_spec::BatchProof,
    lv: &[Node],
) {
    let v = |b: &mmr_spec::BatchProof, l: &[Node]| kind(db.verify_batch_nodes(root, b, l));
    assert_eq!(v(bp, &lv[1..]), Err(ErrorKind::LeafCountMismatch));
    if let Some(first) = bp.items.first() {
        let mut bad = bp.clone();
        bad.items.push(*first);
        assert!(matches!(
            v(&bad, lv),
            Err(ErrorKind::DuplicateItem) | Err(ErrorKind::UnorderedItems)
        ));
        let mut bad = bp.clone();
        bad.items.remove(0);
        assert_eq!(v(&bad, lv), Err(ErrorKind::MissingItem));
        let mut bad = bp.clone();
        bad.items[0].1.hash.0[0] ^= 1;
        assert_eq!(v(&bad, lv), Err(ErrorKind::RootMismatch));
    }
    let mut bad = bp.clone();
    bad.leaves.push(*bp.leaves.last().unwrap());
    let mut lv2 = lv.to_vec();
    lv2.push(lv[0]);
    assert_eq!(v(&bad, &lv2), Err(ErrorKind::DuplicateLeaf));
    let mut bad = bp.clone();
    bad.size += 1;
    assert!(v(&bad, lv).is_err());
}

fn random_op(rng: &mut Rng, n: u64) -> BlockOp {
    let data = vec![rng.below(256) as u8; rng.below(3) as usize];
    match rng.below(4) {
        0 | 1 => BlockOp::Append {
            data,
            value: rng.below(100),
        },
        2 => BlockOp::Update {
            index: rng.below(n + 1),
            data,
            value: rng.below(100),
        },
        _ => BlockOp::Spend {
            index: rng.below(n + 1),
            data,
        },
    }
}

fn run(p: TestProfile, seed: u64, steps: usize, retain: u64) {
    let mut rng = Rng(seed);
    let mut db = Optimized::with_profile(p, Config { retain });
    let mut m = Model {
        work: vec![],
        history: vec![vec![]],
        oldest: 0,
        horizon: 0,
        horizon_leaves: 0,
        dropped: BTreeSet::new(),
        retain,
    };
    for _ in 0..steps {
        let n = m.work.len() as u64;
        match rng.below(10) {
            0..=3 => {
                let op = random_op(&mut rng, n);
                let got = kind(match &op {
                    BlockOp::Append { data, value } => db.append(data, *value).map(|_| ()),
                    BlockOp::Update { index, data, value } => db.update(*index, data, *value),
                    BlockOp::Spend { index, data } => db.spend(*index, data),
                });
                assert_eq!(got, m.op(&op), "{op:?}");
            }
            4 | 5 => {
                let root_ok = model_root(&p, 0, &[]).is_ok() || !m.work.is_empty();
                let got = kind(db.commit());
                if root_ok {
                    got.unwrap();
                    m.commit();
                } else {
                    assert_eq!(got.unwrap_err(), ErrorKind::EmptyRoot);
                }
            }
            6 => {
                let ops: Vec<BlockOp> = (0..1 + rng.below(4))
                    .map(|_| random_op(&mut rng, n + 2))
                    .collect();
                let saved = m.work.clone();
                let mut want = Ok(());
                for (j, op) in ops.iter().enumerate() {
                    if let Err(k) = m.op(op) {
                        want = Err((j as u64, k));
                        break;
                    }
                }
                let got = db.apply_block(&Block { ops: ops.clone() });
                match want {
                    Ok(()) => {
                        if model_root(&p, 0, &[]).is_err() && m.work.is_empty() {
                            assert!(got.is_err());
                            m.work = saved;
                        } else {
                            got.unwrap();
                            m.commit();
                        }
                    }
                    Err((j, k)) => {
                        m.work = saved;
                        match got.unwrap_err() {
                            Error::InBlock { op, error } => {
                                assert_eq!((op, error.kind()), (j, k), "{ops:?}")
                            }
                            e => panic!("{e}"),
                        }
                    }
                }
            }
            7 => {
                let h = rng.below(m.height() + 2);
                assert_eq!(kind(db.rewind(h)), m.rewind(h), "rewind {h}");
            }
            8 => {
                let h = rng.below(m.height() + 2);
                let got = kind(db.compact(h)).map(|r| r.dropped);
                assert_eq!(got, m.compact(&p, h), "compact {h}");
            }
            _ => {
                // A read at a random height, including out of range ones.
                let h = rng.below(m.height() + 2);
                let got = kind(db.state(At::Block(h))).map(|_| ());
                let want = m.retained(h).and_then(|_| {
                    let st = &m.history[h as usize];
                    let t = build(&p, st);
                    let pk: Vec<Node> = t.peaks.iter().map(|&q| t.nodes[q as usize]).collect();
                    model_root(&p, t.nodes.len() as u64, &pk).map(|_| ())
                });
                assert_eq!(got, want);
            }
        }
        // Every observable of the working state and of every retained state.
        assert_eq!(db.height(), m.height());
        assert_eq!(db.oldest(), m.oldest);
        assert_eq!(db.horizon(), m.horizon);
        assert_eq!(
            db.prune_list(),
            mmr_spec::encode_prune_list(m.horizon_leaves, m.dropped.iter().copied())
        );
        let work = m.work.clone();
        check_state(&p, &db, &m, At::Current, &work, &mut rng);
        for h in m.oldest..=m.height() {
            let st = m.history[h as usize].clone();
            check_state(&p, &db, &m, At::Block(h), &st, &mut rng);
        }
        for h in 0..m.height() + 2 {
            let got = kind(db.mmr_set(h));
            if h > m.height() {
                assert_eq!(got.unwrap_err(), ErrorKind::FutureHeight);
            } else if h <= m.oldest {
                assert_eq!(got.unwrap_err(), ErrorKind::NotRetained);
            } else {
                let set = got.unwrap();
                let (a, b) = (&m.history[h as usize - 1], &m.history[h as usize]);
                let (ta, tb) = (build(&p, a), build(&p, b));
                let want: Vec<(u64, Node)> = (0..tb.nodes.len())
                    .filter(|&q| q >= ta.nodes.len() || ta.nodes[q] != tb.nodes[q])
                    .map(|q| (q as u64, tb.nodes[q]))
                    .collect();
                assert_eq!(set.nodes, want, "mmr set {h}");
                assert_eq!(
                    (set.prev_size, set.size),
                    (ta.nodes.len() as u64, tb.nodes.len() as u64)
                );
            }
        }
    }
}

#[test]
fn flat_profile_matches_model() {
    for seed in 1..=6u64 {
        run(PROFILES[0], seed * 7919, 45, 1 + seed % 4);
    }
}

#[test]
fn fold_right_profile_matches_model() {
    for seed in 1..=4u64 {
        run(PROFILES[1], seed * 104729, 45, 1 + seed % 4);
    }
}

#[test]
fn peak_tree_profile_matches_model() {
    for seed in 1..=4u64 {
        run(PROFILES[2], seed * 15485863, 45, 1 + seed % 4);
    }
}

#[test]
fn fold_left_profile_with_root_template_matches_model() {
    for seed in 1..=4u64 {
        run(PROFILES[3], seed * 2_147_483_647, 45, 1 + seed % 4);
    }
}

#[test]
fn fold_right_profile_with_root_template_matches_model() {
    for seed in 1..=3u64 {
        run(PROFILES[4], seed * 999_983, 45, 1 + seed % 4);
    }
}

#[test]
fn per_peak_proof_profiles_match_model() {
    for seed in 1..=3u64 {
        run(PROFILES[5], seed * 7_368_787, 45, 1 + seed % 4);
        run(PROFILES[6], seed * 1_299_709, 45, 1 + seed % 4);
    }
}

#[test]
fn default_profile_matches_model() {
    // The default profile's hashes with its defined empty root.
    let p = TestProfile {
        bagging: Bagging::Flat,
        empty: DEFAULT.empty_root(),
        wrap: false,
        per_peak: false,
    };
    run(p, 42, 50, 16);
}
