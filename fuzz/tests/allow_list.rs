//! The fuzz targets' allow-list (`fuzz/src/lib.rs`) decides when an accepted forged proof is
//! a documented dialect property rather than a finding. Each predicate is checked here
//! against what the verifiers actually do: every forgery a predicate excuses must be one
//! the dialect's property explains, and forgeries that keep a hash, a side or a position
//! changed are never excused. One predicate too broad would excuse real forgeries without
//! a trace (issue 33).

use mmr_fuzz::{
    World, batch_differ_only_in_values, classify, dialect_explains, differ_only_in_size,
    differ_only_in_values, size_is_unbound, value_shift_is_dialect_property,
};
use mmr_spec::{Config, Hash, Node, Proof, Side};

const LEAVES: u64 = 11;

fn worlds() -> Vec<World> {
    World::all(LEAVES)
}

/// Whether the profile's root over the same peaks changes with the size (D11): the
/// property `size_is_unbound` names, computed from the bagging itself.
fn root_binds_size(w: &World) -> bool {
    let peaks = [
        Node::new(Hash([1; 32]), 5),
        Node::new(Hash([2; 32]), 7),
        Node::new(Hash([3; 32]), 9),
    ];
    // Two sizes of three peaks: 11 leaves = 8+2+1 (size 19), 13 leaves = 8+4+1 (size 23).
    let a = mmr_reference::bagging::root(w.profile, 19, &peaks).unwrap();
    let b = mmr_reference::bagging::root(w.profile, 23, &peaks).unwrap();
    a != b
}

#[test]
fn size_is_unbound_exactly_where_the_root_ignores_the_size() {
    let mut unbound = Vec::new();
    for w in worlds() {
        assert_eq!(
            size_is_unbound(&w),
            !root_binds_size(&w),
            "{}",
            w.profile.name()
        );
        if size_is_unbound(&w) {
            unbound.push(w.profile.name());
        }
    }
    assert_eq!(unbound, ["minima", "ckb"]);
}

#[test]
fn value_shifts_are_excused_only_where_values_are_not_hashed() {
    for w in worlds() {
        let name = w.profile.name();
        assert_eq!(
            value_shift_is_dialect_property(&w, false),
            !w.hashes_values(),
            "{name}"
        );
        // Batch proofs: minima's peak-tree bag commits to two peaks' sum only.
        assert_eq!(
            value_shift_is_dialect_property(&w, true),
            !w.hashes_values() || name == "minima",
            "{name}"
        );
        // What the verifiers do: move value between two steps of an honest proof, total
        // kept. Accepted exactly where values are not hashed, and then excused.
        let honest = &w.proofs[&(LEAVES, 0)];
        assert!(honest.path.len() >= 2, "{name}");
        let mut p = honest.clone();
        p.path[0].node.value += 1;
        p.path[1].node.value -= 1;
        let (_, root) = w.state_for(p.size);
        let leaf = w.claimed_leaf(p.pos);
        let verdict = w.verify(&root, &p, &leaf);
        assert_eq!(verdict.is_ok(), !w.hashes_values(), "{name}: {verdict:?}");
        assert!(differ_only_in_values(&p, honest));
        assert_eq!(
            dialect_explains(&w, &p, honest, true, false),
            verdict.is_ok(),
            "{name}"
        );
    }
}

/// Forgeries that change what a verifier must check (a hash, a side, the position, the
/// data) are never excused, in any dialect, whatever else they keep.
#[test]
fn structural_forgeries_are_never_excused() {
    for w in worlds() {
        let name = w.profile.name();
        for ((n, i), honest) in w.proofs.iter().filter(|((n, _), _)| *n == LEAVES) {
            if honest.path.is_empty() {
                continue;
            }
            let hash = {
                let mut p = honest.clone();
                p.path[0].node.hash.0[0] ^= 1;
                p
            };
            let side = {
                let mut p = honest.clone();
                p.path[0].side = match p.path[0].side {
                    Side::Left => Side::Right,
                    Side::Right => Side::Left,
                };
                p
            };
            let pos = Proof {
                pos: honest.pos + 1,
                ..honest.clone()
            };
            let shorter = Proof {
                path: honest.path[1..].to_vec(),
                ..honest.clone()
            };
            for (what, p) in [
                ("hash", &hash),
                ("side", &side),
                ("pos", &pos),
                ("path", &shorter),
            ] {
                assert!(
                    !dialect_explains(&w, p, honest, true, false),
                    "{name} ({n}, {i}): a changed {what} was excused"
                );
            }
            // The honest proof itself is explained, with other leaf data it is not.
            assert!(dialect_explains(&w, honest, honest, true, false), "{name}");
            assert!(
                !dialect_explains(&w, honest, honest, false, false),
                "{name}"
            );
        }
    }
}

