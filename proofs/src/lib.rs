//! Proofs of the MMR index arithmetic (`mmr-index`).
//!
//! * [`props`]: every property, written once as a plain function of its inputs, for the
//!   widths 16, 32 and 64.
//! * `harnesses` (only under `cfg(kani)`): one Kani harness per property, at width 64.
//! * `tests/`: the `cargo test` runners: every input at width 16, every input and every
//!   `(size, position)` pair below a bound at width 64, every input near `u64::MAX`, and
//!   proptest across the full `u64` range; plus independent counting models and the
//!   coverage check against [`COVERAGE`].
//!
//! See `proofs/README.md` for how to run them and which checks need Kani.

// `no_std` except under Kani, whose `kani` crate is simplest to use from a `std` crate.
#![cfg_attr(not(kani), no_std)]
#![forbid(unsafe_code)]

pub mod props;

#[cfg(kani)]
mod harnesses;

/// Stand-in for the parts of the `kani` crate the harnesses use, for type-checking them
/// under `--cfg kani` without Kani (feature `kani-stub`, see `check-kani-cfg.sh`). Real Kani
/// provides the `kani` crate itself; never enable the feature there.
#[cfg(all(kani, feature = "kani-stub"))]
pub mod kani {
    pub use mmr_kani_stub::{proof, proof_for_contract, stub_verified, unwind};

    /// Stand-in for `kani::any`: some value of the type (only type-checked, never proved).
    pub fn any<T: Default>() -> T {
        T::default()
    }

    /// Stand-in for `kani::assume`: no effect.
    pub fn assume(cond: bool) {
        let _ = cond;
    }
}

/// Every public function of `mmr-index` (methods as `Type::name`) with the Kani harnesses
/// that prove its properties. `tests/coverage.rs` parses `optimized/index/src/*.rs` and
/// `src/harnesses.rs` and fails if a public function is missing here, if an entry names no
/// harness or a harness that does not exist, or if a harness is listed nowhere.
pub const COVERAGE: &[(&str, &[&str])] = &[
    ("popcount", &["check_popcount"]),
    (
        "position_of",
        &["check_position_of", "check_position_unique"],
    ),
    ("decompose", &["check_decompose", "check_height"]),
    ("leaf_to_pos", &["check_leaf_to_pos", "check_pos_to_leaf"]),
    ("pos_to_leaf", &["check_pos_to_leaf", "check_leaf_to_pos"]),
    ("size_for_leaves", &["check_size_for_leaves"]),
    (
        "leaves_for_size",
        &["check_leaves_for_size", "check_size_for_leaves"],
    ),
    (
        "is_valid_size",
        &["check_is_valid_size", "check_leaves_for_size"],
    ),
    ("height", &["check_height"]),
    ("is_leaf", &["check_is_leaf"]),
    ("is_left_child", &["check_is_left_child", "check_parent"]),
    ("parent", &["check_parent", "check_children"]),
    ("sibling", &["check_sibling", "check_children"]),
    ("left_child", &["check_left_child", "check_children"]),
    ("right_child", &["check_right_child", "check_children"]),
    ("children", &["check_children"]),
    ("to_row_entry", &["check_to_row_entry"]),
    (
        "from_row_entry",
        &["check_from_row_entry", "check_from_row_entry_valid"],
    ),
    ("peak_count", &["check_peak_count"]),
    ("peaks", &["check_peaks", "check_peaks_iter"]),
    ("Peaks::leaf_count", &["check_peaks"]),
    ("Peaks::len", &["check_peaks", "check_peaks_iter"]),
    ("Peaks::is_empty", &["check_peaks", "check_peaks_iter"]),
    ("Peaks::peak", &["check_peaks"]),
    ("Peaks::get", &["check_peaks", "check_peaks_iter"]),
    ("Peaks::height", &["check_peaks"]),
    ("Peaks::next", &["check_peaks_iter"]),
    ("Peaks::next_back", &["check_peaks_iter"]),
    ("peak_of", &["check_peak_of", "check_peak_of_valid"]),
    ("path_len", &["check_path_len", "check_path_len_leaf"]),
    ("leaf_peak", &["check_leaf_peak"]),
    ("prune_list_shift", &["check_prune_list_shift"]),
    ("leftmost_leaf", &["check_leftmost_leaf"]),
    ("subtree_leaves", &["check_subtree_leaves"]),
    (
        "pruned_hash_shift",
        &["check_pruned_hash_shift", "check_pruned_shifts_at"],
    ),
    (
        "pruned_data_shift",
        &["check_pruned_data_shift", "check_pruned_shifts_at"],
    ),
    ("leaf_set_bit", &["check_leaf_set_bit"]),
    ("prune_list_bit", &["check_prune_list_bit"]),
    ("prune_list_len", &["check_prune_list_len"]),
    ("leaf_set_len", &["check_leaf_set_len"]),
];
