//! The minima profile's teeth (issue 17; TESTING.md, "Mutant check"): the reference run
//! under a wrong reading of Minima v1.0.45 whenever a vector asks for `minima` must fail the
//! minima vectors, with the published script addresses (one-leaf roots from a live node,
//! vectors/minima/roots.yaml) among the failures; the plain wrapper passes them all.

mod common;

use mmr_conform::protocol::{Caps, Got};
use mmr_conform::report::Status;
use mmr_conform::target::{BuiltinTarget, Failure, Target};
use mmr_spec::Profile;
use mmr_vectors::exec::Builtin;
use mmr_vectors::model::{Query, VOp};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The built-in `minima` profile as a profile file (v1.0.45's tagged layout).
const MINIMA_FILE: &str = include_str!("../../vectors/profiles/builtin/minima.yaml");

/// The tagged layout hashed with Keccak-256, the hash spec/DIALECTS.md named before
/// issue 17.
fn keccak_tagged() -> String {
    assert!(MINIMA_FILE.contains("\nhash: sha3-256\n"));
    MINIMA_FILE
        .replace("profile: minima\n", "profile: minima-keccak-tagged\n")
        .replace("\nhash: sha3-256\n", "\nhash: keccak-256\n")
}

/// SHA3-256 with the leaf untagged and without its value (`hashObject(data)`): the tagged
/// layout with only the leaf changed.
fn sha3_untagged_leaf() -> String {
    let leaf = r#"leaf: [{bytes: "000100"}, data, {int: value, enc: mini-number}]"#;
    assert!(MINIMA_FILE.contains(leaf));
    MINIMA_FILE
        .replace("profile: minima\n", "profile: minima-sha3-untagged-leaf\n")
        .replace(leaf, "leaf: [data]")
}

/// Registers the declared variants once per process.
fn register_variants() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        for text in [keccak_tagged(), sha3_untagged_leaf()] {
            let p = mmr_vectors::profiles::parse_profile(&text).expect("the variant parses");
            let p: &'static dyn Profile = Box::leak(Box::new(p));
            mmr_spec::profiles::register(p).expect("a new name");
        }
    });
}

/// The wrong readings, each the profile run in place of `minima`.
const VARIANTS: &[&str] = &[
    // The documentation's older revision: Keccak-256, untagged leaf and parent.
    "minima-legacy",
    "minima-keccak-tagged",
    "minima-sha3-untagged-leaf",
];

/// The reference, with `minima` sessions run under `variant` (or as asked).
struct Mutant {
    inner: BuiltinTarget,
    variant: Option<&'static str>,
}

impl Target for Mutant {
    fn name(&self) -> String {
        format!(
            "reference with minima as {}",
            self.variant.unwrap_or("minima")
        )
    }
    fn caps(&self) -> &Caps {
        self.inner.caps()
    }
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure> {
        match self.variant {
            Some(v) if profile == "minima" => self.inner.reset(v, retain),
            _ => self.inner.reset(profile, retain),
        }
    }
    fn run(&mut self, op: &VOp) -> Result<Got, Failure> {
        self.inner.run(op)
    }
    fn append_hash(&mut self, hash: [u8; 32], value: u64) -> Result<Got, Failure> {
        self.inner.append_hash(hash, value)
    }
    fn query(&mut self, q: &Query) -> Result<Got, Failure> {
        self.inner.query(q)
    }
}

/// Runs the minima vectors on the mutant; the ids of the failing cases.
fn failures(variant: Option<&'static str>) -> BTreeSet<String> {
    register_variants();
    let mut t = Mutant {
        inner: BuiltinTarget::new(Builtin::Reference),
        variant,
    };
    let report = common::run_files(&mut t, |n| n.starts_with("minima/"), 6);
    assert!(
        report.cases.iter().any(|c| c.status == Status::Pass),
        "the run executes cases"
    );
    common::failed_ids(&report)
}

#[test]
fn the_plain_wrapper_passes_every_minima_vector() {
    assert_eq!(failures(None), BTreeSet::new());
}

#[test]
fn every_wrong_reading_of_minima_fails_the_published_addresses() {
    for variant in VARIANTS {
        let failed = failures(Some(variant));
        for id in [
            "published-minima-address-return-true",
            "published-minima-address-let-x-1",
            "published-minima-address-signedby-ffff",
        ] {
            assert!(
                failed.contains(id),
                "{variant}: {id} should fail, failures: {failed:?}"
            );
        }
    }
}
