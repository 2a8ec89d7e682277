//! Prints how often each op kind succeeds under the proptest generators, so the mixes can
//! be tuned to reach deep states (run: cargo run --release -p mmr-harness --example op_stats).

use mmr_harness::Pair;
use mmr_harness::strategy::{Mix, ops};
use mmr_spec::{Config, profiles};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use std::collections::BTreeMap;

fn main() {
    for (name, mix) in [
        ("append-heavy", Mix::APPEND_HEAVY),
        ("block-heavy", Mix::BLOCK_HEAVY),
    ] {
        let mut runner = TestRunner::deterministic();
        let mut stats: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        let (mut max_leaves, mut max_height) = (0, 0);
        for _ in 0..40 {
            let seq = ops(mix, 40..90)
                .new_tree(&mut runner)
                .expect("tree")
                .current();
            let mut pair = Pair::new(&profiles::DEFAULT, Config { retain: 4 });
            for op in &seq {
                let kind = format!("{op:?}")
                    .split([' ', '{', '('])
                    .next()
                    .unwrap_or("")
                    .to_string();
                let out = match pair.step_generated(op) {
                    Ok(out) => out,
                    Err(m) => panic!("{m}"),
                };
                let e = stats.entry(kind).or_default();
                e.0 += 1;
                if out.is_ok() {
                    e.1 += 1;
                }
            }
            let db = &pair.reference.subject.db;
            use mmr_spec::ProofDb;
            max_leaves = max_leaves.max(db.leaf_count());
            max_height = max_height.max(db.height());
        }
        println!("{name}: max leaves {max_leaves}, max height {max_height}");
        for (k, (n, ok)) in stats {
            println!(
                "  {k:22} {n:5} runs, {:5.1}% ok",
                100.0 * f64::from(ok) / f64::from(n)
            );
        }
    }
}
