//! Profiling target for proof verification (BENCHMARKS.md, "Why targets are missed"):
//! builds a 2^14-leaf MMR, then verifies every leaf's proof 4 times. Run under callgrind:
//! `valgrind --tool=callgrind target/release/examples/verify_profile` and
//! `callgrind_annotate --inclusive=yes callgrind.out.*` to see the share of the hashing.

use mmr_optimized::Optimized;
use mmr_spec::{At, ProofDb};
use std::hint::black_box;

fn main() {
    let n = 1u64 << 14;
    let mut db = Optimized::new(Default::default());
    for i in 0..n {
        db.append(&i.to_be_bytes(), 1).expect("append");
    }
    let root = db.root(At::Current).expect("root");
    let proofs: Vec<_> = (0..n)
        .map(|i| db.prove(At::Current, i).expect("prove"))
        .collect();
    for _ in 0..4 {
        for (i, p) in proofs.iter().enumerate() {
            db.verify(&root, p, &(i as u64).to_be_bytes(), 1)
                .expect("verify");
        }
    }
    black_box(&db);
}
