//! `cargo test` entry points of the properties in `mmr_proofs::props`:
//! * every input at width 16 (every position, size, leaf index, leaf count, and every
//!   `(row, entry)` with `row <= 17`), and every `(size, position)` pair below `PAIR_BOUND_16`;
//! * every input below `BOUND` and every `(size, position)` pair below
//!   `PAIR_BOUND_64` at width 64;
//! * every input within `NEAR` of `u64::MAX` and of `MAX_LEAVES = 2^63`, and the
//!   `(size, position)` pairs around the largest valid sizes;
//! * proptest across the full `u64` (and `u32`) range, with strategies biased to valid
//!   sizes and to positions below them.
//!
//! The bounds are sized for the debug build of `cargo test` on 2 cores (see
//! proofs/README.md for the measured time).

use mmr_proofs::props::{w16, w32, w64};
use proptest::prelude::*;

/// Every single input below this bound is checked at width 64 (the width-16 runners check
/// every input of that width).
const BOUND: u64 = 1 << 16;
/// Every `(size, position)` pair with both below this bound is checked at width 16.
const PAIR_BOUND_16: u64 = 1 << 12;
/// Every `(size, position)` pair with both below this bound is checked at width 64 (the
/// same code as width 16, with four times longer loops in the debug build).
const PAIR_BOUND_64: u64 = 1 << 10;
/// Inputs within this distance of `u64::MAX` and of `MAX_LEAVES` are checked.
const NEAR: u64 = 1 << 12;

/// Calls every single-input property of module `$m` on `$x`.
macro_rules! single {
    ($m:ident, $x:expr) => {{
        let x = $x;
        $m::popcount(x);
        $m::decompose(x);
        $m::leaf_to_pos(x);
        $m::pos_to_leaf(x);
        $m::is_leaf(x);
        $m::size_for_leaves(x);
        $m::leaves_for_size(x);
        $m::is_valid_size(x);
        $m::peak_count(x);
        $m::height(x);
        $m::parent(x);
        $m::is_left_child(x);
        $m::children(x);
        $m::left_child(x);
        $m::right_child(x);
        $m::sibling(x);
        $m::to_row_entry(x);
        $m::leftmost_leaf(x);
        $m::subtree_leaves(x);
        $m::pruned_shifts_at(x);
        $m::leaf_set_bit(x);
        $m::leaf_set_len(x);
        $m::prune_list_bit(x);
        $m::prune_list_len(x);
        $m::peaks(x);
    }};
}

/// Calls every `(size, position)` property of module `$m`.
macro_rules! pair {
    ($m:ident, $s:expr, $p:expr) => {{
        let (s, p) = ($s, $p);
        $m::peak_of(s, p);
        $m::path_len(s, p);
        // The same pair read as (leaf count, leaf index).
        $m::leaf_peak(s, p);
    }};
}

/// Interleavings of `next`/`next_back` used for `peaks_iter`.
const ITER_PATTERNS: [u32; 4] = [0, u32::MAX, 0xAAAA_AAAA, 0x3333_3333];

/// Heights worth checking for the prune shifts: all in range, the edges, and far out.
fn heights() -> impl Iterator<Item = u32> {
    (0..=130).chain([u32::MAX - 1, u32::MAX])
}

#[test]
fn w16_every_input() {
    for x in 0..=u16::MAX {
        single!(w16, x);
        for f in ITER_PATTERNS {
            w16::peaks_iter(x, f);
        }
    }
    for h in heights() {
        w16::pruned_hash_shift(h);
        w16::pruned_data_shift(h);
    }
}

