//! Values published by ckb-merkle-mountain-range, reproduced with the `ckb` profile.
//!
//! Source: nervosnetwork/merkle-mountain-range `src/tests/test_mmr.rs`, test
//! `test_mmr_root`: pushing `NumberHash::from(i)` for i in 0..11 (`src/tests/mod.rs`:
//! BLAKE2b-256 of `u32le(i)`) and merging with `MergeNumberHash` gives the root
//! `f6794677...`; test `test_empty_mmr_root`: the empty MMR has no root
//! (`Error::GetRootOnEmpty`). That is the only literal hash in the repository's tests
//! (see `spec/DIALECTS.md` for what was searched); `src/tests/test_helper.rs` and the
//! README add literal tables of the index arithmetic (at the end of this file).
//!
//! Corroboration from a third party (not counted as published by ckb): a Go port of
//! ckb-merkle-mountain-range, ComposableFi/go-merkle-trees `mmr/mmr_test.go` in an early
//! revision (package `mmr`, test `TestCalculateRoot`), with the same test hasher (Go
//! `blake2b.Sum256` of `u32le(i)`, merge `BLAKE2b-256(lhs || rhs)`), asserts roots computed
//! from proofs of the same 11-leaf MMR: every proof item is a node hash of that MMR, and
//! the roots of its 2-leaf, 8-leaf (one peak) and 10-leaf (two peaks) prefixes.

mod common;

use common::{Mmr, hex};
use mmr_spec::profiles::CKB;
use mmr_spec::{Error, Profile};

#[test]
fn test_mmr_root_eleven_leaves() {
    let mut m = Mmr::new(&CKB);
    for i in 0u32..11 {
        m.append(&i.to_le_bytes(), 0);
    }
    assert_eq!(m.size(), 19);
    assert_eq!(
        m.root().unwrap().hash,
        hex("f6794677f37a57df6a5ec36ce61036e43a36c1a009d05c81c9aa685dde1fd6e3")
    );
}

#[test]
fn test_empty_mmr_root_is_an_error() {
    assert_eq!(CKB.empty_root(), None);
    assert_eq!(Mmr::new(&CKB).root(), Err(Error::EmptyRoot));
}

/// Nodes of the 11-leaf MMR of `test_mmr_root`, by position, as they appear in the proofs of
/// ComposableFi/go-merkle-trees `mmr/mmr_test.go` (early revision), `TestCalculateRoot`
/// (cases "3 peaks", "first element proof", "last element proof", "2 leaves merkle proof",
/// "3 leaves merkle proof").
const GO_PORT_NODES: [(usize, &str); 16] = [
    (
        0,
        "11da6d1f761ddf9bdb4c9d6e5303ebd41f61858d0a5647a1a7bfe089bf921be9",
    ),
    (
        1,
        "e12c22d4f162d9a012c9319233da5d3e923cc5e1029b8f90e47249c9ab256b35",
    ),
    (
        2,
        "dd1445ec419376975790d7d4e487dfa5fca42a75f41e8893bc2d8b02c527f8f4",
    ),
    (
        3,
        "7b0aa1735e5ba58d3236316c671fe4f00ed366ee72417c9ed02a53a8019e85b8",
    ),
    (
        4,
        "8c039ff7caa17ccebfcadc44bd9fce6a4b6699c4d03de2e3349aa1dc11193cd7",
    ),
    (
        5,
        "ea750bdb0a08f96991f00ceaf9c3517805b1844866091df48b3612a24225429a",
    ),
    (
        6,
        "f0c1d8dd595c1e705ff3e42cb104b5b558b2fe09577b1ec44c0e0ea67982a884",
    ),
    (
        7,
        "26a08e4d0c5190f01871e0569b6290b86760085d99f17eb4e7e6b58feb8d6249",
    ),
    (
        8,
        "8c35d22f459d77ca4c0b0b5035869766d60d182b9716ab3e8879e066478899a8",
    ),
    (
        9,
        "86e27cc779fc3f19c1cf4ece5f9ae8a2b7cc24301e2cd17fad15342e495c187d",
    ),
    (
        10,
        "f4aac2fbe33f03554bfeb559ea2690ed8521caa4be961e61c91ac9a1530dce7a",
    ),
    (
        11,
        "5b8f29db76cf4e676e4fc9b17040312debedafcd5637fb3c7badd2cddce6a445",
    ),
    (
        12,
        "64fa1a16b569918daf33bf20fc82cab12b506357dbf176a6f6dac3f14108d45c",
    ),
    (
        13,
        "405a3e50f8d864f3a15f28b7f290363cf26727760a9144ff364b3aa8ccd2f839",
    ),
    (
        14,
        "9a42e0efd142d8dadb23fe5eec4b5078c9ec740d9927109646bcad1c9939be80",
    ),
    (
        17,
        "a8682c7cd2e2d29666a2597c25cebc0aa23c8e3e6b3ee3e04f2bc1713da64785",
    ),
];

