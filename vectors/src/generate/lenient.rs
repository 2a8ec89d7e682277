//! Leniencies of real libraries, as negative cases those libraries **accept**
//! (vectors/adapters/, REACH.md). A verifier that skips a D14 rule still recomputes a root
//! and compares it with the trusted one, so a tampered proof checked against the honest
//! root is refused by the root comparison and the leniency never shows. These cases give
//! the root the library itself computes from the tampered proof: the spec still rejects
//! each with the rule it breaks (the expected outcome comes from the reference, as
//! everywhere), and the named library answers "valid".
//!
//! The root each library computes is modelled here from its source, pinned:
//! - grin_core 5.5.2, `src/core/merkle_proof.rs` (`MerkleProof::verify`,
//!   `verify_consume`) and `src/core/pmmr/pmmr.rs` (`peaks`, `family`, `is_left_sibling`,
//!   `peak_map_height`), crates.io release 5.5.2;
//! - mmr.py 0.0.4 (PyPI `mmr.py`, jjyr/mmr.py), `mmr/mmr.py` (`MerkleProof.verify`,
//!   `get_peaks`, `left_peak_height_pos`, `tree_pos_height`);
//! - ckb-merkle-mountain-range 0.6.1 and polkadot-ckb-merkle-mountain-range 0.8.3,
//!   `src/mmr.rs` (`calculate_peaks_hashes`: one item after the last peak is read as "the
//!   bag of the right peaks", `bagging_peaks_hashes`: `merge(right, left)`).
//!
//! A model that drifts from its library is caught by the adapters' flag check
//! (`mmr conform --check-flags SYSTEM@VERSION`): the case would then pass on the library
//! and its flag would be false.

use super::*;
use mmr_spec::profiles::grin::peak_map_height;
use mmr_spec::{Profile, Side, Step};

/// The flags of each library, with the versions the adapters run. grin's cases carry
/// Mwc's flag too: mwc_core 5.3.9 keeps grin_core's `MerkleProof::verify` and PMMR
/// helpers, and `mmr-adapter-mwc` fails each of them (vectors/adapters/grin/README.md).
const GRIN: &[&str] = &["lenient-in:grin<=5.5.2", "lenient-in:mwc<=5.3.9"];
const MMR_PY: &[&str] = &["lenient-in:mmr-py<=0.0.4"];
const CKB: &str = "lenient-in:ckb<=0.8.3";
/// Minima v1.0.45's own classes (`vectors/adapters/minima`, run by hand: vectors/REACH.md).
pub(super) const MINIMA: &str = "lenient-in:minima<=1.0.45";

/// The library cases of the profile being generated (`grin`: grin_core; `ckb`: mmr.py and
/// both ckb crates; `minima`: Minima's own classes); none elsewhere.
pub(super) fn library_leniencies(c: &mut Cases) {
    match c.name() {
        "grin" => {
            by_position_walk(c, "grin", GRIN, grin_root);
            crafted_internal_node(c, "grin", GRIN);
        }
        "ckb" => {
            by_position_walk(c, "mmr-py", MMR_PY, mmrpy_root);
            crafted_internal_node(c, "mmr-py", MMR_PY);
            ckb_over_long_path(c);
        }
        "minima" => minima_prove_empty(c),
        _ => {}
    }
}

/// The library cases of the updates file: Minima's sums (`minima`); none elsewhere.
pub(super) fn library_update_leniencies(c: &mut Cases) {
    if c.name() == "minima" {
        minima_overflows(c);
    }
}

/// The root a library's verifier computes for (size, pos, leaf data, path hashes); it
/// accepts the proof iff that root's hash is the trusted root's.
type RootModel = fn(&dyn Profile, u64, u64, &[u8], &[Hash]) -> Hash;

