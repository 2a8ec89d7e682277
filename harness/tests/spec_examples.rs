//! Every worked example of SPEC.md, run through the `ProofDb` trait on both implementations:
//! the assertions of `reference/tests/spec_examples.rs`, made generic over a constructor so
//! the optimized crate meets the same expectations (issue: run the reference's own cases
//! against the optimized crate). The hash values are SPEC.md's, computed by the independent
//! Python model `spec/examples/default_profile.py`; neither implementation depends on the
//! other. The D1-D8 addressing examples, which are not behind the trait, are checked on the
//! reference's `addr` module and on `mmr-index` (the optimized crate's arithmetic).

use mmr_optimized::Optimized;
use mmr_reference::{Reference, addr};
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, Bagging, BatchProof, Block, BlockOp, Config, Error, Hash, Leaf, Node, Profile, Proof,
    ProofDb, Side, Step, from_hex, to_hex,
};

/// A constructor of one implementation.
type Make = fn(&'static dyn Profile, Config) -> Box<dyn ProofDb>;

fn make_reference(p: &'static dyn Profile, c: Config) -> Box<dyn ProofDb> {
    Box::new(Reference::new(p, c))
}

fn make_optimized(p: &'static dyn Profile, c: Config) -> Box<dyn ProofDb> {
    Box::new(Optimized::with_profile(p, c))
}

const IMPLS: [(&str, Make); 2] = [("reference", make_reference), ("optimized", make_optimized)];

/// Runs `f` once per implementation, naming it in any failure.
fn each(f: impl Fn(Make)) {
    for (name, make) in IMPLS {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(make)));
        if let Err(e) = r {
            eprintln!("failed for the {name} implementation");
            std::panic::resume_unwind(e);
        }
    }
}

// ----- test helpers (independent of both implementations) -----

fn h(hex: &str) -> Hash {
    Hash::from_hex(hex).expect("test constant is 64 hex digits")
}

fn n(hex: &str, value: u64) -> Node {
    Node::new(h(hex), value)
}

/// Leaf data of the examples: the single byte i.
fn data(i: u64) -> Vec<u8> {
    vec![u8::try_from(i).expect("small example")]
}

/// SHA3-256 (FIPS 202), written out here so the test bagging below depends on neither
/// implementation (the harness has no hash crate of its own). Checked against the default
/// profile's leaf hash in `sha3_matches_the_default_profile`.
fn sha3_256(msg: &[u8]) -> [u8; 32] {
    const RC: [u64; 24] = [
        0x0000000000000001,
        0x0000000000008082,
        0x800000000000808a,
        0x8000000080008000,
        0x000000000000808b,
        0x0000000080000001,
        0x8000000080008081,
        0x8000000000008009,
        0x000000000000008a,
        0x0000000000000088,
        0x0000000080008009,
        0x000000008000000a,
        0x000000008000808b,
        0x800000000000008b,
        0x8000000000008089,
        0x8000000000008003,
        0x8000000000008002,
        0x8000000000000080,
        0x000000000000800a,
        0x800000008000000a,
        0x8000000080008081,
        0x8000000000008080,
        0x0000000080000001,
        0x8000000080008008,
    ];
    const ROT: [u32; 25] = [
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56,
        14,
    ];
    fn keccak_f(a: &mut [u64; 25]) {
        for rc in RC {
            let mut c = [0u64; 5];
            for x in 0..5 {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }
            for x in 0..5 {
                let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
                for y in 0..5 {
                    a[x + 5 * y] ^= d;
                }
            }
            let mut b = [0u64; 25];
            for x in 0..5 {
                for y in 0..5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = a[x + 5 * y].rotate_left(ROT[x + 5 * y]);
                }
            }
            for x in 0..5 {
                for y in 0..5 {
                    a[x + 5 * y] =
                        b[x + 5 * y] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
                }
            }
            a[0] ^= rc;
        }
    }
    const RATE: usize = 136;
    let mut padded = msg.to_vec();
    padded.push(0x06);
    while padded.len() % RATE != 0 {
        padded.push(0);
    }
    *padded.last_mut().expect("non-empty") |= 0x80;
    let mut st = [0u64; 25];
    for block in padded.chunks(RATE) {
        for (k, w) in block.chunks(8).enumerate() {
            st[k] ^= u64::from_le_bytes(w.try_into().expect("8 bytes"));
        }
        keccak_f(&mut st);
    }
    let mut out = [0u8; 32];
    for (k, lane) in out.chunks_mut(8).enumerate() {
        lane.copy_from_slice(&st[k].to_le_bytes());
    }
    out
}

