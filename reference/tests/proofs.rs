//! Issue 2: positions, sizes, peaks, roots, sums and updates (unit and bounded property
//! tests against a naive second model), and every rejection rule of D14 and D15, each with
//! a test that builds the bad input and expects the specific error kind.

mod common;

use common::{FOLD_RIGHT, Model, PEAK_TREE, all_shapes, data, db_with};
use mmr_reference::{Reference, addr};
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, BatchProof, Config, Error, ErrorKind, Leaf, Node, Profile, Proof, ProofDb, Side, leaf_node,
};
use proptest::prelude::*;

// ---------- D1-D8: positions, sizes, peaks against a simulation of D1 ----------

/// Simulates D1 (append leaves, number nodes in postorder) for `leaves` leaves, returning
/// each position's height and each leaf's position.
fn simulate(leaves: u64) -> (Vec<u32>, Vec<u64>) {
    let (mut heights, mut leaf_pos) = (Vec::new(), Vec::new());
    for i in 0..leaves {
        leaf_pos.push(heights.len() as u64);
        heights.push(0);
        let (mut k, mut h) = (i, 0);
        while k % 2 == 1 {
            h += 1;
            heights.push(h);
            k /= 2;
        }
    }
    (heights, leaf_pos)
}

#[test]
fn d1_to_d6_agree_with_a_simulation() {
    let (heights, leaf_pos) = simulate(600);
    for (p, &h) in heights.iter().enumerate() {
        assert_eq!(addr::height(p as u64), Some(h), "D2 height of {p}");
        let a = addr::addr_of(p as u64).unwrap();
        assert_eq!((a.row, addr::position(a)), (h, Some(p as u64)), "D5 at {p}");
    }
    for (i, &p) in leaf_pos.iter().enumerate() {
        assert_eq!(addr::leaf_pos(i as u64), Some(p), "D3 leaf {i}");
    }
    // D4: the valid sizes are exactly the node counts after each append.
    let valid: Vec<u64> = (0..=600).map(|n| simulate(n).0.len() as u64).collect();
    for s in 0..*valid.last().unwrap() {
        let n = valid.iter().position(|&v| v == s).map(|n| n as u64);
        assert_eq!(addr::leaf_count(s), n, "D4 size {s}");
    }
    // D6: peaks by peeling.
    for &s in &valid {
        assert_eq!(
            addr::peak_positions(s),
            Some(Model::peak_positions(s)),
            "D6 size {s}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// D4/D8: size and leaf count invert over the whole domain; neighbours of a valid size
    /// that are not sizes are rejected.
    #[test]
    fn sizes_invert(n in 0u64..=(1u64 << 63)) {
        let s = addr::size_of(n).unwrap();
        prop_assert_eq!(addr::leaf_count(s), Some(n));
        prop_assert_eq!(s as u128, 2 * n as u128 - u128::from(n.count_ones()));
        if n < (1 << 63) {
            let next = addr::size_of(n + 1).unwrap();
            for gap in s + 1..next {
                prop_assert_eq!(addr::leaf_count(gap), None);
            }
        }
    }

    /// D5/D2/D7 over the whole position domain: the address round-trips, its row is D2's
    /// height, and the family by positions equals the family by (row, entry).
    #[test]
    fn positions_round_trip(p in 0u64..u64::MAX) {
        let a = addr::addr_of(p).unwrap();
        prop_assert_eq!(addr::position(a), Some(p));
        prop_assert_eq!(addr::height(p), Some(a.row));
        prop_assert_eq!(addr::parent_pos(p), addr::parent(a).and_then(addr::position));
        prop_assert_eq!(addr::sibling_pos(p), addr::position(addr::sibling(a)));
    }

    /// D6: the peaks of n leaves cover positions 0..size exactly, highest first.
    #[test]
    fn peaks_cover_the_size(n in 0u64..=(1u64 << 63)) {
        let size = addr::size_of(n).unwrap();
        let peaks = addr::peak_positions(size).unwrap();
        let mut covered: u128 = 0;
        for (k, &p) in peaks.iter().enumerate() {
            let h = addr::height(p).unwrap();
            prop_assert_eq!(u128::from(p) + 1, covered + (1u128 << (h + 1)) - 1, "peak {}", k);
            covered = u128::from(p) + 1;
        }
        prop_assert_eq!(covered, u128::from(size));
    }
}

#[test]
fn d8_edges_give_none_not_panics() {
    assert_eq!(addr::addr_of(u64::MAX), None);
    assert_eq!(addr::height(u64::MAX), None);
    assert_eq!(addr::leaf_pos(1 << 63), None);
    assert_eq!(addr::leaf_pos(u64::MAX), None);
    assert_eq!(addr::size_of(u64::MAX), None);
    assert_eq!(addr::peak_positions(u64::MAX - 1), None);
    assert_eq!(addr::peak_positions(u64::MAX).map(|p| p.len()), Some(1));
    assert_eq!(
        addr::children_pos(u64::MAX - 1),
        Some(((1 << 63) - 2, u64::MAX - 2))
    );
}

// ---------- D9-D12: roots, sums, updates against the model ----------

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Appends, updates and spends in random order: after each step the root (every shape)
    /// equals the model's, and the total is the sum of the leaf values.
    #[test]
    fn roots_sums_updates_match_the_model(
        ops in proptest::collection::vec((0u8..3, any::<u64>(), 0u64..1000), 1..40),
        shape in 0usize..4,
    ) {
        let p = all_shapes()[shape];
        let mut db = Reference::new(p, Config::default());
        let mut model = Model::default();
        let mut spent = std::collections::BTreeSet::new();
        for (kind, pick, value) in ops {
            let n = model.leaves.len() as u64;
            match kind {
                1 if n > 0 && !spent.contains(&(pick % n)) => {
                    let i = pick % n;
                    db.update(i, &pick.to_be_bytes(), value).unwrap();
                    model.leaves[i as usize] = (pick.to_be_bytes().to_vec(), value);
                }
                2 if n > 0 && !spent.contains(&(pick % n)) => {
                    let i = pick % n;
                    db.spend(i, b"spent").unwrap();
                    model.leaves[i as usize] = (b"spent".to_vec(), 0);
                    spent.insert(i);
                }
                _ => {
                    db.append(&pick.to_be_bytes(), value).unwrap();
                    model.leaves.push((pick.to_be_bytes().to_vec(), value));
                }
            }
            let root = db.root(At::Current).unwrap();
            prop_assert_eq!(root, model.root(p));
            prop_assert_eq!(root.value, model.leaves.iter().map(|l| l.1).sum::<u64>());
            let nodes = model.nodes(p);
            prop_assert_eq!(db.size(), nodes.len() as u64);
        }
        let nodes = model.nodes(p);
        for (pos, node) in nodes.iter().enumerate() {
            prop_assert_eq!(db.node(At::Current, pos as u64).unwrap(), *node);
        }
    }
}

#[test]
fn d9_d12_value_overflow_is_refused_and_changes_nothing() {
    let mut db = Reference::new(&DEFAULT, Config::default());
    db.append(b"a", u64::MAX - 5).unwrap();
    db.append(b"b", 5).unwrap();
    let before = common::snap(&db);
    assert_eq!(db.append(b"c", 1), Err(Error::ValueOverflow));
    assert_eq!(db.update(1, b"b", 6), Err(Error::ValueOverflow));
    assert_eq!(common::snap(&db), before);
    db.update(1, b"b", 4).unwrap();
    db.update(0, b"a", u64::MAX - 4).unwrap();
    assert_eq!(db.root(At::Current).unwrap().value, u64::MAX);
}

// ---------- D13/D14: coin proofs ----------

/// Every leaf of every size up to 24 (16 for the non-flat shapes) under every shape: the proof verifies, has D13's
/// length, and every single tamper (each step's hash, value, side; size; position; the
/// leaf's data and value) is rejected.
#[test]
fn d13_d14_every_proof_verifies_and_every_tamper_is_rejected() {
    for p in all_shapes() {
        let max = if p.bagging() == mmr_spec::Bagging::Flat {
            24
        } else {
            16
        };
        let mut db = Reference::new(p, Config::default());
        for count in 1..=max {
            db.append(&data(count - 1), count).unwrap();
            let root = db.root(At::Current).unwrap();
            for i in 0..count {
                let proof = db.prove(At::Current, i).unwrap();
                let (d, v) = (data(i), i + 1);
                db.verify(&root, &proof, &d, v).unwrap();
                assert!(db.verify(&root, &proof, b"other", v).is_err());
                assert!(db.verify(&root, &proof, &d, v + 1).is_err());
                for k in 0..proof.path.len() {
                    let mut t = proof.clone();
                    t.path[k].node.hash.0[0] ^= 1;
                    assert_eq!(
                        db.verify(&root, &t, &d, v).unwrap_err().kind(),
                        ErrorKind::RootMismatch
                    );
                    let mut t = proof.clone();
                    t.path[k].node.value += 1;
                    assert_eq!(
                        db.verify(&root, &t, &d, v).unwrap_err().kind(),
                        ErrorKind::SumMismatch
                    );
                    let mut t = proof.clone();
                    t.path[k].side = if t.path[k].side == Side::Left {
                        Side::Right
                    } else {
                        Side::Left
                    };
                    assert_eq!(
                        db.verify(&root, &t, &d, v),
                        Err(Error::WrongSide {
                            step: k as u64,
                            expected: proof.path[k].side
                        })
                    );
                }
                for size in [proof.size + 1, proof.size.saturating_sub(1)] {
                    let mut t = proof.clone();
                    t.size = size;
                    if size != proof.size {
                        assert!(db.verify(&root, &t, &d, v).is_err());
                    }
                }
                let mut t = proof.clone();
                t.pos += 1;
                assert!(db.verify(&root, &t, &d, v).is_err());
            }
        }
    }
}

/// The database of the D11 seven-leaf example, and the proof of leaf 4 (position 7).
fn seven_and_proof(p: &'static dyn Profile) -> (Reference<&'static dyn Profile>, Node, Proof) {
    let db = db_with(p, 7);
    let root = db.root(At::Current).unwrap();
    let proof = db.prove(At::Current, 4).unwrap();
    (db, root, proof)
}

fn leaf4(p: &dyn Profile) -> Node {
    leaf_node(p, 7, &data(4), 5)
}

#[test]
fn d14_rule1_invalid_size() {
    for p in all_shapes() {
        let (db, root, mut proof) = seven_and_proof(p);
        for size in [2, 5, 12, u64::MAX - 1] {
            proof.size = size;
            assert_eq!(
                db.verify_node(&root, &proof, &leaf4(p)),
                Err(Error::InvalidSize { size })
            );
        }
    }
}

#[test]
fn d14_rule2_not_a_leaf() {
    for p in all_shapes() {
        let (db, root, mut proof) = seven_and_proof(p);
        for pos in [2, 6, 9, u64::MAX - 1, u64::MAX] {
            proof.pos = pos;
            assert_eq!(
                db.verify_node(&root, &proof, &leaf4(p)),
                Err(Error::NotALeaf { pos })
            );
        }
    }
}

#[test]
fn d14_rule3_index_beyond_leaf_count() {
    for p in all_shapes() {
        let (db, root, mut proof) = seven_and_proof(p);
        // Leaf 7 (position 11) of a 7-leaf MMR, and the last leaf of the largest MMR.
        for (pos, index) in [(11, 7), (u64::MAX - 64, (1 << 63) - 1)] {
            proof.pos = pos;
            assert_eq!(
                db.verify_node(&root, &proof, &leaf4(p)),
                Err(Error::LeafIndexOutOfRange {
                    index,
                    leaf_count: 7
                })
            );
        }
    }
}

#[test]
fn d14_rule4_path_too_long_and_too_short() {
    for p in all_shapes() {
        let (db, root, proof) = seven_and_proof(p);
        let len = proof.path.len() as u64;
        let mut long = proof.clone();
        long.path.push(proof.path[0]);
        assert_eq!(
            db.verify_node(&root, &long, &leaf4(p)),
            Err(Error::PathLength {
                expected: len,
                got: len + 1
            })
        );
        let mut short = proof.clone();
        short.path.pop();
        assert_eq!(
            db.verify_node(&root, &short, &leaf4(p)),
            Err(Error::PathLength {
                expected: len,
                got: len - 1
            })
        );
        let mut empty = proof.clone();
        empty.path.clear();
        assert_eq!(
            db.verify_node(&root, &empty, &leaf4(p)).unwrap_err().kind(),
            ErrorKind::PathLength
        );
    }
}

#[test]
fn d14_rule5_tampered_side() {
    for p in all_shapes() {
        let (db, root, mut proof) = seven_and_proof(p);
        proof.path[0].side = Side::Left; // node 8 is on the right of leaf 7
        assert_eq!(
            db.verify_node(&root, &proof, &leaf4(p)),
            Err(Error::WrongSide {
                step: 0,
                expected: Side::Right
            })
        );
    }
}

#[test]
fn d14_rule6_value_overflow() {
    for p in all_shapes() {
        let (db, root, mut proof) = seven_and_proof(p);
        proof.path[0].node.value = u64::MAX;
        assert_eq!(
            db.verify_node(&root, &proof, &leaf4(p)),
            Err(Error::ValueOverflow)
        );
        // Overflow in the bagging part.
        let (db, root, mut proof) = seven_and_proof(p);
        let last = proof.path.len() - 1;
        proof.path[last].node.value = u64::MAX;
        assert_eq!(
            db.verify_node(&root, &proof, &leaf4(p)),
            Err(Error::ValueOverflow)
        );
    }
}

#[test]
fn d14_rule7_tampered_value_then_hash() {
    for p in all_shapes() {
        let (db, root, mut proof) = seven_and_proof(p);
        proof.path[1].node.value += 1;
        assert_eq!(
            db.verify_node(&root, &proof, &leaf4(p)),
            Err(Error::SumMismatch {
                expected: 28,
                computed: 29
            })
        );
        let (db, root, mut proof) = seven_and_proof(p);
        proof.path[2].node.hash.0[31] ^= 0x80;
        assert_eq!(
            db.verify_node(&root, &proof, &leaf4(p)).unwrap_err().kind(),
            ErrorKind::RootMismatch
        );
        // A wrong trusted root is a root mismatch too.
        let (db, mut root, proof) = seven_and_proof(p);
        root.hash.0[0] ^= 1;
        assert_eq!(
            db.verify_node(&root, &proof, &leaf4(p)).unwrap_err().kind(),
            ErrorKind::RootMismatch
        );
    }
}

#[test]
fn d14_rules_run_in_order() {
    let (db, root, mut proof) = seven_and_proof(&DEFAULT);
    // Invalid size and internal position and wrong length: rule 1 wins.
    proof.size = 5;
    proof.pos = 6;
    proof.path.clear();
    assert_eq!(
        db.verify_node(&root, &proof, &leaf4(&DEFAULT))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidSize
    );
    proof.size = 11;
    assert_eq!(
        db.verify_node(&root, &proof, &leaf4(&DEFAULT))
            .unwrap_err()
            .kind(),
        ErrorKind::NotALeaf
    );
    proof.pos = 11;
    assert_eq!(
        db.verify_node(&root, &proof, &leaf4(&DEFAULT))
            .unwrap_err()
            .kind(),
        ErrorKind::LeafIndexOutOfRange
    );
    proof.pos = 7;
    assert_eq!(
        db.verify_node(&root, &proof, &leaf4(&DEFAULT))
            .unwrap_err()
            .kind(),
        ErrorKind::PathLength
    );
}

#[test]
fn d13_decoder_rejections() {
    let (_, _, proof) = seven_and_proof(&DEFAULT);
    let bytes = proof.encode().unwrap();
    assert_eq!(Proof::decode(&bytes).unwrap(), proof);
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        Proof::decode(&trailing).unwrap_err().kind(),
        ErrorKind::TrailingBytes
    );
    let mut side = bytes.clone();
    side[17] = 2;
    assert_eq!(
        Proof::decode(&side).unwrap_err().kind(),
        ErrorKind::InvalidSide
    );
    for cut in [0, 8, 16, 17, 18, bytes.len() - 1] {
        assert_eq!(
            Proof::decode(&bytes[..cut]).unwrap_err().kind(),
            ErrorKind::Truncated,
            "cut {cut}"
        );
    }
}