/// `position_of` at every (leaf, height) of width 16, and D1's bijection: the pairs with
/// `h <= trailing_ones(n)` reach every position exactly once (what `position_unique` states
/// for two pairs at a time, checked here for all of them at once, plus neighbours).
#[test]
fn w16_every_position_once() {
    let mut seen = vec![false; 1 << 16];
    for n in 0..=u16::MAX {
        for h in 0..=17 {
            w16::position_of(n, h);
            if h <= n.trailing_ones() {
                if let Some(p) = mmr_index::w16::position_of(n, h) {
                    assert!(!seen[p as usize], "position {p} reached twice");
                    seen[p as usize] = true;
                }
            }
        }
        w16::position_unique(n, 0, n.wrapping_add(1), 0);
        w16::position_unique(n, n.trailing_ones(), n.wrapping_add(1), 0);
    }
    // Every position (all but MAX_SIZE) is reached.
    assert_eq!(seen.iter().filter(|b| !**b).count(), 1);
    assert!(!seen[u16::MAX as usize]);
}

#[test]
fn w16_every_row_entry() {
    for r in 0..=17 {
        for e in 0..=u16::MAX {
            w16::from_row_entry(r, e);
        }
    }
    for r in [u32::MAX - 1, u32::MAX, 64, 65] {
        for e in [0, 1, u16::MAX] {
            w16::from_row_entry(r, e);
        }
    }
}

/// Every `(size, position)` pair below `PAIR_BOUND_16` with `size % 4 == class`.
fn w16_pairs_class(class: u16) {
    let b = PAIR_BOUND_16 as u16;
    for s in (class..b).step_by(4) {
        for p in 0..b {
            pair!(w16, s, p);
        }
    }
}

// Four interleaved shares of the width-16 pair sweep, so the test threads balance the work.
#[test]
fn w16_pairs_below_bound_0() {
    w16_pairs_class(0);
}

#[test]
fn w16_pairs_below_bound_1() {
    w16_pairs_class(1);
}

#[test]
fn w16_pairs_below_bound_2() {
    w16_pairs_class(2);
}

#[test]
fn w16_pairs_below_bound_3() {
    w16_pairs_class(3);
}

#[test]
fn w16_pairs_top() {
    // Every position of the largest sizes (the top of the width): MAX_SIZE, the size with
    // MAX_LEAVES - 1 leaves, and two invalid sizes.
    for s in [u16::MAX, u16::MAX - 1, u16::MAX - 16, u16::MAX - 17] {
        for p in 0..=u16::MAX {
            pair!(w16, s, p);
        }
    }
    // The largest leaf counts, read as (leaf count, leaf index) by `leaf_peak`: MAX_LEAVES
    // itself (one mountain of height W-1), one less and one more, with every leaf index.
    // (Found by cargo-mutants, TESTING.md: no runner reached leaf_count == MAX_LEAVES, so
    // `leaf_count > MAX_LEAVES` -> `>=` survived.)
    let ml = mmr_index::w16::MAX_LEAVES;
    for n in [ml - 1, ml, ml + 1] {
        for i in 0..=u16::MAX {
            pair!(w16, n, i);
        }
    }
}

#[test]
fn w64_below_bound() {
    for x in 0..BOUND {
        single!(w64, x);
    }
    for s in 0..PAIR_BOUND_16 {
        for f in ITER_PATTERNS {
            w64::peaks_iter(s, f);
        }
    }
    for h in heights() {
        w64::pruned_hash_shift(h);
        w64::pruned_data_shift(h);
    }
    for r in 0..=66 {
        for e in 0..256 {
            w64::from_row_entry(r, e);
        }
    }
}

#[test]
fn w64_pairs_below_bound() {
    for s in 0..PAIR_BOUND_64 {
        for p in 0..PAIR_BOUND_64 {
            pair!(w64, s, p);
        }
    }
}

