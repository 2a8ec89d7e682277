//! Setup shared by the `mmr` (Criterion) and `ratios` (interleaved) benches: the same
//! leaves, the bare-hashing floor and the ckb comparison for both.
#![allow(dead_code)] // each bench uses part of it

use ckb_merkle_mountain_range::{MMR, Merge, util::MemStore as CkbStore};
use mmr_optimized::Optimized;
use mmr_optimized::hash::Sha3Backend;
use mmr_spec::{Config, Profile, ProofDb};
use sha3::{Digest, Sha3_256};
use std::hint::black_box;

pub const LEAF_INPUT: usize = 1 + 8 + 8 + 32; // tag, pos, value, 32 data bytes (D11)
pub const PARENT_INPUT: usize = 1 + 8 + 8 + 32 + 32; // tag, pos, sum, two hashes (D11)

pub fn data(i: u64) -> [u8; 32] {
    let mut d = [0u8; 32];
    d[..8].copy_from_slice(&i.to_le_bytes());
    d[8..16].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    d
}

/// One SHA3-256 call over `len` bytes of `buf`.
#[inline]
pub fn h(buf: &[u8], len: usize) -> [u8; 32] {
    Sha3_256::digest(&buf[..len]).into()
}

/// One SHA3-256 call over `len` bytes of `buf` on backend `B`.
#[inline]
pub fn hb<B: Sha3Backend>(buf: &[u8], len: usize) -> [u8; 32] {
    B::digest(&buf[..len]).0
}

/// The floor of appending `n` leaves: n leaf hashes and size(n) - n parent hashes (sha3).
pub fn floor_append(n: u64, buf: &mut [u8; 256]) {
    floor_append_on::<mmr_optimized::hash::Portable>(n, buf)
}

/// [`floor_append`] on backend `B`.
pub fn floor_append_on<B: Sha3Backend>(n: u64, buf: &mut [u8; 256]) {
    let parents = n - u64::from(n.count_ones());
    for i in 0..n {
        buf[0] = i as u8;
        black_box(hb::<B>(buf, LEAF_INPUT));
    }
    for i in 0..parents {
        buf[0] = i as u8;
        black_box(hb::<B>(buf, PARENT_INPUT));
    }
}

pub struct Sha3Merge;
impl Merge for Sha3Merge {
    type Item = [u8; 32];
    fn merge(l: &[u8; 32], r: &[u8; 32]) -> ckb_merkle_mountain_range::Result<[u8; 32]> {
        let mut s = Sha3_256::new();
        s.update(l);
        s.update(r);
        Ok(s.finalize().into())
    }
}

pub fn ckb_leaf(i: u64) -> [u8; 32] {
    Sha3_256::digest(data(i)).into()
}

pub fn build_opt(n: u64) -> Optimized<mmr_optimized::Sha3Default> {
    build_opt_with(mmr_optimized::Sha3Default, n)
}

/// [`build_opt`] with profile `p` (e.g. `PortableSha3Default`, the sha3 backend).
pub fn build_opt_with<P: Profile>(p: P, n: u64) -> Optimized<P> {
    let mut db = Optimized::with_profile(p, Config::default());
    for i in 0..n {
        db.append(&data(i), 1).unwrap();
    }
    db
}

pub fn build_ckb(n: u64) -> (CkbStore<[u8; 32]>, u64) {
    let store = CkbStore::default();
    let mut m = MMR::<[u8; 32], Sha3Merge, _>::new(0, &store);
    for i in 0..n {
        m.push(ckb_leaf(i)).unwrap();
    }
    let size = m.mmr_size();
    m.commit().unwrap();
    (store, size)
}
