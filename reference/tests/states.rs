//! Issue 3: blocks, overlapping states, rewind, retention, compaction, the prune list and
//! un-pruning (D16-D23), with full observable-state comparisons.

mod common;

use common::{Rng, data, snap, state_snap};
use mmr_reference::Reference;
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, Block, BlockOp, Config, Error, ErrorKind, Node, ProofDb, decode_prune_list,
    encode_prune_list,
};
use std::collections::{BTreeMap, BTreeSet};

type Db = Reference<&'static mmr_spec::profiles::DefaultProfile>;

fn new_db(retain: u64) -> Db {
    Reference::new(&DEFAULT, Config { retain })
}

/// A random block over the working state: appends, updates and spends of unspent leaves.
fn random_block(db: &Db, rng: &mut Rng) -> Block {
    let mut ops = Vec::new();
    let mut n = db.leaf_count();
    let mut spent: BTreeSet<u64> = (0..n)
        .filter(|&i| !db.is_unspent(At::Current, i).unwrap())
        .collect();
    for _ in 0..rng.below(5) {
        let pick = rng.next();
        let unspent: Vec<u64> = (0..n).filter(|i| !spent.contains(i)).collect();
        match rng.below(4) {
            1 if !unspent.is_empty() => {
                let index = unspent[(pick % unspent.len() as u64) as usize];
                ops.push(BlockOp::Update {
                    index,
                    data: data(pick % 300),
                    value: pick % 50,
                });
            }
            2 if !unspent.is_empty() => {
                let index = unspent[(pick % unspent.len() as u64) as usize];
                spent.insert(index);
                ops.push(BlockOp::Spend {
                    index,
                    data: b"spent".to_vec(),
                });
            }
            _ => {
                ops.push(BlockOp::Append {
                    data: data(pick % 300),
                    value: pick % 50,
                });
                n += 1;
            }
        }
    }
    Block { ops }
}

/// D16/D19: random blocks with random rewinds; after each rewind the working state equals,
/// byte for byte, the state recorded when that height was committed, and so does every
/// retained state below it.
#[test]
fn d19_random_blocks_and_rewinds_restore_recorded_states() {
    for seed in 1..=3u64 {
        let mut rng = Rng(seed * 0x9e37_79b9);
        let mut db = new_db(6);
        let mut recorded: BTreeMap<u64, common::StateSnap> = BTreeMap::new();
        recorded.insert(0, state_snap(&db, At::Current));
        for _ in 0..70 {
            if db.height() > db.oldest() && rng.below(6) == 0 {
                let h = db.oldest() + rng.below(db.height() - db.oldest() + 1);
                db.rewind(h).unwrap();
                assert_eq!(db.height(), h);
                assert!(!db.has_pending());
                assert_eq!(state_snap(&db, At::Current), recorded[&h], "rewind to {h}");
                for below in db.oldest()..=h {
                    assert_eq!(state_snap(&db, At::Block(below)), recorded[&below]);
                }
                recorded.retain(|&k, _| k <= h);
            }
            let block = random_block(&db, &mut rng);
            let info = db.apply_block(&block).unwrap();
            assert_eq!(info.root, db.root(At::Block(info.height)).unwrap());
            recorded.insert(info.height, state_snap(&db, At::Current));
            assert_eq!(
                state_snap(&db, At::Block(info.height)),
                recorded[&info.height]
            );
            // D19 retention: oldest never falls and is at least height - K.
            assert_eq!(db.oldest(), db.oldest().max(db.height().saturating_sub(6)));
        }
    }
}

/// D16: apply_block equals the same operations done one by one and committed.
#[test]
fn d16_apply_block_equals_ops_then_commit() {
    let mut rng = Rng(77);
    let (mut a, mut b) = (new_db(4), new_db(4));
    for _ in 0..30 {
        let block = random_block(&a, &mut rng);
        let ia = a.apply_block(&block).unwrap();
        for op in &block.ops {
            match op {
                BlockOp::Append { data, value } => b.append(data, *value).map(|_| ()),
                BlockOp::Update { index, data, value } => b.update(*index, data, *value),
                BlockOp::Spend { index, data } => b.spend(*index, data),
            }
            .unwrap();
        }
        assert_eq!(b.commit().unwrap(), ia);
        assert_eq!(snap(&a), snap(&b));
    }
}