// ---------- D15: batch proofs ----------

/// Every single-element tamper of a valid batch proof and its leaves: each must fail.
fn assert_tampers_rejected(p: &dyn Profile, root: &Node, bp: &BatchProof, leaves: &[Node]) {
    let v = |b: &BatchProof, l: &[Node]| mmr_reference::batch::verify(p, root, b, l);
    for k in 0..bp.items.len() {
        let mut t = bp.clone();
        t.items[k].1.hash.0[5] ^= 4;
        assert!(v(&t, leaves).is_err(), "item {k} hash");
        let mut t = bp.clone();
        t.items[k].1.value ^= 1;
        assert!(v(&t, leaves).is_err(), "item {k} value");
        let mut t = bp.clone();
        t.items[k].0 += 1;
        assert!(v(&t, leaves).is_err(), "item {k} position");
    }
    for k in 0..bp.leaves.len() {
        let mut t = bp.clone();
        t.leaves[k] += 1;
        assert!(v(&t, leaves).is_err(), "leaf position {k}");
        let mut l = leaves.to_vec();
        l[k].hash.0[0] ^= 1;
        assert!(v(bp, &l).is_err(), "leaf {k} hash");
        let mut l = leaves.to_vec();
        l[k].value += 1;
        assert!(v(bp, &l).is_err(), "leaf {k} value");
    }
    let mut t = bp.clone();
    t.size += 1;
    assert!(v(&t, leaves).is_err(), "size");
}

