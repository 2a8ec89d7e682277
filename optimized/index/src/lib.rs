//! Closed-form MMR index arithmetic over 0-based postorder positions (Mwc/Grin style).
//!
//! `no_std`, no dependencies, no allocation, no I/O, no `unsafe`, builds with Rust 1.85.
//! Every function is a total `const fn`: input outside its domain gives `None` (or `false`),
//! never a panic and never an arithmetic overflow. The crate `mmr-proofs` checks this, and
//! each function's properties, for every input at `u16` and near the limits and by proptest
//! at `u64` under `cargo test`, and with Kani harnesses at full `u64` width: which of them
//! Kani has verified, when and how long each took, is in proofs/README.md ("What Kani
//! proved"). Under Kani, [`decompose`] carries a contract (`#[kani::ensures]`), proved once
//! and used in place of its body by the harnesses of its callers, and [`popcount`] is
//! written as a chain of one-bit additions, proved equal to `count_ones`.
//!
//! # Conventions (SPEC.md, definitions D1..D8)
//!
//! * D1 position: nodes are numbered 0, 1, 2, ... in postorder (children before parents,
//!   left subtree before right subtree); a *size* is a node count.
//! * D2 height: leaves have height 0, a parent is one higher than its children.
//! * D3 leaf position: leaf index `i` (0-based) sits at position `2i - popcount(i)`.
//! * D4 valid size / leaf count: the size of an MMR with `n` leaves is `2n - popcount(n)`;
//!   a size is valid iff it equals that for some `n`
//!   (valid: 0, 1, 3, 4, 7, 8, 10, 11, 15, ...; invalid: 2, 5, 6, 9, 12, 13, 14, 17, ...).
//! * D5 (row, entry): row = height, entry = index of the node among the nodes of that
//!   height, left to right (Minima style). Position of `(r, e)` is
//!   `2^(r+1)(e+1) - popcount(e) - 2`.
//! * D6 peaks: the roots of the perfect trees of a valid size, left (highest) to right,
//!   strictly decreasing heights; leaf count `n` has a peak of height `h` per set bit `h`.
//! * D7 family: parent of a right child `p` is `p + 1`, of a left child `p + 2^(h+1)`;
//!   children of `p` (h > 0) are `p - 2^h` (left) and `p - 1` (right); the sibling of a
//!   left child is `p + 2^(h+1) - 1`, of a right child `p - 2^(h+1) + 1`.
//! * D8 limits: for width `W` (64 for the crate root), `MAX_LEAVES = 2^(W-1)`,
//!   `MAX_SIZE = 2^W - 1` (the single perfect tree of height `W-1`); positions are
//!   `0..=MAX_SIZE-1`, leaf indices `0..MAX_LEAVES`, leaf counts `0..=MAX_LEAVES`.
//!
//! The arithmetic is generated for `u16`, `u32` and `u64` (modules [`w16`], [`w32`],
//! [`w64`]) so that it can be checked exhaustively at a small width; the `u64` module is
//! re-exported at the crate root.
//!
//! Facts taken from other systems (formulas only, no code):
//! * grin's `peak_map_height` (mimblewimble/grin, core/src/core/pmmr/pmmr.rs) peels perfect
//!   tree sizes `2^k - 1` greedily from the top; the remainder is the height. The crate
//!   computes the same decomposition without a loop over the width (so that Kani
//!   finishes); `mmr-proofs`' `tests/peel_model.rs` keeps the peel as a model.
//! * grin's prune list shifts (mimblewimble/grin, store/src/prune_list.rs,
//!   `build_shift_cache` / `build_leaf_shift_cache`).
//! * MWEB leaf-set and prune-list byte layouts (litecoin-project/litecoin,
//!   src/libmw/src/mmr/ILeafSet.cpp, LeafSet.cpp, MMRUtil.cpp `BuildCompactBitSet`).

#![no_std]
#![forbid(unsafe_code)]

/// Early return of `None` from a `const fn` (the `?` operator is not usable in
/// `const fn` on Rust 1.85).
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return None,
        }
    };
}

