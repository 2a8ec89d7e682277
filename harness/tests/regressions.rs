//! Differences between the implementations found by the differential suites (and named in
//! the issue), each as a concrete op sequence run on both with
//! [`mmr_harness::run_sequence`] for the affected profiles. The fuzzer's own minimized
//! findings live in `fuzz_regressions.rs`.

use mmr_harness::run_sequence;
use mmr_spec::ops::{Op, SetTamper};
use mmr_spec::{At, Block, BlockOp, Config, Profile, profiles};

fn run(profile: &'static dyn Profile, retain: u64, seq: &[Op]) {
    if let Err(m) = run_sequence(profile, Config { retain }, seq) {
        panic!("{m}");
    }
}

fn run_every_profile(retain: u64, seq: &[Op]) {
    for p in profiles::all() {
        run(p, retain, seq);
    }
}

fn without_empty_root() -> impl Iterator<Item = &'static dyn Profile> {
    profiles::all()
        .into_iter()
        .filter(|p| p.empty_root().is_none())
}

fn append(data: &[u8], value: u64) -> Op {
    Op::Append {
        data: data.to_vec(),
        value,
    }
}

fn update(index: u64, data: &[u8], value: u64) -> Op {
    Op::Update {
        index,
        data: data.to_vec(),
        value,
    }
}

/// Issue item 1, SPEC.md D11: in a profile without an empty root (minima, ckb), every read of
/// the root of an empty state fails with `empty-root`: the fresh database's genesis state
/// (optimized answered with a zero node), its working state, a commit of it, an empty
/// `apply_block` on it, and the MMR set of block 1 (whose previous state is empty).
#[test]
fn d11_empty_state_has_no_root_without_an_empty_root() {
    assert!(without_empty_root().count() >= 2, "minima and ckb ship");
    let seqs: Vec<Vec<Op>> = vec![
        vec![],
        vec![
            Op::State { at: At::Block(0) },
            Op::State { at: At::Current },
        ],
        vec![Op::Commit, Op::Info],
        vec![
            Op::ApplyBlock {
                block: Block { ops: vec![] },
            },
            Op::Info,
        ],
        vec![Op::ClientInit { height: 0 }, Op::ClientInfo],
        vec![
            append(b"a", 1),
            Op::Commit,
            Op::MmrSet { height: 1 },
            Op::ClientInit { height: 0 },
            Op::ClientInit { height: 1 },
            Op::ClientTrack { index: 0 },
        ],
        // Back to the empty genesis: rewind, then a commit of the empty working state.
        vec![
            append(b"a", 1),
            Op::Commit,
            Op::Rewind { height: 0 },
            Op::State { at: At::Current },
            Op::Commit,
            append(b"b", 2),
            Op::Commit,
            Op::MmrSet { height: 1 },
        ],
        // A block whose ops all fail or that empties nothing: still an empty commit.
        vec![
            Op::ApplyBlock {
                block: Block {
                    ops: vec![BlockOp::Append {
                        data: vec![1],
                        value: 3,
                    }],
                },
            },
            Op::MmrSet { height: 1 },
            Op::Rewind { height: 0 },
            Op::ApplyBlock {
                block: Block { ops: vec![] },
            },
        ],
    ];
    for p in without_empty_root() {
        for seq in &seqs {
            run(p, 4, seq);
            run(p, 0, seq);
        }
    }
    // Profiles with an empty root keep agreeing on the same sequences.
    for p in profiles::all()
        .into_iter()
        .filter(|p| p.empty_root().is_some())
    {
        for seq in &seqs {
            run(p, 4, seq);
        }
    }
}

/// Issue item 2, SPEC.md D16/D18: the working state has uncommitted changes iff it differs
/// from the last committed block. An update written back, or undone before the commit, is
/// no change (optimized reported `has_pending` after any mutation).
#[test]
fn d16_written_back_or_undone_update_is_no_pending_change() {
    let seqs: Vec<Vec<Op>> = vec![
        // Written back with the committed data and value.
        vec![
            append(b"a", 5),
            append(b"b", 6),
            append(b"c", 7),
            Op::Commit,
            update(1, b"b", 6),
            Op::Info,
            Op::Commit,
            Op::MmrSet { height: 2 },
        ],
        // Changed, then undone.
        vec![
            append(b"a", 5),
            append(b"b", 6),
            append(b"c", 7),
            Op::Commit,
            update(2, b"x", 9),
            update(0, b"y", 1),
            update(2, b"c", 7),
            Op::Info,
            update(0, b"a", 5),
            Op::Info,
            Op::Rewind { height: 1 },
            Op::Info,
        ],
        // Undone inside a failing block: the savepoint restores "no change".
        vec![
            append(b"a", 5),
            Op::Commit,
            Op::ApplyBlock {
                block: Block {
                    ops: vec![
                        BlockOp::Update {
                            index: 0,
                            data: b"z".to_vec(),
                            value: 2,
                        },
                        BlockOp::Spend {
                            index: 9,
                            data: vec![],
                        },
                    ],
                },
            },
            Op::Info,
        ],
        // A real change stays pending; a spend is always a change.
        vec![
            append(b"a", 5),
            append(b"b", 6),
            Op::Commit,
            update(0, b"a", 4),
            Op::Info,
            update(0, b"a", 5),
            Op::Spend {
                index: 1,
                data: b"b".to_vec(),
            },
            Op::Info,
        ],
    ];
    for seq in &seqs {
        run_every_profile(3, seq);
    }
}

