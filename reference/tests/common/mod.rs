//! Helpers shared by the integration tests: hex constants, small test profiles with the
//! non-flat bagging shapes of D11, and a full snapshot of a database's observable state.
#![allow(dead_code)] // each test binary uses a different subset

use mmr_reference::Reference;
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, Bagging, BatchProof, Config, Error, Hash, MmrSet, Node, Profile, Proof, ProofDb, StateInfo,
};
use sha3::{Digest, Sha3_256};

/// A hash from 64 hex digits (test constants).
pub fn h(hex: &str) -> Hash {
    Hash::from_hex(hex).expect("test constant is 64 hex digits")
}

/// A node from a hex hash and a value.
pub fn n(hex: &str, value: u64) -> Node {
    Node::new(h(hex), value)
}

/// A test profile. With `fast: false` it hashes like the default profile (SHA3-256) and
/// bags with `SHA3(0x03 || u64be(size) || u64be(sum) || left || right)` (the function
/// spec/examples/default_profile.py uses for its test-bagging values). With `fast: true`
/// every hash is a cheap non-cryptographic 256-bit mix of the same inputs: SHA3 costs about
/// 50 µs per hash in a debug build, too slow for the exhaustive and 100k-leaf tests, which
/// exercise the algorithms, not the hash.
#[derive(Clone, Copy, Debug)]
pub struct TestProfile {
    pub bagging: Bagging,
    pub empty: Option<Hash>,
    pub fast: bool,
}

pub const FOLD_RIGHT: TestProfile = TestProfile {
    bagging: Bagging::FoldRight,
    empty: Some(Hash([0; 32])),
    fast: false,
};
pub const FOLD_LEFT: TestProfile = TestProfile {
    bagging: Bagging::FoldLeft,
    empty: Some(Hash([0; 32])),
    fast: false,
};
pub const PEAK_TREE: TestProfile = TestProfile {
    bagging: Bagging::PeakTree,
    empty: Some(Hash([0; 32])),
    fast: false,
};
/// Fold-right without an empty root (like ckb): the empty MMR has no root.
pub const NO_EMPTY: TestProfile = TestProfile {
    bagging: Bagging::FoldRight,
    empty: None,
    fast: false,
};
pub const FAST_FLAT: TestProfile = TestProfile {
    bagging: Bagging::Flat,
    empty: None,
    fast: true,
};
pub const FAST_FOLD_RIGHT: TestProfile = TestProfile {
    bagging: Bagging::FoldRight,
    empty: Some(Hash([7; 32])),
    fast: true,
};
pub const FAST_PEAK_TREE: TestProfile = TestProfile {
    bagging: Bagging::PeakTree,
    empty: Some(Hash([9; 32])),
    fast: true,
};

/// The test bagging step, written out independently of any code under test.
pub fn test_bag(size: u64, l: &Node, r: &Node) -> Node {
    let sum = l.value + r.value;
    let mut d = Sha3_256::new();
    d.update([3u8]);
    d.update(size.to_be_bytes());
    d.update(sum.to_be_bytes());
    d.update(l.hash.0);
    d.update(r.hash.0);
    Node::new(Hash(d.finalize().into()), sum)
}

