//! Issue 3 (client part): a storage-less client fed only MMR sets tracks the database
//! exactly (D24), and every malformed set or request is rejected with its own error,
//! leaving the client unchanged.

mod common;

use common::{FAST_FLAT, FAST_FOLD_RIGHT, FAST_PEAK_TREE, FOLD_RIGHT, PEAK_TREE, Rng, data};
use mmr_reference::{RefClient, Reference};
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{
    At, Block, BlockOp, Client, ClientState, Config, Error, ErrorKind, MmrSet, Node, Profile,
    Proof, ProofDb,
};

/// Everything a client shows: height, size, peaks, and each tracked leaf with its proof.
type ClientView = (u64, u64, Vec<Node>, Vec<(u64, Node, Proof)>);

/// Reads everything a client shows.
fn client_snap(c: &dyn Client) -> ClientView {
    let tracked = c
        .tracked()
        .into_iter()
        .map(|i| (i, c.leaf(i).unwrap(), c.proof(i).unwrap()))
        .collect();
    (c.height(), c.size(), c.peaks(), tracked)
}

/// A client at the database's current committed state.
fn client_at<P: Profile + Copy>(p: P, db: &Reference<P>) -> RefClient<P> {
    let st = db.state(At::Block(db.height())).unwrap();
    RefClient::new(
        p,
        ClientState {
            height: db.height(),
            size: st.size,
            peaks: st.peaks,
        },
    )
    .unwrap()
}

/// A random block: appends, updates and spends of unspent leaves.
fn random_block<P: Profile>(db: &Reference<P>, rng: &mut Rng) -> Block {
    let mut ops = Vec::new();
    let n = db.leaf_count();
    let mut spent = std::collections::BTreeSet::new();
    for _ in 0..1 + rng.below(4) {
        let pick = rng.next();
        let i = if n > 0 { pick % n } else { 0 };
        let free = n > 0 && !spent.contains(&i) && db.is_unspent(At::Current, i).unwrap();
        match rng.below(4) {
            1 if free => ops.push(BlockOp::Update {
                index: i,
                data: data(pick % 97),
                value: pick % 40,
            }),
            2 if free => {
                spent.insert(i);
                ops.push(BlockOp::Spend {
                    index: i,
                    data: b"spent".to_vec(),
                });
            }
            _ => ops.push(BlockOp::Append {
                data: data(pick % 97),
                value: pick % 40,
            }),
        }
    }
    Block { ops }
}

/// Runs `blocks` random blocks; the client follows from MMR sets alone, tracking a changing
/// set of leaves; after each block its peaks equal the database's and each tracked proof
/// and node equal `prove(At::Block(h), i)` and the node there.
fn follow<P: Profile + Copy>(p: P, blocks: u64, seed: u64) {
    let mut rng = Rng(seed);
    let mut db = Reference::new(p, Config { retain: 3 });
    let mut client = client_at(p, &db);
    for _ in 0..blocks {
        db.apply_block(&random_block(&db, &mut rng)).unwrap();
        let h = db.height();
        client.apply(&db.mmr_set(h).unwrap()).unwrap();
        assert_eq!(
            client.peaks(),
            db.state(At::Block(h)).unwrap().peaks,
            "peaks at {h}"
        );
        assert_eq!(client.root(), db.root(At::Block(h)));
        for i in client.tracked() {
            assert_eq!(
                client.proof(i).unwrap(),
                db.prove(At::Block(h), i).unwrap(),
                "leaf {i} at {h}"
            );
            let pos = client.proof(i).unwrap().pos;
            assert_eq!(client.leaf(i).unwrap(), db.node(At::Block(h), pos).unwrap());
        }
        // Track a random leaf now and then, untrack one now and then.
        let n = db.leaf_count();
        if n > 0 && rng.below(3) == 0 {
            let i = rng.below(n);
            let proof = db.prove(At::Block(h), i).unwrap();
            let leaf = db.node(At::Block(h), proof.pos).unwrap();
            assert_eq!(client.track(&proof, &leaf), Ok(i));
        }
        if client.tracked().len() > 12 {
            let first = client.tracked()[0];
            client.untrack(first).unwrap();
        }
    }
}