#[test]
fn a_changed_size_is_excused_only_where_the_root_binds_no_size() {
    for w in worlds() {
        let honest = &w.proofs[&(LEAVES, 3)];
        let p = Proof {
            size: honest.size + 4,
            ..honest.clone()
        };
        assert!(differ_only_in_size(&p, honest));
        assert!(!differ_only_in_size(honest, honest));
        assert!(!differ_only_in_values(&p, honest));
        assert_eq!(
            dialect_explains(&w, &p, honest, true, false),
            size_is_unbound(&w),
            "{}",
            w.profile.name()
        );
        // Size and values together: only where both properties hold (ckb).
        let mut both = p.clone();
        both.path[0].node.value += 1;
        assert_eq!(
            dialect_explains(&w, &both, honest, true, false),
            size_is_unbound(&w) && !w.hashes_values(),
            "{}",
            w.profile.name()
        );
        // A changed claimed leaf value counts as a value change.
        assert_eq!(
            dialect_explains(&w, honest, honest, true, true),
            !w.hashes_values(),
            "{}",
            w.profile.name()
        );
    }
}

#[test]
fn batch_proofs_differ_only_in_values_when_every_hash_and_position_is_kept() {
    let w = World::new(mmr_spec::profiles::by_name("default").unwrap(), LEAVES);
    let b = w.honest_batch(LEAVES, &[1, 4, 9]);
    let leaves: Vec<Node> = b.leaves.iter().map(|p| w.claimed_leaf(*p)).collect();
    assert!(batch_differ_only_in_values(&b, &leaves, &b, &leaves));
    let mut v = b.clone();
    v.items[0].1.value += 3;
    let mut lv = leaves.clone();
    lv[0].value += 2;
    assert!(batch_differ_only_in_values(&v, &lv, &b, &leaves));
    let mut h = b.clone();
    h.items[0].1.hash.0[5] ^= 1;
    assert!(!batch_differ_only_in_values(&h, &leaves, &b, &leaves));
    let mut pos = b.clone();
    pos.items[0].0 += 1;
    assert!(!batch_differ_only_in_values(&pos, &leaves, &b, &leaves));
    let mut lh = leaves.clone();
    lh[1].hash.0[0] ^= 1;
    assert!(!batch_differ_only_in_values(&b, &lh, &b, &leaves));
    let fewer = &leaves[..2];
    assert!(!batch_differ_only_in_values(&b, fewer, &b, &leaves));
    let size = mmr_spec::BatchProof {
        size: b.size + 1,
        ..b.clone()
    };
    assert!(!batch_differ_only_in_values(&size, &leaves, &b, &leaves));
}

fn mismatch(what: &str, reference: &str, optimized: &str) -> mmr_harness::Mismatch {
    mmr_harness::Mismatch {
        profile: "ckb",
        config: Config::default(),
        prefix: Vec::new(),
        what: what.into(),
        reference: reference.into(),
        optimized: optimized.into(),
    }
}

#[test]
fn classify_names_only_the_two_known_shapes() {
    // F2: the reference has no empty root, the optimized implementation answers one.
    let f2 = mismatch(
        "root at block 0",
        "Err(EmptyRoot) empty-root",
        "Ok(Node {..})",
    );
    assert_eq!(classify(&f2), Some("F2"));
    // Both failing with empty-root is no difference of that kind.
    let both = mismatch("root", "empty-root", "empty-root");
    assert_eq!(classify(&both), None);
    // F3: info differing in the pending flag alone.
    let f3 = mismatch(
        "info",
        "Info(height: 2, pending: true)",
        "Info(height: 2, pending: false)",
    );
    assert_eq!(classify(&f3), Some("F3"));
    // Info differing in anything else (with or without the flag) is not F3.
    for (r, o) in [
        (
            "Info(height: 2, pending: true)",
            "Info(height: 3, pending: false)",
        ),
        (
            "Info(height: 2, pending: false)",
            "Info(height: 3, pending: false)",
        ),
    ] {
        assert_eq!(classify(&mismatch("info", r, o)), None, "{r} / {o}");
    }
    // Any other difference is not known.
    let other = mismatch("state at block 1", "State(size 3)", "State(size 4)");
    assert_eq!(classify(&other), None);
}