/// A cheap 256-bit mix (splitmix64 steps over every input byte group); any change of any
/// input changes the output with overwhelming probability, which is all the tamper tests
/// need.
pub fn mix(tag: u8, words: &[u64], bytes: &[u8]) -> Hash {
    fn step(x: u64) -> u64 {
        let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let mut st = step(u64::from(tag) ^ (bytes.len() as u64) << 8);
    for w in words {
        st = step(st ^ w);
    }
    for c in bytes.chunks(8) {
        let mut b = [0u8; 8];
        b[..c.len()].copy_from_slice(c);
        st = step(st ^ u64::from_le_bytes(b));
    }
    let mut out = [0u8; 32];
    for lane in out.chunks_mut(8) {
        st = step(st);
        lane.copy_from_slice(&st.to_le_bytes());
    }
    Hash(out)
}

fn words(h: &Hash) -> [u64; 4] {
    let mut w = [0u64; 4];
    for (k, c) in h.0.chunks(8).enumerate() {
        w[k] = u64::from_le_bytes(c.try_into().unwrap());
    }
    w
}

impl Profile for TestProfile {
    fn name(&self) -> &'static str {
        "test"
    }
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        if self.fast {
            return mix(0, &[pos, value], data);
        }
        DEFAULT.leaf_hash(pos, data, value)
    }
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        if self.fast {
            let (l, r) = (words(&left.hash), words(&right.hash));
            return mix(
                1,
                &[pos, sum, l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3]],
                &[],
            );
        }
        DEFAULT.parent_hash(pos, left, right, sum)
    }
    fn bagging(&self) -> Bagging {
        self.bagging
    }
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        if self.fast {
            let (l, r) = (words(&left.hash), words(&right.hash));
            return mix(
                3,
                &[size, sum, l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3]],
                &[],
            );
        }
        test_bag(size, left, right).hash
    }
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        if self.fast {
            let mut w = vec![size, total];
            peaks.iter().for_each(|p| w.extend(words(&p.hash)));
            return mix(2, &w, &[]);
        }
        DEFAULT.commit_hash(size, total, peaks)
    }
    fn empty_root(&self) -> Option<Hash> {
        if self.fast && self.bagging == Bagging::Flat {
            return Some(self.commit_hash(0, 0, &[]));
        }
        self.empty
    }
}

/// The fast test profiles, one per shape.
pub fn fast_shapes() -> Vec<&'static dyn Profile> {
    vec![&FAST_FLAT, &FAST_FOLD_RIGHT, &FAST_PEAK_TREE]
}

/// Every profile shape the tests run the generic algorithms under.
pub fn all_shapes() -> Vec<&'static dyn Profile> {
    vec![&DEFAULT, &FOLD_RIGHT, &PEAK_TREE, &FOLD_LEFT]
}

/// Leaf data of the examples: the single byte i (SPEC.md D11's second example), or the
/// eight bytes of i for i >= 256.
pub fn data(i: u64) -> Vec<u8> {
    match u8::try_from(i) {
        Ok(b) => vec![b],
        Err(_) => i.to_be_bytes().to_vec(),
    }
}

/// A database with `count` leaves (data `data(i)`, value i+1), uncommitted.
pub fn db_with<P: Profile>(profile: P, count: u64) -> Reference<P> {
    let mut db = Reference::new(profile, Config::default());
    for i in 0..count {
        db.append(&data(i), i + 1).expect("append");
    }
    db
}

/// Everything a state shows through the trait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateSnap {
    pub info: Result<StateInfo, Error>,
    pub nodes: Vec<Result<Node, Error>>,
    pub leaf_set: Result<Vec<u8>, Error>,
    pub unspent: Vec<Result<bool, Error>>,
    pub proofs: Vec<Result<Proof, Error>>,
    pub batch_all: Result<BatchProof, Error>,
}

/// Reads every observable of one state (nodes, leaf set, every proof).
pub fn state_snap(db: &dyn ProofDb, at: At) -> StateSnap {
    let info = db.state(at);
    let (size, leaves) = info
        .as_ref()
        .map(|i| (i.size, i.leaf_count))
        .unwrap_or((0, 0));
    let all: Vec<u64> = (0..leaves).collect();
    StateSnap {
        nodes: (0..=size).map(|p| db.node(at, p)).collect(),
        leaf_set: db.leaf_set(at),
        unspent: (0..=leaves).map(|i| db.is_unspent(at, i)).collect(),
        proofs: (0..=leaves).map(|i| db.prove(at, i)).collect(),
        batch_all: db.prove_batch(at, &all),
        info,
    }
}

/// Everything the database shows: bookkeeping, the working state, every retained state
/// (and the two heights around the retained range), every MMR set, the prune list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbSnap {
    pub height: u64,
    pub oldest: u64,
    pub horizon: u64,
    pub pending: bool,
    pub size: u64,
    pub leaf_count: u64,
    pub current: StateSnap,
    pub blocks: Vec<(u64, StateSnap)>,
    pub sets: Vec<(u64, Result<MmrSet, Error>)>,
    pub prune_list: Vec<u8>,
}

