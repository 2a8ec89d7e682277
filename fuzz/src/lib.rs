//! Shared fixtures and oracles of the fuzz targets (`fuzz_targets/*.rs`).
//!
//! A [`World`] is one profile's small MMR built twice, by the reference and by the
//! optimized implementation, one committed block per appended leaf, so that every leaf
//! count `1..=leaves` is a retained state with a known root and honest proofs. The targets
//! verify fuzzed proofs against those roots on both implementations and require equal
//! verdicts (error kinds), and that every accepted proof is the honest one (D13-D15: "every
//! accepted batch proof is canonical", "each accepted byte string exactly one proof").

use mmr_optimized::Optimized;
use mmr_reference::Reference;
use mmr_spec::{
    At, BatchProof, Config, ErrorKind, Node, Profile, Proof, ProofDb, leaf_node, profiles,
};
use std::collections::BTreeMap;

/// A profile chosen at run time (as in the harness).
pub type DynProfile = &'static dyn Profile;

/// A verdict: accepted, or the kind of the first failed rule.
pub type Verdict = Result<(), ErrorKind>;

/// The data of leaf `i` of every fixture: distinct for every leaf, so no two leaves share
/// a node even in dialects whose leaf hash binds neither position nor value (ckb).
pub fn leaf_data(i: u64) -> Vec<u8> {
    let mut d = b"leaf-".to_vec();
    d.extend_from_slice(&i.to_be_bytes());
    d
}

/// The value of leaf `i`: small values, zeros (spent-like) and one large value, so
/// value tampering meets both exact sums and overflow edges.
pub fn leaf_value(i: u64) -> u64 {
    match i % 7 {
        3 => 0,
        5 if i == 5 => 1 << 62,
        _ => i * 3 + 1,
    }
}

/// The size (node count) of an MMR with `n` leaves (D4).
pub fn size_of(n: u64) -> u64 {
    2 * n - u64::from(n.count_ones())
}

/// One profile's fixture MMR on both implementations.
pub struct World {
    /// The profile.
    pub profile: DynProfile,
    /// The reference database: block h holds leaves `0..h`.
    pub reference: Reference<DynProfile>,
    /// The optimized database, built by the same appends and commits.
    pub optimized: Optimized<DynProfile>,
    /// The number of leaves of the last block.
    pub leaves: u64,
    /// The root of the state with n leaves, by size (sizes of `1..=leaves` leaves, and 0
    /// if the profile defines an empty root).
    pub roots: BTreeMap<u64, (u64, Node)>,
    /// Leaf position -> (leaf index, leaf node); the same in every state (no updates).
    pub leaf_at: BTreeMap<u64, (u64, Node)>,
    /// Honest coin proofs, by (leaf count, leaf index), as proven by the reference.
    pub proofs: BTreeMap<(u64, u64), Proof>,
}

impl World {
    /// Builds the fixture with `leaves` leaves (at most 30, so every state stays retained).
    pub fn new(profile: DynProfile, leaves: u64) -> World {
        assert!((1..=30).contains(&leaves));
        let config = Config { retain: 32 };
        let mut reference = Reference::new(profile, config);
        let mut optimized = Optimized::with_profile(profile, config);
        let mut roots = BTreeMap::new();
        if let Ok(r) = reference.root(At::Current) {
            roots.insert(0, (0, r));
        }
        for i in 0..leaves {
            let (d, v) = (leaf_data(i), leaf_value(i));
            reference.append(&d, v).expect("reference append");
            optimized.append(&d, v).expect("optimized append");
            let a = reference.commit().expect("reference commit");
            let b = optimized.commit().expect("optimized commit");
            assert_eq!(a, b, "the fixture's blocks differ ({})", profile.name());
            roots.insert(a.size, (i + 1, a.root));
        }
        let mut leaf_at = BTreeMap::new();
        let mut proofs = BTreeMap::new();
        for n in 1..=leaves {
            for i in 0..n {
                let p = reference.prove(At::Block(n), i).expect("honest proof");
                if n == leaves {
                    let node = reference.node(At::Current, p.pos).expect("leaf node");
                    leaf_at.insert(p.pos, (i, node));
                }
                proofs.insert((n, i), p);
            }
        }
        World {
            profile,
            reference,
            optimized,
            leaves,
            roots,
            leaf_at,
            proofs,
        }
    }

    /// One world per profile of [`fuzz_profiles`], with `leaves` leaves each.
    pub fn all(leaves: u64) -> Vec<World> {
        fuzz_profiles()
            .into_iter()
            .map(|p| World::new(p, leaves))
            .collect()
    }