/// Every non-empty subset of leaves, every size up to `max` leaves: the batch proof
/// verifies, its encoding round-trips, and (up to `tamper_max` leaves) every
/// single-element tamper is rejected.
fn all_subsets(p: &'static dyn Profile, max: u64, tamper_max: u64) {
    let mut db = Reference::new(p, Config::default());
    for count in 1..=max {
        db.append(&data(count - 1), count).unwrap();
        let root = db.root(At::Current).unwrap();
        for mask in 1u64..(1 << count) {
            let indices: Vec<u64> = (0..count).filter(|i| mask >> i & 1 == 1).collect();
            let bp = db.prove_batch(At::Current, &indices).unwrap();
            let leaves: Vec<Node> = indices
                .iter()
                .zip(&bp.leaves)
                .map(|(&i, &pos)| leaf_node(p, pos, &data(i), i + 1))
                .collect();
            db.verify_batch_nodes(&root, &bp, &leaves).unwrap();
            assert_eq!(BatchProof::decode(&bp.encode()).unwrap(), bp);
            if count <= tamper_max {
                assert_tampers_rejected(p, &root, &bp, &leaves);
            }
        }
    }
}

#[test]
fn d15_all_subsets_default_profile() {
    all_subsets(&DEFAULT, 10, 6);
}

