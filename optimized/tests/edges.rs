//! Edge cases: hostile inputs never panic, error orders, atomicity, bulk append equality.

use mmr_optimized::{Optimized, OptimizedClient};
use mmr_spec::{
    At, Block, BlockOp, Client, ClientState, Config, Error, ErrorKind, Hash, MmrSet, Node, Proof,
    ProofDb, Side, Step, leaf_node, profiles::DEFAULT,
};

type Db = Optimized<mmr_optimized::Sha3Default>;

fn filled(n: u64) -> Db {
    let mut d = Optimized::new(Config::default());
    for i in 0..n {
        d.append(&i.to_be_bytes(), i + 1).unwrap();
    }
    d
}

#[test]
fn hostile_reads_and_proofs_do_not_panic() {
    let mut d = filled(11);
    d.commit().unwrap();
    let root = d.root(At::Current).unwrap();
    for x in [
        u64::MAX,
        u64::MAX - 1,
        u64::MAX - 64,
        1 << 63,
        (1 << 63) - 1,
        19,
        20,
    ] {
        assert!(d.node(At::Current, x).is_err());
        assert!(d.node(At::Block(x), 0).is_err());
        assert!(d.prove(At::Current, x).is_err());
        assert!(d.is_unspent(At::Current, x).is_err());
        assert!(d.update(x, b"", 1).is_err());
        assert!(d.spend(x, b"").is_err());
        assert!(d.mmr_set(x).is_err());
        assert!(d.prove_batch(At::Current, &[0, x]).is_err());
        for size in [x, 0, 19, u64::MAX] {
            let p = Proof {
                size,
                pos: x,
                path: vec![],
            };
            assert!(d.verify(&root, &p, b"", 0).is_err());
            let p = Proof {
                size: x,
                pos: size,
                path: vec![
                    Step {
                        side: Side::Left,
                        node: root
                    };
                    130
                ],
            };
            assert!(d.verify(&root, &p, b"", 0).is_err());
            let bp = mmr_spec::BatchProof {
                size,
                leaves: vec![x, 0],
                items: vec![(x, root), (0, root)],
            };
            assert!(d.verify_batch_nodes(&root, &bp, &[root, root]).is_err());
        }
    }
    // Proofs in the largest MMR the spec allows: size 2^64 - 1, the last leaf.
    let p = Proof {
        size: u64::MAX,
        pos: u64::MAX - 64,
        path: vec![
            Step {
                side: Side::Left,
                node: Node::new(Hash([1; 32]), u64::MAX),
            };
            63
        ],
    };
    assert_eq!(
        d.verify_node(&root, &p, &root).unwrap_err(),
        Error::ValueOverflow
    );
    let mut p2 = p.clone();
    p2.path[0].side = Side::Right;
    assert_eq!(
        d.verify_node(&root, &p2, &root).unwrap_err(),
        Error::WrongSide {
            step: 0,
            expected: Side::Left
        }
    );
    let p3 = Proof {
        size: u64::MAX - 1,
        ..p.clone()
    };
    assert_eq!(
        d.verify_node(&root, &p3, &root).unwrap_err().kind(),
        ErrorKind::InvalidSize
    );
    let p4 = Proof {
        pos: u64::MAX - 1,
        ..p
    };
    assert_eq!(
        d.verify_node(&root, &p4, &root).unwrap_err().kind(),
        ErrorKind::NotALeaf
    );
    assert_eq!(
        d.rewind(u64::MAX).unwrap_err().kind(),
        ErrorKind::FutureHeight
    );
    assert_eq!(
        d.compact(u64::MAX).unwrap_err().kind(),
        ErrorKind::FutureHeight
    );
}

#[test]
fn d14_error_order() {
    let d = filled(7);
    let root = d.root(At::Current).unwrap();
    let good = d.prove(At::Current, 4).unwrap();
    let leaf = d.node(At::Current, good.pos).unwrap();
    let e = |p: &Proof| d.verify_node(&root, p, &leaf).unwrap_err();
    // invalid size before everything else
    let p = Proof {
        size: 12,
        pos: 2,
        path: vec![],
    };
    assert_eq!(e(&p), Error::InvalidSize { size: 12 });
    // not a leaf before index range
    let p = Proof {
        size: 11,
        pos: 13,
        path: vec![],
    };
    assert_eq!(e(&p), Error::NotALeaf { pos: 13 });
    let p = Proof {
        size: 11,
        pos: 11,
        path: vec![],
    };
    assert_eq!(
        e(&p),
        Error::LeafIndexOutOfRange {
            index: 7,
            leaf_count: 7
        }
    );
    let mut p = good.clone();
    p.path.pop();
    assert_eq!(
        e(&p),
        Error::PathLength {
            expected: 3,
            got: 2
        }
    );
    let mut p = good.clone();
    p.path[2].side = Side::Left;
    p.path[0].node.value = 0;
    assert_eq!(
        e(&p),
        Error::WrongSide {
            step: 2,
            expected: Side::Right
        }
    );
}

