//! The storage-less client (D24): MMR sets, tracked proofs, and every rejection.

use super::*;

pub(super) fn client(c: &mut Cases) {
    // The main flow.
    let mut b = c.session();
    b.leaves(0, 4);
    b.commit();
    let init = b.client_init_op(1);
    b.run(init);
    let t = b.track_op(1, 2);
    b.run(t);
    let t = b.track_op(1, 3);
    b.run(t);
    b.run(VOp::ClientInfo);
    b.run(VOp::Spend {
        index: u(0),
        data: h(b"spent"),
    });
    b.run(VOp::Update {
        index: u(3),
        data: h(b"upd"),
        value: u(40),
    });
    b.leaves(4, 7);
    b.commit();
    let set = b.set(2);
    b.run(VOp::ClientApply {
        set: Hex(set.encode()),
    });
    b.run(VOp::ClientInfo);
    for i in [2u64, 3] {
        b.run(VOp::ClientProof { index: u(i) });
        b.run(VOp::Prove {
            at: blk(2),
            index: u(i),
        });
        b.run(VOp::ClientLeaf { index: u(i) });
    }
    let p1 = b.proof(At::Block(2), 1);
    b.run(VOp::ClientVerify {
        proof: enc(&p1),
        data: h(&leaf_data(1)),
        value: u(2),
    });
    b.leaves(7, 9);
    b.commit();
    let set = b.set(3);
    b.run(VOp::ClientApply {
        set: Hex(set.encode()),
    });
    b.run(VOp::ClientUntrack { index: u(2) });
    b.run(VOp::ClientInfo);
    b.run(VOp::ClientProof { index: u(3) });
    c.add(
        b,
        "client-follows-blocks",
        "D24: a client created from block 1 tracks leaves 2 and 3, applies the MMR sets of blocks 2 and 3 (a spend, an update, appends), and its proofs equal the database's; it verifies anyone's proof; untrack.",
        &[],
    );

    let mut b = c.session();
    b.run(VOp::ClientInfo);
    b.run(VOp::ClientProof { index: u(0) });
    c.add(
        b,
        "client-before-init",
        "D24: client operations before any client exists fail with not-tracked.",
        &["not-tracked"],
    );

    let mut b = c.session();
    b.leaves(0, 3);
    b.commit();
    let init = b.client_init_op(1);
    b.run(init);
    b.run(VOp::ClientUntrack { index: u(0) });
    b.run(VOp::ClientLeaf { index: u(1) });
    c.add(
        b,
        "client-untracked-leaf",
        "D24: untrack, leaf of a leaf that is not tracked.",
        &["not-tracked"],
    );

    // Tracking an index again replaces what is tracked: a second proof of leaf 2 that moves
    // one unit of value from its sibling to the leaf still verifies (D14 note (a)), and the
    // client then holds the second leaf node.
    let mut b = c.session();
    b.leaves(0, 4);
    b.commit();
    let init = b.client_init_op(1);
    b.run(init);
    let first = b.track_op(1, 2);
    b.run(first);
    let mut p = b.proof(At::Block(1), 2);
    let mut leaf = b.node(At::Block(1), p.pos);
    p.path[0].node.value -= 1;
    leaf.value += 1;
    b.run(VOp::ClientTrack {
        proof: h(&p.encode().expect("encodable")),
        leaf: vn(leaf),
    });
    b.run(VOp::ClientLeaf { index: u(2) });
    b.run(VOp::ClientInfo);
    c.add(
        b,
        "client-track-again-replaces",
        "D24: track of an index already tracked replaces its leaf and proof (here by a proof that moves one unit of value from the sibling to the leaf, which D14 note (a) lets verify): client_leaf returns the second leaf node.",
        &[],
    );

    // Before any client_init: the byte fields are decoded first, so a malformed field
    // fails with its decoding error, and only a well-formed request meets not-tracked.
    let mut b = c.session();
    b.leaves(0, 3);
    b.commit();
    b.run(VOp::ClientApply { set: h(&[0, 0, 1]) });
    b.run(VOp::ClientTrack {
        proof: h(&[0; 5]),
        leaf: vn(Node::new(Hash::ZERO, 0)),
    });
    b.run(VOp::ClientVerify {
        proof: h(&[0; 5]),
        data: h(b"x"),
        value: u(1),
    });
    b.run(VOp::ClientUntrack { index: u(0) });
    b.run(VOp::ClientInfo);
    c.add(
        b,
        "client-decode-before-no-client",
        "D24 with no client yet: client_apply, client_track and client_verify with truncated bytes fail with truncated (the bytes are decoded before the client is looked for); untrack and info then answer not-tracked.",
        &["truncated", "not-tracked"],
    );

    let mut side = c.session();
    side.leaves(0, 3);
    side.commit();
    let st = side.db().state(At::Block(1)).expect("state");
    let peaks: Vec<VNode> = st.peaks.iter().copied().map(vn).collect();
    let inits: Vec<(&str, &str, VOp, &[&str])> = vec![
        (
            "client-init-invalid-size",
            "D24: size 5 is invalid.",
            VOp::ClientInit {
                height: u(1),
                size: u(5),
                peaks: peaks.clone(),
            },
            &["invalid-size"],
        ),
        (
            "client-init-missing-peak",
            "D24: size 4 has two peaks; one given.",
            VOp::ClientInit {
                height: u(1),
                size: u(4),
                peaks: peaks[..1].to_vec(),
            },
            &["missing-node"],
        ),
        (
            "client-init-extra-peak",
            "D24: size 4 has two peaks; three given.",
            VOp::ClientInit {
                height: u(1),
                size: u(4),
                peaks: [peaks.clone(), peaks[..1].to_vec()].concat(),
            },
            &["malformed-set"],
        ),
        (
            "client-init-overflow",
            "D24: peaks whose total exceeds u64::MAX.",
            VOp::ClientInit {
                height: u(1),
                size: u(4),
                peaks: vec![
                    VNode {
                        value: u(u64::MAX),
                        ..peaks[0]
                    },
                    peaks[1],
                ],
            },
            &["value-overflow"],
        ),
        (
            "client-init-empty",
            "D24, D11: a client of the empty state (fails where the profile has no empty root).",
            VOp::ClientInit {
                height: u(0),
                size: u(0),
                peaks: vec![],
            },
            &["empty-root"],
        ),
    ];
    for (id, desc, op, flags) in inits {
        let mut b = c.session();
        b.run(op);
        b.run(VOp::ClientInfo);
        c.add(b, id, desc, flags);
    }

    // Applying sets: each rejection leaves the client unchanged.
    let base = |c: &Cases| {
        let mut b = c.session();
        b.leaves(0, 4);
        b.commit();
        let init = b.client_init_op(1);
        b.run(init);
        let t = b.track_op(1, 1);
        b.run(t);
        b.run(VOp::Spend {
            index: u(2),
            data: h(b"s"),
        });
        b.leaves(4, 6);
        b.commit();
        b.leaves(6, 7);
        b.commit();
        b
    };
    let tampers: Vec<(&str, &str, u64, SetTamper, &[&str])> = vec![
        (
            "client-apply-skips-a-block",
            "D24.1: the set of block 3 offered to a client at block 1.",
            3,
            SetTamper::None,
            &["height-mismatch"],
        ),
        (
            "client-apply-wrong-parent",
            "D24.2: prev_size changed.",
            2,
            SetTamper::SetPrevSize(3),
            &["parent-mismatch"],
        ),
        (
            "client-apply-invalid-size",
            "D24.3: new size 9 is invalid.",
            2,
            SetTamper::SetSize(9),
            &["invalid-size"],
        ),
        (
            "client-apply-shrinking-size",
            "D24.3: new size 3 below prev_size 4.",
            2,
            SetTamper::SetSize(3),
            &["malformed-set"],
        ),
        (
            "client-apply-unordered-nodes",
            "D24.4: two nodes swapped.",
            2,
            SetTamper::SwapNodes(0),
            &["reordered-items"],
        ),
        (
            "client-apply-duplicate-node",
            "D24.4: a node repeated.",
            2,
            SetTamper::DuplicateNode(1),
            &["duplicate-item"],
        ),
        (
            "client-apply-missing-node",
            "D24.5: a created node removed.",
            2,
            SetTamper::DropNode(4),
            &["missing-node"],
        ),
        (
            "client-apply-tampered-sum",
            "D24.6: a node's value raised by 1.",
            2,
            SetTamper::AddValue(4, 1),
            &["tampered-sum"],
        ),
        (
            "client-apply-tampered-root",
            "D24.6: the announced root changed.",
            2,
            SetTamper::FlipRoot,
            &["tampered-hash"],
        ),
        (
            "client-apply-forged-tracked-sibling",
            "D24.7: the set of block 2 with the hash of position 5 forged: a changed node that is no peak (the peaks 6 and 9 and the root are the honest ones, so steps 1-6 pass) and is the mountain sibling of the tracked leaf 1, whose rebuilt proof then fails D14 with root-mismatch. A client that skips step 7 accepts it.",
            2,
            SetTamper::ForgeNonPeak(1),
            &["tampered-hash"],
        ),
        (
            "client-apply-forged-tracked-sibling-value",
            "D24.7: the set of block 2 with the value of position 5 (no peak, the tracked leaf 1's mountain sibling) raised by 1; the peaks and the root are honest, the rebuilt proof of leaf 1 fails D14 on its value.",
            2,
            SetTamper::AddValue(1, 1),
            &["tampered-sum"],
        ),
    ];
    for (id, desc, height, t, flags) in tampers {
        let mut b = base(c);
        let set = t.apply(&b.set(height));
        b.run(VOp::ClientApply {
            set: Hex(set.encode()),
        });
        b.run(VOp::ClientInfo);
        c.add(b, id, &format!("{desc} The client is unchanged."), flags);
    }
    // A changed node that no tracked proof uses: position 3 (leaf 2, spent in block 2), no
    // peak, forged. The peaks and the root are right and the tracked leaf 1's proof does not
    // go through it, so step 7 has nothing to reject: the client accepts the set (D24
    // checks what the client keeps, not every node of the set).
    let mut b = base(c);
    let set = SetTamper::ForgeNonPeak(0).apply(&b.set(2));
    b.run(VOp::ClientApply {
        set: Hex(set.encode()),
    });
    b.run(VOp::ClientInfo);
    b.run(VOp::ClientProof { index: u(1) });
    c.add(
        b,
        "client-apply-forged-untracked-node",
        "D24.7: the set of block 2 with the hash of position 3 forged (a changed node, no peak, on no tracked proof): peaks and root are right and leaf 1's rebuilt proof does not use it, so the client accepts the set and its proof of leaf 1 is the honest one.",
        &[],
    );

    // Step 2 before step 3: a set with a wrong prev_root and an invalid size.
    let mut b = base(c);
    let mut set = b.set(2);
    set.prev_root.hash.0[0] ^= 1;
    set.size = 9;
    b.run(VOp::ClientApply {
        set: Hex(set.encode()),
    });
    // prev_root compared as a node: its hash changed, its value the same.
    let mut set = b.set(2);
    set.prev_root.hash.0[0] ^= 1;
    b.run(VOp::ClientApply {
        set: Hex(set.encode()),
    });
    b.run(VOp::ClientInfo);
    c.add(
        b,
        "client-apply-parent-before-size",
        "D24.2 before D24.3: the set of block 2 with prev_root's hash changed and size 9 (invalid) fails with parent-mismatch, not invalid-size; then with only prev_root's hash changed (its value is right, and the rest of the set is honest) it fails with parent-mismatch: prev_root is compared as a node, hash and value. The client is unchanged.",
        &["parent-mismatch", "invalid-size", "tampered-hash"],
    );

    let mut b = base(c);
    let mut bytes = b.set(2).encode();
    bytes.push(0);
    b.run(VOp::ClientApply { set: Hex(bytes) });
    let bytes = b.set(2).encode();
    b.run(VOp::ClientApply {
        set: Hex(bytes[..bytes.len() - 3].to_vec()),
    });
    c.add(
        b,
        "client-apply-bad-encoding",
        "D18 decoding: trailing bytes, then a truncated set.",
        &["trailing-bytes", "truncated"],
    );

    let mut b = base(c);
    let p = b.proof(At::Block(2), 0);
    let leaf = b.node(At::Block(2), p.pos);
    b.run(VOp::ClientTrack {
        proof: enc(&p),
        leaf: vn(leaf),
    });
    let p1 = b.proof(At::Block(1), 0);
    let leaf1 = b.node(At::Block(1), p1.pos);
    let mut forged = leaf1;
    forged.value += 1;
    b.run(VOp::ClientTrack {
        proof: enc(&p1),
        leaf: vn(forged),
    });
    b.run(VOp::ClientVerify {
        proof: enc(&p),
        data: h(&leaf_data(0)),
        value: u(1),
    });
    b.run(VOp::ClientInfo);
    c.add(
        b,
        "client-track-rejections",
        "D24: track with a proof of another size (size-mismatch), track a forged leaf (sum-mismatch), verify a proof of another size (size-mismatch).",
        &["size-mismatch", "tampered-sum"],
    );

    let mut b = c.session();
    b.leaves(0, 2);
    b.commit();
    let init = b.client_init_op(1);
    b.run(init);
    b.commit();
    let set = b.set(2);
    b.run(VOp::ClientApply {
        set: Hex(set.encode()),
    });
    b.run(VOp::ClientInfo);
    c.add(
        b,
        "client-empty-block",
        "D18, D24: an empty block's MMR set has no nodes; the client moves to the next height.",
        &[],
    );
}
