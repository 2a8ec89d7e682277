//! Arbitrary bytes into the proof decoders (D13, D15), then into both verifiers.
//!
//! - Whatever decodes re-encodes to the same bytes (one proof, one byte string).
//! - Verification never panics, and both implementations give the same verdict (error
//!   kind), for every shipped profile, against the fixture state whose size the proof
//!   claims (or the 11-leaf state).
//! - An accepted proof is byte-identical to the honest proof of its leaf (an accepted batch
//!   proof to the honest batch proof of its leaves): no non-canonical proof is accepted.
//! - A batch proof given one leaf too few or too many is never accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmr_fuzz::{
    World, batch_differ_only_in_values, dialect_explains, differ_only_in_size,
    differ_only_in_values, known, size_is_unbound, value_shift_finding,
    value_shift_is_dialect_property,
};
use mmr_spec::{BatchProof, ErrorKind, Node, Proof};
use std::sync::LazyLock;

static WORLDS: LazyLock<Vec<World>> = LazyLock::new(|| World::all(11));

fn shift_hint(w: &World, shift: bool) -> String {
    if shift {
        format!(
            " [values shifted, total kept: finding {}]",
            value_shift_finding(w)
        )
    } else {
        String::new()
    }
}

fn check_proof(w: &World, p: &Proof, bytes: &[u8]) {
    let (n, root) = w.state_for(p.size);
    let leaf = w.claimed_leaf(p.pos);
    if w.verify(&root, p, &leaf).is_ok() {
        let (index, _) = w.leaf_at.get(&p.pos).unwrap_or_else(|| {
            panic!(
                "{}: accepted a proof for position {} that holds no leaf: {p:?}",
                w.profile.name(),
                p.pos
            )
        });
        let honest = w.proofs.get(&(n, *index)).unwrap_or_else(|| {
            panic!(
                "{}: accepted a proof of leaf {index} in the state of {n} leaves: {p:?}",
                w.profile.name()
            )
        });
        if honest.encode().unwrap() != bytes
            && !(differ_only_in_values(p, honest)
                && (value_shift_is_dialect_property(w, false) || known(value_shift_finding(w))))
            // F5: ckb and minima roots bind no size (SPEC.md D14 note).
            && !(differ_only_in_size(p, honest) && size_is_unbound(w))
            && !dialect_explains(w, p, honest, true, false)
        {
            panic!(
                "{}: accepted a proof that is not the honest one{}\naccepted {p:?}\nhonest   {honest:?}",
                w.profile.name(),
                shift_hint(w, differ_only_in_values(p, honest))
            );
        }
    }
}

fn check_batch(w: &World, b: &BatchProof, bytes: &[u8]) {
    let (n, root) = w.state_for(b.size);
    let mut leaves: Vec<Node> = b.leaves.iter().map(|p| w.claimed_leaf(*p)).collect();
    if w.verify_batch(&root, b, &leaves).is_ok() {
        let indices: Vec<u64> = b
            .leaves
            .iter()
            .map(|p| match w.leaf_at.get(p) {
                Some((i, _)) => *i,
                None => panic!(
                    "{}: accepted a batch proof naming position {p}, which holds no leaf: {b:?}",
                    w.profile.name()
                ),
            })
            .collect();
        assert!(
            indices.iter().all(|i| *i < n),
            "{}: accepted a batch proof naming a leaf beyond the {n} leaves of its state: {b:?}",
            w.profile.name()
        );
        let honest = w.honest_batch(n, &indices);
        let honest_leaves: Vec<Node> = honest.leaves.iter().map(|p| w.claimed_leaf(*p)).collect();
        let shift = batch_differ_only_in_values(b, &leaves, &honest, &honest_leaves);
        if honest.encode() != bytes
            && !(shift
                && (value_shift_is_dialect_property(w, true) || known(value_shift_finding(w))))
        {
            panic!(
                "{}: accepted a batch proof that is not the honest one{}\naccepted {b:?}\nhonest   {honest:?}",
                w.profile.name(),
                shift_hint(w, shift)
            );
        }
    }
    // One leaf too many, one too few: a leaf-count mismatch (or an earlier rule).
    leaves.push(w.claimed_leaf(0));
    let more = w.verify_batch(&root, b, &leaves);
    assert!(more.is_err(), "accepted with an extra leaf: {b:?}");
    leaves.pop();
    if leaves.pop().is_some() {
        let fewer = w.verify_batch(&root, b, &leaves);
        assert!(fewer.is_err(), "accepted with a leaf missing: {b:?}");
        if !b.leaves.is_empty() && fewer != Err(ErrorKind::LeafCountMismatch) {
            // Rules 1-3 come first; whatever fired, it is not a later rule.
            assert!(
                !matches!(
                    fewer,
                    Err(ErrorKind::MissingItem
                        | ErrorKind::UnexpectedItem
                        | ErrorKind::DuplicateItem
                        | ErrorKind::UnorderedItems
                        | ErrorKind::SumMismatch
                        | ErrorKind::RootMismatch
                        | ErrorKind::ValueOverflow)
                ),
                "a leaf-count mismatch reported as {fewer:?}: {b:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let worlds = &*WORLDS;
    if let Ok(p) = Proof::decode(data) {
        assert_eq!(p.encode().as_deref(), Ok(data), "non-canonical decode");
        for w in worlds {
            check_proof(w, &p, data);
        }
    }
    if let Ok(b) = BatchProof::decode(data) {
        assert_eq!(b.encode(), data, "non-canonical batch decode");
        for w in worlds {
            check_batch(w, &b, data);
        }
    }
});