#[test]
fn d15_all_subsets_every_shape_fast_hash() {
    for p in common::fast_shapes() {
        all_subsets(p, 12, 7);
    }
}

#[test]
fn d15_all_subsets_fold_right_and_peak_tree_sha3() {
    all_subsets(&FOLD_RIGHT, 7, 5);
    all_subsets(&PEAK_TREE, 7, 5);
}

/// The seven-leaf database and the batch proof of leaves 1, 4 and 6 (positions 1, 7, 10).
fn batch_fixture() -> (Reference<&'static dyn Profile>, Node, BatchProof, Vec<Node>) {
    let db = db_with(&DEFAULT as &dyn Profile, 7);
    let root = db.root(At::Current).unwrap();
    let bp = db.prove_batch(At::Current, &[4, 1, 6]).unwrap();
    let leaves = [1u64, 4, 6]
        .iter()
        .zip(&bp.leaves)
        .map(|(&i, &pos)| leaf_node(&DEFAULT, pos, &data(i), i + 1))
        .collect();
    (db, root, bp, leaves)
}

#[test]
fn d15_fixture_is_canonical() {
    let (db, root, bp, leaves) = batch_fixture();
    assert_eq!(bp.leaves, vec![1, 7, 10]);
    // A: 1, 2, 6 (leaf 1's path), 7, 9 (leaf 4's), 10 (a peak). Items: siblings 0, 5, 8.
    let items: Vec<u64> = bp.items.iter().map(|(p, _)| *p).collect();
    assert_eq!(items, vec![0, 5, 8]);
    db.verify_batch_nodes(&root, &bp, &leaves).unwrap();
    let data_leaves: Vec<Leaf> = [1u64, 4, 6]
        .iter()
        .map(|&i| Leaf {
            data: data(i),
            value: i + 1,
        })
        .collect();
    db.verify_batch(&root, &bp, &data_leaves).unwrap();
}

