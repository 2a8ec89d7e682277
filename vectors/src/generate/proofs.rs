//! Proofs: honest coin and batch proofs (D13, D15) and every rejection rule, one case per rule.

use super::*;

/// A side database (not part of any case) holding the 7-leaf MMR of D13's example, whose
/// proofs and root the verification cases use as concrete inputs.
pub(super) fn seven(c: &Cases) -> B {
    let mut b = c.session();
    b.leaves(0, 7);
    b
}

pub(super) fn proofs(c: &mut Cases) {
    // Honest proofs of every leaf, verified by data and by node.
    let mut b = c.session();
    b.leaves(0, 7);
    let root = b.root(At::Current);
    b.state(cur());
    for i in 0..7 {
        let p = b.proof(At::Current, i);
        b.run(VOp::Prove {
            at: cur(),
            index: u(i),
        });
        b.run(VOp::Verify {
            root: vn(root),
            proof: enc(&p),
            data: h(&leaf_data(i)),
            value: u(i + 1),
        });
        b.run(VOp::VerifyNode {
            root: vn(root),
            proof: enc(&p),
            leaf: vn(b.node(At::Current, p.pos)),
        });
    }
    c.add(
        b,
        "prove-verify-every-leaf",
        "D13, D14: the proof of every leaf of the 7-leaf MMR (size 11), verified by data and value and by node.",
        &[],
    );

    // Proofs of all shapes: every leaf of MMRs with 1..=9 leaves, at past blocks.
    let mut b = c.session();
    for n in 0..9u64 {
        b.append(&leaf_data(n), n + 1);
        b.commit();
    }
    for height in [1u64, 2, 3, 5, 8, 9] {
        let root = b.root(At::Block(height));
        for i in 0..height {
            let p = b.proof(At::Block(height), i);
            b.run(VOp::Prove {
                at: blk(height),
                index: u(i),
            });
            b.run(VOp::Verify {
                root: vn(root),
                proof: enc(&p),
                data: h(&leaf_data(i)),
                value: u(i + 1),
            });
        }
    }
    c.add(
        b,
        "prove-at-past-blocks",
        "D13, D19: proofs read at retained blocks 1, 2, 3, 5, 8 and 9 (one to nine leaves: every peak layout), each verified against that block's root.",
        &[],
    );

    // Batch proofs.
    let mut b = c.session();
    b.leaves(0, 11);
    let root = b.root(At::Current);
    for set in [
        vec![0u64, 3],
        vec![4],
        vec![10, 2, 5],
        (0..11).collect(),
        vec![0, 10],
    ] {
        let bp = b
            .db()
            .prove_batch(At::Current, &set)
            .expect("generator: batch");
        b.run(VOp::ProveBatch {
            at: cur(),
            indices: set.iter().copied().map(u).collect(),
        });
        let mut order: Vec<u64> = set.clone();
        order.sort_unstable();
        b.run(VOp::VerifyBatch {
            root: vn(root),
            proof: h(&bp.encode()),
            leaves: order
                .iter()
                .map(|&i| VLeaf {
                    data: h(&leaf_data(i)),
                    value: u(i + 1),
                })
                .collect(),
        });
        b.run(VOp::VerifyBatchNodes {
            root: vn(root),
            proof: h(&bp.encode()),
            leaves: bp
                .leaves
                .iter()
                .map(|&p| vn(b.node(At::Current, p)))
                .collect(),
        });
    }
    c.add(
        b,
        "batch-prove-verify",
        "D15: batch proofs of {0,3}, {4}, {10,2,5} (any order in, sorted out), all 11 leaves and {0,10}, verified by data and by node.",
        &[],
    );

    // Prover rejections.
    for (id, desc, indices, flags) in [
        (
            "prove-index-at-leaf-count",
            "D19 prove: leaf index 7 of a 7-leaf MMR is out of range.",
            vec![7u64],
            &["index-out-of-range"][..],
        ),
        (
            "prove-index-u64-max",
            "D19 prove: leaf index u64::MAX is out of range.",
            vec![u64::MAX],
            &["index-out-of-range"][..],
        ),
    ] {
        let mut b = c.session();
        b.leaves(0, 7);
        b.run(VOp::Prove {
            at: cur(),
            index: u(indices[0]),
        });
        c.add(b, id, desc, flags);
    }
    for (id, desc, indices, flags) in [
        (
            "prove-batch-empty",
            "D15 proving: no indices gives empty-batch.",
            vec![],
            &["empty-batch"][..],
        ),
        (
            "prove-batch-duplicate",
            "D15 proving: index 1 twice gives duplicate-leaf.",
            vec![1u64, 3, 1],
            &["duplicate-leaf"][..],
        ),
        (
            "prove-batch-out-of-range",
            "D15 proving: index 7 of 7 leaves gives leaf-index-out-of-range (the first bad index in the given order).",
            vec![2u64, 7, 2],
            &["index-out-of-range"][..],
        ),
        (
            "prove-batch-range-before-repetition",
            "D15 proving: every index is range-checked before any repetition is: [1, 1, 7, 7] gives leaf-index-out-of-range, although the repeated 1 comes first.",
            vec![1u64, 1, 7, 7],
            &["index-out-of-range"][..],
        ),
    ] {
        let mut b = c.session();
        b.leaves(0, 7);
        b.run(VOp::ProveBatch {
            at: cur(),
            indices: indices.into_iter().map(u).collect(),
        });
        c.add(b, id, desc, flags);
    }

    single_proof_rejections(c);
    batch_proof_rejections(c);
    library_leniencies(c);
}

