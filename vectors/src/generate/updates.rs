//! Updates and spends (D16): values, data, spent leaves and the errors of each.

use super::*;

pub(super) fn updates(c: &mut Cases) {
    let mut b = c.session();
    let four: [(&str, u64); 4] = [("000102", 1), ("010203", 2), ("020304", 3), ("030405", 4)];
    for (d, v) in four {
        b.append(&mmr_spec::from_hex(d).expect("hex"), v);
    }
    b.run(VOp::Spend {
        index: u(1),
        data: h(b"spent"),
    });
    b.state(cur());
    for pos in [1u64, 2, 6] {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    b.run(VOp::LeafSet { at: cur() });
    for i in 0..4 {
        b.run(VOp::IsUnspent {
            at: cur(),
            index: u(i),
        });
    }
    let is_default = c.name() == "default";
    c.add_source(
        b,
        "spend-worked-example",
        "D12 example: spending leaf 1 of the 4-leaf MMR with data `spent` rewrites positions 1, 2, 6; the leaf set is {0, 2, 3} (D20 bytes).",
        &[],
        is_default.then_some("spec/SPEC.md D12"),
    );

    let mut b = c.session();
    b.leaves(0, 10);
    b.run(VOp::Update {
        index: u(3),
        data: h(b"new"),
        value: u(100),
    });
    b.state(cur());
    b.run(VOp::Update {
        index: u(9),
        data: h(b""),
        value: u(0),
    });
    b.run(VOp::Spend {
        index: u(0),
        data: h(b"gone"),
    });
    b.run(VOp::Spend {
        index: u(9),
        data: h(b"gone"),
    });
    b.state(cur());
    b.run(VOp::LeafSet { at: cur() });
    for pos in 0..18 {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    c.add(
        b,
        "update-and-spend",
        "D12: update leaves 3 and 9, spend leaves 0 and 9; the root, every node and the leaf set (D20: 10 leaves, two bytes).",
        &[],
    );

    let rejections: Vec<(&str, &str, Vec<VOp>, &[&str])> = vec![
        (
            "update-spent-leaf",
            "D12: a spent leaf cannot be updated.",
            vec![
                VOp::Spend {
                    index: u(2),
                    data: h(b"s"),
                },
                VOp::Update {
                    index: u(2),
                    data: h(b"x"),
                    value: u(1),
                },
            ],
            &["leaf-spent"],
        ),
        (
            "spend-twice",
            "D12: a spent leaf cannot be spent again.",
            vec![
                VOp::Spend {
                    index: u(2),
                    data: h(b"s"),
                },
                VOp::Spend {
                    index: u(2),
                    data: h(b"s"),
                },
            ],
            &["leaf-spent"],
        ),
        (
            "update-index-at-leaf-count",
            "D12: leaf index 4 of 4 leaves.",
            vec![VOp::Update {
                index: u(4),
                data: h(b"x"),
                value: u(1),
            }],
            &["index-out-of-range"],
        ),
        (
            "spend-index-u64-max",
            "D12: leaf index u64::MAX.",
            vec![VOp::Spend {
                index: u(u64::MAX),
                data: h(b"x"),
            }],
            &["index-out-of-range"],
        ),
        (
            "append-overflow",
            "D9, D12: a total above u64::MAX is refused, never wrapped.",
            vec![VOp::Append {
                data: h(b"big"),
                value: u(u64::MAX - 5),
            }],
            &["value-overflow"],
        ),
        (
            "update-overflow",
            "D12: an update making the total exceed u64::MAX.",
            vec![VOp::Update {
                index: u(0),
                data: h(b"x"),
                value: u(u64::MAX),
            }],
            &["value-overflow"],
        ),
        (
            "is-unspent-out-of-range",
            "D19: is_unspent of leaf 4 of 4.",
            vec![VOp::IsUnspent {
                at: cur(),
                index: u(4),
            }],
            &["index-out-of-range"],
        ),
    ];
    for (id, desc, ops, flags) in rejections {
        let mut b = c.session();
        b.leaves(0, 4);
        for op in ops {
            b.run(op);
        }
        b.state(cur());
        c.add(
            b,
            id,
            &format!("{desc} The failed operation changes nothing."),
            flags,
        );
    }

    // A read with both a bad `at` and a bad position or index fails with the `at` error
    // (SPEC.md D19: `at` is checked first).
    let mut b = c.session();
    b.leaves(0, 4);
    b.commit();
    for at in [blk(5), blk(0)] {
        b.run(VOp::Node { at, pos: u(99) });
        b.run(VOp::IsUnspent { at, index: u(99) });
        b.run(VOp::Prove { at, index: u(99) });
        b.run(VOp::ProveBatch {
            at,
            indices: vec![u(99), u(99)],
        });
    }
    c.add(
        b,
        "reads-check-at-before-index",
        "D19: node, is_unspent, prove and prove_batch at a future block (5 of 1) and, the bad position or index notwithstanding, fail with future-height; at block 0 (retained, empty) the index errors follow.",
        &["future-height", "index-out-of-range", "position-out-of-range"],
    );

    let mut b = c.session();
    b.append(b"a", u64::MAX);
    b.run(VOp::Spend {
        index: u(0),
        data: h(b"a"),
    });
    b.append(b"b", u64::MAX);
    b.state(cur());
    c.add(
        b,
        "spend-frees-value",
        "D9, D12: a leaf of value u64::MAX, spent (value 0), then another of u64::MAX fits.",
        &[],
    );

    library_update_leniencies(c);
}
