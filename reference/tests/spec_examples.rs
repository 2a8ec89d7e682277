//! Every worked example of SPEC.md, checked against the reference. Each test names its
//! definition. Hash values are the ones printed in SPEC.md, which come from the independent
//! Python model `spec/examples/default_profile.py`; the test-bagging values (D11 shapes)
//! were pasted from that script's extended output (same script, standard library only).

mod common;

use common::{FOLD_RIGHT, PEAK_TREE, data, db_with, h, n, test_bag};
use mmr_reference::{Reference, addr};
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, BatchProof, Block, BlockOp, Config, Error, Leaf, Node, Proof, ProofDb, Side, Step,
    from_hex, to_hex,
};

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
fn four() -> Reference<&'static mmr_spec::profiles::DefaultProfile> {
    let mut db = Reference::new(&DEFAULT, Config::default());
    for (d, v) in FOUR {
        db.append(&from_hex(d).unwrap(), v).unwrap();
    }
    db
}

/// The seven-leaf database of D11's second example (data [i], value i+1).
fn seven() -> Reference<&'static mmr_spec::profiles::DefaultProfile> {
    let mut db = Reference::new(&DEFAULT, Config::default());
    for i in 0..7u8 {
        db.append(&[i], u64::from(i) + 1).unwrap();
    }
    db
}

#[test]
fn d1_positions_of_four_leaves() {
    // Leaves 0, 1, 3, 4 at height 0; 2 and 5 at height 1; 6 at height 2.
    let heights: Vec<u32> = (0..7).map(|p| addr::height(p).unwrap()).collect();
    assert_eq!(heights, [0, 0, 1, 0, 0, 1, 2]);
    let db = four();
    assert_eq!(db.size(), 7);
}

#[test]
fn d2_heights() {
    assert_eq!(addr::height(6), Some(2));
    assert_eq!(addr::height(7), Some(0));
    assert_eq!(addr::height(9), Some(1));
    assert_eq!(addr::height(10), Some(0));
}

#[test]
fn d3_leaf_positions_and_indices() {
    let pos: Vec<u64> = (0..8).map(|i| addr::leaf_pos(i).unwrap()).collect();
    assert_eq!(pos, [0, 1, 3, 4, 7, 8, 10, 11]);
    assert_eq!(addr::addr_of(10), Some(addr::Addr::leaf(6)));
}

#[test]
fn d4_valid_and_invalid_sizes() {
    for s in [0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22] {
        assert!(addr::leaf_count(s).is_some(), "size {s} is valid");
    }
    for s in [2, 5, 6, 9, 12, 13, 14, 17] {
        assert_eq!(addr::leaf_count(s), None, "size {s} is invalid");
    }
    assert_eq!(addr::leaf_count(11), Some(7));
}

#[test]
fn d5_row_entry_addressing() {
    use addr::{Addr, addr_of, position};
    assert_eq!(position(Addr { row: 0, entry: 2 }), Some(3));
    assert_eq!(position(Addr { row: 1, entry: 1 }), Some(5));
    assert_eq!(position(Addr { row: 2, entry: 0 }), Some(6));
    assert_eq!(addr_of(9), Some(Addr { row: 1, entry: 2 }));
    assert_eq!(addr_of(10), Some(Addr { row: 0, entry: 6 }));
}

#[test]
fn d6_peaks() {
    assert_eq!(addr::peak_positions(11), Some(vec![6, 9, 10]));
    let heights: Vec<u32> = [6, 9, 10]
        .iter()
        .map(|&p| addr::height(p).unwrap())
        .collect();
    assert_eq!(heights, [2, 1, 0]);
    assert_eq!(addr::peak_positions(0), Some(vec![]));
    assert_eq!(addr::peak_positions(7), Some(vec![6]));
}

#[test]
fn d7_family() {
    assert_eq!(addr::parent_pos(3), Some(5));
    assert_eq!(addr::sibling_pos(3), Some(4));
    assert_eq!(addr::parent_pos(2), Some(6));
    assert_eq!(addr::sibling_pos(2), Some(5));
    assert_eq!(addr::children_pos(6), Some((2, 5)));
}

#[test]
fn d8_limits() {
    assert_eq!(addr::size_of(1 << 63), Some(u64::MAX));
    assert_eq!(addr::leaf_count(u64::MAX), Some(1 << 63));
    assert_eq!(addr::leaf_count(u64::MAX - 1), None);
    assert_eq!(addr::leaf_pos((1 << 63) - 1), Some(u64::MAX - 64)); // 2^64 - 65
    assert_eq!(addr::height(u64::MAX - 1), Some(63)); // the root, at 2^64 - 2
    assert_eq!(addr::parent_pos(u64::MAX - 1), None);
    assert_eq!(addr::height(u64::MAX), None); // u64::MAX is not a position
}

#[test]
fn d11_empty_root_and_growing_roots() {
    let mut db = Reference::new(&DEFAULT, Config::default());
    assert_eq!(db.root(At::Current).unwrap(), n(EMPTY_ROOT, 0));
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
}

#[test]
fn d11_nodes_of_four_leaves() {
    let db = four();
    for (pos, (hash, value)) in FOUR_NODES.iter().enumerate() {
        assert_eq!(
            db.node(At::Current, pos as u64).unwrap(),
            n(hash, *value),
            "pos {pos}"
        );
    }
}