/// (id, description, proof bytes, leaf data, leaf value, flags).
type VerifyCase<'a> = (&'a str, &'a str, Hex, Vec<u8>, u64, Vec<&'a str>);
/// (id, description, (batch proof bytes, leaf nodes), flags).
type BatchCase<'a> = (&'a str, &'a str, (Hex, Vec<VNode>), Vec<&'a str>);

pub(super) fn single_proof_rejections(c: &mut Cases) {
    let side = seven(c);
    let root = side.root(At::Current);
    let p = side.proof(At::Current, 4); // position 7, SPEC.md D13's example
    let good = enc(&p);
    let data = h(&leaf_data(4));
    let bytes = |t: Tamper| Hex(t.apply(&p));
    let with = |f: &dyn Fn(&mut Proof)| {
        let mut q = p.clone();
        f(&mut q);
        enc(&q)
    };
    let cases: Vec<VerifyCase> = vec![
        (
            "verify-honest",
            "D14: the honest proof of leaf 4 (position 7) of the 7-leaf MMR.",
            good.clone(),
            data.0.clone(),
            5,
            vec![],
        ),
        (
            "verify-invalid-size",
            "D14.1: the proof's size replaced by 12, which no MMR has.",
            bytes(Tamper::SetSize(12)),
            data.0.clone(),
            5,
            vec!["invalid-size"],
        ),
        (
            "verify-size-u64-max-minus-1",
            "D14.1, D8: size 2^64 - 2 is invalid.",
            bytes(Tamper::SetSize(u64::MAX - 1)),
            data.0.clone(),
            5,
            vec!["invalid-size"],
        ),
        (
            "verify-internal-node",
            "D14.2: position 9 (an internal node, height 1) offered as a leaf.",
            bytes(Tamper::SetPos(9)),
            data.0.clone(),
            5,
            vec!["internal-node"],
        ),
        (
            "verify-position-u64-max",
            "D14.2, D8: u64::MAX is no position.",
            bytes(Tamper::SetPos(u64::MAX)),
            data.0.clone(),
            5,
            vec!["internal-node"],
        ),
        (
            "verify-index-out-of-range",
            "D14.3: position 11 is leaf 7, beyond the 7 leaves of size 11.",
            bytes(Tamper::SetPos(11)),
            data.0.clone(),
            5,
            vec!["index-out-of-range"],
        ),
        (
            "verify-index-far-out-of-range",
            "D14.3: the last leaf position of the largest MMR (2^64 - 65) in an MMR of size 11.",
            bytes(Tamper::SetPos(u64::MAX - 64)),
            data.0.clone(),
            5,
            vec!["index-out-of-range"],
        ),
        (
            "verify-short-path",
            "D14.4: a step removed.",
            bytes(Tamper::DropStep { step: 0 }),
            data.0.clone(),
            5,
            vec!["short-path"],
        ),
        (
            "verify-over-long-path",
            "D14.4: a step repeated.",
            bytes(Tamper::DuplicateStep { step: 2 }),
            data.0.clone(),
            5,
            vec!["over-long-path"],
        ),
        (
            "verify-wrong-side",
            "D14.5: the first step's side flipped.",
            bytes(Tamper::FlipSide { step: 0 }),
            data.0.clone(),
            5,
            vec!["wrong-side"],
        ),
        (
            "verify-reordered-steps",
            "D14.5: the mountain step and the first bagging step swapped.",
            bytes(Tamper::SwapSteps { step: 0 }),
            data.0.clone(),
            5,
            vec!["reordered-items"],
        ),
        (
            "verify-overflowing-sibling",
            "D14.6: a sibling valued u64::MAX makes a sum overflow.",
            with(&|q| q.path[0].node.value = u64::MAX),
            data.0.clone(),
            5,
            vec!["tampered-sum", "value-overflow"],
        ),
        (
            "verify-tampered-sum",
            "D14.7: a sibling's value raised by 1.",
            bytes(Tamper::AddValue { step: 0, delta: 1 }),
            data.0.clone(),
            5,
            vec!["tampered-sum"],
        ),
        (
            "verify-wrong-leaf-value",
            "D14.7: the leaf offered with value 6 instead of 5.",
            good.clone(),
            data.0.clone(),
            6,
            vec!["tampered-sum"],
        ),
        (
            "verify-tampered-hash",
            "D14.7: one bit of a sibling's hash flipped.",
            bytes(Tamper::FlipHashBit { step: 1, bit: 7 }),
            data.0.clone(),
            5,
            vec!["tampered-hash"],
        ),
        (
            "verify-wrong-leaf-data",
            "D14.7: the leaf offered with other data.",
            good.clone(),
            b"forged".to_vec(),
            5,
            vec!["wrong-leaf"],
        ),
        (
            "verify-replayed-at-other-position",
            "D14: the proof of leaf 4 presented for position 8 (leaf 5), with leaf 5's data.",
            bytes(Tamper::SetPos(8)),
            leaf_data(5),
            6,
            vec!["wrong-position"],
        ),
        (
            "verify-truncated",
            "D13 decoding: the encoding cut to 20 bytes.",
            bytes(Tamper::Truncate(20)),
            data.0.clone(),
            5,
            vec!["truncated"],
        ),
        (
            "verify-trailing-bytes",
            "D13 decoding: one byte appended.",
            bytes(Tamper::TrailingByte(0)),
            data.0.clone(),
            5,
            vec!["trailing-bytes"],
        ),
        (
            "verify-invalid-side-byte",
            "D13 decoding: a side byte of 2.",
            bytes(Tamper::SetByte {
                offset: 17,
                byte: 2,
            }),
            data.0.clone(),
            5,
            vec!["invalid-side"],
        ),
        (
            "verify-invalid-side-before-truncated",
            "D13 decoding is sequential: a side byte of 2 in the first step of a proof that is also cut short gives invalid-side, the rule met first.",
            {
                let mut b = bytes(Tamper::SetByte {
                    offset: 17,
                    byte: 2,
                })
                .0;
                b.truncate(b.len() - 10);
                Hex(b)
            },
            data.0.clone(),
            5,
            vec!["invalid-side"],
        ),
        (
            "verify-empty-bytes",
            "D13 decoding: no bytes at all.",
            Hex(vec![]),
            data.0.clone(),
            5,
            vec!["truncated"],
        ),
    ];
    for (id, desc, proof, d, v, flags) in cases {
        let mut b = c.session();
        b.run(VOp::Verify {
            root: vn(root),
            proof,
            data: h(&d),
            value: u(v),
        });
        c.add(b, id, desc, &flags);
    }
    if c.name() == "minima" {
        // Minima accepts a proof that reaches any peak only where the verifier holds the MMR
        // (MMR.checkProof; a bare root, as the `mmrproof` command checks, must be reached),
        // so the session builds the verifier's MMR first: the 7 leaves whose root is `root`.
        let mut b = seven(c);
        let mut mountain_only = p.clone();
        mountain_only.path.truncate(1);
        b.run(VOp::Verify {
            root: vn(root),
            proof: enc(&mountain_only),
            data: data.clone(),
            value: u(5),
        });
        c.add(
            b,
            "verify-stops-at-peak",
            "D14.4, DIALECTS.md minima: the verifier's MMR is built (the 7 leaves), then a proof of leaf 4 that stops at the leaf's peak (mountain part only) is checked against its root. Minima's MMR.checkProof accepts a proof reaching the root or any peak of the MMR in hand; here the root is required.",
            &["peak-accepted"],
        );
    }
    // A root of another size: the honest proof of the 6-leaf MMR against the 7-leaf root.
    let mut six = c.session();
    six.leaves(0, 6);
    let p6 = six.proof(At::Current, 4);
    let mut b = c.session();
    b.run(VOp::Verify {
        root: vn(root),
        proof: enc(&p6),
        data: h(&leaf_data(4)),
        value: u(5),
    });
    c.add(
        b,
        "verify-stale-proof",
        "D14.7: an honest proof from the 6-leaf MMR against the 7-leaf root.",
        &["stale-proof"],
    );
}

