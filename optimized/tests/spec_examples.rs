//! SPEC.md's worked examples, run against mmr-optimized. Every expected hash comes from
//! SPEC.md, computed by the independent model spec/examples/default_profile.py.

use mmr_optimized::{Optimized, OptimizedClient};
use mmr_spec::{
    At, Block, BlockOp, Client, ClientState, Config, Error, ErrorKind, Hash, MmrSet, Node, ProofDb,
    Side, leaf_node, profiles::DEFAULT,
};

fn h(s: &str) -> Hash {
    Hash::from_hex(s).unwrap()
}

fn db() -> Optimized<mmr_optimized::Sha3Default> {
    Optimized::new(Config::default())
}

const FOUR: [(&str, u64); 4] = [("000102", 1), ("010203", 2), ("020304", 3), ("030405", 4)];

fn four() -> Optimized<mmr_optimized::Sha3Default> {
    let mut d = db();
    for (data, v) in FOUR {
        d.append(&mmr_spec::from_hex(data).unwrap(), v).unwrap();
    }
    d
}

fn seven() -> Optimized<mmr_optimized::Sha3Default> {
    let mut d = db();
    for i in 0..7u8 {
        d.append(&[i], u64::from(i) + 1).unwrap();
    }
    d
}

#[test]
fn d11_empty_root_and_four_leaves() {
    let mut d = db();
    assert_eq!(
        d.root(At::Current).unwrap(),
        Node::new(
            h("55da9afaffb81659a09f8c84fa79f372e421987740e52b2aff0a7dd88bd62c0d"),
            0
        )
    );
    let roots = [
        (
            "a6501dda2c657b17a0d7fe24e9b3d0cf7b707134ad3a0e6a0a40cafa8e20abb0",
            1,
            1,
        ),
        (
            "5ebe25a8dcdb22f2e615f719688e0ac530deba729ec57a74fdc21d790bcbdab7",
            3,
            3,
        ),
        (
            "185d56043a42b877cb4be19dad88c4772bc6b96cbbbfb6fc3e2e16c0b67c4c89",
            4,
            6,
        ),
        (
            "8611e3753d6a803f16cbf7d85ce06a4a9c008f3d7b8d74c15388bc0e7248d64b",
            7,
            10,
        ),
    ];
    for (i, (data, v)) in FOUR.iter().enumerate() {
        assert_eq!(
            d.append(&mmr_spec::from_hex(data).unwrap(), *v).unwrap(),
            i as u64
        );
        let (root, size, total) = roots[i];
        assert_eq!(d.size(), size);
        assert_eq!(d.root(At::Current).unwrap(), Node::new(h(root), total));
    }
    let nodes = [
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
    for (pos, (hash, v)) in nodes.iter().enumerate() {
        assert_eq!(
            d.node(At::Current, pos as u64).unwrap(),
            Node::new(h(hash), *v)
        );
    }
    assert_eq!(
        d.node(At::Current, 7).unwrap_err().kind(),
        ErrorKind::PositionOutOfRange
    );
}

#[test]
fn d11_seven_leaves_and_d13_proof() {
    let d = seven();
    let st = d.state(At::Current).unwrap();
    assert_eq!(st.size, 11);
    assert_eq!(st.leaf_count, 7);
    assert_eq!(
        st.root,
        Node::new(
            h("6920c836a6bdb067192bff9d154a365e59aadf4cafebf7d772962fdc6eb0ce5e"),
            28
        )
    );
    let p6 = Node::new(
        h("5538b5f4f45da6024e9d24f594a8099250b0713cd75eba1962703db5074a54f2"),
        10,
    );
    let p9 = Node::new(
        h("cb7a747e7d220472eab8bd458677c8edd9ae78bcc91e563f18a519dded3852da"),
        11,
    );
    let p10 = Node::new(
        h("c84f38a52ca41e272235c2accc08e7a7b8ac4604e2abf59bc1c059834bbd8755"),
        7,
    );
    assert_eq!(st.peaks, vec![p6, p9, p10]);
    let proof = d.prove(At::Current, 4).unwrap();
    assert_eq!((proof.size, proof.pos), (11, 7));
    let n8 = Node::new(
        h("d9a62030b75054695b76fea5f6fff31a923cbac97cd9f8e6589050098e9081cf"),
        6,
    );
    let sides: Vec<_> = proof.path.iter().map(|s| (s.side, s.node)).collect();
    assert_eq!(
        sides,
        vec![(Side::Right, n8), (Side::Left, p6), (Side::Right, p10)]
    );
    assert_eq!(proof.encode().unwrap().len(), 140);
    d.verify(&st.root, &proof, &[4], 5).unwrap();
    assert_eq!(
        d.verify(&st.root, &proof, &[4], 6).unwrap_err().kind(),
        ErrorKind::SumMismatch
    );
    assert_eq!(
        d.verify(&st.root, &proof, &[5], 5).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
}

#[test]
fn d12_spend_example() {
    let mut d = four();
    d.commit().unwrap();
    d.spend(1, b"spent").unwrap();
    assert_eq!(
        d.root(At::Current).unwrap(),
        Node::new(
            h("c653c06cef7ac6a22c484714abcc29565bbc0c72a1fd50d03e4597f0e038b5bf"),
            8
        )
    );
    let info = d.commit().unwrap();
    assert_eq!(info.height, 2);
    // D20: leaf set {0, 2, 3} of 4.
    assert_eq!(
        d.leaf_set(At::Current).unwrap(),
        vec![4, 0, 0, 0, 0, 0, 0, 0, 0b1011_0000]
    );
    // D18: spending leaf 1 changes positions 1, 2 and 6.
    let set = d.mmr_set(2).unwrap();
    assert_eq!(
        set.nodes.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![1, 2, 6]
    );
    assert_eq!(d.spend(1, b"x").unwrap_err(), Error::LeafSpent { index: 1 });
    assert_eq!(
        d.update(1, b"x", 3).unwrap_err(),
        Error::LeafSpent { index: 1 }
    );
}

#[test]
fn d15_batch_example() {
    let d = four();
    let bp = d.prove_batch(At::Current, &[3, 0]).unwrap();
    assert_eq!(bp.leaves, vec![0, 4]);
    assert_eq!(
        bp.items,
        vec![
            (1, d.node(At::Current, 1).unwrap()),
            (3, d.node(At::Current, 3).unwrap())
        ]
    );
    let root = d.root(At::Current).unwrap();
    let l0 = d.node(At::Current, 0).unwrap();
    let l4 = d.node(At::Current, 4).unwrap();
    d.verify_batch_nodes(&root, &bp, &[l0, l4]).unwrap();
}

#[test]
fn d17_d18_block_and_set_examples() {
    let b = Block {
        ops: vec![BlockOp::Append {
            data: vec![0xab],
            value: 5,
        }],
    };
    assert_eq!(
        mmr_spec::to_hex(&b.encode()),
        "00000000000000010000000000000000050000000000000001ab"
    );
    let mut d = db();
    for i in 0..2u8 {
        d.append(&[i], 1).unwrap();
    }
    d.commit().unwrap();
    d.append(&[2], 1).unwrap();
    d.commit().unwrap();
    d.append(&[3], 1).unwrap();
    d.commit().unwrap();
    let s2 = d.mmr_set(2).unwrap();
    assert_eq!(s2.nodes, vec![(3, d.node(At::Block(2), 3).unwrap())]);
    let s3 = d.mmr_set(3).unwrap();
    assert_eq!(
        s3.nodes.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![4, 5, 6]
    );
    assert_eq!((s3.prev_size, s3.size), (4, 7));
    assert_eq!(s3.prev_root, d.root(At::Block(2)).unwrap());
    assert_eq!(MmrSet::decode(&s3.encode()).unwrap(), s3);
}

#[test]
fn d19_retention_example() {
    let mut d = Optimized::new(Config { retain: 2 });
    for i in 0..5u8 {
        d.append(&[i], 1).unwrap();
        d.commit().unwrap();
    }
    assert_eq!(d.oldest(), 3);
    assert_eq!(
        d.state(At::Block(2)).unwrap_err().kind(),
        ErrorKind::NotRetained
    );
    assert_eq!(
        d.state(At::Block(6)).unwrap_err().kind(),
        ErrorKind::FutureHeight
    );
    let s3 = d.state(At::Block(3)).unwrap();
    d.rewind(3).unwrap();
    assert_eq!((d.height(), d.oldest()), (3, 3));
    assert_eq!(d.state(At::Current).unwrap(), s3);
    assert_eq!(d.size(), 4);
}

#[test]
fn d21_d22_compaction_example() {
    let mut d = four();
    d.commit().unwrap(); // 1
    // Leaves 0 and 1 spent in block 2.
    d.apply_block(&Block {
        ops: vec![
            BlockOp::Spend {
                index: 0,
                data: vec![],
            },
            BlockOp::Spend {
                index: 1,
                data: vec![],
            },
        ],
    })
    .unwrap();
    assert_eq!(d.prune_list(), Vec::<u8>::new());
    let r = d.compact(2).unwrap();
    assert_eq!((r.horizon, r.dropped, r.total_dropped), (2, 2, 2));
    assert_eq!(d.prune_list(), vec![0xc0]);
    assert_eq!(
        d.node(At::Current, 0).unwrap_err(),
        Error::Pruned { pos: 0 }
    );
    assert!(d.node(At::Current, 2).is_ok());
    assert_eq!(
        d.prove(At::Current, 1).unwrap_err(),
        Error::Pruned { pos: 1 }
    );
    d.prove(At::Current, 2).unwrap();
    d.prove(At::Current, 3).unwrap();
    assert_eq!(d.rewind(1).unwrap_err().kind(), ErrorKind::BelowHorizon);
    // Spend leaf 2: nothing more is dropped.
    d.spend(2, b"").unwrap();
    d.commit().unwrap();
    assert_eq!(d.compact(3).unwrap().dropped, 0);
    d.spend(3, b"").unwrap();
    d.commit().unwrap();
    let r = d.compact(4).unwrap();
    assert_eq!(r.total_dropped, 6);
    assert_eq!(d.prune_list(), vec![0xfc]);
    assert_eq!(d.root(At::Current).unwrap().value, 0);
}

#[test]
fn d23_unprune_restores_a_proof() {
    let mut d = four();
    d.commit().unwrap();
    let leaf1_before = d.node(At::Current, 1).unwrap();
    d.spend(0, b"s0").unwrap();
    d.spend(1, b"s1").unwrap();
    d.commit().unwrap();
    let proof = d.prove(At::Current, 1).unwrap();
    let leaf = d.node(At::Current, 1).unwrap();
    d.compact(2).unwrap();
    assert_eq!(
        d.prove(At::Current, 1).unwrap_err(),
        Error::Pruned { pos: 1 }
    );
    let mut bad = proof.clone();
    bad.size = 4;
    assert_eq!(
        d.unprune(&bad, &leaf).unwrap_err(),
        Error::SizeMismatch {
            expected: 7,
            got: 4
        }
    );
    // The leaf as it was before its spend is not the leaf the proof is of: its value is
    // gone from the root (D23 restores only what the current root commits to).
    assert_ne!(leaf1_before, leaf);
    assert_eq!(leaf.value, 0);
    assert_eq!(
        d.unprune(&proof, &leaf1_before).unwrap_err().kind(),
        ErrorKind::SumMismatch
    );
    let wrong = leaf_node(&DEFAULT, 1, b"zz", 0);
    assert_eq!(
        d.unprune(&proof, &wrong).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
    assert_eq!(d.unprune(&proof, &leaf).unwrap(), 2); // positions 1 and 0
    assert_eq!(d.prove(At::Current, 1).unwrap(), proof);
    assert_eq!(d.prune_list(), vec![0x00]);
    assert_eq!(d.unprune(&proof, &leaf).unwrap(), 0);
}

#[test]
fn d24_client_follows_blocks() {
    let mut d = seven();
    d.commit().unwrap();
    let st = d.state(At::Current).unwrap();
    let mut c = OptimizedClient::new(ClientState {
        height: 1,
        size: st.size,
        peaks: st.peaks.clone(),
    })
    .unwrap();
    for i in [0u64, 4, 6] {
        let p = d.prove(At::Current, i).unwrap();
        c.track(&p, &d.node(At::Current, p.pos).unwrap()).unwrap();
    }
    d.append(b"x", 3).unwrap();
    d.update(4, b"new", 9).unwrap();
    d.commit().unwrap();
    d.spend(0, b"gone").unwrap();
    d.commit().unwrap();
    for hgt in 2..=3 {
        let set = d.mmr_set(hgt).unwrap();
        // A set for the wrong height or parent is refused and changes nothing.
        let mut wrong = set.clone();
        wrong.height += 1;
        assert_eq!(
            c.apply(&wrong).unwrap_err().kind(),
            ErrorKind::HeightMismatch
        );
        c.apply(&set).unwrap();
        assert_eq!(c.peaks(), d.state(At::Block(hgt)).unwrap().peaks);
        for i in c.tracked() {
            assert_eq!(c.proof(i).unwrap(), d.prove(At::Block(hgt), i).unwrap());
        }
    }
    assert_eq!(c.leaf(4).unwrap().value, 9);
    assert_eq!(c.leaf(0).unwrap().value, 0);
    assert_eq!(c.root().unwrap(), d.root(At::Current).unwrap());
    let p = d.prove(At::Current, 4).unwrap();
    c.verify(&p, b"new", 9).unwrap();
    assert_eq!(c.untrack(5).unwrap_err().kind(), ErrorKind::NotTracked);
    // Client creation checks (D24).
    let bad = ClientState {
        height: 0,
        size: 5,
        peaks: vec![],
    };
    assert_eq!(
        OptimizedClient::new(bad).unwrap_err(),
        Error::InvalidSize { size: 5 }
    );
    let few = ClientState {
        height: 0,
        size: 11,
        peaks: st.peaks[..1].to_vec(),
    };
    assert_eq!(
        OptimizedClient::new(few).unwrap_err(),
        Error::MissingNode { pos: 9 }
    );
    let mut many = st.peaks.clone();
    many.push(st.peaks[0]);
    assert_eq!(
        OptimizedClient::new(ClientState {
            height: 0,
            size: 11,
            peaks: many
        })
        .unwrap_err(),
        Error::MalformedSet { pos: 11 }
    );
}