/// The test bagging step of `spec/examples/default_profile.py`:
/// `SHA3(0x03 || u64be(size) || u64be(sum) || left || right)`.
fn test_bag(size: u64, l: &Node, r: &Node) -> Node {
    let sum = l.value + r.value;
    let mut m = vec![3u8];
    m.extend_from_slice(&size.to_be_bytes());
    m.extend_from_slice(&sum.to_be_bytes());
    m.extend_from_slice(&l.hash.0);
    m.extend_from_slice(&r.hash.0);
    Node::new(Hash(sha3_256(&m)), sum)
}

/// The default profile's hashes with a non-flat bagging shape (D11) and the test bag.
#[derive(Clone, Copy, Debug)]
struct Shape(Bagging);

impl Profile for Shape {
    fn name(&self) -> &'static str {
        "test-shape"
    }
    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        DEFAULT.leaf_hash(pos, data, value)
    }
    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        DEFAULT.parent_hash(pos, left, right, sum)
    }
    fn bagging(&self) -> Bagging {
        self.0
    }
    fn bag_hash(&self, size: u64, left: &Node, right: &Node, _sum: u64) -> Hash {
        test_bag(size, left, right).hash
    }
    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        DEFAULT.commit_hash(size, total, peaks)
    }
    fn empty_root(&self) -> Option<Hash> {
        Some(Hash([0; 32]))
    }
}

const FOLD_RIGHT: Shape = Shape(Bagging::FoldRight);
const PEAK_TREE: Shape = Shape(Bagging::PeakTree);

const EMPTY_ROOT: &str = "55da9afaffb81659a09f8c84fa79f372e421987740e52b2aff0a7dd88bd62c0d";
const FOUR: [(&str, u64); 4] = [("000102", 1), ("010203", 2), ("020304", 3), ("030405", 4)];
const FOUR_NODES: [(&str, u64); 7] = [
    (
        "c9a2fb65873b53d94709d126ff5154563fd33ab019bfb873cbbd7db6f9a5ed87",
        1,
    ),
    (
        "6f2e96a370563a3179f8f80edb5c5f060946ef3bd7259edcb317d85b48f15f28",
        2,
    ),
    (
        "2e30d438d18613c9bcbaf49d6de320cd5a139b9aba198df6265dd9c91437962a",
        3,
    ),
    (
        "09cdcd5c348b0af3bab87ceace04f4fbdd297bb3548405e7d53396e23f58b1cc",
        3,
    ),
    (
        "4b33d0d3938e0e001a5498e9158462883b339a957004b56905a8ffef16f037d3",
        4,
    ),
    (
        "db0cc05da1f369c9972d2cb3e6a96a0486e8a07250529751a294de373122d924",
        7,
    ),
    (
        "704871ac85c3313b814c9f74857c3737b82884aecc6c0c7ee48ba42d23aea818",
        10,
    ),
];
const SEVEN_ROOT: &str = "6920c836a6bdb067192bff9d154a365e59aadf4cafebf7d772962fdc6eb0ce5e";
const SEVEN_PEAKS: [(u64, &str, u64); 3] = [
    (
        6,
        "5538b5f4f45da6024e9d24f594a8099250b0713cd75eba1962703db5074a54f2",
        10,
    ),
    (
        9,
        "cb7a747e7d220472eab8bd458677c8edd9ae78bcc91e563f18a519dded3852da",
        11,
    ),
    (
        10,
        "c84f38a52ca41e272235c2accc08e7a7b8ac4604e2abf59bc1c059834bbd8755",
        7,
    ),
];
const NODE_8: &str = "d9a62030b75054695b76fea5f6fff31a923cbac97cd9f8e6589050098e9081cf";