/// Generates the index arithmetic for one unsigned integer width.
macro_rules! index_arith {
    ($(#[$meta:meta])* $name:ident, $T:ty) => {
        $(#[$meta])*
        pub mod $name {
            /// The position/size/leaf-index integer type of this module.
            pub type Int = $T;

            /// Width `W` in bits of [`Int`].
            pub const BITS: u32 = <$T>::BITS;

            /// D8: the largest leaf count, `2^(W-1)`. Leaf indices are `0..MAX_LEAVES`.
            pub const MAX_LEAVES: $T = 1 << (BITS - 1);

            /// D8: the largest size, `2^W - 1` = `Int::MAX`: the single perfect tree of
            /// height `W-1`. `MAX_SIZE` itself is not a position.
            pub const MAX_SIZE: $T = <$T>::MAX;

            /// D8: the largest position, `MAX_SIZE - 1` (the root of height `W-1`).
            pub const MAX_POS: $T = <$T>::MAX - 1;

            /// The largest height of any node, `W - 1` (D2, D8).
            pub const MAX_HEIGHT: u32 = BITS - 1;

            /// Size in bytes of the MWEB leaf-set file header (u64 little-endian leaf count;
            /// litecoin-project/litecoin src/libmw/src/mmr/LeafSet.cpp).
            pub const LEAF_SET_HEADER_LEN: $T = 8;

            /// `2^(h+1) - 1`: node count of a perfect tree of height `h`, for `h <= W-1`.
            /// Callers guarantee `h <= W-1`; the expression cannot overflow then.
            const fn perfect_size(h: u32) -> $T {
                <$T>::MAX >> (BITS - 1 - h)
            }

            /// The number of set bits of `x`: `x.count_ones()`. Under Kani it is written
            /// as a chain of one-bit additions from the top bit down, which the model
            /// checker relates to the same count of a part of `x` in seconds (it does not
            /// finish on the built-in count, issue 34); `mmr-proofs`' `check_popcount`
            /// proves the two equal for every input.
            #[cfg(not(kani))]
            pub const fn popcount(x: $T) -> u32 {
                x.count_ones()
            }

            /// The number of set bits of `x`, as a chain of one-bit additions from the top
            /// bit down (the form Kani proves things about; see the other `popcount`).
            #[cfg(kani)]
            pub const fn popcount(x: $T) -> u32 {
                let mut acc = 0u32;
                let mut k = BITS;
                while k > 0 {
                    k -= 1;
                    acc += ((x >> k) & 1) as u32;
                }
                acc
            }

            /// D1/D3: the position of the `h`-th parent above leaf `n`,
            /// `2n - popcount(n) + h`, for `n < MAX_LEAVES`; `None` otherwise or on
            /// overflow. A position for `h <= trailing_ones(n)` (the parents leaf `n`
            /// completes, D7). The contract of [`decompose`] is stated with it.
            pub const fn position_of(n: $T, h: u32) -> Option<$T> {
                if n >= MAX_LEAVES {
                    return None;
                }
                let size = n + (n - popcount(n) as $T);
                size.checked_add(h as $T)
            }

            /// D1/D2/D3: `(last, h)` of a position: `h` is its height and `last` the leaf
            /// index of the rightmost leaf of its subtree, so `pos = 2 last -
            /// popcount(last) + h` with `h <= trailing_ones(last)` ([`position_of`]).
            /// `None` for `pos == MAX_SIZE`, which is not a position. Every other
            /// function that takes a position is built on it.
            ///
            /// Loop-free in the width (it replaces grin's greedy `peak_map_height` peel,
            /// kept as a model in mmr-proofs' tests). Leaf `n` sits at `2n - popcount(n)`
            /// (D3) and is followed by the `trailing_ones(n)` parents it completes (D7), so
            /// `2n = pos + d` for `d = popcount(n) - h` in `0..W`. Only `n`'s low 6 bits
            /// and a carry into `hi = pos >> 7` depend on `d`, so the search over `d` runs
            /// on 7-bit values, the wide part entering only as counts of `hi` and
            /// `hi + 1`. `(n, h)` is unique (D1 is a bijection), so the first `d` that
            /// fits is the answer; it is then recomputed from `n` itself, which is what
            /// Kani's proof of the contract relates to [`position_of`] (issue 34).
            #[cfg_attr(kani, kani::ensures(|r: &Option<($T, u32)>| match *r {
                None => pos == <$T>::MAX,
                Some((n, h)) => h <= n.trailing_ones()
                    && matches!(position_of(n, h), Some(q) if q == pos),
            }))]
            pub const fn decompose(pos: $T) -> Option<($T, u32)> {
                if pos == <$T>::MAX {
                    return None;
                }
                let hi = pos >> 7;
                let lo = (pos & 127) as u32;
                // hi < 2^(W-7): neither sum overflows.
                let (ones0, trail0) = (popcount(hi), hi.trailing_ones());
                let (ones1, trail1) = (popcount(hi + 1), (hi + 1).trailing_ones());
                // d has the parity of pos; u = (pos + d) / 2 - (hi << 6) = n - (hi << 6).
                let first = lo.div_ceil(2);
                // A constant trip count (W/2), so that Kani unwinds exactly that.
                let mut found = None;
                let mut j = 0;
                while j < BITS / 2 {
                    let u = first + j;
                    let d = 2 * u - lo;
                    let low = u & 63;
                    let (ones_hi, trail_hi) = if u >= 64 { (ones1, trail1) } else { (ones0, trail0) };
                    let ones = ones_hi + popcount(low as $T);
                    let trail = if low == 63 { 6 + trail_hi } else { low.trailing_ones() };
                    // h = ones - d must lie in 0..=trailing_ones(n) (trail <= ones).
                    if d <= ones && ones - trail <= d {
                        found = Some(u);
                        break;
                    }
                    j += 1;
                }
                // None is unreachable for a position (the unique (n, h) has d in 0..W).
                let u = tri!(found);
                let d = 2 * u - lo;
                let n = ((hi + (u >> 6) as $T) << 6) | (u & 63) as $T;
                // The same count as in the search, taken from n's own bits.
                let ones = popcount(n >> 6) + popcount(n & 63);
                let h = tri!(ones.checked_sub(d));
                if h > n.trailing_ones() {
                    return None;
                }
                Some((n, h))
            }

            /// Position of the peak of height `h` in an MMR of `n` leaves, i.e. the peak
            /// whose last leaf is `((n >> h) << h) - 1` (D6). `None` if bit `h` of `n` is
            /// clear, `h > W-1` or `n > MAX_LEAVES`.
            const fn peak_pos_of_height(n: $T, h: u32) -> Option<$T> {
                if h > MAX_HEIGHT || n > MAX_LEAVES || (n >> h) & 1 == 0 {
                    return None;
                }
                let last = tri!(((n >> h) << h).checked_sub(1));
                let p = tri!(leaf_to_pos(last));
                p.checked_add(h as $T)
            }

            /// D3: position of leaf index `index`, `2i - popcount(i)`.
            /// `None` if `index >= MAX_LEAVES` (D8).
            pub const fn leaf_to_pos(index: $T) -> Option<$T> {
                if index >= MAX_LEAVES {
                    return None;
                }
                let half = tri!(index.checked_sub(popcount(index) as $T));
                index.checked_add(half)
            }

            /// D3: leaf index of a leaf position. `None` if `pos` is not a position (D8:
            /// `pos == MAX_SIZE`) or is not a leaf (height > 0, D2).
            pub const fn pos_to_leaf(pos: $T) -> Option<$T> {
                match decompose(pos) {
                    Some((last, 0)) => Some(last),
                    _ => None,
                }
            }

            /// D4: size (node count) of an MMR with `n` leaves, `2n - popcount(n)`.
            /// `None` if `n > MAX_LEAVES` (D8). `size_for_leaves(MAX_LEAVES) == Some(MAX_SIZE)`.
            pub const fn size_for_leaves(n: $T) -> Option<$T> {
                if n > MAX_LEAVES {
                    return None;
                }
                let half = tri!(n.checked_sub(popcount(n) as $T));
                n.checked_add(half)
            }

            /// D4: leaf count `n` of a valid size (`size == 2n - popcount(n)`).
            /// `None` if `size` is not valid. Total over all of `Int`.
            pub const fn leaves_for_size(size: $T) -> Option<$T> {
                // size(n) = 2n - popcount(n) is the position of leaf n for n < MAX_LEAVES
                // (D3 = D4), and MAX_SIZE for n = MAX_LEAVES (D8).
                if size == MAX_SIZE {
                    return Some(MAX_LEAVES);
                }
                pos_to_leaf(size)
            }

            /// D4: whether `size == 2n - popcount(n)` for some leaf count `n <= MAX_LEAVES`.
            pub const fn is_valid_size(size: $T) -> bool {
                leaves_for_size(size).is_some()
            }

            /// D2: height of a position (0 for leaves). `None` if `pos == MAX_SIZE` (D8).
            pub const fn height(pos: $T) -> Option<u32> {
                match decompose(pos) {
                    Some((_, h)) => Some(h),
                    None => None,
                }
            }

            /// D2/D3: whether `pos` is a leaf position. `false` for `pos == MAX_SIZE` (D8).
            pub const fn is_leaf(pos: $T) -> bool {
                matches!(decompose(pos), Some((_, 0)))
            }

            /// D7: whether `pos` is a left child (its entry, D5, is even). `None` if `pos`
            /// is not a position or is the root of height `W-1` (`MAX_POS`), which has no
            /// parent (D8).
            pub const fn is_left_child(pos: $T) -> Option<bool> {
                let (last, h) = tri!(decompose(pos));
                if h >= MAX_HEIGHT {
                    return None;
                }
                Some((last >> h) & 1 == 0)
            }

            /// D7: parent of `pos`: `pos + 1` for a right child, `pos + 2^(h+1)` for a left
            /// child of height `h`. `None` if `pos` is not a position or is `MAX_POS` (D8).
            pub const fn parent(pos: $T) -> Option<$T> {
                let (last, h) = tri!(decompose(pos));
                if h >= MAX_HEIGHT {
                    return None;
                }
                if (last >> h) & 1 == 0 {
                    pos.checked_add(1 << (h + 1))
                } else {
                    pos.checked_add(1)
                }
            }

            /// D7: sibling of `pos`: `pos + 2^(h+1) - 1` for a left child,
            /// `pos - 2^(h+1) + 1` for a right child. `None` if `pos` is not a position or
            /// is `MAX_POS` (D8).
            pub const fn sibling(pos: $T) -> Option<$T> {
                let (last, h) = tri!(decompose(pos));
                if h >= MAX_HEIGHT {
                    return None;
                }
                let d = perfect_size(h);
                if (last >> h) & 1 == 0 {
                    pos.checked_add(d)
                } else {
                    pos.checked_sub(d)
                }
            }

            /// D7: left child `pos - 2^h` of a node of height `h > 0`. `None` for leaves
            /// and for `pos == MAX_SIZE` (D8).
            pub const fn left_child(pos: $T) -> Option<$T> {
                let (_, h) = tri!(decompose(pos));
                if h == 0 {
                    return None;
                }
                pos.checked_sub(1 << h)
            }

            /// D7: right child `pos - 1` of a node of height `h > 0`. `None` for leaves
            /// and for `pos == MAX_SIZE` (D8).
            pub const fn right_child(pos: $T) -> Option<$T> {
                let (_, h) = tri!(decompose(pos));
                if h == 0 {
                    return None;
                }
                pos.checked_sub(1)
            }

            /// D7: `(left_child, right_child)` of a node of height `h > 0`. `None` for
            /// leaves and for `pos == MAX_SIZE` (D8).
            pub const fn children(pos: $T) -> Option<($T, $T)> {
                let (_, h) = tri!(decompose(pos));
                if h == 0 {
                    return None;
                }
                let l = tri!(pos.checked_sub(1 << h));
                let r = tri!(pos.checked_sub(1));
                Some((l, r))
            }

            /// D5: `(row, entry)` of a position: row = height (D2), entry = index among the
            /// nodes of that height. `None` if `pos == MAX_SIZE` (D8).
            pub const fn to_row_entry(pos: $T) -> Option<(u32, $T)> {
                let (last, h) = tri!(decompose(pos));
                Some((h, last >> h))
            }

            /// D5: position of `(row, entry)`, `2^(row+1)(entry+1) - popcount(entry) - 2`.
            /// `None` unless `row <= W-1` and `entry < 2^(W-1-row)` (D8: the result must be
            /// a position, i.e. `< MAX_SIZE`).
            pub const fn from_row_entry(row: u32, entry: $T) -> Option<$T> {
                if row > MAX_HEIGHT || (entry >> (MAX_HEIGHT - row)) != 0 {
                    return None;
                }
                // The node's rightmost leaf is (entry + 1) * 2^row - 1; the node sits `row`
                // positions after it (the path from it is all right children, D7).
                let last = (entry << row) | (((1 as $T) << row) - 1);
                let p = tri!(leaf_to_pos(last));
                p.checked_add(row as $T)
            }

            /// D6: number of peaks of a valid size (popcount of its leaf count, D4).
            /// `None` if `size` is not valid.
            pub const fn peak_count(size: $T) -> Option<u32> {
                match leaves_for_size(size) {
                    Some(n) => Some(popcount(n)),
                    None => None,
                }
            }

            /// D6: the peaks of a valid size, left (highest) to right, without allocation.
            /// `None` if `size` is not valid (D4).
            pub const fn peaks(size: $T) -> Option<Peaks> {
                let n = tri!(leaves_for_size(size));
                Some(Peaks { leaves: n, front: 0, back: popcount(n) })
            }

            /// D6: the peaks of an MMR, as a `Copy` double-ended iterator of positions, left
            /// (highest) to right. [`Peaks::len`], [`Peaks::get`] and [`Peaks::height`]
            /// address the peaks not yet yielded from either end (for a fresh value, all
            /// peaks). At most `W - 1` peaks (63 at width 64).
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct Peaks {
                leaves: $T,
                front: u32,
                back: u32,
            }

            impl Peaks {
                /// Leaf count `n` of the MMR (D4); its set bits are the peak heights (D6).
                pub const fn leaf_count(&self) -> $T {
                    self.leaves
                }

                /// Number of peaks not yet yielded (D6).
                pub const fn len(&self) -> usize {
                    self.back.saturating_sub(self.front) as usize
                }

                /// Whether every peak has been yielded (always `true` for size 0).
                pub const fn is_empty(&self) -> bool {
                    self.front >= self.back
                }

                /// `(position, height)` of the `i`-th remaining peak (D6). `None` if
                /// `i >= self.len()`.
                pub const fn peak(&self, i: usize) -> Option<($T, u32)> {
                    if i >= self.len() {
                        return None;
                    }
                    // i < len <= W, so the cast and the sum cannot overflow.
                    let k = self.front + i as u32;
                    // The k-th set bit of the leaf count from the top is the peak's height
                    // (D6); one bit test per height, the position computed once.
                    let mut seen = 0u32;
                    let mut h = BITS;
                    let mut found = BITS;
                    while h > 0 {
                        h -= 1;
                        if (self.leaves >> h) & 1 == 1 {
                            if seen == k {
                                found = h;
                            }
                            seen += 1;
                        }
                    }
                    match peak_pos_of_height(self.leaves, found) {
                        Some(p) => Some((p, found)),
                        None => None,
                    }
                }

                /// Position of the `i`-th remaining peak (D6). `None` if `i >= self.len()`.
                pub const fn get(&self, i: usize) -> Option<$T> {
                    match self.peak(i) {
                        Some((p, _)) => Some(p),
                        None => None,
                    }
                }

                /// Height of the `i`-th remaining peak (D2, D6). `None` if `i >= self.len()`.
                pub const fn height(&self, i: usize) -> Option<u32> {
                    match self.peak(i) {
                        Some((_, h)) => Some(h),
                        None => None,
                    }
                }
            }

            impl Iterator for Peaks {
                type Item = $T;

                fn next(&mut self) -> Option<$T> {
                    let p = self.get(0)?;
                    self.front += 1;
                    Some(p)
                }

                fn size_hint(&self) -> (usize, Option<usize>) {
                    (self.len(), Some(self.len()))
                }
            }

            impl DoubleEndedIterator for Peaks {
                fn next_back(&mut self) -> Option<$T> {
                    let p = self.get(self.len().checked_sub(1)?)?;
                    self.back -= 1;
                    Some(p)
                }
            }

            impl ExactSizeIterator for Peaks {}

            impl core::iter::FusedIterator for Peaks {}

            /// D6: the peak whose subtree contains a position, see [`peak_of`].
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct PeakOf {
                /// Index of the peak among the peaks, 0 = leftmost (highest).
                pub index: u32,
                /// Position of the peak.
                pub pos: $T,
                /// Height of the peak (D2).
                pub height: u32,
            }

            /// D6: the peak whose subtree contains `pos` in an MMR of size `size`.
            /// `None` if `size` is not valid (D4) or `pos >= size`.
            pub const fn peak_of(size: $T, pos: $T) -> Option<PeakOf> {
                let n = tri!(leaves_for_size(size));
                if pos >= size {
                    return None;
                }
                let (last, _) = tri!(decompose(pos));
                // last < n: the peak holding leaf `last` has the height of the highest bit
                // in which n and last differ (bits above it are the peaks to its left).
                let diff = n ^ last;
                if diff == 0 {
                    return None;
                }
                let h = MAX_HEIGHT - diff.leading_zeros();
                let index = popcount(n >> h) - 1;
                let p = tri!(peak_pos_of_height(n, h));
                Some(PeakOf { index, pos: p, height: h })
            }

            /// Number of mountain siblings on the path from `pos` up to its peak: the
            /// height of its peak minus the height of `pos` (D2, D6, D7); for a leaf, the
            /// height of its peak. `None` if `size` is not valid (D4) or `pos >= size`.
            pub const fn path_len(size: $T, pos: $T) -> Option<u32> {
                let pk = tri!(peak_of(size, pos));
                let h = tri!(height(pos));
                pk.height.checked_sub(h)
            }

            /// D3/D7: position of the leftmost leaf of the subtree rooted at `pos`,
            /// `pos - 2^(h+1) + 2` (grin `bintree_leftmost`). `None` if `pos == MAX_SIZE`.
            pub const fn leftmost_leaf(pos: $T) -> Option<$T> {
                let (_, h) = tri!(decompose(pos));
                pos.checked_sub(perfect_size(h) - 1)
            }

            /// D3/D7: `(first leaf index, leaf count)` of the subtree rooted at `pos`; the
            /// count is `2^h`. `None` if `pos == MAX_SIZE` (D8).
            pub const fn subtree_leaves(pos: $T) -> Option<($T, $T)> {
                let (last, h) = tri!(decompose(pos));
                let count: $T = 1 << h;
                let first = tri!(last.checked_sub(count - 1));
                Some((first, count))
            }

            /// Hash-file shift caused by a pruned subtree root of height `h` (D2): every
            /// node below the root is compacted away, `2(2^h - 1) = 2^(h+1) - 2` entries
            /// (0 for a pruned leaf). Source: mimblewimble/grin store/src/prune_list.rs
            /// `build_shift_cache`. `None` if `h > W-1` (D8).
            pub const fn pruned_hash_shift(h: u32) -> Option<$T> {
                if h > MAX_HEIGHT {
                    return None;
                }
                Some(perfect_size(h) - 1)
            }

            /// Data-file (leaf data) shift caused by a pruned subtree root of height `h`
            /// (D2): `2^h` leaves for `h > 0`, and 0 for `h = 0` (a pruned leaf root keeps
            /// its data). Source: mimblewimble/grin store/src/prune_list.rs
            /// `build_leaf_shift_cache`. `None` if `h > W-1` (D8).
            pub const fn pruned_data_shift(h: u32) -> Option<$T> {
                if h > MAX_HEIGHT {
                    return None;
                }
                if h == 0 {
                    Some(0)
                } else {
                    Some(1 << h)
                }
            }

            /// MWEB leaf-set file: `(byte offset, mask)` of leaf index `index`, i.e. byte
            /// `8 + index / 8`, mask `0x80 >> (index % 8)` (8-byte header, MSB-first;
            /// litecoin-project/litecoin src/libmw/src/mmr/ILeafSet.cpp `BitToByte`,
            /// LeafSet.cpp `GetByte`). `None` if `index >= MAX_LEAVES` (D3, D8).
            pub const fn leaf_set_bit(index: $T) -> Option<($T, u8)> {
                if index >= MAX_LEAVES {
                    return None;
                }
                let byte = tri!((index / 8).checked_add(LEAF_SET_HEADER_LEN));
                Some((byte, 0x80u8 >> (index % 8)))
            }

            /// MWEB prune-list (compact bitset) file: `(byte offset, mask)` of position
            /// `pos`, i.e. byte `pos / 8`, mask `0x80 >> (pos % 8)` (no header, MSB-first;
            /// litecoin-project/litecoin src/libmw/src/mmr/MMRUtil.cpp
            /// `BuildCompactBitSet`). `None` if `pos == MAX_SIZE` (D1, D8).
            pub const fn prune_list_bit(pos: $T) -> Option<($T, u8)> {
                if pos == <$T>::MAX {
                    return None;
                }
                Some((pos / 8, 0x80u8 >> (pos % 8)))
            }

            /// MWEB prune-list file length in bytes for `leaf_count` leaves: the compact
            /// bitset has `2n` bits, so `ceil(2n / 8)` bytes (litecoin-project/litecoin
            /// src/libmw/src/mmr/MMRUtil.cpp `BuildCompactBitSet`). `None` if
            /// `leaf_count > MAX_LEAVES` (D4, D8).
            pub const fn prune_list_len(leaf_count: $T) -> Option<$T> {
                if leaf_count > MAX_LEAVES {
                    return None;
                }
                // ceil(2n / 8) == ceil(n / 4), computed without forming 2n.
                let extra: $T = if leaf_count % 4 == 0 { 0 } else { 1 };
                (leaf_count / 4).checked_add(extra)
            }

            /// MWEB leaf-set file length in bytes for `leaf_count` leaves, including the
            /// 8-byte header: `8 + ceil(n / 8)` (litecoin-project/litecoin
            /// src/libmw/src/mmr/LeafSet.cpp, ILeafSet.cpp `Root`). `None` if
            /// `leaf_count > MAX_LEAVES` (D4, D8).
            pub const fn leaf_set_len(leaf_count: $T) -> Option<$T> {
                if leaf_count > MAX_LEAVES {
                    return None;
                }
                let extra: $T = if leaf_count % 8 == 0 { 0 } else { 1 };
                let bytes = tri!((leaf_count / 8).checked_add(extra));
                bytes.checked_add(LEAF_SET_HEADER_LEN)
            }

            /// D6/D13: `(peak height, peak index)` of the mountain holding leaf `index` in
            /// an MMR of `leaf_count` leaves: the height is the highest bit in which the two
            /// differ (the bits above it are the peaks to the left), the index counts the
            /// peaks to its left (0 = leftmost). The height is also the length of the
            /// mountain part of the leaf's proof (D13). `None` unless
            /// `index < leaf_count <= MAX_LEAVES` (D3, D8).
            pub const fn leaf_peak(leaf_count: $T, index: $T) -> Option<(u32, u32)> {
                if leaf_count > MAX_LEAVES || index >= leaf_count {
                    return None;
                }
                // leaf_count > index, so they differ and the highest differing bit is set
                // in leaf_count: h <= W-1 and (leaf_count >> h) has at least one set bit.
                let h = MAX_HEIGHT - (leaf_count ^ index).leading_zeros();
                Some((h, popcount(leaf_count >> h) - 1))
            }

            /// D22: the shift of position `pos` in a compacted file, i.e. the number of
            /// dropped positions strictly below `pos`, read from a prune list in MWEB's
            /// layout (`bits`: position p is bit `0x80 >> (p % 8)` of byte `p / 8`;
            /// litecoin-project/litecoin src/libmw/src/mmr/MMRUtil.cpp, PruneList.cpp).
            /// Positions past the end of the list are not dropped. `None` if `pos` is not a
            /// position (`pos == MAX_SIZE`, D8) or the count does not fit [`Int`].
            pub const fn prune_list_shift(bits: &[u8], pos: $T) -> Option<$T> {
                if pos == <$T>::MAX {
                    return None;
                }
                let full = pos / 8;
                let mut count: $T = 0;
                let mut i: usize = 0;
                while i < bits.len() {
                    // Bytes wholly below pos count in full; the byte holding pos counts its
                    // bits (MSB-first) below pos % 8; later bytes not at all.
                    let byte = bits[i];
                    let k = i as $T;
                    let add = if (k as usize) != i || k > full {
                        0
                    } else if k < full {
                        byte.count_ones()
                    } else {
                        let below = (pos % 8) as u32;
                        if below == 0 {
                            0
                        } else {
                            (byte >> (8 - below)).count_ones()
                        }
                    };
                    count = tri!(count.checked_add(add as $T));
                    i += 1;
                }
                Some(count)
            }
        }
    };
}

index_arith!(
    /// The index arithmetic at width 16: `MAX_LEAVES = 2^15`, `MAX_SIZE = 2^16 - 1` (D8).
    /// Small enough to check every input exhaustively.
    w16,
    u16
);
index_arith!(
    /// The index arithmetic at width 32: `MAX_LEAVES = 2^31`, `MAX_SIZE = 2^32 - 1` (D8).
    w32,
    u32
);
index_arith!(
    /// The index arithmetic at width 64, the project's normative width:
    /// `MAX_LEAVES = 2^63`, `MAX_SIZE = 2^64 - 1` (D8). Re-exported at the crate root.
    w64,
    u64
);

pub use w64::*;

#[cfg(test)]
mod tests;
