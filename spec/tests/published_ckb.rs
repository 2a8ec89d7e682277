//! Values published by ckb-merkle-mountain-range, reproduced with the `ckb` profile.
//!
//! Source: nervosnetwork/merkle-mountain-range `src/tests/test_mmr.rs`, test
//! `test_mmr_root`: pushing `NumberHash::from(i)` for i in 0..11 (`src/tests/mod.rs`:
//! BLAKE2b-256 of `u32le(i)`) and merging with `MergeNumberHash` gives the root
//! `f6794677...`; test `test_empty_mmr_root`: the empty MMR has no root
//! (`Error::GetRootOnEmpty`). That is the only literal hash in the repository's tests
//! (see `spec/DIALECTS.md` for what was searched).

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