#[test]
fn go_port_node_hashes_of_the_eleven_leaf_mmr() {
    let mut m = Mmr::new(&CKB);
    for i in 0u32..11 {
        m.append(&i.to_le_bytes(), 0);
    }
    for (pos, h) in GO_PORT_NODES {
        assert_eq!(m.nodes[pos].hash, hex(h), "position {pos}");
    }
    // Leaf 10 at position 18, and the bag of the two right peaks (17, 18) that the
    // "3 peaks" and "first element proof" cases carry: merge(peak 18, peak 17).
    assert_eq!(
        m.nodes[18].hash,
        hex("2c088bf3b4e7853c99e49636d9e7c9a351918d70bd6cdf6148b81e68f5706f68")
    );
    let bag = mmr_spec::bag_node(&CKB, 19, &m.nodes[17], &m.nodes[18]).unwrap();
    assert_eq!(
        bag.hash,
        hex("5e7bc66323e34ccbbe88ba9172c6dadbb050f0fb60a04b761e95ab46580ddc5e")
    );
}

#[test]
fn go_port_roots_of_prefixes() {
    // "1 element" (1 leaf), "2 elements pos 0/1" (2 leaves), the peak of the "1 peak" case
    // (8 leaves, one peak), "2 peaks" (10 leaves, mmrSize 18).
    for (n, size, root) in [
        (
            1u32,
            1u64,
            "11da6d1f761ddf9bdb4c9d6e5303ebd41f61858d0a5647a1a7bfe089bf921be9",
        ),
        (
            2,
            3,
            "dd1445ec419376975790d7d4e487dfa5fca42a75f41e8893bc2d8b02c527f8f4",
        ),
        (
            8,
            15,
            "9a42e0efd142d8dadb23fe5eec4b5078c9ec740d9927109646bcad1c9939be80",
        ),
        (
            10,
            18,
            "008bc96cb3da2098e7ccacd0548b36abadb91b153b28cbc1cb513315ea60da46",
        ),
    ] {
        let mut m = Mmr::new(&CKB);
        for i in 0..n {
            m.append(&i.to_le_bytes(), 0);
        }
        assert_eq!(m.size(), size);
        assert_eq!(m.root().unwrap().hash, hex(root), "{n} leaves");
    }
}

// ----- index arithmetic asserted by ckb's own tests -----
//
// nervosnetwork/merkle-mountain-range `src/tests/test_helper.rs` (the same assertions in the
// stored revisions c5bfa3d2a570 and 25c5d823a042) asserts literal tables of the crate's index
// helpers. The ckb dialect shares the postorder layout (SPEC.md D1-D6), so these are
// ckb-published values of the ckb profile's position arithmetic; they are reproduced here
// with the optimized implementation's closed forms (`mmr-index`).

/// `test_leaf_index_to_pos`: leaf index -> position, `0 -> 0`, `1 -> 1`, `2 -> 3` (D3).
#[test]
fn test_helper_leaf_index_to_pos() {
    for (index, pos) in [(0u64, 0u64), (1, 1), (2, 3)] {
        assert_eq!(mmr_index::leaf_to_pos(index), Some(pos), "leaf {index}");
    }
}

