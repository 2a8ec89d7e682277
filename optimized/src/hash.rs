//! The SHA3-256 backends of the single-buffer profiles ([`crate::Sha3Default`]).
//!
//! [`Portable`] is the `sha3` crate, the hash of mmr-spec and mmr-reference. [`Asm`] is
//! keccak-asm (the CRYPTOGAMS Keccak-f[1600] assembly behind a safe `Digest` API), about
//! 1.2-1.3x faster per 81-byte parent preimage on x86-64 (BENCHMARKS.md, "Hash backend");
//! it exists with the `asm` feature (default) on x86-64 and aarch64. [`Fast`] is the best
//! one this build has. Both compute FIPS 202 SHA3-256, so every output is equal (tests
//! here, in `profile.rs` and `tests/backends.rs`, and the `differential` fuzz target).
//!
//! Multi-buffer hashing (2-4 independent preimages per permutation call) was looked at and
//! not adopted: the `keccak` crate's `simd` feature (`f1600x2/x4/x8`) needs nightly
//! `portable_simd`, and a hand-written AVX2 times-4 permutation needs `core::arch`
//! intrinsics, i.e. `unsafe` outside the mapping module, which the project forbids.

use mmr_spec::Hash;

/// One SHA3-256 implementation: the digest of the concatenation of `parts`.
pub trait Sha3Backend {
    /// What the backend is, for reports and bench labels.
    const NAME: &'static str;
    /// `SHA3-256(bytes)`.
    fn digest(bytes: &[u8]) -> Hash;
    /// `SHA3-256(parts[0] || parts[1] || ...)`, hashed incrementally.
    fn digest_parts(parts: &[&[u8]]) -> Hash;
}

macro_rules! backend {
    ($(#[$m:meta])* $name:ident, $label:literal, $ty:ty) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl Sha3Backend for $name {
            const NAME: &'static str = $label;
            #[inline]
            fn digest(bytes: &[u8]) -> Hash {
                // keccak-asm's inherent one-shot `digest` (no hasher state) wins over the
                // trait's where the type has one; sha3 has only the trait's.
                #[allow(unused_imports)]
                use sha3::Digest;
                Hash(<$ty>::digest(bytes).into())
            }
            fn digest_parts(parts: &[&[u8]]) -> Hash {
                use sha3::Digest;
                let mut h = <$ty>::new();
                for p in parts {
                    h.update(p);
                }
                Hash(h.finalize().into())
            }
        }
    };
}

backend!(
    /// SHA3-256 by the `sha3` crate (portable Rust; the spec's and the reference's hash).
    Portable,
    "sha3",
    sha3::Sha3_256
);

#[cfg(all(feature = "asm", any(target_arch = "x86_64", target_arch = "aarch64")))]
backend!(
    /// SHA3-256 by the `keccak-asm` crate (assembly Keccak permutation).
    Asm,
    "keccak-asm",
    keccak_asm::Sha3_256
);

/// The fastest backend of this build: [`Asm`] where it exists, else [`Portable`].
#[cfg(all(feature = "asm", any(target_arch = "x86_64", target_arch = "aarch64")))]
pub type Fast = Asm;
/// The fastest backend of this build: [`Asm`] where it exists, else [`Portable`].
#[cfg(not(all(feature = "asm", any(target_arch = "x86_64", target_arch = "aarch64"))))]
pub type Fast = Portable;

#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS 202 SHA3-256 of "" and "abc" (NIST's published examples), for both backends.
    #[test]
    fn known_answers() {
        fn hex(h: Hash) -> String {
            h.0.iter().map(|b| format!("{b:02x}")).collect()
        }
        let empty = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";
        let abc = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
        assert_eq!(hex(Portable::digest(b"")), empty);
        assert_eq!(hex(Portable::digest(b"abc")), abc);
        assert_eq!(hex(Fast::digest(b"")), empty);
        assert_eq!(hex(Fast::digest(b"abc")), abc);
        assert_eq!(hex(Fast::digest_parts(&[b"a", b"", b"bc"])), abc);
    }

    /// Every length across three rate blocks (136 bytes each), and the split points of an
    /// incremental hash, agree between the backends.
    #[test]
    fn backends_agree_on_every_length() {
        let data: Vec<u8> = (0..3 * 136 + 5).map(|i| (i * 31 + 7) as u8).collect();
        for len in 0..data.len() {
            let b = &data[..len];
            let want = Portable::digest(b);
            assert_eq!(Fast::digest(b), want, "length {len}");
            let cut = len / 3;
            assert_eq!(
                Fast::digest_parts(&[&b[..cut], &b[cut..]]),
                want,
                "length {len}"
            );
            assert_eq!(Portable::digest_parts(&[&b[..cut], &b[cut..]]), want);
        }
    }

    #[cfg(all(feature = "asm", any(target_arch = "x86_64", target_arch = "aarch64")))]
    #[test]
    fn the_fast_backend_is_the_assembly_one_here() {
        assert_eq!(Fast::NAME, "keccak-asm");
    }
}