#[test]
fn d15_prove_batch_error_order() {
    let d = filled(5);
    assert_eq!(
        d.prove_batch(At::Current, &[]).unwrap_err(),
        Error::EmptyBatch
    );
    assert_eq!(
        d.prove_batch(At::Current, &[1, 1, 9]).unwrap_err(),
        Error::LeafIndexOutOfRange {
            index: 9,
            leaf_count: 5
        }
    );
    assert_eq!(
        d.prove_batch(At::Current, &[3, 1, 3]).unwrap_err(),
        Error::DuplicateLeaf { pos: 4 }
    );
    // D15: the first index, in the given order, that repeats an earlier one (3 at
    // position 4), not the smallest repeated one (1 at position 1).
    assert_eq!(
        d.prove_batch(At::Current, &[3, 1, 3, 1]).unwrap_err(),
        Error::DuplicateLeaf { pos: 4 }
    );
    let root = d.root(At::Current).unwrap();
    let bp = d.prove_batch(At::Current, &[4, 0]).unwrap();
    assert_eq!(
        d.verify_batch(&root, &bp, &[]).unwrap_err(),
        Error::LeafCountMismatch {
            expected: 2,
            got: 0
        }
    );
    let leaves = [
        mmr_spec::Leaf {
            data: 0u64.to_be_bytes().to_vec(),
            value: 1,
        },
        mmr_spec::Leaf {
            data: 4u64.to_be_bytes().to_vec(),
            value: 5,
        },
    ];
    d.verify_batch(&root, &bp, &leaves).unwrap();
    let mut extra = bp.clone();
    extra.items.push((u64::MAX - 1, root));
    assert_eq!(
        d.verify_batch(&root, &extra, &leaves).unwrap_err(),
        Error::UnexpectedItem { pos: u64::MAX - 1 }
    );
    let mut unordered = bp.clone();
    unordered.items.swap(0, 1);
    assert_eq!(
        d.verify_batch(&root, &unordered, &leaves).unwrap_err(),
        Error::UnorderedItems { index: 1 }
    );
}

#[test]
fn value_overflow_and_atomic_failures() {
    let mut d = filled(3);
    d.commit().unwrap();
    let before = d.state(At::Current).unwrap();
    assert_eq!(d.append(b"x", u64::MAX).unwrap_err(), Error::ValueOverflow);
    assert_eq!(
        d.update(0, b"x", u64::MAX).unwrap_err(),
        Error::ValueOverflow
    );
    assert_eq!(d.state(At::Current).unwrap(), before);
    assert!(!d.has_pending());
    // The largest allowed total: fine; one more: refused.
    d.update(0, b"x", u64::MAX - 5).unwrap();
    assert_eq!(d.root(At::Current).unwrap().value, u64::MAX);
    assert_eq!(d.append(b"y", 1).unwrap_err(), Error::ValueOverflow);
    d.append(b"z", 0).unwrap();
    // A failing block restores the working state, uncommitted changes included.
    let pending = d.state(At::Current).unwrap();
    let leafset = d.leaf_set(At::Current).unwrap();
    let block = Block {
        ops: vec![
            BlockOp::Spend {
                index: 1,
                data: vec![],
            },
            BlockOp::Update {
                index: 0,
                data: vec![1],
                value: 3,
            },
            BlockOp::Append {
                data: vec![],
                value: 4,
            },
            BlockOp::Spend {
                index: 1,
                data: vec![],
            },
        ],
    };
    let err = d.apply_block(&block).unwrap_err();
    assert_eq!(
        err,
        Error::InBlock {
            op: 3,
            error: Box::new(Error::LeafSpent { index: 1 })
        }
    );
    assert_eq!(d.state(At::Current).unwrap(), pending);
    assert_eq!(d.leaf_set(At::Current).unwrap(), leafset);
    assert!(d.has_pending());
    assert_eq!(d.height(), 1);
    // The pending changes then commit normally, and the set lists them.
    d.commit().unwrap();
    let set = d.mmr_set(2).unwrap();
    assert_eq!(
        set.nodes.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![0, 2, 4, 5, 6]
    );
}

