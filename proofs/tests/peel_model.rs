//! The greedy peel that `mmr-index` used before its loop-free decomposition (issue 34),
//! kept as a model: grin's `peak_map_height` (mimblewimble/grin core/src/core/pmmr/pmmr.rs)
//! subtracts the perfect-tree sizes `2^(k+1) - 1`, `k = W-1 .. 0`, greedily; the peeled
//! heights are the leaf count `n` of the positions before it (D4) and the remainder is the
//! height (D2). Every function built on the decomposition is compared with it: every input
//! at width 16, every input below 2^16 and within 2^12 of `u64::MAX` and of `2^63` at
//! width 64, and proptest across the full `u64` range.

use mmr_index::{w16, w64};
use proptest::prelude::*;

macro_rules! model {
    ($name:ident, $T:ty) => {
        mod $name {
            type T = $T;
            const BITS: u32 = <$T>::BITS;

            /// The old `peel`: `(bitmap of peeled heights, remainder)`.
            pub fn peel(x: T) -> (T, T) {
                let mut rem = x;
                let mut bits: T = 0;
                for k in (0..BITS).rev() {
                    let s = <T>::MAX >> (BITS - 1 - k);
                    if rem >= s {
                        rem -= s;
                        bits |= 1 << k;
                    }
                }
                (bits, rem)
            }

            /// The old `decompose`: `(last leaf of the subtree, height)` of a position.
            pub fn decompose(pos: T) -> Option<(T, u32)> {
                if pos == <T>::MAX {
                    return None;
                }
                let (last, rem) = peel(pos);
                assert!(rem < BITS as T, "the remainder is a height");
                Some((last, rem as u32))
            }

            /// The old `leaves_for_size`: a valid size peels to nothing.
            pub fn leaves_for_size(size: T) -> Option<T> {
                match peel(size) {
                    (n, 0) => Some(n),
                    _ => None,
                }
            }

            /// The peaks of `n` leaves, left to right, as `(position, height)`: one perfect
            /// tree per set bit of `n`, from the top (D6).
            pub fn peaks(n: T) -> Vec<(T, u32)> {
                let mut out = Vec::new();
                let mut start: u128 = 0;
                for h in (0..BITS).rev() {
                    if (n >> h) & 1 == 1 {
                        let size = (1u128 << (h + 1)) - 1;
                        out.push(((start + size - 1) as T, h));
                        start += size;
                    }
                }
                out
            }
        }
    };
}

model!(m16, u16);
model!(m64, u64);

/// Compares every decomposition-based function of `mmr-index` module `$ix` with the model
/// `$m` at `$x`.
macro_rules! compare {
    ($ix:ident, $m:ident, $x:expr) => {{
        let x = $x;
        let d = $m::decompose(x);
        assert_eq!($ix::height(x), d.map(|(_, h)| h), "height({x})");
        assert_eq!($ix::is_leaf(x), matches!(d, Some((_, 0))), "is_leaf({x})");
        let leaf = match d {
            Some((n, 0)) => Some(n),
            _ => None,
        };
        assert_eq!($ix::pos_to_leaf(x), leaf, "pos_to_leaf({x})");
        assert_eq!(
            $ix::to_row_entry(x),
            d.map(|(n, h)| (h, n >> h)),
            "to_row_entry({x})"
        );
        let lfs = $m::leaves_for_size(x);
        assert_eq!($ix::leaves_for_size(x), lfs, "leaves_for_size({x})");
        assert_eq!($ix::is_valid_size(x), lfs.is_some(), "is_valid_size({x})");
        match $ix::peaks(x) {
            None => assert_eq!(lfs, None),
            Some(pk) => {
                let want = $m::peaks(lfs.expect("valid"));
                let got: Vec<_> = (0..pk.len()).map(|i| pk.peak(i).unwrap()).collect();
                assert_eq!(got, want, "peaks({x})");
            }
        }
    }};
}

#[test]
fn w16_every_input_matches_the_peel() {
    for x in 0..=u16::MAX {
        compare!(w16, m16, x);
    }
}

#[test]
fn w64_small_and_near_limits_match_the_peel() {
    let near = 1u64 << 12;
    for x in 0..1u64 << 16 {
        compare!(w64, m64, x);
    }
    for x in u64::MAX - near..=u64::MAX {
        compare!(w64, m64, x);
    }
    for x in (1u64 << 63) - near..(1u64 << 63) + near {
        compare!(w64, m64, x);
    }
}

/// Positions next to the largest leaf positions and around every perfect-tree boundary
/// `2^k - 1`, where the peel's first step changes.
#[test]
fn w64_boundaries_match_the_peel() {
    for k in 1..=64u32 {
        let b = if k == 64 { u64::MAX } else { (1u64 << k) - 1 };
        for x in b.saturating_sub(130)..=b.saturating_add(130) {
            compare!(w64, m64, x);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn w64_any_input_matches_the_peel(x in any::<u64>()) {
        compare!(w64, m64, x);
    }

    /// Valid sizes and leaf positions (biased: the `Some` branches).
    #[test]
    fn w64_valid_sizes_match_the_peel(n in 0..=w64::MAX_LEAVES, h in 0u32..64) {
        let s = w64::size_for_leaves(n).unwrap();
        compare!(w64, m64, s);
        compare!(w64, m64, s.saturating_add(h as u64));
    }
}