    /// The state a proof of this size is checked against: the fixture state of that size
    /// if there is one (so a changed size meets a real root), else the last state.
    pub fn state_for(&self, size: u64) -> (u64, Node) {
        match self.roots.get(&size) {
            Some(s) => *s,
            None => self.roots[&size_of(self.leaves)],
        }
    }

    /// The leaf node a verifier is given for a claimed position: the real leaf there, or,
    /// for a position that holds no leaf of the fixture, a leaf node made up for it.
    pub fn claimed_leaf(&self, pos: u64) -> Node {
        match self.leaf_at.get(&pos) {
            Some((_, n)) => *n,
            None => leaf_node(self.profile, pos, b"made-up", 1),
        }
    }

    /// Verifies a coin proof on both implementations; panics if their verdicts differ.
    pub fn verify(&self, root: &Node, proof: &Proof, leaf: &Node) -> Verdict {
        let r = self
            .reference
            .verify_node(root, proof, leaf)
            .map_err(|e| e.kind());
        let o = self
            .optimized
            .verify_node(root, proof, leaf)
            .map_err(|e| e.kind());
        assert_eq!(
            r,
            o,
            "verdicts differ (profile {}): reference {r:?}, optimized {o:?}\nproof {proof:?}\nleaf {leaf:?}\nroot {root:?}",
            self.profile.name()
        );
        r
    }

    /// Verifies a batch proof on both implementations; panics if their verdicts differ.
    pub fn verify_batch(&self, root: &Node, proof: &BatchProof, leaves: &[Node]) -> Verdict {
        let r = self
            .reference
            .verify_batch_nodes(root, proof, leaves)
            .map_err(|e| e.kind());
        let o = self
            .optimized
            .verify_batch_nodes(root, proof, leaves)
            .map_err(|e| e.kind());
        assert_eq!(
            r,
            o,
            "batch verdicts differ (profile {}): reference {r:?}, optimized {o:?}\nproof {proof:?}\nleaves {leaves:?}\nroot {root:?}",
            self.profile.name()
        );
        r
    }

    /// The honest batch proof of these leaf indices in the state with `n` leaves, from
    /// the reference (and checked equal to the optimized implementation's).
    pub fn honest_batch(&self, n: u64, indices: &[u64]) -> BatchProof {
        let r = self
            .reference
            .prove_batch(At::Block(n), indices)
            .expect("honest batch proof");
        let o = self
            .optimized
            .prove_batch(At::Block(n), indices)
            .expect("honest batch proof (optimized)");
        assert_eq!(r, o, "honest batch proofs differ ({})", self.profile.name());
        r
    }

    /// Whether the profile commits to values in its hashes (default, minima). Where it
    /// does not (grin, mweb, ckb), only the total (the root's value) authenticates values.
    pub fn hashes_values(&self) -> bool {
        let p = self.profile;
        let n = |v| Node::new(mmr_spec::Hash([7; 32]), v);
        p.leaf_hash(0, b"x", 1) != p.leaf_hash(0, b"x", 2)
            || p.parent_hash(2, &n(1), &n(1), 2) != p.parent_hash(2, &n(1), &n(2), 3)
    }
}

/// The profiles a campaign runs: every shipped profile, or the comma-separated names in
/// `MMR_FUZZ_PROFILES` (e.g. `MMR_FUZZ_PROFILES=default,grin`), to focus a campaign or to
/// step around a known finding while it is being fixed.
pub fn fuzz_profiles() -> Vec<DynProfile> {
    match std::env::var("MMR_FUZZ_PROFILES") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(|n| {
                profiles::by_name(n.trim()).unwrap_or_else(|| {
                    panic!(
                        "MMR_FUZZ_PROFILES: unknown profile {n:?}; known: {:?}",
                        profiles::names()
                    )
                })
            })
            .collect(),
        _ => profiles::all(),
    }
}

/// Whether the finding `name` (fuzz/README.md, "Findings") is listed in `MMR_FUZZ_KNOWN`
/// (e.g. `MMR_FUZZ_KNOWN=F5`): a campaign may step over findings that are being fixed,
/// so that a long run keeps exploring. Unset (the default, and CI) every finding fails.
pub fn known(name: &str) -> bool {
    static KNOWN: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        std::env::var("MMR_FUZZ_KNOWN")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    });
    KNOWN.iter().any(|k| k == name)
}

/// The name of the known finding `m` is an instance of, if it is listed in `MMR_FUZZ_KNOWN`.
pub fn known_mismatch(m: &mmr_harness::Mismatch) -> Option<&'static str> {
    classify(m).filter(|n| known(n))
}

