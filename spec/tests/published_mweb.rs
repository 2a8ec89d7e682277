//! Values published by Litecoin MWEB, reproduced with the `mweb` profile.
//!
//! Source: litecoin-project/litecoin `src/libmw/test/tests/mmr/Test_MMR.cpp`, test cases
//! `MMRTest` and `PMMRCacheTest`: leaves `{0,1,2}`, `{1,2,3}`, `{2,3,4}`, `{3,4,5}` give the
//! root `9ab6e3c4...` (4 leaves, 7 nodes); adding `{4,5,6}` gives `376ef161...` (5 leaves,
//! 8 nodes); rewinding to 4 leaves gives `9ab6e3c4...` again. Leaves are added with
//! `Leaf::Create(LeafIndex, data)`, so `data` is the raw byte vector.

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