/// The four-leaf database of D11.
fn four(make: Make) -> Box<dyn ProofDb> {
    let mut db = make(&DEFAULT, Config::default());
    for (d, v) in FOUR {
        db.append(&from_hex(d).unwrap(), v).unwrap();
    }
    db
}

/// A database with `count` leaves (data [i], value i+1), uncommitted: D11's second example
/// for 7 leaves.
fn db_with(make: Make, p: &'static dyn Profile, count: u64) -> Box<dyn ProofDb> {
    let mut db = make(p, Config::default());
    for i in 0..count {
        db.append(&data(i), i + 1).unwrap();
    }
    db
}

#[test]
fn sha3_matches_the_default_profile() {
    // D11: leaf_hash(pos, data, value) = SHA3(0x00 || u64be(pos) || u64be(value) || data),
    // also across the 136-byte block boundary.
    for len in [0usize, 3, 119, 120, 200] {
        let d: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let mut m = vec![0u8];
        m.extend_from_slice(&5u64.to_be_bytes());
        m.extend_from_slice(&9u64.to_be_bytes());
        m.extend_from_slice(&d);
        assert_eq!(Hash(sha3_256(&m)), DEFAULT.leaf_hash(5, &d, 9), "len {len}");
    }
}

#[test]
fn d1_to_d8_addressing_in_both_implementations() {
    use mmr_optimized::index;
    // D1/D2: heights of the four-leaf MMR; height(6) = 2, height(7) = 0, height(9) = 1.
    for (p, want) in [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 0),
        (4, 0),
        (5, 1),
        (6, 2),
        (7, 0),
        (9, 1),
    ]
    .into_iter()
    .chain([(10, 0)])
    {
        assert_eq!(addr::height(p), Some(want), "reference height({p})");
        assert_eq!(index::height(p), Some(want), "index height({p})");
    }
    // D3.
    for (i, p) in [0u64, 1, 3, 4, 7, 8, 10, 11].into_iter().enumerate() {
        assert_eq!(addr::leaf_pos(i as u64), Some(p));
        assert_eq!(index::leaf_to_pos(i as u64), Some(p));
    }
    assert_eq!(index::pos_to_leaf(10), Some(6));
    // D4.
    for s in [0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22] {
        assert!(
            addr::leaf_count(s).is_some() && index::is_valid_size(s),
            "{s}"
        );
    }
    for s in [2, 5, 6, 9, 12, 13, 14, 17] {
        assert!(
            addr::leaf_count(s).is_none() && !index::is_valid_size(s),
            "{s}"
        );
    }
    assert_eq!(index::leaves_for_size(11), Some(7));
    // D5.
    for (r, e, p) in [
        (0u32, 2u64, 3u64),
        (1, 1, 5),
        (2, 0, 6),
        (1, 2, 9),
        (0, 6, 10),
    ] {
        assert_eq!(index::from_row_entry(r, e), Some(p));
        assert_eq!(index::to_row_entry(p), Some((r, e)));
        assert_eq!(
            addr::addr_of(p),
            Some(addr::Addr { row: r, entry: e }),
            "reference addr_of({p})"
        );
    }
    // D6.
    let peaks = |s: u64| index::peaks(s).map(|ps| ps.collect::<Vec<u64>>());
    assert_eq!(peaks(11), Some(vec![6, 9, 10]));
    assert_eq!(peaks(0), Some(vec![]));
    assert_eq!(peaks(7), Some(vec![6]));
    assert_eq!(addr::peak_positions(11), Some(vec![6, 9, 10]));
    // D7.
    assert_eq!(index::parent(3), Some(5));
    assert_eq!(index::sibling(3), Some(4));
    assert_eq!(index::parent(2), Some(6));
    assert_eq!(index::sibling(2), Some(5));
    assert_eq!(index::children(6), Some((2, 5)));
    assert_eq!(addr::children_pos(6), Some((2, 5)));
    // D8.
    assert_eq!(index::size_for_leaves(1 << 63), Some(u64::MAX));
    assert_eq!(index::leaves_for_size(u64::MAX - 1), None);
    assert_eq!(index::leaf_to_pos((1 << 63) - 1), Some(u64::MAX - 64));
    assert_eq!(index::height(u64::MAX - 1), Some(63));
    assert_eq!(index::parent(u64::MAX - 1), None);
    assert_eq!(index::height(u64::MAX), None);
    // Through the trait: the four-leaf MMR has size 7, one peak at 6; seven leaves, peaks
    // 6, 9, 10.
    each(|make| {
        let db = four(make);
        assert_eq!(db.size(), 7);
        assert_eq!(db.state(At::Current).unwrap().peaks.len(), 1);
        let db = db_with(make, &DEFAULT, 7);
        let st = db.state(At::Current).unwrap();
        assert_eq!((st.size, st.leaf_count), (11, 7));
        for (k, (pos, _, _)) in SEVEN_PEAKS.iter().enumerate() {
            assert_eq!(db.node(At::Current, *pos).unwrap(), st.peaks[k]);
        }
    });
}

