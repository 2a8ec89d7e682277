//! D5: the closed-form (row, entry) arithmetic of `mmr-index` agrees with the executable
//! spec's own addressing (`mmr_reference::addr`, u128 formulas and searches), on every
//! position below 2^16, near the top of the domain, on every row's edges, and by proptest.

use mmr_reference::addr::{self, Addr};
use proptest::prelude::*;

fn agree(pos: u64) {
    let r = addr::addr_of(pos).map(|a| (a.row, a.entry));
    assert_eq!(mmr_index::to_row_entry(pos), r, "to_row_entry({pos})");
    assert_eq!(mmr_index::height(pos), addr::height(pos), "height({pos})");
    if let Some((row, entry)) = r {
        assert_eq!(
            mmr_index::from_row_entry(row, entry),
            addr::position(Addr { row, entry }),
            "from_row_entry({row}, {entry})"
        );
    }
}

#[test]
fn every_small_position() {
    for pos in 0..1u64 << 16 {
        agree(pos);
    }
}

#[test]
fn near_the_top_and_row_edges() {
    for d in 0..4096u64 {
        agree(u64::MAX - d);
    }
    for row in 0..=64u32 {
        for entry in [
            0u64,
            1,
            2,
            (1u64 << (63 - row.min(63))).wrapping_sub(1),
            u64::MAX,
        ] {
            let a = addr::position(Addr { row, entry });
            assert_eq!(mmr_index::from_row_entry(row, entry), a, "({row}, {entry})");
            if let Some(p) = a {
                agree(p);
            }
        }
    }
}

#[test]
fn sizes_and_leaf_positions() {
    for n in (0..1u64 << 12).chain([1 << 62, (1 << 63) - 1, 1 << 63, (1 << 63) + 1, u64::MAX]) {
        assert_eq!(mmr_index::size_for_leaves(n), addr::size_of(n), "size({n})");
        assert_eq!(
            mmr_index::leaf_to_pos(n),
            addr::leaf_pos(n),
            "leaf_pos({n})"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_position(pos in any::<u64>()) {
        agree(pos);
    }

    #[test]
    fn any_size(size in any::<u64>()) {
        prop_assert_eq!(mmr_index::leaves_for_size(size), addr::leaf_count(size));
    }
}
