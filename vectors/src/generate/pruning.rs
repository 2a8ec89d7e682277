//! Pruning (D20-D23): compaction, the leaf set and prune list, un-pruning.

use super::*;
use mmr_spec::Profile;

pub(super) fn pruning(c: &mut Cases) {
    let spend = |i: u64| VOp::Spend {
        index: u(i),
        data: h(b"spent"),
    };
    let mut b = c.session();
    b.leaves(0, 4);
    b.run(spend(0));
    b.run(spend(1));
    b.commit();
    b.run(VOp::Compact { horizon: u(1) });
    b.run(VOp::PruneList);
    b.run(VOp::LeafSet { at: cur() });
    b.info();
    for pos in 0..7 {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    b.run(VOp::Prove {
        at: cur(),
        index: u(2),
    });
    b.run(VOp::Prove {
        at: cur(),
        index: u(0),
    });
    b.run(spend(2));
    b.commit();
    b.run(VOp::Compact { horizon: u(2) });
    b.run(VOp::PruneList);
    b.run(spend(3));
    b.commit();
    b.run(VOp::Compact { horizon: u(3) });
    b.run(VOp::PruneList);
    b.state(cur());
    for pos in 0..7 {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    c.add(
        b,
        "compaction-worked-example",
        "D21, D22 example: spend leaves 0, 1, compact(1) drops 0 and 1 (prune list c0) and keeps 2; spend 2, compact(2) drops nothing more; spend 3, compact(3) drops all but the peak 6. Reads of dropped nodes and proofs of dropped leaves fail with pruned.",
        &["pruned"],
    );

    let mut b = c.session();
    b.leaves(0, 11);
    for i in [0u64, 1, 2, 3, 5, 8, 9] {
        b.run(spend(i));
    }
    b.commit();
    b.run(VOp::Compact { horizon: u(1) });
    b.run(VOp::PruneList);
    b.run(VOp::LeafSet { at: cur() });
    for i in [4u64, 6, 7, 10] {
        b.run(VOp::Prove {
            at: cur(),
            index: u(i),
        });
    }
    b.run(VOp::ProveBatch {
        at: cur(),
        indices: vec![u(4), u(6), u(7), u(10)],
    });
    b.leaves(11, 14);
    b.commit();
    b.state(cur());
    b.run(VOp::MmrSet { height: u(2) });
    c.add(
        b,
        "compaction-keeps-unspent-provable",
        "D21: 11 leaves, 7 spent, compact(1): every unspent leaf stays provable (single and batch), the root computable, and blocks go on.",
        &[],
    );

    let base = |c: &Cases| {
        let mut b = c.session();
        b.leaves(0, 4);
        b.run(spend(0));
        b.run(spend(1));
        b.commit();
        b.commit();
        b
    };
    let rejections: Vec<(&str, &str, Vec<VOp>, &[&str])> = vec![
        (
            "update-pruned-leaf",
            "D12: the dropped leaf 0 reports pruned before leaf-spent.",
            vec![
                VOp::Compact { horizon: u(1) },
                VOp::Update {
                    index: u(0),
                    data: h(b"x"),
                    value: u(1),
                },
            ],
            &["pruned"],
        ),
        (
            "prove-batch-pruned",
            "D15: a batch naming a dropped leaf.",
            vec![
                VOp::Compact { horizon: u(1) },
                VOp::ProveBatch {
                    at: cur(),
                    indices: vec![u(3), u(1)],
                },
            ],
            &["pruned"],
        ),
        (
            "rewind-below-horizon",
            "D19, D21: no rewind below the horizon.",
            vec![VOp::Compact { horizon: u(2) }, VOp::Rewind { height: u(1) }],
            &["rewind-below-horizon"],
        ),
        (
            "compact-below-horizon",
            "D21: no compaction below the horizon.",
            vec![
                VOp::Compact { horizon: u(2) },
                VOp::Compact { horizon: u(1) },
            ],
            &["below-horizon"],
        ),
        (
            "compact-future-height",
            "D21: compaction above the tip.",
            vec![VOp::Compact { horizon: u(3) }],
            &["future-height"],
        ),
        (
            "read-below-horizon",
            "D19, D21: oldest rises to the horizon, so older states are gone.",
            vec![VOp::Compact { horizon: u(2) }, VOp::State { at: blk(1) }],
            &["not-retained"],
        ),
    ];
    for (id, desc, ops, flags) in rejections {
        let mut b = base(c);
        for op in ops {
            b.run(op);
        }
        b.info();
        c.add(b, id, desc, flags);
    }

    let mut b = c.session_retain(1);
    for i in 0..4 {
        b.append(&leaf_data(i), i + 1);
        b.commit();
    }
    b.run(VOp::Compact { horizon: u(1) });
    c.add(
        b,
        "compact-not-retained",
        "D21: compaction at a state that is no longer retained (retain 1).",
        &["not-retained"],
    );

    // Un-pruning (D23).
    let mut b = base(c);
    let p0 = b.proof(At::Current, 0);
    let leaf0 = b.node(At::Current, p0.pos);
    let p3 = b.proof(At::Current, 3);
    let leaf3 = b.node(At::Current, p3.pos);
    b.run(VOp::Prove {
        at: cur(),
        index: u(0),
    });
    b.run(VOp::Compact { horizon: u(2) });
    b.run(VOp::Node {
        at: cur(),
        pos: u(0),
    });
    b.run(VOp::Unprune {
        proof: enc(&p3),
        leaf: vn(leaf3),
    });
    b.run(VOp::Unprune {
        proof: enc(&p0),
        leaf: vn(leaf0),
    });
    b.run(VOp::PruneList);
    b.run(VOp::Node {
        at: cur(),
        pos: u(0),
    });
    b.run(VOp::Prove {
        at: cur(),
        index: u(0),
    });
    b.run(VOp::Compact { horizon: u(2) });
    b.run(VOp::PruneList);
    c.add(
        b,
        "unprune",
        "D23: a proof of leaf 0 read before compaction restores it (count of restored positions), the prune list shrinks, prove returns the same proof; un-pruning a kept leaf restores 0; a later compaction drops it again.",
        &[],
    );

    unprune_and_retained_states(c);
    unprune_values_from_the_proof(c, &base);

    let mut b = base(c);
    let p0 = b.proof(At::Current, 0);
    let leaf0 = b.node(At::Current, p0.pos);
    b.run(VOp::Compact { horizon: u(2) });
    let mut tampered = leaf0;
    tampered.hash.0[0] ^= 1;
    b.run(VOp::Unprune {
        proof: enc(&p0),
        leaf: vn(tampered),
    });
    b.run(VOp::PruneList);
    c.add(
        b,
        "unprune-forged-leaf",
        "D23: a proof that does not verify against the working root restores nothing.",
        &["tampered-hash"],
    );

    let mut b = base(c);
    let p0 = b.proof(At::Current, 0);
    let leaf0 = b.node(At::Current, p0.pos);
    b.run(VOp::Compact { horizon: u(2) });
    b.append(b"new", 1);
    b.run(VOp::Unprune {
        proof: enc(&p0),
        leaf: vn(leaf0),
    });
    c.add(
        b,
        "unprune-size-mismatch",
        "D23: a proof for another size than the working state.",
        &["size-mismatch"],
    );

    let mut b = base(c);
    b.run(VOp::Compact { horizon: u(2) });
    b.run(VOp::Unprune {
        proof: Hex(vec![0; 10]),
        leaf: vn(Node::default()),
    });
    c.add(
        b,
        "unprune-truncated",
        "D13 decoding, D23: a truncated proof.",
        &["truncated"],
    );
}

/// D23, issue-16 item 9: restored nodes are frozen, so a retained older state sees them too.
/// Leaves 0 and 1 are spent in block 1, block 2 appends a fifth leaf, `compact(1)` drops 0
/// and 1 for both states; un-pruning leaf 0 with a proof of the working state (= block 2)
/// makes `node` and `prove` at block 1 and block 2 answer again, where they answered
/// `pruned` before. An implementation that restores only the working state fails here.
fn unprune_and_retained_states(c: &mut Cases) {
    let mut b = c.session();
    b.leaves(0, 4);
    for i in [0, 1] {
        b.run(VOp::Spend {
            index: u(i),
            data: h(b"spent"),
        });
    }
    b.commit();
    b.append(&leaf_data(4), 5);
    b.commit();
    let p0 = b.proof(At::Current, 0);
    let leaf0 = b.node(At::Current, p0.pos);
    b.run(VOp::Compact { horizon: u(1) });
    let reads = |b: &mut B| {
        for at in [blk(1), blk(2)] {
            for pos in [0, 1] {
                b.run(VOp::Node { at, pos: u(pos) });
            }
            b.run(VOp::Prove { at, index: u(0) });
        }
    };
    reads(&mut b);
    let restored = b.run(VOp::Unprune {
        proof: enc(&p0),
        leaf: vn(leaf0),
    });
    assert_eq!(
        restored,
        VOut::Number(u(2)),
        "generator: leaf 0 and its sibling"
    );
    reads(&mut b);
    b.run(VOp::PruneList);
    c.add(
        b,
        "unprune-seen-by-retained-states",
        "D23: after compact(1) drops leaves 0 and 1, node and prove at blocks 1 and 2 answer pruned; un-pruning leaf 0 with a proof of the working state restores both positions for every retained state, so the same reads at blocks 1 and 2 answer the nodes and the proofs of that state.",
        &["pruned"],
    );
}

/// Whether the profile's hashes bind no value (D9: ckb and the other dialects whose nodes
/// carry unauthenticated sums): two values of one leaf, or of one parent's sum, hash alike.
fn hashes_no_values(p: &dyn Profile) -> bool {
    let (a, b) = (Node::new(Hash([1; 32]), 1), Node::new(Hash([2; 32]), 2));
    p.leaf_hash(0, b"x", 0) == p.leaf_hash(0, b"x", 1)
        && p.parent_hash(2, &a, &b, 3) == p.parent_hash(2, &a, &b, 4)
}

/// D23, issue-16 item 10: the restored values are the proof's. In a profile whose hashes bind
/// no value, a proof of the dropped (spent, value 0) leaf 0 can move one unit from its
/// mountain sibling node 5 onto the leaf, keeping every hash and the root's sum, so it
/// verifies; un-pruning with it stores value 1 at position 0, as `node` then shows. An
/// implementation that insists on the dropped values (0) rejects it.
fn unprune_values_from_the_proof(c: &mut Cases, base: &dyn Fn(&Cases) -> B) {
    if !hashes_no_values(c.profile) {
        return;
    }
    let mut b = base(c);
    let honest = b.proof(At::Current, 0);
    let leaf0 = b.node(At::Current, honest.pos);
    assert_eq!(leaf0.value, 0, "generator: leaf 0 is spent");
    let mut moved = honest.clone();
    let top = moved.path.len() - 1;
    moved.path[top].node.value -= 1;
    let leaf = Node::new(leaf0.hash, 1);
    b.run(VOp::Compact { horizon: u(2) });
    let restored = b.run(VOp::Unprune {
        proof: enc(&moved),
        leaf: vn(leaf),
    });
    assert_eq!(
        restored,
        VOut::Number(u(2)),
        "generator: the moved proof verifies"
    );
    for pos in [0, 1, 2] {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    b.state(cur());
    c.add(
        b,
        "unprune-values-from-the-proof",
        "D23, D9: in a profile whose hashes bind no value, a proof of the dropped leaf 0 that moves one unit from node 5 onto the leaf verifies (same hashes, same root sum); un-pruning with it restores positions 0 and 1 with the proof's values (leaf 0 now reads value 1, not the 0 that was dropped), and the root is unchanged.",
        &[],
    );
}