/// The name of the value-shift finding an accepted proof that differs from the honest one
/// in values only is an instance of: F1 in a profile that hashes no values, F4 in one that
/// does (a hash that commits only to the sum of several nodes the proof supplies).
pub fn value_shift_finding(w: &World) -> &'static str {
    if w.hashes_values() { "F4" } else { "F1" }
}

/// As [`value_shift_finding`] for a batch proof: F6 if a supplied leaf node's value was
/// changed (its hash left as it was) in a profile that hashes values, since a parent
/// commits to its children's sum only and so cannot see value moved between siblings.
pub fn batch_value_shift_finding(w: &World, leaves: &[Node], honest: &[Node]) -> &'static str {
    let leaf_values_changed = leaves.iter().zip(honest).any(|(a, b)| a.value != b.value);
    if w.hashes_values() && leaf_values_changed {
        "F6"
    } else {
        value_shift_finding(w)
    }
}

/// Whether an accepted value shift (values changed, every hash and the total kept) is a
/// documented property of the dialect rather than a finding (fuzz/README.md, F1 and F4):
/// profiles that hash no values (grin, mweb, ckb) authenticate only the total; minima's
/// peak-tree bag commits to two peaks' sum, so a batch proof carrying both as items can
/// trade value between them. The default profile binds every value: there it is a finding.
pub fn value_shift_is_dialect_property(w: &World, batch: bool) -> bool {
    !w.hashes_values() || (batch && w.profile.name() == "minima")
}

/// The known finding a mismatch is an instance of, if any.
pub fn classify(m: &mmr_harness::Mismatch) -> Option<&'static str> {
    // F2: a read of an empty committed state's root in a profile without an empty root
    // (D11): the reference fails with `empty-root`, the optimized implementation answers.
    if m.reference.contains("empty-root") && !m.optimized.contains("empty-root") {
        return Some("F2");
    }
    // F3: `has_pending` after changes that left the working state equal to the committed
    // one (D16): the same bookkeeping but for the pending flag.
    if m.what == "info" || m.reference.starts_with("Info(") {
        let flip = |s: &str| s.replace("pending: true", "pending: false");
        if m.reference != m.optimized && flip(&m.reference) == flip(&m.optimized) {
            return Some("F3");
        }
    }
    None
}

/// Whether the profile's root commits to no size (ckb, minima: finding F5, a documented
/// dialect property, SPEC.md D14 note): there an honest path with another size of the same
/// shape verifies.
pub fn size_is_unbound(w: &World) -> bool {
    matches!(w.profile.name(), "ckb" | "minima")
}

/// Whether an accepted coin proof that differs from the honest one is explained by
/// documented dialect properties alone: it keeps the position, the sides and every hash
/// (and the leaf data), and each part that does differ is a property of this dialect: the
/// size only where the root binds no size (F5), values (of steps or of the claimed leaf)
/// only where the dialect does not authenticate them (F1). The fuzzer combines both in ckb.
pub fn dialect_explains(
    w: &World,
    p: &Proof,
    honest: &Proof,
    same_data: bool,
    leaf_value_changed: bool,
) -> bool {
    let same_shape = same_data
        && p.pos == honest.pos
        && p.path.len() == honest.path.len()
        && p.path
            .iter()
            .zip(&honest.path)
            .all(|(x, y)| x.side == y.side && x.node.hash == y.node.hash);
    let values_changed = leaf_value_changed
        || p.path
            .iter()
            .zip(&honest.path)
            .any(|(x, y)| x.node.value != y.node.value);
    same_shape
        && (p.size == honest.size || size_is_unbound(w))
        && (!values_changed || value_shift_is_dialect_property(w, false))
}

/// Whether two coin proofs differ only in their size (finding F5: a root that commits to
/// neither size nor positions, as in ckb and minima, cannot tell sizes whose proofs of a
/// leaf have the same shape apart).
pub fn differ_only_in_size(a: &Proof, b: &Proof) -> bool {
    a.size != b.size && a.pos == b.pos && a.path == b.path
}

/// Whether two coin proofs differ only in their steps' values (same size, position,
/// sides and hashes).
pub fn differ_only_in_values(a: &Proof, b: &Proof) -> bool {
    a.size == b.size
        && a.pos == b.pos
        && a.path.len() == b.path.len()
        && a.path
            .iter()
            .zip(&b.path)
            .all(|(x, y)| x.side == y.side && x.node.hash == y.node.hash)
}