#[test]
fn identical_rewrite_is_not_in_the_set() {
    let mut d = filled(4);
    d.commit().unwrap();
    d.update(2, &2u64.to_be_bytes(), 3).unwrap(); // same data and value
    // D16: the working state equals the committed one, so nothing is pending.
    assert!(!d.has_pending());
    d.commit().unwrap();
    assert!(d.mmr_set(2).unwrap().nodes.is_empty());
    // Change then change back inside one block: no change either.
    d.update(1, b"tmp", 9).unwrap();
    assert!(d.has_pending());
    d.update(1, &1u64.to_be_bytes(), 2).unwrap();
    assert!(!d.has_pending());
    d.commit().unwrap();
    assert!(d.mmr_set(3).unwrap().nodes.is_empty());
    assert_eq!(d.root(At::Block(3)), d.root(At::Block(1)));
}

#[test]
fn rewind_discards_pending_and_restores_everything() {
    let mut d = filled(5);
    d.commit().unwrap();
    let s1 = (
        d.state(At::Current).unwrap(),
        d.leaf_set(At::Current).unwrap(),
    );
    for b in 0..10u64 {
        d.append(&b.to_le_bytes(), 1).unwrap();
        d.spend(b % 5, b"s").ok();
        d.update(5 + b, b"u", 2).unwrap();
        d.commit().unwrap();
    }
    d.append(b"pending", 1).unwrap();
    assert_eq!(d.rewind(11).unwrap(), ());
    assert!(!d.has_pending());
    assert_eq!(d.height(), 11);
    d.rewind(1).unwrap();
    assert_eq!(
        (
            d.state(At::Current).unwrap(),
            d.leaf_set(At::Current).unwrap()
        ),
        s1
    );
    assert_eq!(d.rewind(1), Ok(()));
    assert_eq!(d.height(), 1);
}

#[test]
fn bulk_append_equals_one_at_a_time() {
    for (pre, m) in [(0u64, 5000usize), (3, 2100), (1000, 70), (77, 20000)] {
        let leaves: Vec<(Vec<u8>, u64)> = (0..m as u64)
            .map(|i| (i.to_le_bytes()[..(i % 9) as usize].to_vec(), i % 13))
            .collect();
        let mut a = filled(pre);
        let mut b = filled(pre);
        a.commit().unwrap();
        b.commit().unwrap();
        assert_eq!(a.append_bulk(&leaves).unwrap(), pre);
        for (d, v) in &leaves {
            b.append(d, *v).unwrap();
        }
        assert_eq!(a.size(), b.size());
        assert_eq!(a.root(At::Current), b.root(At::Current));
        for pos in (0..a.size()).step_by(97) {
            assert_eq!(a.node(At::Current, pos), b.node(At::Current, pos));
        }
        assert_eq!(a.leaf_set(At::Current), b.leaf_set(At::Current));
        a.commit().unwrap();
        b.commit().unwrap();
        assert_eq!(a.mmr_set(2), b.mmr_set(2));
    }
    let mut a = filled(2);
    let before = a.state(At::Current).unwrap();
    let bad = vec![(vec![], 1u64), (vec![], u64::MAX)];
    assert_eq!(a.append_bulk(&bad).unwrap_err(), Error::ValueOverflow);
    assert_eq!(a.state(At::Current).unwrap(), before);
}

#[test]
fn memory_is_close_to_the_nodes() {
    let mut d = filled(0);
    let leaves: Vec<(Vec<u8>, u64)> = (0..50_000u64).map(|i| (vec![i as u8], 1)).collect();
    d.append_bulk(&leaves).unwrap();
    d.commit().unwrap();
    let nodes = d.size() as usize * 40;
    let held = d.heap_bytes();
    assert!(
        (held as f64) <= 1.1 * nodes as f64,
        "{held} bytes for {nodes} bytes of nodes"
    );
}

