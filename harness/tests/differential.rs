//! The differential suites: random op sequences on both implementations, every observable
//! compared after every op, for every shipped profile (issue: differential harness).
//!
//! Case counts are sized for `cargo test` on 2 cores; raise them with PROPTEST_CASES for a
//! longer campaign (`PROPTEST_CASES=2000 cargo test -p mmr-harness --release`).

use mmr_harness::strategy::{Mix, client_session, ops};
use mmr_harness::{run_all_profiles, run_generated};
use mmr_spec::ops::{Op, SetTamper, Tamper};
use mmr_spec::{At, Config, profiles};
use proptest::prelude::*;
use proptest::test_runner::Config as PtConfig;

fn cases(default: u32) -> PtConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    PtConfig {
        cases: n,
        failure_persistence: None,
        ..PtConfig::default()
    }
}

fn check(
    profile: &'static dyn mmr_spec::Profile,
    retain: u64,
    seq: &[Op],
) -> Result<(), TestCaseError> {
    run_generated(profile, Config { retain }, seq).map_err(|m| TestCaseError::fail(m.to_string()))
}

/// The optimized implementation on each SHA3-256 backend (keccak-asm and sha3) against the
/// reference on the spec's default profile.
#[test]
fn every_hash_backend_agrees_with_the_reference() {
    use mmr_harness::Pair;
    use mmr_harness::subjects::optimized_variants;
    let variants = optimized_variants(&profiles::DEFAULT);
    assert_eq!(variants.len(), 3);
    let mut runner = proptest::test_runner::TestRunner::new(cases(8));
    runner
        .run(
            &(ops(Mix::APPEND_HEAVY, 0..40), 0u64..5),
            |(seq, retain)| {
                for &v in &variants {
                    let mut pair = Pair::with_profiles(&profiles::DEFAULT, v, Config { retain });
                    pair.check()
                        .map_err(|m| TestCaseError::fail(m.to_string()))?;
                    for op in &seq {
                        let _ = pair
                            .step_generated(op)
                            .map_err(|m| TestCaseError::fail(m.to_string()))?;
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}

/// A hand-written walk through every capability, run on every profile.
#[test]
fn scripted_tour_of_every_capability() {
    let mut seq = Vec::new();
    for i in 0..11u8 {
        seq.push(Op::Append {
            data: vec![i],
            value: u64::from(i) + 1,
        });
        if i % 3 == 2 {
            seq.push(Op::Commit);
        }
    }
    seq.extend([
        Op::ClientInit { height: 3 },
        Op::ClientTrack { index: 4 },
        Op::ClientTrack { index: 8 },
        Op::Spend {
            index: 0,
            data: b"spent".to_vec(),
        },
        Op::Spend {
            index: 1,
            data: b"spent".to_vec(),
        },
        Op::Update {
            index: 5,
            data: b"new".to_vec(),
            value: 99,
        },
        Op::Commit,
        Op::ClientFollow {
            tamper: SetTamper::None,
        },
        Op::ClientFollow {
            tamper: SetTamper::None,
        },
        Op::ProveAndVerify {
            at: At::Block(2),
            index: 3,
            tamper: Tamper::None,
        },
        Op::Compact { horizon: 4 },
        Op::UnpruneFrom {
            height: 4,
            index: 0,
        },
        Op::Rewind { height: 4 },
        Op::Rewind { height: 4 },
        Op::Append {
            data: b"after".to_vec(),
            value: 7,
        },
        Op::Commit,
        Op::ClientInit { height: 5 },
        Op::ClientTrack { index: 11 },
        Op::ClientVerify {
            index: 11,
            data: b"after".to_vec(),
            value: 7,
        },
    ]);
    if let Err(m) = run_all_profiles(Config { retain: 6 }, &seq) {
        panic!("{m}");
    }
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn append_heavy_default(seq in ops(Mix::APPEND_HEAVY, 0..90), retain in 0u64..5) {
        check(&profiles::DEFAULT, retain, &seq)?;
    }

    #[test]
    fn block_heavy_default(seq in ops(Mix::BLOCK_HEAVY, 0..70), retain in 0u64..6) {
        check(&profiles::DEFAULT, retain, &seq)?;
    }
}

proptest! {
    #![proptest_config(cases(10))]

    #[test]
    fn append_heavy_every_profile(seq in ops(Mix::APPEND_HEAVY, 0..70), retain in 0u64..4) {
        for p in profiles::all() {
            check(p, retain, &seq)?;
        }
    }

    #[test]
    fn block_heavy_every_profile(seq in ops(Mix::BLOCK_HEAVY, 0..60), retain in 0u64..5) {
        for p in profiles::all() {
            check(p, retain, &seq)?;
        }
    }

    /// A client following the database, with forged sets aimed at tracked proofs (D24
    /// step 7; harness/tests/client_forgery.rs shows they are produced and rejected).
    #[test]
    fn following_client_every_profile(seq in client_session(), retain in 1u64..5) {
        for p in profiles::all() {
            check(p, retain, &seq)?;
        }
    }
}

/// Light mode leaves the state unchecked after a read (it cannot change it) and still finds,
/// in `finish`, a difference that no per-op check looked at: here one planted directly in
/// the optimized database (a leaf's value changed behind the harness's back, in the grin
/// profile, whose hashes do not commit to values) after the last mutation.
#[test]
fn light_mode_finds_at_the_end_what_a_read_did_not_look_at() {
    use mmr_harness::Pair;
    use mmr_spec::ProofDb;
    let config = Config { retain: 2 };
    let mut pair = Pair::new(&profiles::GRIN, config).light();
    pair.check().unwrap();
    for op in [
        Op::Append {
            data: b"a".to_vec(),
            value: 5,
        },
        Op::Commit,
        Op::Append {
            data: b"b".to_vec(),
            value: 7,
        },
    ] {
        let _ = pair.step(&op).unwrap();
    }
    pair.optimized.subject.db.update(1, b"b", 8).unwrap();
    // The read's own outcome agrees, and light mode looks no further after a read.
    let _ = pair.step(&Op::Info).unwrap();
    let m = pair.finish().unwrap_err();
    assert!(m.what.contains("current"), "{m}");
    assert!(
        m.reference.contains('7') && m.optimized.contains('8'),
        "{m}"
    );
}

/// The fuzz target's mode (light checks after every op, everything on the final state,
/// the reference's reads memoized) agrees with the full mode on random sequences.
#[test]
fn light_mode_agrees_with_full_mode() {
    use mmr_harness::Pair;
    let mut runner = proptest::test_runner::TestRunner::new(cases(16));
    runner
        .run(&(ops(Mix::BLOCK_HEAVY, 0..50), 0u64..5), |(seq, retain)| {
            let config = Config { retain };
            let mut light = Pair::new(&profiles::DEFAULT, config).light();
            light
                .check()
                .map_err(|m| TestCaseError::fail(m.to_string()))?;
            for op in &seq {
                let _ = light
                    .step_generated(op)
                    .map_err(|m| TestCaseError::fail(m.to_string()))?;
            }
            light
                .finish()
                .map_err(|m| TestCaseError::fail(m.to_string()))?;
            check(&profiles::DEFAULT, retain, &seq)
        })
        .unwrap();
}