/// Whether two batch proofs (with their leaves) differ only in node values.
pub fn batch_differ_only_in_values(
    a: &BatchProof,
    la: &[Node],
    b: &BatchProof,
    lb: &[Node],
) -> bool {
    a.size == b.size
        && a.leaves == b.leaves
        && a.items.len() == b.items.len()
        && a.items
            .iter()
            .zip(&b.items)
            .all(|(x, y)| x.0 == y.0 && x.1.hash == y.1.hash)
        && la.len() == lb.len()
        && la.iter().zip(lb).all(|(x, y)| x.hash == y.hash)
}

/// The structured inputs of the `differential` and `proof_forgery` targets (here, so that
/// the seed writer and tests can decode corpus files the way the targets do).
pub mod inputs {
    use arbitrary::Arbitrary;
    use mmr_spec::ops::{BatchTamper, Op, Tamper};

    /// `differential`: a profile (modulo the campaign's profiles), a retention (modulo 9)
    /// and the ops (the first 64 run).
    #[derive(Debug, Arbitrary)]
    pub struct DifferentialInput {
        pub profile: u8,
        pub retain: u8,
        pub ops: Vec<Op>,
    }

    /// A change to a coin proof's bytes or to the leaf it is verified for.
    #[derive(Debug, Arbitrary)]
    pub enum Edit {
        /// A structured change of the op model (applied if the bytes still decode).
        Tamper(Tamper),
        /// Flip one bit of the encoding (offset modulo the length).
        FlipBit { offset: u16, bit: u8 },
        /// Insert a byte (offset modulo the length + 1).
        Insert { offset: u16, byte: u8 },
        /// Remove a byte (offset modulo the length).
        Remove { offset: u16 },
        /// Move value from one step to another (wrapping), keeping the total.
        ShiftValue { from: u8, to: u8, delta: u64 },
        /// Move value from a step to the claimed leaf (wrapping), keeping the total.
        ShiftToLeaf { step: u8, delta: u64 },
        /// Add to the claimed leaf's value (wrapping).
        LeafValue(u64),
        /// Append a byte to the claimed leaf's data.
        LeafData(u8),
        /// Claim the leaf as a node (`verify_node` with the node at the honest position)
        /// instead of as data and value (`verify`, hashed at the proof's position).
        AsNode,
    }

    /// A change to a batch proof's bytes or to its leaves.
    #[derive(Debug, Arbitrary)]
    pub enum BatchEdit {
        Tamper(BatchTamper),
        FlipBit {
            offset: u16,
            bit: u8,
        },
        SetByte {
            offset: u16,
            byte: u8,
        },
        Insert {
            offset: u16,
            byte: u8,
        },
        Remove {
            offset: u16,
        },
        /// Replace an item's position.
        ItemPos {
            item: u8,
            pos: u64,
        },
        /// Replace a leaf position.
        LeafPos {
            leaf: u8,
            pos: u64,
        },
        /// Move value from one item to another (wrapping), keeping the total.
        ShiftValue {
            from: u8,
            to: u8,
            delta: u64,
        },
        /// Move value from an item to a leaf node (wrapping), keeping the total.
        ShiftToLeaf {
            item: u8,
            leaf: u8,
            delta: u64,
        },
        /// Add to a leaf node's value (wrapping; the hash is left as it was).
        LeafValue {
            leaf: u8,
            delta: u64,
        },
        /// Flip a bit of a leaf node's hash.
        LeafHash {
            leaf: u8,
            bit: u8,
        },
    }

    #[derive(Debug, Arbitrary)]
    pub struct ForgeryInput {
        pub profile: u8,
        pub leaves: u8,
        pub leaf: u8,
        pub edits: Vec<Edit>,
        pub batch: Vec<u8>,
        pub batch_edits: Vec<BatchEdit>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honest_proofs_verify_everywhere() {
        for w in World::all(11) {
            for ((n, i), p) in &w.proofs {
                let (_, root) = w.state_for(p.size);
                assert_eq!(w.roots[&p.size].0, *n);
                let leaf = w.claimed_leaf(p.pos);
                assert_eq!(w.leaf_at[&p.pos].0, *i);
                assert_eq!(w.verify(&root, p, &leaf), Ok(()), "{}", w.profile.name());
            }
            let all: Vec<u64> = (0..11).collect();
            let b = w.honest_batch(11, &all);
            let leaves: Vec<Node> = b.leaves.iter().map(|p| w.claimed_leaf(*p)).collect();
            let (_, root) = w.state_for(b.size);
            assert_eq!(w.verify_batch(&root, &b, &leaves), Ok(()));
        }
    }

    #[test]
    fn value_hashing_is_detected() {
        let names: Vec<_> = World::all(1)
            .iter()
            .filter(|w| w.hashes_values())
            .map(|w| w.profile.name())
            .collect();
        assert_eq!(names, ["default", "minima"]);
    }
}