#[test]
fn d11_empty_root_and_growing_roots() {
    each(|make| {
        let mut db = make(&DEFAULT, Config::default());
        assert_eq!(db.root(At::Current).unwrap(), n(EMPTY_ROOT, 0));
        assert_eq!(db.root(At::Block(0)).unwrap(), n(EMPTY_ROOT, 0));
        let roots = [
            (
                1,
                "a6501dda2c657b17a0d7fe24e9b3d0cf7b707134ad3a0e6a0a40cafa8e20abb0",
                1,
            ),
            (
                3,
                "5ebe25a8dcdb22f2e615f719688e0ac530deba729ec57a74fdc21d790bcbdab7",
                3,
            ),
            (
                4,
                "185d56043a42b877cb4be19dad88c4772bc6b96cbbbfb6fc3e2e16c0b67c4c89",
                6,
            ),
            (
                7,
                "8611e3753d6a803f16cbf7d85ce06a4a9c008f3d7b8d74c15388bc0e7248d64b",
                10,
            ),
        ];
        for ((d, v), (size, root, value)) in FOUR.iter().zip(roots) {
            db.append(&from_hex(d).unwrap(), *v).unwrap();
            assert_eq!(db.size(), size);
            assert_eq!(db.root(At::Current).unwrap(), n(root, value));
        }
    });
}

/// D11, profiles without an empty root: every read of an empty state's root fails.
#[test]
fn d11_no_empty_root_in_minima_and_ckb() {
    each(|make| {
        for p in mmr_spec::profiles::all() {
            if p.empty_root().is_some() {
                continue;
            }
            let mut db = make(p, Config::default());
            assert_eq!(db.root(At::Current), Err(Error::EmptyRoot), "{}", p.name());
            assert_eq!(db.state(At::Block(0)), Err(Error::EmptyRoot));
            assert_eq!(db.commit(), Err(Error::EmptyRoot));
            assert_eq!(db.height(), 0);
            db.append(b"a", 1).unwrap();
            db.commit().unwrap();
            assert_eq!(db.mmr_set(1), Err(Error::EmptyRoot));
            assert!(db.root(At::Block(1)).is_ok());
        }
    });
}

#[test]
fn d11_nodes_of_four_leaves() {
    each(|make| {
        let db = four(make);
        for (pos, (hash, value)) in FOUR_NODES.iter().enumerate() {
            assert_eq!(
                db.node(At::Current, pos as u64).unwrap(),
                n(hash, *value),
                "pos {pos}"
            );
        }
    });
}

