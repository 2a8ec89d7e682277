//! Issue: "the harness covers every operation of the trait; a test lists the trait's
//! operations and fails if one has no generator". Samples the proptest strategies both
//! mixes use and checks that every method in `mmr_spec::ops::TRAIT_METHODS` is exercised
//! by some generated op.

use mmr_harness::strategy::{Mix, op};
use mmr_spec::ops::TRAIT_METHODS;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use std::collections::BTreeSet;

#[test]
fn every_trait_method_has_a_generator() {
    let mut seen: BTreeSet<&'static str> = BTreeSet::new();
    let mut runner = TestRunner::deterministic();
    for mix in [Mix::APPEND_HEAVY, Mix::BLOCK_HEAVY] {
        let strategy = op(mix);
        for _ in 0..4000 {
            let o = strategy.new_tree(&mut runner).expect("a value").current();
            seen.extend(o.methods().iter().copied());
        }
    }
    let missing: Vec<_> = TRAIT_METHODS
        .iter()
        .filter(|m| !seen.contains(*m))
        .collect();
    assert!(
        missing.is_empty(),
        "no generator produces an op exercising {missing:?}"
    );
}