/// D16: a failing op leaves the working state as before the call (including earlier
/// uncommitted changes) and names the op and its error.
#[test]
fn d16_failing_block_changes_nothing() {
    let mut db = new_db(4);
    db.apply_block(&Block {
        ops: vec![BlockOp::Append {
            data: b"a".to_vec(),
            value: 1,
        }],
    })
    .unwrap();
    db.append(b"pending", 2).unwrap();
    let before = snap(&db);
    let block = Block {
        ops: vec![
            BlockOp::Append {
                data: b"b".to_vec(),
                value: 3,
            },
            BlockOp::Spend {
                index: 0,
                data: b"s".to_vec(),
            },
            BlockOp::Spend {
                index: 0,
                data: b"again".to_vec(),
            },
        ],
    };
    assert_eq!(
        db.apply_block(&block),
        Err(Error::InBlock {
            op: 2,
            error: Box::new(Error::LeafSpent { index: 0 })
        })
    );
    assert_eq!(snap(&db), before);
    let overflow = Block {
        ops: vec![BlockOp::Append {
            data: vec![],
            value: u64::MAX,
        }],
    };
    assert_eq!(
        db.apply_block(&overflow),
        Err(Error::InBlock {
            op: 0,
            error: Box::new(Error::ValueOverflow)
        })
    );
    assert_eq!(snap(&db), before);
    // The pending append is part of the next block (D16).
    let info = db.apply_block(&Block::default()).unwrap();
    assert_eq!((info.height, info.leaf_count), (2, 2));
}

/// D16/D19: an empty commit makes an empty block; rewinding to the tip with nothing
/// pending changes nothing; with changes pending it discards them.
#[test]
fn d19_rewind_to_tip_is_a_no_op() {
    let mut db = new_db(3);
    for i in 0..5 {
        db.append(&data(i), i).unwrap();
        db.commit().unwrap();
    }
    let info = db.commit().unwrap();
    assert_eq!(info.size, db.state(At::Block(5)).unwrap().size);
    assert_eq!(db.mmr_set(6).unwrap().nodes, vec![]);
    let before = snap(&db);
    db.rewind(db.height()).unwrap();
    assert_eq!(snap(&db), before);
    db.append(b"x", 1).unwrap();
    db.spend(0, b"y").unwrap();
    assert!(db.has_pending());
    db.rewind(db.height()).unwrap();
    assert_eq!(snap(&db), before);
    // Writing back the committed node is no change (D18).
    db.update(1, &data(1), 1).unwrap();
    assert!(!db.has_pending());
}

/// D18: each MMR set is exactly the positions whose node differs between states h-1 and h
/// (or is new), in increasing order, as read back from the two states.
#[test]
fn d18_mmr_sets_are_exact_diffs() {
    let mut rng = Rng(5);
    let mut db = new_db(50);
    for _ in 0..40 {
        let block = random_block(&db, &mut rng);
        db.apply_block(&block).unwrap();
        // Leave an uncommitted update for the next block to carry.
        if db.leaf_count() > 0 && db.is_unspent(At::Current, 0).unwrap() {
            db.update(0, b"tmp", 9).unwrap();
        }
    }
    for h in db.oldest() + 1..=db.height() {
        let set = db.mmr_set(h).unwrap();
        let (prev, cur) = (
            db.state(At::Block(h - 1)).unwrap(),
            db.state(At::Block(h)).unwrap(),
        );
        let want: Vec<(u64, Node)> = (0..cur.size)
            .filter(|&p| p >= prev.size || db.node(At::Block(h - 1), p) != db.node(At::Block(h), p))
            .map(|p| (p, db.node(At::Block(h), p).unwrap()))
            .collect();
        assert_eq!(set.nodes, want, "block {h}");
        assert_eq!(
            (set.prev_size, set.prev_root, set.size, set.root),
            (prev.size, prev.root, cur.size, cur.root)
        );
        assert_eq!(mmr_spec::MmrSet::decode(&set.encode()).unwrap(), set);
    }
    // An update and its undo within one block: no change recorded, an empty set.
    let i = db.append(b"orig", 5).unwrap();
    db.commit().unwrap();
    db.update(i, b"changed", 6).unwrap();
    assert!(db.has_pending());
    db.update(i, b"orig", 5).unwrap();
    assert!(!db.has_pending());
    db.commit().unwrap();
    assert_eq!(db.mmr_set(db.height()).unwrap().nodes, vec![]);
}