/// The four classes a position-walking verifier (no check of the size, the position, the
/// leaf count or the path length) accepts, each on the honest proof of leaf 4 (position 7)
/// of the 7-leaf MMR (size 11) with one thing changed.
fn by_position_walk(c: &mut Cases, lib: &str, flags: &[&str], model: RootModel) {
    let side = seven(c);
    let honest = side.proof(At::Current, 4);
    let data = leaf_data(4);
    let variants: Vec<(&str, String, Proof, &str)> = vec![
        (
            "invalid-size",
            "D14.1: the proof's size replaced by 12, which no MMR has".into(),
            Proof {
                size: 12,
                ..honest.clone()
            },
            "invalid-size",
        ),
        (
            "over-long-path",
            "D14.4: the last step repeated at the end (4 steps where D13 prescribes 3)".into(),
            {
                let mut p = honest.clone();
                let last = *p.path.last().expect("a 3-step path");
                p.path.push(last);
                p
            },
            "over-long-path",
        ),
        (
            "short-path",
            "D14.4: the last step dropped (2 steps where D13 prescribes 3)".into(),
            {
                let mut p = honest.clone();
                p.path.pop();
                p
            },
            "short-path",
        ),
        (
            "internal-node",
            "D14.2: position 9 (an internal node) with the same path".into(),
            Proof {
                pos: 9,
                ..honest.clone()
            },
            "internal-node",
        ),
        (
            "index-out-of-range",
            "D14.3: position 11, leaf 7, at the size: beyond the 7 leaves".into(),
            Proof {
                pos: 11,
                ..honest.clone()
            },
            "index-out-of-range",
        ),
    ];
    for (what, desc, proof, weakness) in variants {
        let hashes: Vec<Hash> = proof.path.iter().map(|s| s.node.hash).collect();
        let value = proof.path.iter().map(|s| s.node.value).sum::<u64>() + 5;
        let root = Node::new(
            model(c.profile, proof.size, proof.pos, &data, &hashes),
            value,
        );
        let mut b = c.session();
        b.run(VOp::Verify {
            root: vn(root),
            proof: enc(&proof),
            data: h(&data),
            value: u(5),
        });
        c.add(
            b,
            &format!("lenient-{lib}-{what}"),
            &format!(
                "{desc}, against the root {lib}'s verifier computes from that proof (so {lib} accepts it; vectors/REACH.md)."
            ),
            &[&[weakness], flags].concat(),
        );
    }
}

/// An internal node offered as a leaf through `verify` with its children's hashes as the
/// leaf data, against the honest root: position 2 of the 4-leaf MMR (size 7) with data
/// `hash(0) || hash(1)` and the path `[(right, node 5)]`. A profile whose leaf and parent
/// preimages coincide there (grin: `H(u64be(2) || data)` is node 2's `H(u64be(2) || h0 ||
/// h1)`; mmr.py/ckb: `H(data)` is `H(h0 || h1)`) lets a verifier that never checks that
/// the position is a leaf accept it.
fn crafted_internal_node(c: &mut Cases, lib: &str, flags: &[&str]) {
    let mut four = c.session();
    four.leaves(0, 4);
    let (n0, n1, n5) = (
        four.node(At::Current, 0),
        four.node(At::Current, 1),
        four.node(At::Current, 5),
    );
    let root = four.root(At::Current);
    let data = [n0.hash.as_bytes().as_slice(), n1.hash.as_bytes()].concat();
    let proof = Proof {
        size: 7,
        pos: 2,
        path: vec![Step {
            side: Side::Right,
            node: n5,
        }],
    };
    let mut b = c.session();
    b.run(VOp::Verify {
        root: vn(root),
        proof: enc(&proof),
        data: h(&data),
        value: u(n0.value + n1.value),
    });
    c.add(
        b,
        &format!("lenient-{lib}-crafted-internal-node"),
        &format!(
            "D14.2: position 2 (the parent of leaves 0 and 1) offered as a leaf with data hash(0) || hash(1) and the path [(right, node 5)], against the honest root of the 4-leaf MMR; {lib} hashes it to node 2 and accepts it."
        ),
        &[&["internal-node"], flags].concat(),
    );
}