#[test]
fn d24_client_follows_thousands_of_blocks_fast_hash() {
    follow(FAST_FLAT, 1500, 11);
    follow(FAST_FOLD_RIGHT, 600, 12);
    follow(FAST_PEAK_TREE, 600, 13);
}

#[test]
fn d24_client_follows_the_default_and_sha3_shapes() {
    follow(DEFAULT, 120, 21);
    follow(FOLD_RIGHT, 60, 22);
    follow(PEAK_TREE, 60, 23);
}

/// A database with a few blocks, a client at block 3 tracking leaves 0..5, and the MMR set
/// of block 4 (which appends, updates leaf 1 and spends leaf 4).
fn fixture() -> (
    Reference<&'static mmr_spec::profiles::DefaultProfile>,
    RefClient<&'static mmr_spec::profiles::DefaultProfile>,
    MmrSet,
) {
    let mut db = Reference::new(&DEFAULT, Config::default());
    for b in 0..3u64 {
        for i in 0..2 {
            db.append(&data(b * 2 + i), b + i + 1).unwrap();
        }
        db.commit().unwrap();
    }
    let mut client = client_at(&DEFAULT, &db);
    for i in 0..6 {
        let proof = db.prove(At::Current, i).unwrap();
        client
            .track(&proof, &db.node(At::Current, proof.pos).unwrap())
            .unwrap();
    }
    db.append(b"seven", 7).unwrap();
    db.update(1, b"new", 9).unwrap();
    db.spend(4, b"spent").unwrap();
    db.commit().unwrap();
    let set = db.mmr_set(4).unwrap();
    (db, client, set)
}

/// Applies a set expected to fail with `kind`, and checks the client did not change.
fn rejects(
    client: &mut RefClient<&'static mmr_spec::profiles::DefaultProfile>,
    set: &MmrSet,
    want: Error,
) {
    let before = client_snap(client);
    assert_eq!(client.apply(set), Err(want));
    assert_eq!(client_snap(client), before);
}

#[test]
fn d24_fixture_applies() {
    let (db, mut client, set) = fixture();
    client.apply(&set).unwrap();
    for i in 0..6 {
        assert_eq!(client.proof(i).unwrap(), db.prove(At::Current, i).unwrap());
    }
}

#[test]
fn d24_step1_height_mismatch() {
    let (_, mut client, mut set) = fixture();
    for h in [3, 5, 0, u64::MAX] {
        set.height = h;
        rejects(
            &mut client,
            &set,
            Error::HeightMismatch {
                expected: 4,
                got: h,
            },
        );
    }
}

#[test]
fn d24_step2_parent_mismatch() {
    let (_, mut client, set) = fixture();
    let root = client.root().unwrap();
    let mut t = set.clone();
    t.prev_size = 11;
    rejects(
        &mut client,
        &t,
        Error::ParentMismatch {
            size: 10,
            root: root.hash,
        },
    );
    let mut t = set.clone();
    t.prev_root.value += 1;
    rejects(
        &mut client,
        &t,
        Error::ParentMismatch {
            size: 10,
            root: root.hash,
        },
    );
    let mut t = set.clone();
    t.prev_root.hash.0[0] ^= 1;
    rejects(
        &mut client,
        &t,
        Error::ParentMismatch {
            size: 10,
            root: root.hash,
        },
    );
}

#[test]
fn d24_step3_invalid_or_shrinking_size() {
    let (_, mut client, set) = fixture();
    let mut t = set.clone();
    t.size = 12;
    rejects(&mut client, &t, Error::InvalidSize { size: 12 });
    t.size = u64::MAX - 1;
    rejects(&mut client, &t, Error::InvalidSize { size: u64::MAX - 1 });
    t.size = 8;
    rejects(&mut client, &t, Error::MalformedSet { pos: 8 });
}