/// Requests outside the retained range: each its own error, nothing changed.
#[test]
fn d19_unretained_and_future_requests() {
    let mut db = new_db(2);
    for i in 0..6 {
        db.append(&data(i), 1).unwrap();
        db.commit().unwrap();
    }
    assert_eq!(db.oldest(), 4);
    let before = snap(&db);
    assert_eq!(
        db.state(At::Block(3)),
        Err(Error::NotRetained {
            height: 3,
            oldest: 4
        })
    );
    assert_eq!(
        db.node(At::Block(0), 0),
        Err(Error::NotRetained {
            height: 0,
            oldest: 4
        })
    );
    assert_eq!(
        db.prove(At::Block(1), 0),
        Err(Error::NotRetained {
            height: 1,
            oldest: 4
        })
    );
    assert_eq!(
        db.leaf_set(At::Block(2)),
        Err(Error::NotRetained {
            height: 2,
            oldest: 4
        })
    );
    assert_eq!(
        db.mmr_set(4),
        Err(Error::NotRetained {
            height: 4,
            oldest: 4
        })
    );
    assert_eq!(
        db.state(At::Block(7)),
        Err(Error::FutureHeight { height: 7, tip: 6 })
    );
    assert_eq!(
        db.rewind(3),
        Err(Error::NotRetained {
            height: 3,
            oldest: 4
        })
    );
    assert_eq!(db.rewind(7), Err(Error::FutureHeight { height: 7, tip: 6 }));
    assert_eq!(
        db.compact(3),
        Err(Error::NotRetained {
            height: 3,
            oldest: 4
        })
    );
    assert_eq!(
        db.compact(u64::MAX),
        Err(Error::FutureHeight {
            height: u64::MAX,
            tip: 6
        })
    );
    assert_eq!(snap(&db), before);
}

// ---------- D21-D23: compaction, prune list, un-pruning ----------

/// D21 from the definition, by simulation of D1: for each position its leaf range and its
/// parent; dropped = not a peak and every leaf below the parent spent.
fn d21_set(n: u64, spent: &BTreeSet<u64>) -> BTreeSet<u64> {
    // (first leaf, end leaf, parent position) per position.
    let mut nodes: Vec<(u64, u64, Option<usize>)> = Vec::new();
    let mut stack: Vec<(usize, u32)> = Vec::new(); // (position, height) of the peaks
    for i in 0..n {
        nodes.push((i, i + 1, None));
        let mut cur = (nodes.len() - 1, 0u32);
        while let Some(&(left, h)) = stack.last() {
            if h != cur.1 {
                break;
            }
            stack.pop();
            nodes.push((nodes[left].0, nodes[cur.0].1, None));
            let up = nodes.len() - 1;
            nodes[left].2 = Some(up);
            nodes[cur.0].2 = Some(up);
            cur = (up, h + 1);
        }
        stack.push(cur);
    }
    (0..nodes.len())
        .filter(|&p| match nodes[p].2 {
            None => false,
            Some(up) => (nodes[up].0..nodes[up].1).all(|i| spent.contains(&i)),
        })
        .map(|p| p as u64)
        .collect()
}