/// ckb reads one item after the last peak's mountain as "the bag of the right peaks" even
/// where there are none: on size 31 (16 leaves, one peak), the honest 4-step proof of
/// position 3 plus a 5th step X verifies against `merge(X, peak)`.
fn ckb_over_long_path(c: &mut Cases) {
    let mut sixteen = c.session();
    sixteen.leaves(0, 16);
    let honest = sixteen.proof(At::Current, 2);
    let peak = sixteen.node(At::Current, 30);
    let extra = Node::new(Hash([0x11; 32]), 7);
    let mut proof = honest.clone();
    proof.path.push(Step {
        side: Side::Right,
        node: extra,
    });
    let root = Node::new(
        c.profile.bag_hash(31, &peak, &extra, 0),
        peak.value + extra.value,
    );
    let mut b = c.session();
    b.run(VOp::Verify {
        root: vn(root),
        proof: enc(&proof),
        data: h(&leaf_data(2)),
        value: u(3),
    });
    c.add(
        b,
        "lenient-ckb-over-long-path-after-last-peak",
        "D14.4: on size 31 (one peak), the honest proof of position 3 with a 5th step X (D13 prescribes 4), against merge(X, peak): ckb reads X as the bag of the right peaks and accepts it.",
        &["over-long-path", CKB],
    );
}

// ----- Minima v1.0.45 -----

/// What Minima's MMR (`database/mmr/MMR.java` at v1.0.45) does that the spec refuses, each
/// shown by a session the Minima adapter runs on Minima's own classes
/// (vectors/adapters/minima/README.md; spec/DIALECTS.md, "minima"). Minima's sums are
/// checked only by `MiniNumber.add` as a parent is computed: `addEntry` writes the leaf and
/// counts it before it computes the parents, and `updateEntry` writes the leaf before its
/// parents, so a parent sum above 2^64 - 1 throws with the leaf already written; a leaf that
/// completes no parent (a left leaf, a leaf that is its own peak) is never summed at all.
///
/// getProof of an index the MMR does not have: getProofToPeak finds no sibling, and
/// getPeakToRoot has no peaks to walk, so the proof is empty.
fn minima_prove_empty(c: &mut Cases) {
    let mut b = c.session();
    b.run(VOp::Prove {
        at: cur(),
        index: u(2),
    });
    c.add(
        b,
        "lenient-minima-prove-empty",
        "D13, D19: proving leaf 2 of the empty MMR. Minima's MMR.getProof checks no index: it returns an empty proof (no chunks), which the adapter encodes with size 0 and position 3.",
        &["index-out-of-range", MINIMA],
    );
}

/// Minima's sums, checked only where a parent is computed (see [`minima_prove_empty`]).
fn minima_overflows(c: &mut Cases) {
    // The half-write of an append: the leaf is written and counted, then its parent's sum
    // throws. The next append lands at index 2, and leaf 0's value is gone from the root.
    let mut b = c.session();
    b.append(&leaf_data(0), 1);
    b.append(&leaf_data(1), u64::MAX);
    b.append(&leaf_data(2), 5);
    b.state(cur());
    c.add(
        b,
        "lenient-minima-append-parent-overflow",
        "D9, D12: appending u64::MAX as leaf 1 after a leaf of value 1 overflows the parent's sum and is refused, changing nothing; then leaf 1 is appended. Minima's MMR.addEntry writes leaf 1 and counts it before MiniNumber.add throws for the parent: the refused leaf stays, the next append gets index 2, no peak covers leaf 0 any more, and the root is leaf 2 alone (spec/DIALECTS.md, minima, the overflow half-write).",
        &["value-overflow", MINIMA],
    );

    // The half-write of an update: the leaf is rewritten, its parent's sum throws; the
    // root still has the old value.
    let mut b = c.session();
    b.leaves(0, 2);
    b.run(VOp::Update {
        index: u(0),
        data: h(&[0x78]),
        value: u(u64::MAX),
    });
    b.run(VOp::Node {
        at: cur(),
        pos: u(0),
    });
    b.state(cur());
    c.add(
        b,
        "lenient-minima-update-parent-overflow",
        "D9, D12: updating leaf 0 of the 2-leaf MMR to u64::MAX overflows the parent's sum and is refused, changing nothing. Minima's MMR.updateEntry writes the new leaf before MiniNumber.add throws for the parent: node 0 is the new leaf while the parent and the root keep the old sum (spec/DIALECTS.md, minima, the overflow half-write).",
        &["value-overflow", MINIMA],
    );

    // A leaf that is its own peak is never summed: the total overflows unchecked.
    let mut b = c.session();
    b.leaves(0, 3);
    b.run(VOp::Update {
        index: u(2),
        data: h(&[0x78]),
        value: u(u64::MAX - 1),
    });
    b.state(cur());
    c.add(
        b,
        "lenient-minima-update-total-overflow",
        "D9, D12: updating leaf 2 of the 3-leaf MMR (its own peak; the other peak holds 3) to u64::MAX - 1 makes the total exceed u64::MAX and is refused. Minima's MMR.updateEntry stops at the peak without a sum and accepts it; MMR.getRoot then throws on the bag's sum.",
        &["value-overflow", MINIMA],
    );
}