#[test]
fn client_apply_error_order() {
    let mut d = filled(3);
    d.commit().unwrap();
    let st = d.state(At::Current).unwrap();
    let mk = || {
        OptimizedClient::new(ClientState {
            height: 1,
            size: st.size,
            peaks: st.peaks.clone(),
        })
        .unwrap()
    };
    let mut c = mk();
    let p0 = d.prove(At::Current, 0).unwrap();
    c.track(&p0, &d.node(At::Current, 0).unwrap()).unwrap();
    d.append(b"n", 5).unwrap();
    d.update(0, b"m", 7).unwrap();
    d.commit().unwrap();
    let set = d.mmr_set(2).unwrap();
    let kind = |c: &mut OptimizedClient, s: &MmrSet| c.apply(s).unwrap_err().kind();
    let mut s = set.clone();
    s.prev_root.value += 1;
    assert_eq!(kind(&mut c, &s), ErrorKind::ParentMismatch);
    let mut s = set.clone();
    s.size = 9;
    assert_eq!(kind(&mut c, &s), ErrorKind::InvalidSize);
    let mut s = set.clone();
    s.size = 3;
    assert_eq!(kind(&mut c, &s), ErrorKind::MalformedSet);
    let mut s = set.clone();
    s.nodes.swap(0, 1);
    assert_eq!(kind(&mut c, &s), ErrorKind::MalformedSet);
    let mut s = set.clone();
    s.nodes.retain(|e| e.0 != 5);
    assert_eq!(c.apply(&s).unwrap_err(), Error::MissingNode { pos: 5 });
    let mut s = set.clone();
    s.root.value += 1;
    assert_eq!(kind(&mut c, &s), ErrorKind::SumMismatch);
    let mut s = set.clone();
    s.root.hash.0[0] ^= 1;
    assert_eq!(kind(&mut c, &s), ErrorKind::RootMismatch);
    // Drop the tracked leaf's own new node: the peaks still give the announced root, but
    // the tracked leaf keeps its old value, so its rebuilt proof does not verify (D24.7).
    let mut s = set.clone();
    s.nodes.retain(|e| e.0 != 0);
    assert_eq!(kind(&mut c, &s), ErrorKind::SumMismatch);
    assert_eq!(c.height(), 1);
    c.apply(&set).unwrap();
    assert_eq!(c.proof(0).unwrap(), d.prove(At::Current, 0).unwrap());
    assert_eq!(c.leaf(0).unwrap(), leaf_node(&DEFAULT, 0, b"m", 7));
    assert_eq!(
        c.track(&p0, &d.node(At::Current, 0).unwrap())
            .unwrap_err()
            .kind(),
        ErrorKind::SizeMismatch
    );
}

/// A profile counting its hash calls (the default profile's hashes).
#[derive(Debug, Default)]
struct Counting(std::sync::atomic::AtomicU64);

impl Counting {
    fn tick(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl mmr_spec::Profile for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        self.tick();
        mmr_spec::Profile::leaf_hash(&DEFAULT, pos, data, value)
    }
    fn parent_hash(&self, pos: u64, l: &Node, r: &Node, sum: u64) -> Hash {
        self.tick();
        mmr_spec::Profile::parent_hash(&DEFAULT, pos, l, r, sum)
    }
    fn bagging(&self) -> mmr_spec::Bagging {
        mmr_spec::Bagging::Flat
    }
    fn bag_hash(&self, size: u64, l: &Node, r: &Node, sum: u64) -> Hash {
        self.tick();
        mmr_spec::Profile::bag_hash(&DEFAULT, size, l, r, sum)
    }
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        self.tick();
        mmr_spec::Profile::commit_hash(&DEFAULT, size, total, peaks)
    }
    fn empty_root(&self) -> Option<Hash> {
        mmr_spec::Profile::empty_root(&DEFAULT)
    }
}

#[test]
fn update_costs_at_most_log2_n_plus_2_hashes() {
    let mut d = Optimized::with_profile(Counting::default(), Config::default());
    let n = 1000u64;
    let genesis = d.profile_ref().get(); // the genesis root
    for i in 0..n {
        d.append(&i.to_le_bytes(), 1).unwrap();
    }
    // Appends: one leaf hash plus the parents completed: size(n) hashes in all.
    assert_eq!(d.profile_ref().get() - genesis, d.size());
    let bound = u64::from(63 - n.leading_zeros()) + 2;
    for i in [0u64, 1, 511, 512, 999, 998, 700] {
        let before = d.profile_ref().get();
        d.update(i, b"new", 2).unwrap();
        let used = d.profile_ref().get() - before;
        assert!(
            used <= bound,
            "update of {i} used {used} hashes (bound {bound})"
        );
    }
}