#[test]
fn d11_seven_leaves_root_and_peaks() {
    each(|make| {
        let db = db_with(make, &DEFAULT, 7);
        let st = db.state(At::Current).unwrap();
        assert_eq!((st.size, st.leaf_count), (11, 7));
        assert_eq!(st.root, n(SEVEN_ROOT, 28));
        for (k, (pos, hash, value)) in SEVEN_PEAKS.iter().enumerate() {
            assert_eq!(st.peaks[k], n(hash, *value));
            assert_eq!(db.node(At::Current, *pos).unwrap(), n(hash, *value));
        }
    });
}

/// D11 bagging shapes on the seven-leaf peaks, with the test bag hash; expected values from
/// the extended `spec/examples/default_profile.py`.
#[test]
fn d11_fold_right_and_peak_tree_shapes() {
    let p: Vec<Node> = SEVEN_PEAKS.iter().map(|(_, hh, v)| n(hh, *v)).collect();
    each(|make| {
        let fr = db_with(make, &FOLD_RIGHT, 7).root(At::Current).unwrap();
        let pt = db_with(make, &PEAK_TREE, 7).root(At::Current).unwrap();
        assert_eq!(
            fr,
            n(
                "db587f4b033acd509b2d45f47157e97dfac5b899bc0e7763dc498b4febde6571",
                28
            )
        );
        assert_eq!(
            pt,
            n(
                "5f58f67562a1e95d425cd657cc85778f0f3900d3c8ec102e83471b5518bf49bf",
                28
            )
        );
        assert_eq!(fr, test_bag(11, &p[0], &test_bag(11, &p[1], &p[2])));
        assert_eq!(pt, test_bag(11, &test_bag(11, &p[0], &p[1]), &p[2]));
        let fr = db_with(make, &FOLD_RIGHT, 15).root(At::Current).unwrap();
        let pt = db_with(make, &PEAK_TREE, 15).root(At::Current).unwrap();
        assert_eq!(
            fr,
            n(
                "2df8e4208a91d9bbcdef8c861e36e67ec95a9cfa3d1a0f936c7d2b5de85fb94d",
                120
            )
        );
        assert_eq!(
            pt,
            n(
                "dfd2c4db337c6ef939843b94d0a6c7cef7df64d3f8c5b5a101691ffa8528fadc",
                120
            )
        );
    });
}

#[test]
fn d12_spend_leaf_one() {
    each(|make| {
        let mut db = four(make);
        db.commit().unwrap();
        db.spend(1, b"spent").unwrap();
        assert_eq!(
            db.root(At::Current).unwrap(),
            n(
                "c653c06cef7ac6a22c484714abcc29565bbc0c72a1fd50d03e4597f0e038b5bf",
                8
            )
        );
        db.commit().unwrap();
        let rewritten: Vec<u64> = db
            .mmr_set(2)
            .unwrap()
            .nodes
            .iter()
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(rewritten, [1, 2, 6]);
        let unspent: Vec<bool> = (0..4)
            .map(|i| db.is_unspent(At::Current, i).unwrap())
            .collect();
        assert_eq!(unspent, [true, false, true, true]);
        assert_eq!(
            to_hex(&db.leaf_set(At::Current).unwrap()),
            "0400000000000000b0"
        );
    });
}

#[test]
fn d13_proof_of_leaf_four_and_its_encoding() {
    each(|make| {
        let db = db_with(make, &DEFAULT, 7);
        let proof = db.prove(At::Current, 4).unwrap();
        let expected = Proof {
            size: 11,
            pos: 7,
            path: vec![
                Step {
                    side: Side::Right,
                    node: n(NODE_8, 6),
                },
                Step {
                    side: Side::Left,
                    node: n(SEVEN_PEAKS[0].1, 10),
                },
                Step {
                    side: Side::Right,
                    node: n(SEVEN_PEAKS[2].1, 7),
                },
            ],
        };
        assert_eq!(proof, expected);
        let bytes = proof.encode().unwrap();
        assert_eq!(bytes.len(), 140);
        let mut hand = Vec::new();
        hand.extend_from_slice(&11u64.to_be_bytes());
        hand.extend_from_slice(&7u64.to_be_bytes());
        hand.push(3);
        for (side, hash, value) in [
            (1u8, NODE_8, 6u64),
            (0, SEVEN_PEAKS[0].1, 10),
            (1, SEVEN_PEAKS[2].1, 7),
        ] {
            hand.push(side);
            hand.extend_from_slice(&h(hash).0);
            hand.extend_from_slice(&value.to_be_bytes());
        }
        assert_eq!(bytes, hand);
        db.verify(&n(SEVEN_ROOT, 28), &proof, &[4], 5).unwrap();
    });
}