#[test]
fn w64_near_limits() {
    let max_leaves = mmr_index::MAX_LEAVES;
    for d in 0..NEAR {
        single!(w64, u64::MAX - d);
        single!(w64, max_leaves - 1 - d);
        single!(w64, max_leaves + d);
    }
    // The last entries of every row, and the first invalid ones.
    for r in 0..=66u32 {
        let end = 1u128 << 63u32.saturating_sub(r);
        for d in 0..64u128 {
            for e in [end.saturating_sub(d + 1), end + d] {
                if let Ok(e) = u64::try_from(e) {
                    w64::from_row_entry(r, e);
                }
            }
        }
    }
    // The largest valid sizes, with positions around their ends and their starts.
    for k in 0..64 {
        let n = max_leaves - k;
        let s = mmr_index::size_for_leaves(n).expect("n <= MAX_LEAVES");
        for f in ITER_PATTERNS {
            w64::peaks_iter(s, f);
            w64::peaks_iter(s - 1, f);
        }
        for d in 0..256 {
            pair!(w64, s, s.saturating_sub(d));
            pair!(w64, s, d);
            pair!(w64, s - 1, s.saturating_sub(d));
        }
        for p in [u64::MAX, u64::MAX - 1] {
            pair!(w64, s, p);
        }
    }
    // The largest leaf counts as (leaf count, leaf index), see `w16_pairs_top`.
    for n in [max_leaves - 1, max_leaves, max_leaves + 1] {
        for d in 0..256 {
            pair!(w64, n, d);
            pair!(w64, n, n - d);
        }
    }
}

/// Valid sizes, uniformly over the leaf count `0..=MAX_LEAVES`.
fn valid_size() -> impl Strategy<Value = u64> {
    (0..=mmr_index::MAX_LEAVES)
        .prop_map(|n| mmr_index::size_for_leaves(n).expect("n <= MAX_LEAVES"))
}

/// A valid non-empty size and a position below it.
fn size_and_pos() -> impl Strategy<Value = (u64, u64)> {
    (1..=mmr_index::MAX_LEAVES).prop_flat_map(|n| {
        let s = mmr_index::size_for_leaves(n).expect("n <= MAX_LEAVES");
        (Just(s), 0..s)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn w64_any_input(x in any::<u64>()) {
        single!(w64, x);
    }

    #[test]
    fn w64_any_size_peaks(s in valid_size(), f in any::<u32>()) {
        w64::peaks(s);
        w64::peaks_iter(s, f);
        w64::leaves_for_size(s);
    }

    #[test]
    fn w64_any_pair(s in any::<u64>(), p in any::<u64>()) {
        pair!(w64, s, p);
    }

    #[test]
    fn w64_any_valid_pair((s, p) in size_and_pos()) {
        pair!(w64, s, p);
    }

    #[test]
    fn w64_any_row_entry(r in 0u32..70, e in any::<u64>(), shift in 0u32..64) {
        w64::from_row_entry(r, e);
        // Bias towards valid entries: e >> shift covers every row's range.
        w64::from_row_entry(r, e >> shift);
    }

    #[test]
    fn w64_any_position_of(n in any::<u64>(), h in 0u32..70, m in any::<u64>(), k in 0u32..70) {
        w64::position_of(n, h);
        w64::position_unique(n, h, m, k);
        // Pairs that share the position of (n, h) if any could: (n, h) itself, one leaf on.
        w64::position_unique(n, h, n, h);
        w64::position_unique(n >> 1, n.trailing_ones(), (n >> 1).wrapping_add(1), 0);
    }

    #[test]
    fn w64_any_height(h in any::<u32>()) {
        w64::pruned_hash_shift(h);
        w64::pruned_data_shift(h);
    }

    #[test]
    fn w32_any_input(x in any::<u32>(), p in any::<u32>(), f in any::<u32>()) {
        single!(w32, x);
        pair!(w32, x, p);
        w32::peaks_iter(x, f);
        w32::from_row_entry(f % 40, x);
        w32::pruned_hash_shift(f % 40);
        w32::pruned_data_shift(f % 40);
    }
}

/// D22: `prune_list_shift` against counting, for every 2-byte prune list and every
/// position below 24, and at the extremes of every width.
#[test]
fn prune_list_shift_matches_counting() {
    for a in 0..=255u8 {
        for b in 0..=255u8 {
            let bits = [a, b];
            for p in 0..24u16 {
                w16::prune_list_shift(&bits, p);
            }
            w16::prune_list_shift(&bits, u16::MAX);
            w64::prune_list_shift(&bits, u64::MAX - 1);
            w64::prune_list_shift(&bits, u64::MAX);
        }
    }
    w32::prune_list_shift(&[0xff; 9], 70);
    w64::prune_list_shift(&[], 0);
}