#[test]
fn d24_step4_positions_unordered_duplicated_or_out_of_range() {
    let (_, mut client, set) = fixture();
    let positions: Vec<u64> = set.nodes.iter().map(|(p, _)| *p).collect();
    // Leaf 1 updated (1, 2, 6), leaf 4 spent (7, 9), leaf 6 appended (10).
    assert_eq!(positions, vec![1, 2, 6, 7, 9, 10]);
    let mut t = set.clone();
    t.nodes.swap(0, 1);
    rejects(&mut client, &t, Error::MalformedSet { pos: 1 });
    let mut t = set.clone();
    t.nodes.insert(1, t.nodes[0]);
    rejects(&mut client, &t, Error::MalformedSet { pos: 1 });
    let mut t = set.clone();
    t.nodes.push((11, Node::default()));
    rejects(&mut client, &t, Error::MalformedSet { pos: 11 });
    let mut t = set.clone();
    t.nodes.push((u64::MAX, Node::default()));
    rejects(&mut client, &t, Error::MalformedSet { pos: u64::MAX });
}

#[test]
fn d24_step5_missing_created_node() {
    let (_, mut client, set) = fixture();
    let mut t = set.clone();
    t.nodes.retain(|(p, _)| *p != 10);
    rejects(&mut client, &t, Error::MissingNode { pos: 10 });
    // A huge size with no nodes: the first absent position, without walking the range.
    let mut t = set.clone();
    t.size = u64::MAX;
    t.nodes.clear();
    rejects(&mut client, &t, Error::MissingNode { pos: 10 });
}