#[test]
fn d15_batch_items_of_leaves_zero_and_three() {
    each(|make| {
        let db = four(make);
        let bp = db.prove_batch(At::Current, &[3, 0]).unwrap();
        let node = |p: usize| n(FOUR_NODES[p].0, FOUR_NODES[p].1);
        assert_eq!(
            bp,
            BatchProof {
                size: 7,
                leaves: vec![0, 4],
                items: vec![(1, node(1)), (3, node(3))]
            }
        );
        let leaves = [0usize, 3].map(|i| Leaf {
            data: from_hex(FOUR[i].0).unwrap(),
            value: FOUR[i].1,
        });
        db.verify_batch(&db.root(At::Current).unwrap(), &bp, &leaves)
            .unwrap();
        // D15 proving: the first index, in the given order, that repeats an earlier one.
        assert_eq!(
            db.prove_batch(At::Current, &[3, 0, 3, 0]),
            Err(Error::DuplicateLeaf { pos: 4 })
        );
        assert_eq!(
            db.prove_batch(At::Current, &[3, 9, 3]),
            Err(Error::LeafIndexOutOfRange {
                index: 9,
                leaf_count: 4
            })
        );
        assert_eq!(db.prove_batch(At::Current, &[]), Err(Error::EmptyBatch));
    });
}

#[test]
fn d17_block_encoding() {
    let b = Block {
        ops: vec![BlockOp::Append {
            data: b"ab".to_vec(),
            value: 5,
        }],
    };
    let hex = [
        "0000000000000001",
        "00",
        "0000000000000005",
        "0000000000000002",
        "6162",
    ]
    .concat();
    assert_eq!(to_hex(&b.encode()), hex);
    assert_eq!(Block::decode(&from_hex(&hex).unwrap()).unwrap(), b);
    // The block applied by both implementations gives the same state.
    let infos: Vec<_> = IMPLS
        .iter()
        .map(|(_, make)| make(&DEFAULT, Config::default()).apply_block(&b))
        .collect();
    assert!(infos[0].is_ok());
    assert_eq!(infos[0], infos[1]);
}

#[test]
fn d16_pending_changes() {
    each(|make| {
        let mut db = four(make);
        assert!(db.has_pending());
        db.commit().unwrap();
        assert!(!db.has_pending());
        db.update(2, b"x", 9).unwrap();
        assert!(db.has_pending());
        db.update(2, &from_hex(FOUR[2].0).unwrap(), FOUR[2].1)
            .unwrap();
        assert!(!db.has_pending(), "an undone update is no change");
        let info = db.commit().unwrap();
        assert_eq!(db.mmr_set(info.height).unwrap().nodes, vec![]);
    });
}

