//! Pruning (D20-D23): compaction, the leaf set and prune list, un-pruning.

use super::*;

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
