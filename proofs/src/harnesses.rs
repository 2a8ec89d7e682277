//! Kani harnesses: one per property of [`crate::props`], at full `u64` width.
//!
//! Compiled only under `cfg(kani)`: by real Kani (`cargo kani -p mmr-proofs`), or by
//! `check-kani-cfg.sh` with the `kani-stub` feature, which type-checks them without Kani.
//! Each harness is listed in [`crate::COVERAGE`] next to the `mmr-index` functions it
//! proves; `tests/coverage.rs` fails if a public function of `mmr-index` has none.
//!
//! Every harness carries `#[kani::unwind(66)]`: the longest loop, in `mmr-index`'s greedy
//! peel and in the properties' walks up a mountain or along the peaks, runs at most 64
//! iterations.

#[cfg(feature = "kani-stub")]
use crate::kani;
use crate::props;
use mmr_index::w64 as ix;

/// Kani: [`props::w64::popcount`] for every `u64`: the chain of one-bit additions that
/// `mmr-index` counts with under Kani is `count_ones`.
#[kani::proof]
#[kani::unwind(66)]
fn check_popcount() {
    props::w64::popcount(kani::any());
}
/// Kani: [`props::w64::position_of`] for every `(n, h)`.
#[kani::proof]
#[kani::unwind(66)]
fn check_position_of() {
    props::w64::position_of(kani::any(), kani::any());
}
/// Kani: [`props::w64::position_unique`] for every two pairs.
#[kani::proof]
#[kani::unwind(66)]
fn check_position_unique() {
    props::w64::position_unique(kani::any(), kani::any(), kani::any(), kani::any());
}
/// Kani: `decompose` meets its contract (`#[kani::ensures]` in `mmr-index`) for every
/// `u64`; the harnesses marked `stub_verified(ix::decompose)` then use the contract in its
/// place, so that none of them unwinds its search again.
#[kani::proof_for_contract(ix::decompose)]
#[kani::unwind(66)]
fn check_decompose() {
    let _ = ix::decompose(kani::any());
}
/// Kani: [`props::w64::leaf_to_pos`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_leaf_to_pos() {
    props::w64::leaf_to_pos(kani::any());
}
/// Kani: [`props::w64::pos_to_leaf`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_pos_to_leaf() {
    props::w64::pos_to_leaf(kani::any());
}
/// Kani: [`props::w64::is_leaf`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_is_leaf() {
    props::w64::is_leaf(kani::any());
}
/// Kani: [`props::w64::size_for_leaves`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_size_for_leaves() {
    props::w64::size_for_leaves(kani::any());
}
/// Kani: [`props::w64::leaves_for_size`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_leaves_for_size() {
    props::w64::leaves_for_size(kani::any());
}
/// Kani: [`props::w64::is_valid_size`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_is_valid_size() {
    props::w64::is_valid_size(kani::any());
}
/// Kani: [`props::w64::peak_count`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_peak_count() {
    props::w64::peak_count(kani::any());
}
/// Kani: [`props::w64::height`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_height() {
    props::w64::height(kani::any());
}
/// Kani: [`props::w64::parent`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_parent() {
    props::w64::parent(kani::any());
}
/// Kani: [`props::w64::is_left_child`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_is_left_child() {
    props::w64::is_left_child(kani::any());
}
/// Kani: [`props::w64::children`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_children() {
    props::w64::children(kani::any());
}
/// Kani: [`props::w64::left_child`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_left_child() {
    props::w64::left_child(kani::any());
}
/// Kani: [`props::w64::right_child`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_right_child() {
    props::w64::right_child(kani::any());
}
/// Kani: [`props::w64::sibling`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_sibling() {
    props::w64::sibling(kani::any());
}
/// Kani: [`props::w64::to_row_entry`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_to_row_entry() {
    props::w64::to_row_entry(kani::any());
}
/// Kani: [`props::w64::leftmost_leaf`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_leftmost_leaf() {
    props::w64::leftmost_leaf(kani::any());
}
/// Kani: [`props::w64::subtree_leaves`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_subtree_leaves() {
    props::w64::subtree_leaves(kani::any());
}
/// Kani: [`props::w64::pruned_shifts_at`] for every `u64`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_pruned_shifts_at() {
    props::w64::pruned_shifts_at(kani::any());
}
/// Kani: [`props::w64::leaf_set_bit`] for every `u64`.
#[kani::proof]
#[kani::unwind(66)]
fn check_leaf_set_bit() {
    props::w64::leaf_set_bit(kani::any());
}
/// Kani: [`props::w64::leaf_set_len`] for every `u64`.
#[kani::proof]
#[kani::unwind(66)]
fn check_leaf_set_len() {
    props::w64::leaf_set_len(kani::any());
}
/// Kani: [`props::w64::prune_list_bit`] for every `u64`.
#[kani::proof]
#[kani::unwind(66)]
fn check_prune_list_bit() {
    props::w64::prune_list_bit(kani::any());
}
/// Kani: [`props::w64::prune_list_len`] for every `u64`.
#[kani::proof]
#[kani::unwind(66)]
fn check_prune_list_len() {
    props::w64::prune_list_len(kani::any());
}
/// Kani: [`props::w64::peaks`] for every `u64`: its index-free part, and the per-peak part
/// for a symbolic index (every index at once, no walk along the peaks).
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_peaks() {
    let s: u64 = kani::any();
    props::w64::peaks_head(s);
    props::w64::peaks_at(s, kani::any());
}

