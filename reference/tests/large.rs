//! 100,000 leaves: the reference handles them in reasonable time, its root equals a
//! trivial recursive recomputation, and a sample of proofs and a batch proof verify.
//! Uses the fast test hash (SHA3 costs ~50 µs per hash in a debug build).

mod common;

use common::{FAST_FLAT, Rng, data};
use mmr_reference::Reference;
use mmr_spec::{At, Config, Node, Profile, ProofDb, leaf_node, parent_node};

const LEAVES: u64 = 100_000;

/// D5 written out: position(r, e) = 2^(r+1)·(e+1) - popcount(e) - 2.
fn position(row: u32, entry: u64) -> u64 {
    (1u64 << (row + 1)) * (entry + 1) - u64::from(entry.count_ones()) - 2
}

/// The root of the perfect subtree (row, entry), recomputed from the leaf data.
fn subtree(p: &dyn Profile, row: u32, entry: u64) -> Node {
    if row == 0 {
        return leaf_node(p, position(0, entry), &data(entry), entry % 1000);
    }
    let l = subtree(p, row - 1, 2 * entry);
    let r = subtree(p, row - 1, 2 * entry + 1);
    parent_node(p, position(row, entry), &l, &r).unwrap()
}

#[test]
fn one_hundred_thousand_leaves() {
    let mut db = Reference::new(FAST_FLAT, Config::default());
    for block in 0..100 {
        for i in block * 1000..(block + 1) * 1000 {
            assert_eq!(db.append(&data(i), i % 1000).unwrap(), i);
        }
        db.commit().unwrap();
    }
    let st = db.state(At::Current).unwrap();
    assert_eq!(
        (st.leaf_count, st.size),
        (LEAVES, 2 * LEAVES - u64::from(LEAVES.count_ones()))
    );
    // The peaks: one per set bit of the leaf count, highest first (D6).
    let peaks: Vec<Node> = (0..64u32)
        .rev()
        .filter(|h| LEAVES >> h & 1 == 1)
        .map(|h| subtree(&FAST_FLAT, h, (LEAVES >> h) - 1))
        .collect();
    assert_eq!(st.peaks, peaks);
    let total: u64 = (0..LEAVES).map(|i| i % 1000).sum();
    let root = Node::new(FAST_FLAT.commit_hash(st.size, total, &peaks), total);
    assert_eq!(st.root, root);
    // A sample of proofs, at the tip and at an older retained block.
    let mut rng = Rng(99);
    for _ in 0..200 {
        let i = rng.below(LEAVES);
        let proof = db.prove(At::Current, i).unwrap();
        db.verify(&root, &proof, &data(i), i % 1000).unwrap();
        assert!(db.verify(&root, &proof, &data(i), i % 1000 + 1).is_err());
    }
    let old = db.state(At::Block(90)).unwrap();
    let proof = db.prove(At::Block(90), 12_345).unwrap();
    db.verify(&old.root, &proof, &data(12_345), 345).unwrap();
    let sample: Vec<u64> = (0..50)
        .map(|_| rng.below(LEAVES))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let bp = db.prove_batch(At::Current, &sample).unwrap();
    let leaves: Vec<Node> = sample
        .iter()
        .zip(&bp.leaves)
        .map(|(&i, &pos)| leaf_node(&FAST_FLAT, pos, &data(i), i % 1000))
        .collect();
    db.verify_batch_nodes(&root, &bp, &leaves).unwrap();
}