// ----- grin_core 5.5.2 -----

/// `pmmr::peaks`: the peak positions, or none for an invalid size.
fn grin_peaks(size: u64) -> Vec<u64> {
    if size == 0 {
        return vec![];
    }
    let mut rest = size;
    let mut peak_size = u64::MAX >> size.leading_zeros();
    let mut out = Vec::new();
    let mut acc = 0u64;
    while peak_size != 0 {
        if rest >= peak_size {
            acc += peak_size;
            out.push(acc - 1);
            rest -= peak_size;
        }
        peak_size >>= 1;
    }
    if rest == 0 { out } else { vec![] }
}

/// `pmmr::family`: (parent, sibling), wrapping as grin's release build does.
fn grin_family(pos: u64) -> (u64, u64) {
    let (peak_map, height) = peak_map_height(pos);
    let peak = 1u64 << height;
    if peak_map & peak != 0 {
        (
            pos.wrapping_add(1),
            pos.wrapping_add(1).wrapping_sub(2 * peak),
        )
    } else {
        (
            pos.wrapping_add(2 * peak),
            pos.wrapping_add(2 * peak).wrapping_sub(1),
        )
    }
}

fn grin_is_left_sibling(pos: u64) -> bool {
    let (peak_map, height) = peak_map_height(pos);
    peak_map & (1u64 << height) == 0
}

/// `MerkleProof::verify`: each level hashes its element with its position as index, or
/// with the size where the position is at or beyond it; a peak's sibling is on the left
/// for the last peak, else on the right; above the size the sibling is on the left.
fn grin_root(p: &dyn Profile, size: u64, pos: u64, data: &[u8], path: &[Hash]) -> Hash {
    let index = |pos: u64| if pos >= size { size } else { pos };
    let peaks = grin_peaks(size);
    let mut node = p.leaf_hash(index(pos), data, 0);
    let mut pos = pos;
    for sib in path {
        let (parent, sib_pos) = grin_family(pos);
        let sibling_left = match peaks.binary_search(&pos) {
            Ok(x) => x == peaks.len() - 1,
            Err(_) => parent >= size || grin_is_left_sibling(sib_pos),
        };
        let (l, r) = if sibling_left {
            (*sib, node)
        } else {
            (node, *sib)
        };
        node = p.parent_hash(index(parent), &Node::new(l, 0), &Node::new(r, 0), 0);
        pos = parent;
    }
    node
}

// ----- mmr.py 0.0.4 -----

fn bit_length(n: u128) -> u32 {
    128 - n.leading_zeros()
}