#[test]
fn d15_rejections_each_kind() {
    let (db, root, bp, leaves) = batch_fixture();
    let v = |b: &BatchProof, l: &[Node]| db.verify_batch_nodes(&root, b, l);
    // Rule 1.
    let mut t = bp.clone();
    t.size = 12;
    assert_eq!(v(&t, &leaves), Err(Error::InvalidSize { size: 12 }));
    // Rule 2.
    let t = BatchProof {
        leaves: vec![],
        ..bp.clone()
    };
    assert_eq!(v(&t, &[]), Err(Error::EmptyBatch));
    // Rule 3: not a leaf, out of range, duplicate, conflicting duplicate, unordered.
    let mut t = bp.clone();
    t.leaves[1] = 9;
    assert_eq!(v(&t, &leaves), Err(Error::NotALeaf { pos: 9 }));
    let mut t = bp.clone();
    t.leaves[2] = 11;
    assert_eq!(
        v(&t, &leaves),
        Err(Error::LeafIndexOutOfRange {
            index: 7,
            leaf_count: 7
        })
    );
    let mut t = bp.clone();
    t.leaves[2] = 7;
    assert_eq!(v(&t, &leaves), Err(Error::DuplicateLeaf { pos: 7 }));
    let mut dup = leaves.clone();
    dup[2] = leaf_node(&DEFAULT, 7, b"conflicting", 99);
    assert_eq!(v(&t, &dup), Err(Error::DuplicateLeaf { pos: 7 }));
    let mut t = bp.clone();
    t.leaves.swap(0, 1);
    assert_eq!(v(&t, &leaves), Err(Error::UnorderedLeaves { index: 1 }));
    // Rule 4.
    assert_eq!(
        v(&bp, &leaves[..2]),
        Err(Error::LeafCountMismatch {
            expected: 3,
            got: 2
        })
    );
    let mut more = leaves.clone();
    more.push(leaves[0]);
    assert_eq!(
        v(&bp, &more),
        Err(Error::LeafCountMismatch {
            expected: 3,
            got: 4
        })
    );
    // Rule 5: duplicate item, unordered items, missing item, unexpected item.
    let mut t = bp.clone();
    t.items.insert(1, t.items[0]);
    assert_eq!(v(&t, &leaves), Err(Error::DuplicateItem { pos: 0 }));
    let mut t = bp.clone();
    t.items.swap(1, 2);
    assert_eq!(v(&t, &leaves), Err(Error::UnorderedItems { index: 2 }));
    let mut t = bp.clone();
    t.items.remove(1);
    assert_eq!(v(&t, &leaves), Err(Error::MissingItem { pos: 5 }));
    let mut t = bp.clone();
    t.items.push((10, db.node(At::Current, 10).unwrap())); // 10 is in A: computable
    assert_eq!(v(&t, &leaves), Err(Error::UnexpectedItem { pos: 10 }));
    let mut t = bp.clone();
    t.items.insert(1, (3, db.node(At::Current, 3).unwrap()));
    assert_eq!(v(&t, &leaves), Err(Error::UnexpectedItem { pos: 3 }));
    // Rule 6.
    let mut t = bp.clone();
    t.items[0].1.value = u64::MAX;
    assert_eq!(v(&t, &leaves), Err(Error::ValueOverflow));
    // Rule 7: value, then hash.
    let mut t = bp.clone();
    t.items[2].1.value += 1;
    assert_eq!(
        v(&t, &leaves),
        Err(Error::SumMismatch {
            expected: 28,
            computed: 29
        })
    );
    let mut t = bp.clone();
    t.items[2].1.hash.0[3] ^= 1;
    assert_eq!(v(&t, &leaves).unwrap_err().kind(), ErrorKind::RootMismatch);
}

