//! Values published by Litecoin MWEB, reproduced with the `mweb` profile.
//!
//! Source: litecoin-project/litecoin `src/libmw/test/tests/mmr/Test_MMR.cpp`, test cases
//! `MMRTest` and `PMMRCacheTest`: leaves `{0,1,2}`, `{1,2,3}`, `{2,3,4}`, `{3,4,5}` give the
//! root `9ab6e3c4...` (4 leaves, 7 nodes); adding `{4,5,6}` gives `376ef161...` (5 leaves,
//! 8 nodes); rewinding to 4 leaves gives `9ab6e3c4...` again. Leaves are added with
//! `Leaf::Create(LeafIndex, data)`, so `data` is the raw byte vector.
//!
//! The same test directory also asserts the leaf-set bytes, the compact bitset of a
//! compaction, prune-list shifts and index tables (at the end of this file).

mod common;

use common::{Mmr, hex};
use mmr_spec::profiles::MWEB;
use mmr_spec::{Hash, Node};

const LEAVES: [[u8; 3]; 5] = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]];

#[test]
fn mmrtest_root_after_four_leaves() {
    let mut m = Mmr::new(&MWEB);
    for l in &LEAVES[..4] {
        m.append(l, 0);
    }
    assert_eq!(m.size(), 7);
    assert_eq!(
        m.root().unwrap().hash,
        hex("9ab6e3c4a8594b9846b39b6beefe8f704c1de720f28426ddf3898bd4f8d6e45f")
    );
}

#[test]
fn mmrtest_root_after_five_leaves() {
    let mut m = Mmr::new(&MWEB);
    for l in &LEAVES {
        m.append(l, 0);
    }
    assert_eq!(m.size(), 8);
    assert_eq!(
        m.root().unwrap().hash,
        hex("376ef1612abbb461ab78f317569c9a19d054f2c928c79410d50403564b91c5f7")
    );
}

#[test]
fn empty_root_is_zero() {
    // src/libmw/src/mmr/MMR.cpp `IMMR::Root`: no peaks leave the default (zero) hash.
    assert_eq!(Mmr::new(&MWEB).root().unwrap(), Node::new(Hash::ZERO, 0));
}

// ----- leaf set, prune list and index arithmetic asserted by MWEB's own tests -----
//
// These are values of MWEB's storage layout and position arithmetic, asserted as literals in
// litecoin-project/litecoin `src/libmw/test/tests/mmr/` (the same literals in the earlier
// ltc-mweb/litecoin tree, revision 44ff90e1f42a, Catch tests `mmr::...`). Our leaf set
// (SPEC.md D20) and prune list (D22) use MWEB's byte layout, and our compaction rule (D21) is
// stated as MWEB's `BuildCompactBitSet`; the index tables are the shared postorder layout
// (D1-D7), checked against the optimized implementation's closed forms (`mmr-index`).

use mmr_spec::{decode_prune_list, encode_leaf_set, encode_prune_list};

/// The bitset part of our leaf set (D20 without the 8-byte leaf count).
fn leaf_set_bits(leaf_count: u64, unspent: &[u64]) -> Vec<u8> {
    let b = encode_leaf_set(leaf_count, unspent.iter().copied());
    assert_eq!(&b[..8], &leaf_count.to_le_bytes());
    b[8..].to_vec()
}

/// `Test_LeafSet.cpp`, `LeafSetTest` (litecoin-project/litecoin, revision a900883fa0b9):
/// `ILeafSet::Root` hashes the first `ceil(n / 8)` bytes of the leaf bitset
/// (`src/libmw/src/mmr/ILeafSet.cpp`), and the test asserts those bytes: no leaves `{}`;
/// leaf 0 added `{0b10000000}`; leaf 1 `{0b11000000}`; leaf 2 `{0b11100000}`; leaf 1
/// removed `{0b10100000}`; rewound to 2 leaves restoring leaf 1 `{0b11000000}`. This checks
/// D20's bit order (MSB-first), its length (`ceil(n / 8)` bytes) and that removing a leaf
/// clears only its bit.
#[test]
fn leaf_set_test_bitset_bytes() {
    assert_eq!(leaf_set_bits(0, &[]), Vec::<u8>::new());
    assert_eq!(leaf_set_bits(1, &[0]), [0b1000_0000]);
    assert_eq!(leaf_set_bits(2, &[0, 1]), [0b1100_0000]);
    assert_eq!(leaf_set_bits(3, &[0, 1, 2]), [0b1110_0000]);
    assert_eq!(leaf_set_bits(3, &[0, 2]), [0b1010_0000]);
    assert_eq!(leaf_set_bits(2, &[0, 1]), [0b1100_0000]);
}