#[test]
fn d24_step6_root_of_new_peaks() {
    let (_, mut client, set) = fixture();
    let mut t = set.clone();
    t.root.value += 1;
    rejects(
        &mut client,
        &t,
        Error::SumMismatch {
            expected: t.root.value,
            computed: set.root.value,
        },
    );
    let mut t = set.clone();
    t.root.hash.0[9] ^= 1;
    assert_eq!(
        client.apply(&t).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
    // A tampered peak (position 6) breaks the root.
    let mut t = set.clone();
    t.nodes[2].1.hash.0[0] ^= 1;
    assert_eq!(
        client.apply(&t).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
    let mut t = set.clone();
    t.nodes[2].1.value = u64::MAX;
    assert_eq!(
        client.apply(&t).unwrap_err().kind(),
        ErrorKind::ValueOverflow
    );
}

#[test]
fn d24_step7_tracked_proofs_must_verify() {
    let (_, mut client, set) = fixture();
    // A tampered non-peak node (position 2, a sibling on leaves 2 and 3's paths): the peaks
    // and root still agree, but the tracked proofs do not.
    let mut t = set.clone();
    t.nodes[1].1.hash.0[0] ^= 1;
    assert_eq!(
        client.apply(&t).unwrap_err().kind(),
        ErrorKind::RootMismatch
    );
    let before = client_snap(&client);
    // A set that omits a changed sibling (position 1, leaf 1's new node, value 9) leaves
    // leaf 0's proof with a stale sibling (value 2).
    let mut t = set.clone();
    t.nodes.retain(|(p, _)| *p != 1);
    assert_eq!(client.apply(&t).unwrap_err().kind(), ErrorKind::SumMismatch);
    assert_eq!(client_snap(&client), before);
    // Without tracked leaves the same set is accepted (nothing else needs position 1).
    let mut bare = client.clone();
    for i in bare.tracked() {
        bare.untrack(i).unwrap();
    }
    bare.apply(&t).unwrap();
}

#[test]
fn d24_new_rejects_bad_states() {
    let db = {
        let mut db = Reference::new(&DEFAULT, Config::default());
        for i in 0..7 {
            db.append(&data(i), 1).unwrap();
        }
        db
    };
    let peaks = db.state(At::Current).unwrap().peaks;
    let new = |size: u64, peaks: Vec<Node>| {
        RefClient::new(
            &DEFAULT,
            ClientState {
                height: 1,
                size,
                peaks,
            },
        )
        .map(|_| ())
    };
    assert_eq!(new(12, peaks.clone()), Err(Error::InvalidSize { size: 12 }));
    assert_eq!(
        new(11, peaks[..1].to_vec()),
        Err(Error::MissingNode { pos: 9 })
    );
    assert_eq!(new(11, vec![]), Err(Error::MissingNode { pos: 6 }));
    let mut more = peaks.clone();
    more.push(peaks[0]);
    assert_eq!(new(11, more), Err(Error::MalformedSet { pos: 11 }));
    let mut big = peaks.clone();
    big[0].value = u64::MAX;
    assert_eq!(new(11, big), Err(Error::ValueOverflow));
    assert_eq!(new(11, peaks), Ok(()));
    assert_eq!(new(u64::MAX, vec![Node::default()]), Ok(()));
}

#[test]
fn d24_track_verify_and_untracked_requests() {
    let (db, mut client, _) = fixture();
    let before = client_snap(&client);
    let proof = db.prove(At::Block(3), 2).unwrap();
    let leaf = db.node(At::Block(3), proof.pos).unwrap();
    let mut t = proof.clone();
    t.size = 11;
    assert_eq!(
        client.track(&t, &leaf),
        Err(Error::SizeMismatch {
            expected: 10,
            got: 11
        })
    );
    let mut t = proof.clone();
    t.path[0].node.value += 1;
    assert_eq!(
        client.track(&t, &leaf).unwrap_err().kind(),
        ErrorKind::SumMismatch
    );
    assert_eq!(client.verify(&proof, &data(2), 2), Ok(()));
    assert_eq!(
        client.verify(&proof, &data(2), 3).unwrap_err().kind(),
        ErrorKind::SumMismatch
    );
    assert_eq!(
        client.verify(&t, &data(2), 2).unwrap_err().kind(),
        ErrorKind::SumMismatch
    );
    let current = db.prove(At::Current, 2).unwrap();
    assert_eq!(
        client.verify(&current, &data(2), 2),
        Err(Error::SizeMismatch {
            expected: 10,
            got: 11
        })
    );
    assert_eq!(client.untrack(9), Err(Error::NotTracked { index: 9 }));
    assert_eq!(client.leaf(9), Err(Error::NotTracked { index: 9 }));
    assert_eq!(
        client.proof(u64::MAX),
        Err(Error::NotTracked { index: u64::MAX })
    );
    assert_eq!(client_snap(&client), before);
}

/// D24: a client cannot follow a reorganisation; the replacing block's set fails.
#[test]
fn d24_reorg_is_refused() {
    let (mut db, mut client, set) = fixture();
    client.apply(&set).unwrap();
    db.append(b"five", 5).unwrap();
    db.commit().unwrap(); // block 5
    let five = db.mmr_set(5).unwrap();
    db.rewind(4).unwrap();
    db.append(b"other five", 6).unwrap();
    db.commit().unwrap(); // a different block 5
    let mut follower = client.clone();
    follower.apply(&five).unwrap();
    let replaced = db.mmr_set(5).unwrap();
    let root = follower.root().unwrap();
    // Same height again: height-mismatch; a block 6 on the new branch: parent-mismatch.
    assert_eq!(
        follower.apply(&replaced),
        Err(Error::HeightMismatch {
            expected: 6,
            got: 5
        })
    );
    db.append(b"six", 1).unwrap();
    db.commit().unwrap();
    assert_eq!(
        follower.apply(&db.mmr_set(6).unwrap()),
        Err(Error::ParentMismatch {
            size: follower.size(),
            root: root.hash
        })
    );
}