fn spent_at(db: &Db, at: At) -> BTreeSet<u64> {
    let n = db.state(at).unwrap().leaf_count;
    (0..n).filter(|&i| !db.is_unspent(at, i).unwrap()).collect()
}

/// Random blocks with compactions: the dropped set is exactly D21's (accumulated), the
/// prune list bytes are D22's layout, every root and every unspent leaf's proof is
/// unchanged, dropped nodes read as `pruned`, and nothing below the horizon is reachable.
#[test]
fn d21_d22_compaction_keeps_what_is_needed_and_drops_exactly_the_rest() {
    for seed in 1..=3u64 {
        let mut rng = Rng(seed * 31 + 7);
        let mut db = new_db(5);
        let mut dropped: BTreeSet<u64> = BTreeSet::new();
        for round in 0..40 {
            let block = random_block(&db, &mut rng);
            db.apply_block(&block).unwrap();
            if round % 5 != 4 {
                continue;
            }
            let h = db.oldest().max(db.horizon())
                + rng.below(db.height() - db.oldest().max(db.horizon()) + 1);
            let n = db.state(At::Block(h)).unwrap().leaf_count;
            let fresh: BTreeSet<u64> = d21_set(n, &spent_at(&db, At::Block(h)))
                .difference(&dropped)
                .copied()
                .collect();
            let roots: Vec<_> = (h..=db.height())
                .map(|k| db.state(At::Block(k)).unwrap())
                .collect();
            let proofs: Vec<_> = (0..db.leaf_count())
                .filter(|&i| db.is_unspent(At::Current, i).unwrap())
                .map(|i| (i, db.prove(At::Current, i).unwrap()))
                .collect();
            let report = db.compact(h).unwrap();
            dropped.extend(&fresh);
            assert_eq!(
                (report.horizon, report.dropped, report.total_dropped),
                (h, fresh.len() as u64, dropped.len() as u64)
            );
            assert_eq!((db.horizon(), db.oldest()), (h, h));
            assert_eq!(
                db.prune_list(),
                encode_prune_list(n, dropped.iter().copied())
            );
            assert_eq!(
                decode_prune_list(&db.prune_list()),
                dropped.iter().copied().collect::<Vec<_>>()
            );
            let after: Vec<_> = (h..=db.height())
                .map(|k| db.state(At::Block(k)).unwrap())
                .collect();
            assert_eq!(after, roots);
            for (i, proof) in proofs {
                assert_eq!(db.prove(At::Current, i).unwrap(), proof);
            }
            for p in 0..db.size() {
                let got = db.node(At::Current, p);
                assert_eq!(got.is_err(), dropped.contains(&p), "position {p}");
                if dropped.contains(&p) {
                    assert_eq!(got, Err(Error::Pruned { pos: p }));
                }
            }
            if h > 0 {
                let before = snap(&db);
                assert_eq!(
                    db.rewind(h - 1),
                    Err(Error::BelowHorizon {
                        height: h - 1,
                        horizon: h
                    })
                );
                assert_eq!(
                    db.compact(h - 1),
                    Err(Error::BelowHorizon {
                        height: h - 1,
                        horizon: h
                    })
                );
                assert_eq!(
                    db.state(At::Block(h - 1)),
                    Err(Error::NotRetained {
                        height: h - 1,
                        oldest: h
                    })
                );
                assert_eq!(snap(&db), before);
            }
        }
    }
}

