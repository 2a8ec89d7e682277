//! Blocks (D17-D19): atomic application, retained states, rewinds.

use super::*;

pub(super) fn block_bytes(ops: Vec<BlockOp>) -> Hex {
    Hex(Block { ops }.encode())
}

pub(super) fn blocks(c: &mut Cases) {
    let mut b = c.session();
    b.info();
    b.leaves(0, 2);
    b.info();
    b.commit();
    b.append(&leaf_data(2), 3);
    b.run(VOp::Update {
        index: u(0),
        data: h(b"u"),
        value: u(9),
    });
    b.commit();
    b.commit();
    b.info();
    for height in 0..=3 {
        b.state(blk(height));
        b.run(VOp::LeafSet { at: blk(height) });
    }
    for height in 1..=3 {
        b.run(VOp::MmrSet { height: u(height) });
    }
    c.add(
        b,
        "commit-sequence",
        "D16, D18, D19: blocks 1 (two appends), 2 (an append and an update), 3 (empty); every retained state, leaf set and MMR set.",
        &["empty-root"],
    );

    let mut b = c.session();
    b.leaves(0, 3);
    b.commit();
    b.run(VOp::Update {
        index: u(1),
        data: h(&leaf_data(1)),
        value: u(2),
    });
    b.info();
    b.run(VOp::Update {
        index: u(1),
        data: h(b"other"),
        value: u(2),
    });
    b.info();
    b.run(VOp::Update {
        index: u(1),
        data: h(&leaf_data(1)),
        value: u(2),
    });
    b.info();
    b.commit();
    b.run(VOp::MmrSet { height: u(2) });
    c.add(
        b,
        "pending-flag",
        "D16, D18: an update that writes back the committed node, or is undone before the commit, is no change: no pending flag, and an empty MMR set.",
        &[],
    );

    let mut b = c.session();
    b.leaves(0, 2);
    let good = block_bytes(vec![
        BlockOp::Append {
            data: b"ab".to_vec(),
            value: 5,
        },
        BlockOp::Update {
            index: 0,
            data: b"u".to_vec(),
            value: 7,
        },
        BlockOp::Spend {
            index: 1,
            data: b"s".to_vec(),
        },
    ]);
    b.run(VOp::ApplyBlock { block: good });
    b.info();
    b.run(VOp::MmrSet { height: u(1) });
    b.run(VOp::ApplyBlock {
        block: block_bytes(vec![]),
    });
    c.add(
        b,
        "apply-block",
        "D16, D17: a block of append, update and spend applied on top of two uncommitted appends (which become part of it), then an empty block.",
        &[],
    );

    let mut b = c.session();
    b.run(VOp::ApplyBlock {
        block: block_bytes(vec![BlockOp::Append {
            data: b"ab".to_vec(),
            value: 5,
        }]),
    });
    c.add(
        b,
        "apply-block-spec-example",
        "D17 example: the block [append(`ab`, 5)] encodes as 0000000000000001 00 0000000000000005 0000000000000002 6162.",
        &[],
    );

    let failing = vec![
        BlockOp::Append {
            data: b"x".to_vec(),
            value: 1,
        },
        BlockOp::Spend {
            index: 0,
            data: b"s".to_vec(),
        },
        BlockOp::Spend {
            index: 0,
            data: b"again".to_vec(),
        },
    ];
    let mut b = c.session();
    b.leaves(0, 2);
    b.commit();
    b.append(b"pending", 1);
    b.run(VOp::ApplyBlock {
        block: block_bytes(failing),
    });
    b.info();
    b.state(cur());
    c.add(
        b,
        "apply-block-failing-op",
        "D16: operation 2 of the block fails (leaf-spent), so the whole block is refused (in-block) and the working state, with its uncommitted append, is as before.",
        &["in-block"],
    );

    let append_ab = Block {
        ops: vec![BlockOp::Append {
            data: b"ab".to_vec(),
            value: 5,
        }],
    }
    .encode();
    let mut bad_tag = append_ab.clone();
    bad_tag[8] = 3;
    let mut trailing = append_ab.clone();
    trailing.push(0);
    // A count of 2 over one operation whose tag is also bad: the count is checked first,
    // against the 17 bytes every operation takes at least.
    let mut count_first = bad_tag.clone();
    count_first[7] = 2;
    for (id, desc, bytes) in [
        (
            "block-invalid-tag",
            "D17 decoding: operation tag 3.",
            bad_tag,
        ),
        (
            "block-truncated",
            "D17 decoding: the data cut short.",
            append_ab[..append_ab.len() - 1].to_vec(),
        ),
        (
            "block-trailing-bytes",
            "D17 decoding: a byte after the last operation.",
            trailing,
        ),
        (
            "block-truncated-count-first",
            "D17 decoding: an operation count (2) that the rest of the input (one operation, 19 bytes) cannot hold at 17 bytes each is truncated up front, before the bad tag of the first operation is read.",
            count_first,
        ),
    ] {
        let mut b = c.session();
        b.leaves(0, 1);
        b.run(VOp::ApplyBlock { block: Hex(bytes) });
        b.info();
        let flag = id
            .trim_start_matches("block-")
            .trim_end_matches("-count-first");
        c.add(b, id, desc, &[flag]);
    }

    // Retained states and rewinds (D19), K = 2.
    let history = |c: &Cases| {
        let mut b = c.session_retain(2);
        for i in 0..5 {
            b.append(&leaf_data(i), i + 1);
            b.commit();
        }
        b
    };
    let mut b = history(c);
    b.info();
    for height in 3..=5 {
        b.state(blk(height));
    }
    b.append(b"pending", 1);
    b.run(VOp::Rewind { height: u(5) });
    b.info();
    b.run(VOp::Rewind { height: u(3) });
    b.info();
    b.state(cur());
    b.leaves(10, 12);
    b.commit();
    b.info();
    b.run(VOp::MmrSet { height: u(4) });
    c.add(
        b,
        "retained-and-rewind",
        "D19 example: retain 2, blocks 1..5, oldest 3; states 3..5 readable; rewind(5) with a pending append discards it; rewind(3) returns to block 3 (height 3, oldest stays 3); a new block 4 follows.",
        &[],
    );

    let rejections: Vec<(&str, &str, VOp, &[&str])> = vec![
        (
            "read-not-retained",
            "D19: block 2 is below the oldest retained state 3.",
            VOp::State { at: blk(2) },
            &["not-retained"],
        ),
        (
            "read-future-height",
            "D19: block 6 does not exist yet.",
            VOp::State { at: blk(6) },
            &["future-height"],
        ),
        (
            "read-u64-max-height",
            "D19: block u64::MAX.",
            VOp::LeafSet { at: blk(u64::MAX) },
            &["future-height"],
        ),
        (
            "rewind-future-height",
            "D19: rewind above the tip.",
            VOp::Rewind { height: u(6) },
            &["future-height"],
        ),
        (
            "rewind-not-retained",
            "D19: rewind below the oldest retained state.",
            VOp::Rewind { height: u(1) },
            &["not-retained"],
        ),
        (
            "mmr-set-not-retained",
            "D18: the MMR set of block 3 needs state 2, which is not retained.",
            VOp::MmrSet { height: u(3) },
            &["not-retained"],
        ),
        (
            "mmr-set-future-height",
            "D18: no MMR set above the tip.",
            VOp::MmrSet { height: u(6) },
            &["future-height"],
        ),
        (
            "mmr-set-genesis",
            "D18: block 0 (genesis) has no MMR set.",
            VOp::MmrSet { height: u(0) },
            &["not-retained"],
        ),
        (
            "node-not-retained",
            "D19: a node of a state that is not retained.",
            VOp::Node {
                at: blk(1),
                pos: u(0),
            },
            &["not-retained"],
        ),
        (
            "prove-future-height",
            "D19: a proof at a future block.",
            VOp::Prove {
                at: blk(9),
                index: u(0),
            },
            &["future-height"],
        ),
    ];
    for (id, desc, op, flags) in rejections {
        let mut b = history(c);
        b.run(op);
        b.info();
        c.add(b, id, desc, flags);
    }
}