/// Kani: [`props::w64::from_row_entry`] for every `(u32, u64)`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_from_row_entry() {
    props::w64::from_row_entry(kani::any(), kani::any());
}

/// Kani: [`props::w64::from_row_entry`] for every valid `(row, entry)` (bijection onto the
/// positions, with `check_to_row_entry`).
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_from_row_entry_valid() {
    let r: u32 = kani::any();
    let e: u64 = kani::any();
    kani::assume(r < 64);
    kani::assume(e < (1u64 << (63 - r)));
    assert!(mmr_index::from_row_entry(r, e).is_some());
    props::w64::from_row_entry(r, e);
}

/// Kani: [`props::w64::peaks_iter`] for every size and every front/back interleaving.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_peaks_iter() {
    props::w64::peaks_iter(kani::any(), kani::any());
}

/// Kani: [`props::w64::peak_of`] for every `(size, pos)`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_peak_of() {
    props::w64::peak_of(kani::any(), kani::any());
}

/// Kani: [`props::w64::peak_of`] for every valid size and every position below it (the
/// `Some` branch, stated directly).
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_peak_of_valid() {
    let n: u64 = kani::any();
    kani::assume(n <= mmr_index::MAX_LEAVES);
    let s = mmr_index::size_for_leaves(n).expect("n <= MAX_LEAVES");
    let p: u64 = kani::any();
    kani::assume(p < s);
    assert!(mmr_index::peak_of(s, p).is_some());
    props::w64::peak_of(s, p);
}

/// Kani: [`props::w64::path_len`] for every `(size, pos)`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_path_len() {
    props::w64::path_len(kani::any(), kani::any());
}

/// Kani: for every leaf of every valid size, the proof path length equals the height of
/// the leaf's peak.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_path_len_leaf() {
    let n: u64 = kani::any();
    kani::assume(n <= mmr_index::MAX_LEAVES);
    let s = mmr_index::size_for_leaves(n).expect("n <= MAX_LEAVES");
    let i: u64 = kani::any();
    kani::assume(i < n);
    let p = mmr_index::leaf_to_pos(i).expect("i < n <= MAX_LEAVES");
    let pk = mmr_index::peak_of(s, p).expect("p < s");
    assert_eq!(mmr_index::path_len(s, p), Some(pk.height));
    props::w64::path_len(s, p);
}

/// Kani: [`props::w64::pruned_hash_shift`] for every `u32` height.
#[kani::proof]
#[kani::unwind(66)]
fn check_pruned_hash_shift() {
    props::w64::pruned_hash_shift(kani::any());
}

/// Kani: [`props::w64::pruned_data_shift`] for every `u32` height.
#[kani::proof]
#[kani::unwind(66)]
fn check_pruned_data_shift() {
    props::w64::pruned_data_shift(kani::any());
}

/// Kani: [`props::w64::leaf_peak`] for every `(leaf count, leaf index)`.
#[kani::proof]
#[kani::stub_verified(ix::decompose)]
#[kani::unwind(66)]
fn check_leaf_peak() {
    props::w64::leaf_peak(kani::any(), kani::any());
}

/// Kani: [`props::w64::prune_list_shift`] for every 3-byte prune list and every position.
#[kani::proof]
#[kani::unwind(26)]
fn check_prune_list_shift() {
    let bits: [u8; 3] = kani::any();
    props::w64::prune_list_shift(&bits, kani::any());
}