/// D12/D21: spending or updating a dropped leaf is `pruned` (checked before `leaf-spent`);
/// proving it names the leaf; proving a batch names the lowest dropped position.
#[test]
fn d21_dropped_leaves_are_pruned_for_every_request() {
    let mut db = new_db(4);
    for i in 0..8 {
        db.append(&data(i), 1).unwrap();
    }
    for i in [0, 1, 2, 3, 5] {
        db.spend(i, b"s").unwrap();
    }
    db.commit().unwrap();
    db.compact(1).unwrap();
    // Dropped: 0-5 (below 6, all spent); 7 and 8 stay (leaf 5 at 8 is next to unspent 4).
    assert_eq!(decode_prune_list(&db.prune_list()), vec![0, 1, 2, 3, 4, 5]);
    let before = snap(&db);
    assert_eq!(db.spend(1, b"x"), Err(Error::Pruned { pos: 1 }));
    assert_eq!(db.update(3, b"x", 1), Err(Error::Pruned { pos: 4 }));
    assert_eq!(db.spend(5, b"x"), Err(Error::LeafSpent { index: 5 }));
    assert_eq!(db.prove(At::Current, 2), Err(Error::Pruned { pos: 3 }));
    // Needed: leaves at 4 and 10, items 2, 3, 9, 11: the lowest dropped is 2.
    assert_eq!(
        db.prove_batch(At::Current, &[6, 3]),
        Err(Error::Pruned { pos: 2 })
    );
    assert_eq!(db.node(At::Block(1), 2), Err(Error::Pruned { pos: 2 }));
    assert!(!db.is_unspent(At::Current, 1).unwrap());
    assert!(db.prove(At::Current, 5).is_ok()); // spent but kept
    assert!(db.prove_batch(At::Current, &[4, 5, 6, 7]).is_ok());
    assert_eq!(snap(&db), before);
}

/// D23: compact, un-prune with a proof obtained before compaction, prove again: equal. An
/// invalid proof changes nothing; a later compaction drops the leaf again.
#[test]
fn d23_unprune_round_trips() {
    let mut db = new_db(4);
    for i in 0..11 {
        db.append(&data(i), i + 1).unwrap();
    }
    for i in [0, 1, 2, 3, 8, 9] {
        db.spend(i, b"spent").unwrap();
    }
    db.commit().unwrap();
    let proofs: Vec<_> = (0..11).map(|i| db.prove(At::Current, i).unwrap()).collect();
    let leaves: Vec<Node> = proofs
        .iter()
        .map(|p| db.node(At::Current, p.pos).unwrap())
        .collect();
    let report = db.compact(1).unwrap();
    assert!(report.dropped > 0);
    let before = snap(&db);
    // Invalid: tampered, wrong size, wrong leaf.
    let mut bad = proofs[1].clone();
    bad.path[0].node.hash.0[0] ^= 1;
    assert_eq!(
        db.unprune(&bad, &leaves[1]).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
    let mut other_size = proofs[1].clone();
    other_size.size = 18;
    assert_eq!(
        db.unprune(&other_size, &leaves[1]),
        Err(Error::SizeMismatch {
            expected: 19,
            got: 18
        })
    );
    assert_eq!(
        db.unprune(&proofs[1], &leaves[0]).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
    assert_eq!(snap(&db), before);
    for i in [1u64, 8] {
        assert_eq!(
            db.prove(At::Current, i).unwrap_err().kind(),
            ErrorKind::Pruned
        );
        let restored = db
            .unprune(&proofs[i as usize], &leaves[i as usize])
            .unwrap();
        assert!(restored > 0);
        assert_eq!(db.prove(At::Current, i).unwrap(), proofs[i as usize]);
        assert_eq!(db.unprune(&proofs[i as usize], &leaves[i as usize]), Ok(0));
        assert!(!db.is_unspent(At::Current, i).unwrap());
    }
    // Leaf 1's path: leaf 1 (pos 1), siblings 0 and 5, parent 2: four positions restored.
    let list = decode_prune_list(&db.prune_list());
    assert!(!list.contains(&1) && !list.contains(&0) && !list.contains(&2) && !list.contains(&5));
    db.commit().unwrap();
    let again = db.compact(2).unwrap();
    assert!(again.dropped >= 4);
    assert_eq!(
        db.prove(At::Current, 1).unwrap_err().kind(),
        ErrorKind::Pruned
    );
    assert_eq!(
        db.root(At::Current).unwrap(),
        before.current.info.clone().unwrap().root
    );
}