/// `Test_LeafSetCache.cpp`, `LeafSetCacheTest` (same revision): leaves 0, 1, 2, 4 of 5 give
/// `{0b11101000}`; adding leaf 5 and removing leaf 2 gives `{0b11001100}` (6 leaves).
#[test]
fn leaf_set_cache_test_bitset_bytes() {
    assert_eq!(leaf_set_bits(5, &[0, 1, 2, 4]), [0b1110_1000]);
    assert_eq!(leaf_set_bits(6, &[0, 1, 4, 5]), [0b1100_1100]);
}

/// `Test_MMRUtil.cpp`, `BuildCompactBitSet` (litecoin-project/litecoin, revision
/// b270cd9098dc; ltc-mweb/litecoin 44ff90e1f42a, `mmr::MMRUtil::BuildCompactBitSet`): 50
/// leaves with the unspent leaves 2, 9, 26, 27 and 30..50 give the compact bitset
/// `1100000111111000001100111111000111111111111110110000011000...0` (100 bits, position p is
/// character p) with 34 bits set. Here the dropped set is computed by D21's formula, `{ p <
/// size : p is not a peak and no leaf below parent(p) is unspent }`, and encoded by our
/// prune list (D22: 2n bits, MSB-first).
#[test]
fn build_compact_bitset_is_d21_and_d22() {
    const PUBLISHED: &str = "1100000111111000001100111111000111111111111110110000011000000000000000000000000000000000000000000000";
    let n = 50u64;
    let unspent: Vec<u64> = [2u64, 9, 26, 27].into_iter().chain(30..50).collect();
    let size = mmr_index::size_for_leaves(n).unwrap();
    let peaks: Vec<u64> = mmr_index::peaks(size).unwrap().collect();
    let dropped: Vec<u64> = (0..size)
        .filter(|&p| {
            if peaks.contains(&p) {
                return false;
            }
            let parent = mmr_index::parent(p).unwrap();
            let (first, count) = mmr_index::subtree_leaves(parent).unwrap();
            !unspent.iter().any(|u| (first..first + count).contains(u))
        })
        .collect();
    let bytes = encode_prune_list(n, dropped.iter().copied());
    assert_eq!(bytes.len(), 13);
    let bits: String = bytes.iter().map(|b| format!("{b:08b}")).collect::<String>();
    assert_eq!(&bits[..100], PUBLISHED);
    assert_eq!(&bits[100..], "0000");
    assert_eq!(dropped.len(), 34);
}

/// `Test_PruneList.cpp`, `PruneListTest` (litecoin-project/litecoin, revision a900883fa0b9):
/// the prune-list file `20 40 00 33 ff 80` has a total shift of 15, and the shifts of
/// positions 1, 3, 28 and 60 are 0, 1, 4 and 15: the shift of p is the number of set bits
/// (MSB-first) strictly below p (D22).
#[test]
fn prune_list_test_shifts() {
    let file = [0x20u8, 0x40, 0x00, 0x33, 0xff, 0x80];
    let dropped = decode_prune_list(&file);
    assert_eq!(dropped.len(), 15);
    for (pos, shift) in [(1u64, 0u64), (3, 1), (28, 4), (60, 15)] {
        assert_eq!(
            dropped.iter().filter(|&&d| d < pos).count() as u64,
            shift,
            "position {pos}"
        );
        assert_eq!(mmr_index::prune_list_shift(&file, pos), Some(shift));
    }
}

