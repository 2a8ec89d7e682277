//! The mutant check for compaction and un-pruning (TESTING.md, "Mutant check"): the Python
//! adapter has no compaction, so these variants wrap the reference in-process, each making
//! one choice that SPEC.md D21/D23 fixes the other way, and the vectors must catch each with
//! the named vector; the plain wrapper passes every pruning vector.

mod common;

use mmr_conform::protocol::{Caps, Got};
use mmr_conform::report::Status;
use mmr_conform::target::{BuiltinTarget, Failure, Target};
use mmr_spec::{At, ErrorKind};
use mmr_vectors::exec::Builtin;
use mmr_vectors::model::{Query, VOp, VOut};
use mmr_vectors::num::{Kind, U64};
use std::collections::BTreeSet;

/// The wrong choices, each with the vector that pins the rule.
const CAUGHT: &[(&str, &str)] = &[
    // D21: `total_dropped` is the prune list's size now, not a running sum of `dropped`.
    ("compact-total-cumulative", "unprune"),
    // D23: restored nodes are frozen, so retained older states see them too.
    (
        "unprune-working-state-only",
        "unprune-seen-by-retained-states",
    ),
    // D23: the restored values are the proof's (a profile that hashes no value).
    ("unprune-values-must-match", "unprune-values-from-the-proof"),
];

/// The reference with one wrong choice (or none).
struct Mutant {
    inner: BuiltinTarget,
    variant: Option<&'static str>,
    /// Running sum of `dropped` in this session.
    dropped_sum: u64,
    /// Reads at a past block that answered `pruned` (node: position; prove: index).
    pruned_reads: BTreeSet<(&'static str, u64, u64)>,
    /// Whether an un-pruning restored something in this session.
    unpruned: bool,
}

impl Mutant {
    fn new(variant: Option<&'static str>) -> Mutant {
        Mutant {
            inner: BuiltinTarget::new(Builtin::Reference),
            variant,
            dropped_sum: 0,
            pruned_reads: BTreeSet::new(),
            unpruned: false,
        }
    }

    fn is(&self, v: &str) -> bool {
        self.variant == Some(v)
    }

    /// The past-block read an op is, if any: (op, height, position or index).
    fn past_read(op: &VOp) -> Option<(&'static str, u64, u64)> {
        match op {
            VOp::Node { at, pos } => match at.0 {
                At::Block(h) => Some(("node", h, pos.0)),
                At::Current => None,
            },
            VOp::Prove { at, index } => match at.0 {
                At::Block(h) => Some(("prove", h, index.0)),
                At::Current => None,
            },
            _ => None,
        }
    }
}

fn error(kind: ErrorKind) -> Got {
    Got::Out(VOut::Error(Kind(kind)))
}

impl Target for Mutant {
    fn name(&self) -> String {
        format!("reference with {}", self.variant.unwrap_or("no variant"))
    }
    fn caps(&self) -> &Caps {
        self.inner.caps()
    }
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure> {
        self.dropped_sum = 0;
        self.pruned_reads.clear();
        self.unpruned = false;
        self.inner.reset(profile, retain)
    }
    fn run(&mut self, op: &VOp) -> Result<Got, Failure> {
        if let VOp::Unprune { leaf, .. } = op {
            // Every dropped leaf is spent (D21), so the value that was dropped is 0.
            if self.is("unprune-values-must-match") && leaf.value.0 != 0 {
                return Ok(error(ErrorKind::SumMismatch));
            }
        }
        let read = Self::past_read(op);
        if let Some(key) = read
            && self.is("unprune-working-state-only")
            && self.unpruned
            && self.pruned_reads.contains(&key)
        {
            return Ok(error(ErrorKind::Pruned));
        }
        let got = self.inner.run(op)?;
        match (&got, op) {
            (
                Got::Out(VOut::Compact {
                    horizon,
                    dropped,
                    total_dropped,
                }),
                _,
            ) if self.is("compact-total-cumulative") => {
                self.dropped_sum += dropped.0;
                return Ok(Got::Out(VOut::Compact {
                    horizon: *horizon,
                    dropped: *dropped,
                    total_dropped: U64(self.dropped_sum.max(total_dropped.0)),
                }));
            }
            (Got::Out(VOut::Number(n)), VOp::Unprune { .. }) if n.0 > 0 => self.unpruned = true,
            (Got::Out(VOut::Error(k)), _) if k.0 == ErrorKind::Pruned => {
                if let Some(key) = read {
                    self.pruned_reads.insert(key);
                }
            }
            _ => {}
        }
        Ok(got)
    }
    fn append_hash(&mut self, hash: [u8; 32], value: u64) -> Result<Got, Failure> {
        self.inner.append_hash(hash, value)
    }
    fn query(&mut self, q: &Query) -> Result<Got, Failure> {
        self.inner.query(q)
    }
}

/// Runs every profile's pruning vectors on the mutant; the ids of the failing cases.
fn failures(variant: Option<&'static str>) -> BTreeSet<String> {
    let mut t = Mutant::new(variant);
    let report = common::run_files(&mut t, |n| n.ends_with("/pruning.yaml"), 5);
    assert!(
        report.cases.iter().all(|c| c.status != Status::Skip),
        "the reference runs every op"
    );
    common::failed_ids(&report)
}

#[test]
fn the_plain_wrapper_passes_every_pruning_vector() {
    assert_eq!(failures(None), BTreeSet::new());
}

#[test]
fn every_compaction_variant_fails_with_its_vector() {
    for (variant, vector) in CAUGHT {
        let failed = failures(Some(variant));
        assert!(
            failed.contains(*vector),
            "{variant}: {vector} should fail, failures: {failed:?}"
        );
    }
}