pub(super) fn batch_proof_rejections(c: &mut Cases) {
    let mut side = c.session();
    side.leaves(0, 11);
    let root = side.root(At::Current);
    let set = [1u64, 4, 6];
    let bp = side
        .db()
        .prove_batch(At::Current, &set)
        .expect("generator: batch");
    let nodes: Vec<Node> = bp
        .leaves
        .iter()
        .map(|&p| side.node(At::Current, p))
        .collect();
    let leaves_of = |v: &[u64]| -> Vec<VLeaf> {
        v.iter()
            .map(|&i| VLeaf {
                data: h(&leaf_data(i)),
                value: u(i + 1),
            })
            .collect()
    };
    let by_tamper = |t: BatchTamper| -> (Hex, Vec<VNode>) {
        let (bytes, l) = t.apply(&bp, &nodes);
        (Hex(bytes), l.into_iter().map(vn).collect())
    };
    let with = |f: &dyn Fn(&mut BatchProof)| -> Hex {
        let mut q = bp.clone();
        f(&mut q);
        Hex(q.encode())
    };
    let honest_nodes: Vec<VNode> = nodes.iter().copied().map(vn).collect();
    let hostile = {
        let mut e = bp.encode();
        e[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
        Hex(e)
    };
    // An item at a position the verifier computes itself: the parent of leaves 4 and 5.
    let computable = {
        let pos4 = bp.leaves[1];
        let parent = pos4 + 2; // leaf 4 (position 7) is a left child: parent at 7 + 2
        (parent, side.node(At::Current, parent))
    };
    let node_cases: Vec<BatchCase> = vec![
        (
            "batch-honest",
            "D15: the honest batch proof of leaves 1, 4, 6 of the 11-leaf MMR, by node.",
            by_tamper(BatchTamper::None),
            vec![],
        ),
        (
            "batch-invalid-size",
            "D15.1: size 20, which no MMR has (ckb 0.6.1 reads it as 19).",
            by_tamper(BatchTamper::SetSize(20)),
            vec!["invalid-size"],
        ),
        (
            "batch-empty",
            "D15.2: a batch proof naming no leaves.",
            (
                Hex(BatchProof {
                    size: bp.size,
                    leaves: vec![],
                    items: vec![],
                }
                .encode()),
                vec![],
            ),
            vec!["empty-batch"],
        ),
        (
            "batch-internal-node",
            "D15.3: position 2 (internal) named as a leaf.",
            (with(&|q| q.leaves[0] = 2), honest_nodes.clone()),
            vec!["internal-node"],
        ),
        (
            "batch-index-out-of-range",
            "D15.3: position 19 (leaf 11 of 11) named as a leaf.",
            (with(&|q| q.leaves[2] = 19), honest_nodes.clone()),
            vec!["index-out-of-range"],
        ),
        (
            "batch-duplicate-leaf",
            "D15.3: a leaf position repeated (with its leaf). ckb 0.6.1 decides such duplicates by their order.",
            by_tamper(BatchTamper::DuplicateLeaf { leaf: 1 }),
            vec!["duplicate-leaf"],
        ),
        (
            "batch-unordered-leaves",
            "D15.3: two leaf positions swapped (with their leaves).",
            by_tamper(BatchTamper::SwapLeaves { leaf: 0 }),
            vec!["reordered-items"],
        ),
        (
            "batch-leaf-rules-before-count",
            "D15.3 before D15.4: two leaf positions swapped and one leaf fewer supplied: unordered-leaves, not leaf-count-mismatch.",
            {
                let (bytes, l) = by_tamper(BatchTamper::SwapLeaves { leaf: 0 });
                (bytes, l[..2].to_vec())
            },
            vec!["reordered-items", "leaf-count-mismatch"],
        ),
        (
            "batch-leaf-rules-per-position",
            "D15.3 position by position: leaves [19, 2, 10]: position 19 (a leaf position, leaf 11 of 11) fails first with leaf-index-out-of-range, though position 2 is internal (a leaf-ness pass over all positions first would say not-a-leaf).",
            (with(&|q| q.leaves = vec![19, 2, 10]), honest_nodes.clone()),
            vec!["index-out-of-range", "internal-node"],
        ),
        (
            "batch-leaf-order-per-position",
            "D15.3 position by position: leaves [7, 1, 2]: position 1 after 7 fails with unordered-leaves before the internal position 2 is reached (an order pass after a leaf-ness pass would say not-a-leaf).",
            (with(&|q| q.leaves = vec![7, 1, 2]), honest_nodes.clone()),
            vec!["reordered-items", "internal-node"],
        ),
        (
            "batch-item-order-before-canonical-set",
            "D15.5: two items swapped and the last item removed: the order check comes first (unordered-items), then the canonical set (which would say missing-item).",
            (
                with(&|q| {
                    q.items.swap(0, 1);
                    q.items.pop();
                }),
                honest_nodes.clone(),
            ),
            vec!["reordered-items", "missing-item"],
        ),
        (
            "batch-leaf-count-mismatch",
            "D15.4: one leaf fewer supplied than the proof names.",
            (Hex(bp.encode()), honest_nodes[..2].to_vec()),
            vec!["leaf-count-mismatch"],
        ),
        (
            "batch-missing-item",
            "D15.5: an item removed.",
            by_tamper(BatchTamper::DropItem { item: 0 }),
            vec!["missing-item"],
        ),
        (
            "batch-unexpected-item",
            "D15.5: an extra item at a position the verifier computes.",
            (
                with(&|q| {
                    q.items.push(computable);
                    q.items.sort_by_key(|x| x.0);
                }),
                honest_nodes.clone(),
            ),
            vec!["unexpected-item"],
        ),
        (
            "batch-duplicate-item",
            "D15.5: an item repeated.",
            by_tamper(BatchTamper::DuplicateItem { item: 1 }),
            vec!["duplicate-item"],
        ),
        (
            "batch-conflicting-item",
            "D15.5: a conflicting copy of an item (same position, other hash).",
            by_tamper(BatchTamper::ConflictingItem { item: 1 }),
            vec!["duplicate-item"],
        ),
        (
            "batch-unordered-items",
            "D15.5: two items swapped.",
            by_tamper(BatchTamper::SwapItems { item: 0 }),
            vec!["reordered-items"],
        ),
        (
            "batch-overflowing-item",
            "D15.6: an item valued u64::MAX makes a sum overflow.",
            (
                with(&|q| q.items[0].1.value = u64::MAX),
                honest_nodes.clone(),
            ),
            vec!["tampered-sum", "value-overflow"],
        ),
        (
            "batch-tampered-sum",
            "D15.7: an item's value raised by 1.",
            by_tamper(BatchTamper::AddValue { item: 0, delta: 1 }),
            vec!["tampered-sum"],
        ),
        (
            "batch-tampered-hash",
            "D15.7: one bit of an item's hash flipped.",
            by_tamper(BatchTamper::FlipHashBit { item: 2, bit: 100 }),
            vec!["tampered-hash"],
        ),
        (
            "batch-truncated",
            "D15 decoding: the encoding cut short.",
            by_tamper(BatchTamper::Truncate(30)),
            vec!["truncated"],
        ),
        (
            "batch-hostile-count",
            "D15 decoding: a leaf count larger than the input could hold.",
            (hostile, honest_nodes.clone()),
            vec!["truncated"],
        ),
        (
            "batch-trailing-bytes",
            "D15 decoding: a byte appended.",
            by_tamper(BatchTamper::TrailingByte(7)),
            vec!["trailing-bytes"],
        ),
    ];
    for (id, desc, (proof, leaves), flags) in node_cases {
        let mut b = c.session();
        b.run(VOp::VerifyBatchNodes {
            root: vn(root),
            proof,
            leaves,
        });
        c.add(b, id, desc, &flags);
    }
    // By data and value.
    let mut b = c.session();
    b.run(VOp::VerifyBatch {
        root: vn(root),
        proof: Hex(bp.encode()),
        leaves: leaves_of(&set),
    });
    b.run(VOp::VerifyBatch {
        root: vn(root),
        proof: Hex(bp.encode()),
        leaves: leaves_of(&[1, 4, 7]),
    });
    c.add(
        b,
        "batch-by-data-wrong-leaf",
        "D15: the honest batch proof by data and value, then with leaf 6 replaced by leaf 7's data and value.",
        &["wrong-leaf"],
    );
    let mut b = c.session();
    b.run(VOp::VerifyBatch {
        root: vn(root),
        proof: Hex(bp.encode()),
        leaves: leaves_of(&[1, 4, 6, 6]),
    });
    c.add(
        b,
        "batch-by-data-extra-leaf",
        "D15.4: four leaves supplied for a proof of three.",
        &["leaf-count-mismatch"],
    );
}