/// `Test_MMRUtil.cpp`, `CalcPeakIndices` (litecoin-project/litecoin, revision b270cd9098dc):
/// the peaks of an MMR of 54 nodes are 30, 45, 52, 53 (D6).
#[test]
fn calc_peak_indices_of_54_nodes() {
    assert_eq!(
        mmr_index::peaks(54).unwrap().collect::<Vec<_>>(),
        [30, 45, 52, 53]
    );
}

/// `Test_MMRUtil.cpp`, `SiblingIterTest` (same revisions): the positions of height 0 up to
/// position 22, of height 1 up to 84 and of height 2 up to 100, in order; they are the (row,
/// entry) positions of D5 for entries 0, 1, 2, ...
#[test]
fn sibling_iter_rows() {
    let rows: [(u32, u64, &[u64]); 3] = [
        (0, 22, &[0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22]),
        (
            1,
            84,
            &[
                2, 5, 9, 12, 17, 20, 24, 27, 33, 36, 40, 43, 48, 51, 55, 58, 65, 68, 72, 75, 80, 83,
            ],
        ),
        (
            2,
            100,
            &[6, 13, 21, 28, 37, 44, 52, 59, 69, 76, 84, 91, 100],
        ),
    ];
    for (row, last, want) in rows {
        let got: Vec<u64> = (0u64..)
            .map(|e| mmr_index::from_row_entry(row, e).unwrap())
            .take_while(|&p| p <= last)
            .collect();
        assert_eq!(got, want, "height {row}");
    }
}

/// `Test_Index.cpp` (`GetHeight`, `GetLeafIndex`, `IsLeaf`, `GetParent`, `GetSibling`,
/// `GetLeftChild`, `GetRightChild`) and `Test_LeafIndex.cpp` (`GetPosition`) (litecoin-project/
/// litecoin, revision b270cd9098dc): literal tables for positions 0..=20 and leaf indices
/// 0..=20 (D2, D3, D7).
#[test]
fn index_tables() {
    const HEIGHT: [u32; 21] = [
        0, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 1, 2, 3, 0, 0, 1, 0, 0, 1,
    ];
    const PARENT: [u64; 21] = [
        2, 2, 6, 5, 5, 6, 14, 9, 9, 13, 12, 12, 13, 14, 30, 17, 17, 21, 20, 20, 21,
    ];
    const SIBLING: [u64; 21] = [
        1, 0, 5, 4, 3, 2, 13, 8, 7, 12, 11, 10, 9, 6, 29, 16, 15, 20, 19, 18, 17,
    ];
    const LEAF_POS: [u64; 21] = [
        0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22, 23, 25, 26, 31, 32, 34, 35, 38,
    ];
    const CHILDREN: [(u64, u64, u64); 9] = [
        (2, 0, 1),
        (5, 3, 4),
        (6, 2, 5),
        (9, 7, 8),
        (12, 10, 11),
        (13, 9, 12),
        (14, 6, 13),
        (17, 15, 16),
        (20, 18, 19),
    ];
    for p in 0..=20u64 {
        let i = p as usize;
        assert_eq!(mmr_index::height(p), Some(HEIGHT[i]), "height of {p}");
        assert_eq!(mmr_index::parent(p), Some(PARENT[i]), "parent of {p}");
        assert_eq!(mmr_index::sibling(p), Some(SIBLING[i]), "sibling of {p}");
        assert_eq!(mmr_index::is_leaf(p), HEIGHT[i] == 0, "is_leaf {p}");
    }
    for (i, &pos) in LEAF_POS.iter().enumerate() {
        assert_eq!(mmr_index::leaf_to_pos(i as u64), Some(pos), "leaf {i}");
        if pos <= 19 {
            // GetLeafIndex is asserted for the leaves up to position 19.
            assert_eq!(
                mmr_index::pos_to_leaf(pos),
                Some(i as u64),
                "position {pos}"
            );
        }
    }
    for (p, l, r) in CHILDREN {
        assert_eq!(mmr_index::left_child(p), Some(l), "left child of {p}");
        assert_eq!(mmr_index::right_child(p), Some(r), "right child of {p}");
    }
}