#[test]
fn d11_seven_leaves_root_and_peaks() {
    let db = seven();
    let st = db.state(At::Current).unwrap();
    assert_eq!((st.size, st.leaf_count), (11, 7));
    assert_eq!(st.root, n(SEVEN_ROOT, 28));
    for (k, (pos, hash, value)) in SEVEN_PEAKS.iter().enumerate() {
        assert_eq!(st.peaks[k], n(hash, *value));
        assert_eq!(db.node(At::Current, *pos).unwrap(), n(hash, *value));
    }
}

/// D11 bagging shapes on the seven-leaf peaks, with the test bag hash; expected values
/// from the extended `spec/examples/default_profile.py`.
#[test]
fn d11_fold_right_and_peak_tree_shapes() {
    let p: Vec<Node> = SEVEN_PEAKS.iter().map(|(_, hh, v)| n(hh, *v)).collect();
    let fr = db_with(FOLD_RIGHT, 7).root(At::Current).unwrap();
    let pt = db_with(PEAK_TREE, 7).root(At::Current).unwrap();
    // Python model values.
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
    // The shapes spelled out: bag(p0, bag(p1, p2)) and bag(bag(p0, p1), p2).
    assert_eq!(fr, test_bag(11, &p[0], &test_bag(11, &p[1], &p[2])));
    assert_eq!(pt, test_bag(11, &test_bag(11, &p[0], &p[1]), &p[2]));
    // Four peaks (15 leaves, size 26): Python model values.
    let fr = db_with(FOLD_RIGHT, 15).root(At::Current).unwrap();
    let pt = db_with(PEAK_TREE, 15).root(At::Current).unwrap();
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
}

#[test]
fn d12_spend_leaf_one() {
    let mut db = four();
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
    // Leaf set {0, 2, 3}: count 4, bits 1011_0000 (D20 layout).
    assert_eq!(
        to_hex(&db.leaf_set(At::Current).unwrap()),
        "0400000000000000b0"
    );
}

#[test]
fn d13_proof_of_leaf_four_and_its_encoding() {
    let db = seven();
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
}

#[test]
fn d15_batch_items_of_leaves_zero_and_three() {
    let db = four();
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
}

#[test]
fn d17_block_encoding() {
    // [append(ASCII "ab", 5)]: count, tag, value, data length 2, the bytes 0x61 0x62.
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
}

#[test]
fn d18_mmr_sets_of_appends_and_a_spend() {
    let mut db = Reference::new(&DEFAULT, Config::default());
    for (d, v) in &FOUR[..2] {
        db.append(&from_hex(d).unwrap(), *v).unwrap();
    }
    db.commit().unwrap(); // block 1: size 3
    db.append(&from_hex(FOUR[2].0).unwrap(), 3).unwrap();
    db.commit().unwrap(); // block 2: size 4
    db.append(&from_hex(FOUR[3].0).unwrap(), 4).unwrap();
    db.commit().unwrap(); // block 3: size 7
    db.spend(1, b"spent").unwrap();
    db.commit().unwrap(); // block 4
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
    // Encoding: 112 bytes of header plus 48 per node, D18.
    assert_eq!(s3.encode().len(), 112 + 3 * 48);
}

#[test]
fn d19_retention_example() {
    let mut db = Reference::new(&DEFAULT, Config { retain: 2 });
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
}

#[test]
fn d20_leaf_set_encoding() {
    let mut db = db_with(&DEFAULT, 10);
    for i in [1, 3, 4, 5, 6, 7, 8] {
        db.spend(i, b"x").unwrap();
    }
    assert_eq!(
        to_hex(&db.leaf_set(At::Current).unwrap()),
        "0a00000000000000a040"
    );
}

/// D21 and D22: the compaction example and its prune-list byte.
#[test]
fn d21_d22_compaction_example() {
    let mut db = four();
    db.spend(0, b"s0").unwrap();
    db.spend(1, b"s1").unwrap();
    db.commit().unwrap(); // block 1
    let r = db.compact(1).unwrap();
    assert_eq!((r.horizon, r.dropped, r.total_dropped), (1, 2, 2));
    assert_eq!(db.node(At::Current, 0), Err(Error::Pruned { pos: 0 }));
    assert_eq!(db.node(At::Current, 1), Err(Error::Pruned { pos: 1 }));
    assert!(db.node(At::Current, 2).is_ok());
    assert_eq!(db.prune_list(), vec![0xc0]); // D22
    db.spend(2, b"s2").unwrap();
    db.commit().unwrap(); // block 2
    assert_eq!(db.compact(2).unwrap().dropped, 0);
    assert!(db.node(At::Current, 3).is_ok() && db.node(At::Current, 4).is_ok());
    db.spend(3, b"s3").unwrap();
    db.commit().unwrap(); // block 3
    let r = db.compact(3).unwrap();
    assert_eq!((r.dropped, r.total_dropped), (4, 6));
    for p in 0..6 {
        assert_eq!(db.node(At::Current, p), Err(Error::Pruned { pos: p }));
    }
    assert!(db.node(At::Current, 6).is_ok());
    assert_eq!(db.prune_list(), vec![0xfc]);
}