/// `test_leaf_index_to_mmr_size`: the size of the MMR whose last leaf has index i, i.e. the
/// size of i + 1 leaves: `0 -> 1`, `1 -> 3`, `2 -> 4` (D4).
#[test]
fn test_helper_leaf_index_to_mmr_size() {
    for (index, size) in [(0u64, 1u64), (1, 3), (2, 4)] {
        assert_eq!(
            mmr_index::size_for_leaves(index + 1),
            Some(size),
            "leaf {index}"
        );
    }
}

/// `test_pos_height_in_tree`: heights of positions 0, 1, 2, 3, 4, 6, 7 (D2).
#[test]
fn test_helper_pos_height_in_tree() {
    for (pos, h) in [(0u64, 0u32), (1, 0), (2, 1), (3, 0), (4, 0), (6, 2), (7, 0)] {
        assert_eq!(mmr_index::height(pos), Some(h), "position {pos}");
    }
}

/// `test_get_peak_map`: the peak bitmap of a size, bit h set iff there is a peak of height
/// h, which is the leaf count (D4, D6): sizes 0, 1, 3, 4, 7, 8, 15, 16, 18, 19 give
/// `0b0`, `0b1`, `0b10`, `0b11`, `0b100`, `0b101`, `0b1000`, `0b1001`, `0b1010`, `0b1011`.
/// The test also asserts that the invalid sizes 5, 6 and 9 read as the last valid size
/// below them (`0b11`, `0b11`, `0b101`); that is ckb's documented leniency
/// (`ckb-invalid-size`, spec/DIALECTS.md), and our arithmetic rejects them instead.
#[test]
fn test_helper_get_peak_map() {
    for (size, map) in [
        (0u64, 0b0u64),
        (1, 0b1),
        (3, 0b10),
        (4, 0b11),
        (7, 0b100),
        (8, 0b101),
        (15, 0b1000),
        (16, 0b1001),
        (18, 0b1010),
        (19, 0b1011),
    ] {
        assert_eq!(mmr_index::leaves_for_size(size), Some(map), "size {size}");
        let heights: u64 = mmr_index::peaks(size)
            .unwrap()
            .map(|p| 1u64 << mmr_index::height(p).unwrap())
            .sum();
        assert_eq!(heights, map, "peak heights of size {size}");
    }
    for size in [5u64, 6, 9] {
        assert_eq!(mmr_index::leaves_for_size(size), None, "size {size}");
    }
}

/// `test_get_peaks`: the peak positions of sizes 0, 1, 3, 4, 7, 8, 15, 16, 18, 19, left
/// to right (D6). The invalid sizes 5, 6, 9, which ckb reads as 4, 4, 8, are rejected here.
#[test]
fn test_helper_get_peaks() {
    let table: [(u64, &[u64]); 10] = [
        (0, &[]),
        (1, &[0]),
        (3, &[2]),
        (4, &[2, 3]),
        (7, &[6]),
        (8, &[6, 7]),
        (15, &[14]),
        (16, &[14, 15]),
        (18, &[14, 17]),
        (19, &[14, 17, 18]),
    ];
    for (size, peaks) in table {
        let got: Vec<u64> = mmr_index::peaks(size).unwrap().collect();
        assert_eq!(got, peaks, "size {size}");
    }
    for size in [5u64, 6, 9] {
        assert_eq!(mmr_index::peaks(size), None, "size {size}");
    }
}

/// nervosnetwork/merkle-mountain-range `README.md` (revision 2e7283ea63c5), sections
/// "Construct" and "Merkle root": the 11-leaf MMR has the peaks 14, 17, 18; pushing a 12th
/// leaf puts it at position 19, merges 18 and 19 into 20, then 17 and 20 into 21.
#[test]
fn readme_eleven_leaf_mmr_positions() {
    assert_eq!(
        mmr_index::peaks(19).unwrap().collect::<Vec<_>>(),
        [14, 17, 18]
    );
    assert_eq!(mmr_index::leaf_to_pos(11), Some(19));
    assert_eq!(mmr_index::children(20), Some((18, 19)));
    assert_eq!(mmr_index::children(21), Some((17, 20)));
    assert_eq!(mmr_index::size_for_leaves(12), Some(22));
}
