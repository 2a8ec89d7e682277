//! The properties, each written once as a plain function of its inputs that panics
//! (`assert!`) when the property fails. Generated for every width of `mmr-index`
//! (`w16`, `w32`, `w64`); the formulas are re-derived in the double-width integer type
//! (`u32`, `u64`, `u128`) so that the model itself cannot overflow.
//!
//! Entry points: the Kani harnesses (`src/harnesses.rs`, width 64) and the `cargo test`
//! runners (`tests/`, every input at width 16, bounded and near-`MAX` inputs and proptest
//! at width 64). Every function of `mmr-index` is called with an arbitrary input, so a
//! panic or an arithmetic overflow anywhere in it fails the property (Kani checks
//! overflow for every input; the runners are debug builds, where overflow panics).

macro_rules! props {
    ($(#[$meta:meta])* $name:ident, $T:ty, $D:ty) => {
        $(#[$meta])*
        pub mod $name {
            use mmr_index::$name as ix;

            /// The width's position type.
            pub type T = $T;
            /// The double-width type the model formulas are computed in.
            pub type D = $D;

            /// Width `W` in bits.
            pub const W: u32 = <$T>::BITS;

            /// Model of D3/D4: `2n - popcount(n)`, in the double-width type.
            pub fn model_size(n: T) -> D {
                2 * (n as D) - ix::popcount(n) as D
            }

            /// `2^k` in the double-width type, `k <= W`. (Products with a power of two are
            /// written as shifts: the same value, and a much smaller circuit for Kani.)
            pub fn pow2(k: u32) -> D {
                (1 as D) << k
            }

            /// `popcount` (the count every formula of `mmr-index` uses; under Kani a chain
            /// of one-bit additions) is the number of set bits.
            pub fn popcount(x: T) {
                assert_eq!(ix::popcount(x), x.count_ones());
            }

            /// D1/D3: `position_of(n, h)` is `2n - popcount(n) + h` where that is below
            /// `MAX_SIZE` and `n < MAX_LEAVES`, and `None` otherwise.
            pub fn position_of(n: T, h: u32) {
                let model = model_size(n) + h as D;
                match ix::position_of(n, h) {
                    None => assert!(n >= ix::MAX_LEAVES || model > <T>::MAX as D),
                    Some(p) => {
                        assert!(n < ix::MAX_LEAVES);
                        assert_eq!(p as D, model);
                    }
                }
            }

            /// D1 is a bijection: two (leaf, height) pairs with `h <= trailing_ones(n)`
            /// never share a position. (The lemma the callers of `decompose` rely on when
            /// Kani replaces it by its contract.)
            pub fn position_unique(n: T, h: u32, m: T, k: u32) {
                if h > n.trailing_ones() || k > m.trailing_ones() {
                    return;
                }
                if let (Some(a), Some(b)) = (ix::position_of(n, h), ix::position_of(m, k)) {
                    if a == b {
                        assert_eq!((n, h), (m, k));
                    }
                }
            }

            /// D1/D2/D3: `decompose` is `None` only for `MAX_SIZE`, and otherwise the
            /// (leaf, height) pair whose position is `p`, with `h <= trailing_ones(n)`:
            /// its Kani contract, here as a property (with `position_unique`, it says
            /// `decompose` inverts `position_of`).
            pub fn decompose(p: T) {
                match ix::decompose(p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some((n, h)) => {
                        assert!(h <= n.trailing_ones());
                        assert!(n < ix::MAX_LEAVES);
                        assert_eq!(model_size(n) + h as D, p as D);
                    }
                }
            }

            /// D3: `leaf_to_pos` is `Some` exactly for `i < MAX_LEAVES`, equals
            /// `2i - popcount(i)`, is a leaf position, and round-trips through `pos_to_leaf`.
            pub fn leaf_to_pos(i: T) {
                match ix::leaf_to_pos(i) {
                    None => assert!(i >= ix::MAX_LEAVES),
                    Some(p) => {
                        assert!(i < ix::MAX_LEAVES);
                        assert_eq!(p as D, model_size(i));
                        assert!(p < ix::MAX_SIZE);
                        assert_eq!(ix::pos_to_leaf(p), Some(i));
                        assert!(ix::is_leaf(p));
                        assert_eq!(ix::height(p), Some(0));
                    }
                }
            }

            /// D3: `pos_to_leaf` is `Some` exactly for leaf positions and inverts
            /// `leaf_to_pos`.
            pub fn pos_to_leaf(p: T) {
                match ix::pos_to_leaf(p) {
                    None => assert!(p == ix::MAX_SIZE || ix::height(p) != Some(0)),
                    Some(i) => {
                        assert!(i < ix::MAX_LEAVES);
                        assert_eq!(ix::leaf_to_pos(i), Some(p));
                        assert_eq!(ix::height(p), Some(0));
                    }
                }
            }

            /// D2/D3: `is_leaf` is exactly "height 0"; `MAX_SIZE` is not a position.
            pub fn is_leaf(p: T) {
                assert_eq!(ix::is_leaf(p), ix::height(p) == Some(0));
                assert_eq!(ix::is_leaf(p), ix::pos_to_leaf(p).is_some());
            }

            /// D4: `size_for_leaves(n)` is `Some` exactly for `n <= MAX_LEAVES`, equals
            /// `2n - popcount(n)`, and round-trips through `leaves_for_size`.
            pub fn size_for_leaves(n: T) {
                match ix::size_for_leaves(n) {
                    None => assert!(n > ix::MAX_LEAVES),
                    Some(s) => {
                        assert!(n <= ix::MAX_LEAVES);
                        assert_eq!(s as D, model_size(n));
                        assert_eq!(ix::leaves_for_size(s), Some(n));
                        assert!(ix::is_valid_size(s));
                        assert_eq!(ix::peak_count(s), Some(ix::popcount(n)));
                    }
                }
            }

            /// D4: `leaves_for_size(s) == Some(n)` implies `s == 2n - popcount(n)`; with
            /// [`size_for_leaves`] this makes the valid sizes exactly `{2n - popcount(n)}`.
            /// `is_valid_size` and `peak_count` agree with it.
            pub fn leaves_for_size(s: T) {
                let r = ix::leaves_for_size(s);
                assert_eq!(ix::is_valid_size(s), r.is_some());
                match r {
                    None => assert_eq!(ix::peak_count(s), None),
                    Some(n) => {
                        assert!(n <= ix::MAX_LEAVES);
                        assert_eq!(model_size(n), s as D);
                        assert_eq!(ix::size_for_leaves(n), Some(s));
                        assert_eq!(ix::peak_count(s), Some(ix::popcount(n)));
                    }
                }
            }

            /// D4/D6: `is_valid_size` agrees with `leaves_for_size`, and a valid size is
            /// the sum of its peaks' perfect-tree sizes `2^(h+1) - 1`.
            pub fn is_valid_size(s: T) {
                assert_eq!(ix::is_valid_size(s), ix::leaves_for_size(s).is_some());
                if let Some(n) = ix::leaves_for_size(s) {
                    let mut sum: D = 0;
                    let mut h = 0;
                    while h < W {
                        if (n >> h) & 1 == 1 {
                            sum += pow2(h + 1) - 1;
                        }
                        h += 1;
                    }
                    assert_eq!(sum, s as D);
                }
            }

            /// D6: `peak_count` is the popcount of the leaf count of a valid size.
            pub fn peak_count(s: T) {
                match ix::peak_count(s) {
                    None => assert!(!ix::is_valid_size(s)),
                    Some(c) => {
                        let n = ix::leaves_for_size(s).expect("valid");
                        assert_eq!(c, ix::popcount(n));
                        assert!(c < W, "at most W-1 peaks (D6: 63 at width 64)");
                        assert_eq!(ix::peaks(s).expect("valid").len(), c as usize);
                    }
                }
            }

            /// D2: `height` is `None` only for `MAX_SIZE`, at most `W-1`, `W-1` only for
            /// `MAX_POS`; a node of height `h > 0` has two children of height `h - 1`.
            pub fn height(p: T) {
                match ix::height(p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some(h) => {
                        assert!(h <= ix::MAX_HEIGHT);
                        assert_eq!(h == ix::MAX_HEIGHT, p == ix::MAX_POS);
                        assert_eq!(h == 0, ix::is_leaf(p));
                        if let Some((l, r)) = ix::children(p) {
                            assert_eq!(ix::height(l), Some(h - 1));
                            assert_eq!(ix::height(r), Some(h - 1));
                        } else {
                            assert_eq!(h, 0);
                        }
                        // The subtree of a node of height h holds 2^(h+1) - 1 positions.
                        let l = ix::leftmost_leaf(p).expect("a position");
                        assert_eq!((p - l) as D, pow2(h + 1) - 2);
                    }
                }
            }

            /// D7: `parent` is `None` exactly for `MAX_SIZE` and `MAX_POS`; otherwise it
            /// is one higher, is `p + 1` for a right child and `p + 2^(h+1)` for a left
            /// child, and has `p` among its children.
            pub fn parent(p: T) {
                let Some(h) = ix::height(p) else {
                    assert_eq!(ix::parent(p), None);
                    return;
                };
                match ix::parent(p) {
                    None => {
                        assert_eq!(p, ix::MAX_POS);
                        assert_eq!(h, ix::MAX_HEIGHT);
                    }
                    Some(q) => {
                        assert!(q < ix::MAX_SIZE);
                        assert_eq!(ix::height(q), Some(h + 1));
                        let (l, r) = ix::children(q).expect("a parent has children");
                        match ix::is_left_child(p) {
                            Some(true) => {
                                assert_eq!(l, p);
                                assert_eq!(q as D, p as D + pow2(h + 1));
                            }
                            Some(false) => {
                                assert_eq!(r, p);
                                assert_eq!(q as D, p as D + 1);
                            }
                            None => panic!("a node with a parent is a left or right child"),
                        }
                    }
                }
            }

            /// D7: `is_left_child` is `None` exactly when there is no parent; otherwise it
            /// says whether `p` is the parent's left child, i.e. whether its entry (D5) is
            /// even.
            pub fn is_left_child(p: T) {
                match ix::is_left_child(p) {
                    None => assert_eq!(ix::parent(p), None),
                    Some(left) => {
                        let q = ix::parent(p).expect("a child has a parent");
                        let (l, r) = ix::children(q).expect("a parent has children");
                        assert_eq!(left, l == p);
                        assert_eq!(!left, r == p);
                        let (_, e) = ix::to_row_entry(p).expect("a position");
                        assert_eq!(left, e % 2 == 0);
                    }
                }
            }

            /// D7: `children` is `None` exactly for leaves and `MAX_SIZE`; otherwise
            /// `(p - 2^h, p - 1)`, both with parent `p`, left then right, siblings of each
            /// other; `left_child`/`right_child` are its components.
            pub fn children(p: T) {
                let c = ix::children(p);
                assert_eq!(ix::left_child(p), c.map(|(l, _)| l));
                assert_eq!(ix::right_child(p), c.map(|(_, r)| r));
                match c {
                    None => assert!(p == ix::MAX_SIZE || ix::is_leaf(p)),
                    Some((l, r)) => {
                        let h = ix::height(p).expect("a position");
                        assert!(h > 0);
                        assert_eq!(l as D + pow2(h), p as D);
                        assert_eq!(r as D + 1, p as D);
                        assert_eq!(ix::parent(l), Some(p));
                        assert_eq!(ix::parent(r), Some(p));
                        assert_eq!(ix::is_left_child(l), Some(true));
                        assert_eq!(ix::is_left_child(r), Some(false));
                        assert_eq!(ix::sibling(l), Some(r));
                        assert_eq!(ix::sibling(r), Some(l));
                        // D7 in (row, entry) terms: (h-1, 2e) and (h-1, 2e+1).
                        let (row, e) = ix::to_row_entry(p).expect("a position");
                        assert_eq!(ix::to_row_entry(l), Some((row - 1, 2 * e)));
                        assert_eq!(ix::to_row_entry(r), Some((row - 1, 2 * e + 1)));
                    }
                }
            }

            /// D7: `left_child` is the first component of `children`, at `p - 2^h`.
            pub fn left_child(p: T) {
                match ix::left_child(p) {
                    None => assert_eq!(ix::children(p), None),
                    Some(l) => {
                        assert_eq!(ix::parent(l), Some(p));
                        assert_eq!(ix::is_left_child(l), Some(true));
                    }
                }
            }

            /// D7: `right_child` is the second component of `children`, at `p - 1`.
            pub fn right_child(p: T) {
                match ix::right_child(p) {
                    None => assert_eq!(ix::children(p), None),
                    Some(r) => {
                        assert_eq!(r as D + 1, p as D);
                        assert_eq!(ix::parent(r), Some(p));
                        assert_eq!(ix::is_left_child(r), Some(false));
                    }
                }
            }

            /// D7: `sibling` is `None` exactly when there is no parent; otherwise it is
            /// an involution, shares the parent, has the same height, and sits at
            /// `p + 2^(h+1) - 1` (left child) or `p - 2^(h+1) + 1` (right child).
            pub fn sibling(p: T) {
                match ix::sibling(p) {
                    None => assert_eq!(ix::parent(p), None),
                    Some(s) => {
                        let h = ix::height(p).expect("a position");
                        assert_eq!(ix::sibling(s), Some(p));
                        assert_eq!(ix::parent(s), ix::parent(p));
                        assert_eq!(ix::height(s), Some(h));
                        // D7 in (row, entry) terms: the sibling is (r, e xor 1).
                        let (r, e) = ix::to_row_entry(p).expect("a position");
                        assert_eq!(ix::to_row_entry(s), Some((r, e ^ 1)));
                        if ix::is_left_child(p).expect("has a parent") {
                            assert_eq!(s as D, p as D + pow2(h + 1) - 1);
                        } else {
                            assert_eq!(s as D + pow2(h + 1) - 1, p as D);
                        }
                    }
                }
            }

            /// D5: `to_row_entry` is `None` only for `MAX_SIZE`; the row is the height, the
            /// entry is below `2^(W-1-row)`, the position equals
            /// `2^(row+1)(entry+1) - popcount(entry) - 2`, `from_row_entry` inverts it,
            /// and the parent is `(row + 1, entry / 2)` (Minima's rule).
            pub fn to_row_entry(p: T) {
                match ix::to_row_entry(p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some((r, e)) => {
                        assert_eq!(ix::height(p), Some(r));
                        assert!((e as D) < pow2(W - 1 - r));
                        let model = ((e as D + 1) << (r + 1)) - ix::popcount(e) as D - 2;
                        assert_eq!(model, p as D);
                        assert_eq!(ix::from_row_entry(r, e), Some(p));
                        if let Some(q) = ix::parent(p) {
                            assert_eq!(ix::to_row_entry(q), Some((r + 1, e / 2)));
                        }
                    }
                }
            }

            /// D5: `from_row_entry(r, e)` is `Some` exactly for `r <= W-1` and
            /// `e < 2^(W-1-r)`, equals `2^(r+1)(e+1) - popcount(e) - 2`, and
            /// `to_row_entry` inverts it. With [`to_row_entry`] this makes
            /// position <-> (row, entry) a bijection.
            pub fn from_row_entry(r: u32, e: T) {
                let valid = r < W && (e as D) < pow2(W - 1 - r);
                match ix::from_row_entry(r, e) {
                    None => assert!(!valid),
                    Some(p) => {
                        assert!(valid);
                        assert!(p < ix::MAX_SIZE);
                        let model = ((e as D + 1) << (r + 1)) - ix::popcount(e) as D - 2;
                        assert_eq!(model, p as D);
                        assert_eq!(ix::to_row_entry(p), Some((r, e)));
                    }
                }
            }

            /// D6: `peaks(s)` is `Some` exactly for valid sizes; it has `popcount(n)` peaks
            /// of strictly decreasing height, one per set bit of `n`, whose subtrees
            /// `[p - 2^(h+1) + 2, p]` are disjoint, contiguous and cover `0..s` exactly.
            /// Also covers `Peaks::{leaf_count, len, is_empty, peak, get, height}`. The
            /// per-peak part is [`peaks_at`], checked here for every index.
            pub fn peaks(s: T) {
                peaks_head(s);
                if let Some(pk) = ix::peaks(s) {
                    let mut i = 0;
                    while i <= pk.len() {
                        peaks_at(s, i);
                        i += 1;
                    }
                    peaks_at(s, usize::MAX);
                }
            }

            /// D6: the index-free part of [`peaks`]: `Some` exactly for valid sizes, the leaf
            /// count, `popcount(n)` peaks, empty only for size 0.
            pub fn peaks_head(s: T) {
                let Some(pk) = ix::peaks(s) else {
                    assert!(!ix::is_valid_size(s));
                    return;
                };
                let n = ix::leaves_for_size(s).expect("valid");
                assert_eq!(pk.leaf_count(), n);
                assert_eq!(pk.len(), ix::popcount(n) as usize);
                assert_eq!(pk.is_empty(), s == 0);
            }

            /// D6: peak `i` of a valid size: `None` exactly for `i >= len`; otherwise a node
            /// of its height `h`, a set bit of `n`, lower than peak `i - 1`, whose subtree
            /// `[p - 2^(h+1) + 2, p]` starts right after peak `i - 1` (at 0 for `i = 0`),
            /// and the last peak is `s - 1`. For every `i` together: `len = popcount(n)`
            /// distinct set bits are all of them, and the subtrees tile `0..s`. One index
            /// at a time, so that Kani proves it for a symbolic `i` without a loop.
            pub fn peaks_at(s: T, i: usize) {
                let Some(pk) = ix::peaks(s) else {
                    return;
                };
                let n = pk.leaf_count();
                let Some((p, h)) = pk.peak(i) else {
                    assert!(i >= pk.len());
                    assert_eq!(pk.get(i), None);
                    assert_eq!(pk.height(i), None);
                    return;
                };
                assert!(i < pk.len());
                assert_eq!(pk.get(i), Some(p));
                assert_eq!(pk.height(i), Some(h));
                assert_eq!(ix::height(p), Some(h));
                assert_eq!((n >> h) & 1, 1);
                let start: D = if i == 0 {
                    0
                } else {
                    let (q, g) = pk.peak(i - 1).expect("i - 1 < len");
                    assert!(h < g, "peak heights strictly decrease");
                    q as D + 1
                };
                assert_eq!(p as D + 2 - pow2(h + 1), start);
                assert_eq!(ix::leftmost_leaf(p).map(|l| l as D), Some(start));
                if i + 1 == pk.len() {
                    assert_eq!(p as D + 1, s as D);
                }
            }

            /// D6: iterating `Peaks` from the front, from the back, or interleaved yields
            /// exactly `get(0..len)`, with `len()` counting what is left.
            pub fn peaks_iter(s: T, from_back: u32) {
                let Some(all) = ix::peaks(s) else {
                    return;
                };
                let total = all.len();
                let mut it = all;
                let mut lo = 0usize;
                let mut hi = total;
                let mut step = 0u32;
                while lo < hi {
                    assert_eq!(it.len(), hi - lo);
                    // The trait's view of the count (`size_hint`, which `collect`, adapters and
                    // `ExactSizeIterator::len` read) agrees with the inherent `len`; checked
                    // directly, not only through `next_back` (whose `self.len()` resolves to
                    // the trait method of `&mut Peaks`).
                    assert_eq!(it.size_hint(), (hi - lo, Some(hi - lo)));
                    assert_eq!(ExactSizeIterator::len(&it), hi - lo);
                    assert_eq!(it.get(0), all.get(lo));
                    assert_eq!(it.get(hi - lo - 1), all.get(hi - 1));
                    assert_eq!(it.get(hi - lo), None);
                    if (from_back >> (step % 32)) & 1 == 1 {
                        assert_eq!(it.next_back(), all.get(hi - 1));
                        hi -= 1;
                    } else {
                        assert_eq!(it.next(), all.get(lo));
                        lo += 1;
                    }
                    step += 1;
                }
                assert!(it.is_empty());
                assert_eq!(it.next(), None);
                assert_eq!(it.next_back(), None);
                assert_eq!(it.len(), 0);
                assert_eq!(it.size_hint(), (0, Some(0)));
            }

            /// D6: `peak_of(s, p)` is `Some` exactly for a valid `s` and `p < s`; it names
            /// the peak (by index, position, height) whose subtree range holds `p`.
            pub fn peak_of(s: T, p: T) {
                let Some(pk) = ix::peak_of(s, p) else {
                    assert!(!ix::is_valid_size(s) || p >= s);
                    return;
                };
                assert!(ix::is_valid_size(s));
                assert!(p < s);
                let peaks = ix::peaks(s).expect("valid");
                assert_eq!(peaks.peak(pk.index as usize), Some((pk.pos, pk.height)));
                let l = ix::leftmost_leaf(pk.pos).expect("a position");
                assert!(l <= p && p <= pk.pos);
                assert!(ix::height(p).expect("a position") <= pk.height);
            }

            /// D6/D7: `path_len(s, p)` is `Some` exactly when `peak_of` is, equals the
            /// peak's height minus `p`'s height (for a leaf: the height of its peak), is 0
            /// at the peak, and below it the parent is in the same mountain one step
            /// closer, with the sibling inside the MMR. For every `p` together (induction
            /// on the path length) it is the number of `parent` steps from `p` to its
            /// peak; stated one step at a time so that Kani needs no walk.
            pub fn path_len(s: T, p: T) {
                let Some(k) = ix::path_len(s, p) else {
                    assert_eq!(ix::peak_of(s, p), None);
                    return;
                };
                let pk = ix::peak_of(s, p).expect("path_len is Some");
                let h = ix::height(p).expect("a position");
                assert_eq!(k + h, pk.height);
                if ix::is_leaf(p) {
                    assert_eq!(k, pk.height);
                }
                if p == pk.pos {
                    assert_eq!(k, 0);
                } else {
                    assert!(p < pk.pos && k > 0);
                    // Each step's sibling is a node inside the same mountain.
                    let sib = ix::sibling(p).expect("below a peak");
                    assert!(sib < s);
                    let q = ix::parent(p).expect("below a peak");
                    assert_eq!(ix::peak_of(s, q), Some(pk));
                    assert_eq!(ix::path_len(s, q), Some(k - 1));
                }
            }

            /// D6/D13: `leaf_peak(n, i)` is `Some` exactly for `i < n <= MAX_LEAVES`, and then
            /// names the height and index of the peak holding leaf `i` in the MMR of `n`
            /// leaves, as `peak_of` finds it, and the height is the leaf's `path_len`.
            pub fn leaf_peak(n: T, i: T) {
                let Some((h, k)) = ix::leaf_peak(n, i) else {
                    assert!(!(i < n && n <= ix::MAX_LEAVES));
                    return;
                };
                assert!(i < n && n <= ix::MAX_LEAVES);
                let s = ix::size_for_leaves(n).expect("n <= MAX_LEAVES");
                let p = ix::leaf_to_pos(i).expect("i < MAX_LEAVES");
                let pk = ix::peak_of(s, p).expect("p < s");
                assert_eq!((h, k), (pk.height, pk.index));
                assert_eq!(ix::path_len(s, p), Some(h));
            }

            /// D22: `prune_list_shift(bits, p)` counts the set bits (MSB-first) strictly
            /// below `p`, bits past the end counting as clear; `None` exactly for
            /// `p == MAX_SIZE`.
            pub fn prune_list_shift(bits: &[u8], p: T) {
                match ix::prune_list_shift(bits, p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some(shift) => {
                        assert!(p < ix::MAX_SIZE);
                        let mut count: D = 0;
                        let mut q: usize = 0;
                        while q < bits.len() * 8 {
                            if (q as D) < p as D && bits[q / 8] & (0x80u8 >> (q % 8)) != 0 {
                                count += 1;
                            }
                            q += 1;
                        }
                        assert_eq!(shift as D, count);
                    }
                }
            }

            /// D3/D7: `leftmost_leaf(p)` is `Some` except for `MAX_SIZE`, is a leaf,
            /// `2^(h+1) - 2` positions before `p`, is the position of the first leaf of
            /// `subtree_leaves(p)`, and is where descending left children ends.
            pub fn leftmost_leaf(p: T) {
                match ix::leftmost_leaf(p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some(l) => {
                        let h = ix::height(p).expect("a position");
                        assert!(ix::is_leaf(l));
                        assert_eq!(l as D + pow2(h + 1) - 2, p as D);
                        let (first, _) = ix::subtree_leaves(p).expect("a position");
                        assert_eq!(ix::leaf_to_pos(first), Some(l));
                        // Descending left children reaches it (by induction on the height,
                        // over every p): a leaf is its own, a left child shares it.
                        match ix::left_child(p) {
                            None => assert_eq!(l, p),
                            Some(c) => assert_eq!(ix::leftmost_leaf(c), Some(l)),
                        }
                    }
                }
            }

            /// D3/D5/D7: `subtree_leaves(p)` is `(entry * 2^h, 2^h)`; its last leaf sits
            /// `h` positions before `p`.
            pub fn subtree_leaves(p: T) {
                match ix::subtree_leaves(p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some((first, count)) => {
                        let (h, e) = ix::to_row_entry(p).expect("a position");
                        assert_eq!(count as D, pow2(h));
                        assert_eq!(first as D, (e as D) << h);
                        assert!(first as D + count as D <= ix::MAX_LEAVES as D);
                        let last = ix::leaf_to_pos(first + (count - 1)).expect("a leaf");
                        assert_eq!(last as D + h as D, p as D);
                    }
                }
            }

            /// grin prune list: a pruned root of height `h` shifts hash reads by
            /// `2(2^h - 1)`, the number of positions strictly inside its subtree below it
            /// (counted on the node `(h, 0)`). `None` exactly for `h > W-1`.
            pub fn pruned_hash_shift(h: u32) {
                match ix::pruned_hash_shift(h) {
                    None => assert!(h >= W),
                    Some(v) => {
                        assert!(h < W);
                        assert_eq!(v as D, 2 * (pow2(h) - 1));
                        let root = ix::from_row_entry(h, 0).expect("row h exists");
                        let l = ix::leftmost_leaf(root).expect("a position");
                        assert_eq!(v, root - l);
                    }
                }
            }

            /// grin prune list: a pruned root of height `h` shifts data reads by `2^h`
            /// (its leaf count) for `h > 0` and by 0 for a pruned leaf. `None` exactly for
            /// `h > W-1`.
            pub fn pruned_data_shift(h: u32) {
                match ix::pruned_data_shift(h) {
                    None => assert!(h >= W),
                    Some(v) => {
                        assert!(h < W);
                        let root = ix::from_row_entry(h, 0).expect("row h exists");
                        let (_, count) = ix::subtree_leaves(root).expect("a position");
                        if h == 0 {
                            assert_eq!(v, 0);
                        } else {
                            assert_eq!(v, count);
                            assert_eq!(v as D, pow2(h));
                        }
                    }
                }
            }

            /// Both prune shifts of the subtree rooted at any position `p`: hash shift =
            /// positions of the subtree other than `p`, data shift = its leaves (0 for a
            /// leaf).
            pub fn pruned_shifts_at(p: T) {
                let Some(h) = ix::height(p) else {
                    return;
                };
                let l = ix::leftmost_leaf(p).expect("a position");
                assert_eq!(ix::pruned_hash_shift(h), Some(p - l));
                let (_, count) = ix::subtree_leaves(p).expect("a position");
                let want = if h == 0 { 0 } else { count };
                assert_eq!(ix::pruned_data_shift(h), Some(want));
            }

            /// MWEB leaf set: leaf `i` is bit `0x80 >> (i % 8)` of byte `8 + i / 8`; the
            /// mapping is injective (decodes back to `i`) and the byte is the last one of a
            /// leaf set holding `i + 1` leaves. `None` exactly for `i >= MAX_LEAVES`.
            pub fn leaf_set_bit(i: T) {
                match ix::leaf_set_bit(i) {
                    None => assert!(i >= ix::MAX_LEAVES),
                    Some((byte, mask)) => {
                        assert!(i < ix::MAX_LEAVES);
                        assert_eq!(mask.count_ones(), 1);
                        assert_eq!(byte as D, 8 + (i / 8) as D);
                        assert_eq!(mask, 0x80u8 >> (i % 8));
                        let decoded = (byte as D - 8) * 8 + mask.leading_zeros() as D;
                        assert_eq!(decoded, i as D);
                        let len = ix::leaf_set_len(i + 1).expect("i + 1 <= MAX_LEAVES");
                        assert_eq!(byte as D + 1, len as D);
                    }
                }
            }

            /// MWEB leaf set: the file is `8 + ceil(n / 8)` bytes: room for the header and
            /// every leaf bit, and no more. `None` exactly for `n > MAX_LEAVES`.
            pub fn leaf_set_len(n: T) {
                match ix::leaf_set_len(n) {
                    None => assert!(n > ix::MAX_LEAVES),
                    Some(len) => {
                        assert!(n <= ix::MAX_LEAVES);
                        assert_eq!(len as D, 8 + (n as D).div_ceil(8));
                        assert!((len as D - 8) * 8 >= n as D);
                        if n > 0 {
                            assert!((len as D - 9) * 8 < n as D);
                            let (byte, _) = ix::leaf_set_bit(n - 1).expect("a leaf index");
                            assert_eq!(byte as D + 1, len as D);
                        } else {
                            assert_eq!(len, 8);
                        }
                    }
                }
            }

            /// MWEB prune list: position `p` is bit `0x80 >> (p % 8)` of byte `p / 8`
            /// (no header); the mapping decodes back to `p`. `None` exactly for
            /// `p == MAX_SIZE`.
            pub fn prune_list_bit(p: T) {
                match ix::prune_list_bit(p) {
                    None => assert_eq!(p, ix::MAX_SIZE),
                    Some((byte, mask)) => {
                        assert!(p < ix::MAX_SIZE);
                        assert_eq!(mask.count_ones(), 1);
                        assert_eq!(byte, p / 8);
                        assert_eq!(mask, 0x80u8 >> (p % 8));
                        let decoded = byte as D * 8 + mask.leading_zeros() as D;
                        assert_eq!(decoded, p as D);
                    }
                }
            }

            /// MWEB prune list: the compact bitset has `2n` bits, `ceil(2n / 8)` bytes,
            /// which holds the bit of every position below `size(n) <= 2n`, and no more
            /// bytes than needed. `None` exactly for `n > MAX_LEAVES`.
            pub fn prune_list_len(n: T) {
                match ix::prune_list_len(n) {
                    None => assert!(n > ix::MAX_LEAVES),
                    Some(len) => {
                        assert!(n <= ix::MAX_LEAVES);
                        assert_eq!(len as D, (2 * n as D).div_ceil(8));
                        assert!(len as D * 8 >= 2 * n as D);
                        let size = ix::size_for_leaves(n).expect("n <= MAX_LEAVES");
                        if n > 0 {
                            assert!((len as D - 1) * 8 < 2 * n as D);
                            let (byte, _) = ix::prune_list_bit(size - 1).expect("a position");
                            assert!(byte < len);
                        } else {
                            assert_eq!(len, 0);
                        }
                    }
                }
            }
        }
    };
}

props!(
    /// The properties at width 16 (checked for every input by `cargo test`).
    w16,
    u16,
    u32
);
props!(
    /// The properties at width 32 (proptest under `cargo test`).
    w32,
    u32,
    u64
);
props!(
    /// The properties at width 64, the width of the Kani harnesses.
    w64,
    u64,
    u128
);