/// Issue item 3, SPEC.md D15: `duplicate-leaf` names the first index, in the given order,
/// that repeats an earlier one (optimized named the smallest repeated position).
#[test]
fn d15_duplicate_leaf_names_the_first_repeat_in_given_order() {
    let mut seq: Vec<Op> = (0..8u8).map(|i| append(&[i], u64::from(i))).collect();
    seq.push(Op::Commit);
    for indices in [
        vec![5, 1, 5, 1],
        vec![6, 2, 2, 6],
        vec![7, 3, 0, 3, 7, 0],
        vec![4, 4],
        vec![1, 0, 1],
        // Range errors still come first, whatever repeats.
        vec![2, 2, 8],
    ] {
        for at in [At::Current, At::Block(1)] {
            seq.push(Op::ProveBatch {
                at,
                indices: indices.clone(),
            });
        }
    }
    run_every_profile(2, &seq);
}

/// A client created from the tip follows an honest set and keeps agreeing (used as a smoke
/// test of the empty-root rules on a non-empty chain).
#[test]
fn client_follows_after_first_block_without_empty_root() {
    let seq = vec![
        append(b"a", 1),
        append(b"b", 2),
        Op::Commit,
        Op::ClientInit { height: 1 },
        Op::ClientTrack { index: 1 },
        append(b"c", 3),
        Op::Commit,
        Op::ClientFollow {
            tamper: SetTamper::None,
        },
        Op::ClientInfo,
    ];
    for p in without_empty_root() {
        run(p, 3, &seq);
    }
}

/// Issue item 1, SPEC.md D11/D24: creating a client from an empty state fails with
/// `empty-root` in a profile without an empty root (the optimized client accepted it). The
/// executor's `ClientInit` reads `state` first, so this calls both constructors directly.
#[test]
fn d24_client_from_empty_state_without_an_empty_root() {
    use mmr_optimized::OptimizedClient;
    use mmr_reference::RefClient;
    use mmr_spec::{ClientState, Error};
    for p in profiles::all() {
        let st = ClientState {
            height: 0,
            size: 0,
            peaks: vec![],
        };
        let r = RefClient::new(p, st.clone())
            .map(|_| ())
            .map_err(|e| e.kind());
        let o = OptimizedClient::with_profile(p, st)
            .map(|_| ())
            .map_err(|e| e.kind());
        assert_eq!(r, o, "{}", p.name());
        let want = if p.empty_root().is_some() {
            Ok(())
        } else {
            Err(Error::EmptyRoot.kind())
        };
        assert_eq!(o, want, "{}", p.name());
    }
}

/// The harness's oracle "the client's proof equals the database's at the client's height"
/// (`harness/src/observe.rs`) used to fire after a reorganisation, although both
/// implementations agree: the client applied block 1; `rewind(0)` discards block 1 and a new
/// block 1 is committed; the client (which SPEC.md D24 says cannot follow a reorganisation)
/// still holds a proof of the old block 1. Found by `differential.rs` at PROPTEST_CASES=1000.
/// The oracle now applies only while the client's root equals the database's at its height.
#[test]
fn harness_client_oracle_after_reorganisation() {
    let seq = vec![
        append(&[], 0),
        append(&[], 0),
        Op::ClientInit { height: 0 },
        Op::Commit,
        Op::ClientFollow {
            tamper: SetTamper::None,
        },
        Op::ClientTrack { index: 0 },
        Op::Rewind { height: 0 },
        append(&[], 0),
        append(&[], 1),
        append(&[], 0),
        Op::Commit,
    ];
    run(&profiles::DEFAULT, 1, &seq);
}
