//! Differential fuzzing: arbitrary bytes become (profile, retention 0..=8, up to 64 ops);
//! for the default profile the byte also picks mmr-optimized's hash backend (the spec's
//! sha3, its single-buffer keccak-asm or its single-buffer sha3);
//! the reference and the optimized implementation run them in lock step
//! (`mmr_harness::Pair`, ops resolved against the current state as in the proptest
//! suites). After every op its outcome and what it can have changed are compared, after
//! the last op every observable (`Pair::light`: nodes of older blocks, proofs and the
//! client's proofs are compared on the final state, which is the last state of every
//! prefix libFuzzer tries). Any disagreement panics with the harness's report (the
//! shortest failing prefix, found by a replay with full checks after every op, and both
//! values).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmr_fuzz::inputs::DifferentialInput as Input;
use mmr_fuzz::{DynProfile, fuzz_profiles, known_mismatch};
use mmr_harness::Pair;
use mmr_harness::observe::Limits;
use mmr_harness::subjects::optimized_variants;
use mmr_spec::Config;
use std::sync::LazyLock;

/// Ops per input: long enough for blocks, rewinds, compaction and a client, short enough
/// to keep thousands of executions per second.
const MAX_OPS: usize = 64;

/// Observation caps after every op (the proptest suites use 600 nodes and 160 leaves; a
/// 64-op input rarely grows past these).
const LIMITS: Limits = Limits {
    nodes: 96,
    leaves: 24,
};

static PROFILES: LazyLock<Vec<DynProfile>> = LazyLock::new(fuzz_profiles);

fuzz_target!(|input: Input| {
    let all = &*PROFILES;
    let k = usize::from(input.profile);
    let profile = all[k % all.len()];
    // The optimized side's hashing of it: the profile itself, or (default profile) one of
    // mmr-optimized's SHA3-256 backends, so every backend is checked against the reference.
    let variants = optimized_variants(profile);
    let optimized = variants[(k / all.len()) % variants.len()];
    let config = Config {
        retain: u64::from(input.retain % 9),
    };
    let ops = &input.ops[..input.ops.len().min(MAX_OPS)];
    // Light checks after every op, everything on the final state; a difference is replayed
    // with full checks after every op for the report (`Pair::light`).
    let mut pair = Pair::with_profiles(profile, optimized, config)
        .with_limits(LIMITS)
        .with_proof_cache(ops.iter().any(Pair::needs_proof_cache))
        .light();
    let outcome = pair.check().and_then(|()| {
        ops.iter()
            .try_for_each(|op| pair.step_generated(op).map(drop))
            .and_then(|()| pair.finish())
    });
    if let Err(m) = outcome {
        // A campaign may step over findings being fixed (MMR_FUZZ_KNOWN, never in CI).
        if known_mismatch(&m).is_none() {
            panic!("{m}");
        }
    }
});