/// `tree_pos_height`: jump left until the 1-based position is all ones.
fn mmrpy_height(pos: u128) -> u32 {
    let mut p = pos + 1;
    while (1u128 << bit_length(p)) - 1 != p {
        p -= (1u128 << (bit_length(p) - 1)) - 1;
    }
    bit_length(p) - 1
}

/// `get_peaks`, with `left_peak_height_pos` and `get_right_peak` (Python integers: signed
/// heights, unbounded positions; the cases here stay small).
fn mmrpy_peaks(size: u128) -> Vec<u128> {
    let left_pos = |h: i64| (1u128 << (h + 1)) - 2;
    let (mut height, mut prev, mut pos) = (0i64, 0u128, left_pos(0));
    while pos < size {
        height += 1;
        prev = pos;
        pos = left_pos(height);
    }
    let (mut height, mut pos) = (height - 1, prev);
    let mut out = vec![pos];
    while height > 0 {
        pos += (2u128 << height) - 1;
        let mut found = true;
        while pos + 1 > size {
            height -= 1;
            if height < 0 {
                found = false;
                break;
            }
            pos -= 2u128 << height;
        }
        if found && height >= 0 {
            out.push(pos);
        }
    }
    out
}

/// `MerkleProof.verify`: at a peak, the last one takes the item on the right and any other
/// jumps to the last peak with the item on the left; elsewhere the side follows from the
/// heights of pos and pos + 1, and the height counter (not the position) climbs.
fn mmrpy_root(p: &dyn Profile, size: u64, pos: u64, data: &[u8], path: &[Hash]) -> Hash {
    let peaks = mmrpy_peaks(u128::from(size));
    let merge = |l: &Hash, r: &Hash| p.parent_hash(0, &Node::new(*l, 0), &Node::new(*r, 0), 0);
    let mut node = p.leaf_hash(pos, data, 0);
    let mut pos = u128::from(pos);
    let mut height = 0u32;
    for item in path {
        if peaks.contains(&pos) {
            let last = *peaks.last().expect("get_peaks returns at least one");
            if pos == last {
                node = merge(&node, item);
            } else {
                node = merge(item, &node);
                pos = last;
            }
            continue;
        }
        if mmrpy_height(pos + 1) > mmrpy_height(pos) {
            node = merge(item, &node);
            pos += 1;
        } else {
            node = merge(&node, item);
            pos += 2u128 << height;
        }
        height += 1;
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmr_spec::profiles::{CKB as CKB_PROFILE, GRIN as GRIN_PROFILE};

    /// On honest proofs the models compute the honest roots (the libraries accept honest
    /// proofs), for every leaf of every size up to 40 leaves.
    #[test]
    fn models_compute_the_honest_root_of_honest_proofs() {
        for (profile, model) in [
            (&GRIN_PROFILE as DynProfile, grin_root as RootModel),
            (&CKB_PROFILE, mmrpy_root),
        ] {
            let mut b = Cases::new(profile).session();
            for n in 0..40u64 {
                b.leaves(n, n + 1);
                let root = b.root(At::Current).hash;
                for i in 0..=n {
                    let p = b.proof(At::Current, i);
                    let hashes: Vec<Hash> = p.path.iter().map(|s| s.node.hash).collect();
                    assert_eq!(
                        model(profile, p.size, p.pos, &leaf_data(i), &hashes),
                        root,
                        "{} leaf {i} of {} leaves",
                        profile.name(),
                        n + 1
                    );
                }
            }
        }
    }

    #[test]
    fn grin_index_helpers_match_grin_on_small_sizes() {
        assert_eq!(grin_peaks(11), vec![6, 9, 10]);
        assert_eq!(grin_peaks(12), Vec::<u64>::new());
        assert_eq!(grin_family(0), (2, 1));
        assert_eq!(grin_family(5), (6, 2));
        assert!(grin_is_left_sibling(2) && !grin_is_left_sibling(5));
        assert_eq!(mmrpy_peaks(11), vec![6, 9, 10]);
        assert_eq!(mmrpy_height(6), 2);
    }
}