#[test]
fn d15_decoder_rejections() {
    let (_, _, bp, _) = batch_fixture();
    let bytes = bp.encode();
    let mut t = bytes.clone();
    t.push(7);
    assert_eq!(
        BatchProof::decode(&t).unwrap_err().kind(),
        ErrorKind::TrailingBytes
    );
    for cut in [0, 7, 8, 15, 20, bytes.len() - 1] {
        assert_eq!(
            BatchProof::decode(&bytes[..cut]).unwrap_err().kind(),
            ErrorKind::Truncated
        );
    }
    // A count larger than the input could hold.
    let mut t = bytes.clone();
    t[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(
        BatchProof::decode(&t).unwrap_err().kind(),
        ErrorKind::Truncated
    );
}

// ---------- each ProofDb method with invalid input ----------

#[test]
fn proofdb_methods_reject_invalid_input_with_the_named_error() {
    let mut db = db_with(&DEFAULT, 7);
    db.commit().unwrap();
    let before = common::snap(&db);
    assert_eq!(
        db.node(At::Current, 11),
        Err(Error::PositionOutOfRange { pos: 11, size: 11 })
    );
    assert_eq!(
        db.node(At::Current, u64::MAX),
        Err(Error::PositionOutOfRange {
            pos: u64::MAX,
            size: 11
        })
    );
    assert_eq!(
        db.node(At::Block(0), 0),
        Err(Error::PositionOutOfRange { pos: 0, size: 0 })
    );
    assert_eq!(
        db.node(At::Block(2), 0),
        Err(Error::FutureHeight { height: 2, tip: 1 })
    );
    assert_eq!(
        db.state(At::Block(u64::MAX)),
        Err(Error::FutureHeight {
            height: u64::MAX,
            tip: 1
        })
    );
    for index in [7, 1 << 63, u64::MAX] {
        let e = Error::LeafIndexOutOfRange {
            index,
            leaf_count: 7,
        };
        assert_eq!(db.prove(At::Current, index), Err(e.clone()));
        assert_eq!(db.is_unspent(At::Current, index), Err(e.clone()));
        assert_eq!(db.update(index, b"x", 1), Err(e.clone()));
        assert_eq!(db.spend(index, b"x"), Err(e.clone()));
    }
    assert_eq!(db.prove_batch(At::Current, &[]), Err(Error::EmptyBatch));
    // The first out-of-range index in the given order, before any duplicate.
    assert_eq!(
        db.prove_batch(At::Current, &[1, 1, 9, 8]),
        Err(Error::LeafIndexOutOfRange {
            index: 9,
            leaf_count: 7
        })
    );
    assert_eq!(
        db.prove_batch(At::Current, &[3, 1, 3]),
        Err(Error::DuplicateLeaf { pos: 4 })
    );
    assert_eq!(
        db.prove_batch(At::Block(0), &[0]),
        Err(Error::LeafIndexOutOfRange {
            index: 0,
            leaf_count: 0
        })
    );
    assert_eq!(
        db.mmr_set(0),
        Err(Error::NotRetained {
            height: 0,
            oldest: 0
        })
    );
    assert_eq!(
        db.mmr_set(2),
        Err(Error::FutureHeight { height: 2, tip: 1 })
    );
    assert_eq!(db.rewind(2), Err(Error::FutureHeight { height: 2, tip: 1 }));
    assert_eq!(
        db.compact(5),
        Err(Error::FutureHeight { height: 5, tip: 1 })
    );
    let proof = db.prove(At::Current, 0).unwrap();
    let leaf = db.node(At::Current, 0).unwrap();
    let mut wrong = proof.clone();
    wrong.size = 10;
    assert_eq!(
        db.unprune(&wrong, &leaf),
        Err(Error::SizeMismatch {
            expected: 11,
            got: 10
        })
    );
    wrong.size = 5;
    assert_eq!(
        db.unprune(&wrong, &leaf),
        Err(Error::SizeMismatch {
            expected: 11,
            got: 5
        })
    );
    let mut bad = proof.clone();
    bad.path[0].node.value += 1;
    assert_eq!(
        db.unprune(&bad, &leaf).unwrap_err().kind(),
        ErrorKind::SumMismatch
    );
    assert_eq!(db.unprune(&proof, &leaf), Ok(0));
    assert_eq!(common::snap(&db), before);
    db.spend(2, b"gone").unwrap();
    assert_eq!(db.spend(2, b"again"), Err(Error::LeafSpent { index: 2 }));
    assert_eq!(
        db.update(2, b"again", 1),
        Err(Error::LeafSpent { index: 2 })
    );
}

/// D11: under a profile without an empty root, every operation that must report the root
/// of an empty state fails with `empty-root` and changes nothing.
#[test]
fn empty_root_is_an_error_for_a_profile_without_one() {
    use mmr_spec::{Block, Client, ClientState};
    let mut db = Reference::new(common::NO_EMPTY, Config::default());
    assert_eq!(db.root(At::Current), Err(Error::EmptyRoot));
    assert_eq!(db.state(At::Block(0)), Err(Error::EmptyRoot));
    let before = common::snap(&db);
    assert_eq!(db.commit(), Err(Error::EmptyRoot));
    assert_eq!(db.apply_block(&Block::default()), Err(Error::EmptyRoot));
    assert_eq!(common::snap(&db), before);
    let empty = ClientState {
        height: 0,
        size: 0,
        peaks: vec![],
    };
    assert_eq!(
        mmr_reference::RefClient::new(common::NO_EMPTY, empty).map(|_| ()),
        Err(Error::EmptyRoot)
    );
    db.append(b"one", 1).unwrap();
    assert_eq!(db.commit().unwrap().root, db.node(At::Current, 0).unwrap());
    assert_eq!(db.mmr_set(1), Err(Error::EmptyRoot));
    db.append(b"two", 2).unwrap();
    db.commit().unwrap();
    assert!(db.mmr_set(2).is_ok());
    let st = db.state(At::Current).unwrap();
    let c = mmr_reference::RefClient::new(
        common::NO_EMPTY,
        ClientState {
            height: 2,
            size: st.size,
            peaks: st.peaks,
        },
    )
    .unwrap();
    assert_eq!(c.root(), db.root(At::Current));
}