/// A full snapshot of the observable state (for "a failed call changes nothing").
pub fn snap(db: &dyn ProofDb) -> DbSnap {
    let lo = db.oldest().saturating_sub(1);
    let hi = db.height() + 1;
    DbSnap {
        height: db.height(),
        oldest: db.oldest(),
        horizon: db.horizon(),
        pending: db.has_pending(),
        size: db.size(),
        leaf_count: db.leaf_count(),
        current: state_snap(db, At::Current),
        blocks: (lo..=hi)
            .map(|h| (h, state_snap(db, At::Block(h))))
            .collect(),
        sets: (lo..=hi).map(|h| (h, db.mmr_set(h))).collect(),
        prune_list: db.prune_list(),
    }
}

/// A tiny deterministic generator (xorshift64*), so tests are reproducible without seeds.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A value in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A naive second model of an MMR, written from D1, D6 and D11 by positions (not by
/// (row, entry)): leaves kept as (data, value), every node rebuilt from them on demand.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub leaves: Vec<(Vec<u8>, u64)>,
}

impl Model {
    /// Every node by position, built by D1's append rule (merge while the new node is a
    /// right child, i.e. while the count of leaves before it is odd at that height).
    pub fn nodes(&self, p: &dyn Profile) -> Vec<Node> {
        let mut nodes: Vec<Node> = Vec::new();
        for (i, (d, v)) in self.leaves.iter().enumerate() {
            let pos = nodes.len() as u64;
            nodes.push(mmr_spec::leaf_node(p, pos, d, *v));
            let (mut k, mut hgt) = (i as u64, 0u32);
            while k % 2 == 1 {
                let pos = nodes.len();
                let left = nodes[pos - (1usize << (hgt + 1))];
                let right = nodes[pos - 1];
                nodes.push(mmr_spec::parent_node(p, pos as u64, &left, &right).unwrap());
                k /= 2;
                hgt += 1;
            }
        }
        nodes
    }

    /// D6 by peeling: the peak positions of a size (largest perfect tree first).
    pub fn peak_positions(size: u64) -> Vec<u64> {
        let (mut out, mut base, mut left) = (Vec::new(), 0u128, u128::from(size));
        for hgt in (0..64).rev() {
            let t = (1u128 << (hgt + 1)) - 1;
            if t <= left {
                out.push((base + t - 1) as u64);
                base += t;
                left -= t;
            }
        }
        out
    }

    /// D11's root for each shape, written out independently.
    pub fn root(&self, p: &dyn Profile) -> Node {
        let nodes = self.nodes(p);
        let size = nodes.len() as u64;
        let peaks: Vec<Node> = Self::peak_positions(size)
            .iter()
            .map(|&q| nodes[q as usize])
            .collect();
        Self::bag(p, size, peaks)
    }

    /// D11 bagging of a list of peaks.
    pub fn bag(p: &dyn Profile, size: u64, peaks: Vec<Node>) -> Node {
        let bag = |l: &Node, r: &Node| mmr_spec::bag_node(p, size, l, r).unwrap();
        match p.bagging() {
            Bagging::Flat => mmr_spec::flat_root(p, size, &peaks).unwrap(),
            _ if peaks.is_empty() => Node::new(p.empty_root().unwrap(), 0),
            Bagging::FoldRight => {
                let mut acc = *peaks.last().unwrap();
                for q in peaks[..peaks.len() - 1].iter().rev() {
                    acc = bag(q, &acc);
                }
                acc
            }
            Bagging::FoldLeft => {
                let mut acc = peaks[0];
                for q in &peaks[1..] {
                    acc = bag(&acc, q);
                }
                acc
            }
            Bagging::PeakTree => {
                // Repeatedly: the peaks of the MMR over the list (pairs merged per perfect
                // block of the binary decomposition of its length).
                let mut list = peaks;
                while list.len() > 1 {
                    let mut next = Vec::new();
                    let mut rest = &list[..];
                    while !rest.is_empty() {
                        let w = 1usize << (usize::BITS - 1 - rest.len().leading_zeros());
                        next.push(Self::perfect(&rest[..w], &bag));
                        rest = &rest[w..];
                    }
                    list = next;
                }
                list[0]
            }
        }
    }

    /// The root of a perfect tree over a power-of-two-long list, merging pairs.
    fn perfect(items: &[Node], bag: &dyn Fn(&Node, &Node) -> Node) -> Node {
        if items.len() == 1 {
            return items[0];
        }
        let (l, r) = items.split_at(items.len() / 2);
        bag(&Self::perfect(l, bag), &Self::perfect(r, bag))
    }
}