#[test]
fn d18_mmr_sets_of_appends_and_a_spend() {
    each(|make| {
        let mut db = make(&DEFAULT, Config::default());
        for (d, v) in &FOUR[..2] {
            db.append(&from_hex(d).unwrap(), *v).unwrap();
        }
        db.commit().unwrap();
        db.append(&from_hex(FOUR[2].0).unwrap(), 3).unwrap();
        db.commit().unwrap();
        db.append(&from_hex(FOUR[3].0).unwrap(), 4).unwrap();
        db.commit().unwrap();
        db.spend(1, b"spent").unwrap();
        db.commit().unwrap();
        let positions = |h: u64| -> Vec<u64> {
            db.mmr_set(h)
                .unwrap()
                .nodes
                .iter()
                .map(|(p, _)| *p)
                .collect()
        };
        assert_eq!(positions(2), [3]);
        assert_eq!(positions(3), [4, 5, 6]);
        assert_eq!(positions(4), [1, 2, 6]);
        let s2 = db.mmr_set(2).unwrap();
        assert_eq!(s2.nodes, vec![(3, n(FOUR_NODES[3].0, 3))]);
        assert_eq!((s2.prev_size, s2.size), (3, 4));
        assert_eq!(
            s2.prev_root,
            n(
                "5ebe25a8dcdb22f2e615f719688e0ac530deba729ec57a74fdc21d790bcbdab7",
                3
            )
        );
        assert_eq!(
            s2.root,
            n(
                "185d56043a42b877cb4be19dad88c4772bc6b96cbbbfb6fc3e2e16c0b67c4c89",
                6
            )
        );
        let s3 = db.mmr_set(3).unwrap();
        let want: Vec<(u64, Node)> = (4..7)
            .map(|p| (p as u64, n(FOUR_NODES[p].0, FOUR_NODES[p].1)))
            .collect();
        assert_eq!(s3.nodes, want);
        assert_eq!(s3.encode().len(), 112 + 3 * 48);
    });
}

#[test]
fn d19_retention_example() {
    each(|make| {
        let mut db = make(&DEFAULT, Config { retain: 2 });
        for i in 0..5 {
            db.append(&data(i), 1).unwrap();
            db.commit().unwrap();
        }
        assert_eq!((db.height(), db.oldest()), (5, 3));
        assert_eq!(
            db.state(At::Block(2)),
            Err(Error::NotRetained {
                height: 2,
                oldest: 3
            })
        );
        let block3 = db.state(At::Block(3)).unwrap();
        db.rewind(3).unwrap();
        assert_eq!((db.height(), db.oldest()), (3, 3));
        assert_eq!(db.state(At::Current).unwrap(), block3);
    });
}

#[test]
fn d20_leaf_set_encoding() {
    each(|make| {
        let mut db = db_with(make, &DEFAULT, 10);
        for i in [1, 3, 4, 5, 6, 7, 8] {
            db.spend(i, b"x").unwrap();
        }
        assert_eq!(
            to_hex(&db.leaf_set(At::Current).unwrap()),
            "0a00000000000000a040"
        );
    });
}

/// D21 and D22: the compaction example and its prune-list byte.
#[test]
fn d21_d22_compaction_example() {
    each(|make| {
        let mut db = four(make);
        db.spend(0, b"s0").unwrap();
        db.spend(1, b"s1").unwrap();
        db.commit().unwrap();
        let r = db.compact(1).unwrap();
        assert_eq!((r.horizon, r.dropped, r.total_dropped), (1, 2, 2));
        assert_eq!(db.node(At::Current, 0), Err(Error::Pruned { pos: 0 }));
        assert_eq!(db.node(At::Current, 1), Err(Error::Pruned { pos: 1 }));
        assert!(db.node(At::Current, 2).is_ok());
        assert_eq!(db.prune_list(), vec![0xc0]);
        db.spend(2, b"s2").unwrap();
        db.commit().unwrap();
        assert_eq!(db.compact(2).unwrap().dropped, 0);
        assert!(db.node(At::Current, 3).is_ok() && db.node(At::Current, 4).is_ok());
        db.spend(3, b"s3").unwrap();
        db.commit().unwrap();
        let r = db.compact(3).unwrap();
        assert_eq!((r.dropped, r.total_dropped), (4, 6));
        for p in 0..6 {
            assert_eq!(db.node(At::Current, p), Err(Error::Pruned { pos: p }));
        }
        assert!(db.node(At::Current, 6).is_ok());
        assert_eq!(db.prune_list(), vec![0xfc]);
    });
}
