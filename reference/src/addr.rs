//! Positions, sizes and (row, entry) addresses (SPEC.md D1-D8): the named boundary between
//! the postorder positions the spec speaks in and the Minima-style (row, entry) maps the
//! reference stores nodes in.
//!
//! Written the obviously-right way: every formula is evaluated in `u128` so nothing can
//! overflow on the domain of D8, inverses are found by searching the monotone forward
//! formula, and powers of two are `2^k`, not bit tricks. Speed is not a goal.

/// The largest leaf count the spec allows (D8): 2^63.
pub const MAX_LEAVES: u64 = 1 << 63;

/// The highest row (height) a node can have (D8): the root of the 2^63-leaf tree.
pub const MAX_ROW: u32 = 63;

/// A node address (D5): its row (height) and its entry (index within the row, from 0 at
/// the left). Ordered by row, then entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Addr {
    /// The row, which is the node's height (D2).
    pub row: u32,
    /// The entry: the node covers leaves `entry·2^row ..= (entry+1)·2^row - 1`.
    pub entry: u64,
}

impl Addr {
    /// The address of the leaf with this index (row 0, D5).
    pub const fn leaf(index: u64) -> Addr {
        Addr {
            row: 0,
            entry: index,
        }
    }
}

/// `2^k` as u128 (k <= 127).
fn pow2(k: u32) -> u128 {
    2u128.pow(k)
}

/// The number of set bits of `n` (section 0's `popcount`).
fn popcount(n: u128) -> u128 {
    u128::from(n.count_ones())
}

/// `size(n) = 2n - popcount(n)` in u128, for any n (D4).
fn size_wide(n: u128) -> u128 {
    2 * n - popcount(n)
}

/// D4: the size of the MMR with `n` leaves, or `None` if n exceeds [`MAX_LEAVES`] (D8).
pub fn size_of(n: u64) -> Option<u64> {
    if n > MAX_LEAVES {
        return None;
    }
    u64::try_from(size_wide(u128::from(n))).ok()
}

/// D3: the position of the leaf with index `i`, `2i - popcount(i)`, or `None` if i is not a
/// leaf index of the largest MMR (i >= 2^63, D8).
pub fn leaf_pos(i: u64) -> Option<u64> {
    if i >= MAX_LEAVES {
        return None;
    }
    size_of(i)
}

/// The smallest n in `0..=MAX_LEAVES` with `size(n) > x`, if any (binary search over the
/// strictly increasing `size`, D4).
fn first_leaf_count_with_size_above(x: u64) -> Option<u64> {
    let (mut lo, mut hi) = (0u128, u128::from(MAX_LEAVES));
    if size_wide(hi) <= u128::from(x) {
        return None;
    }
    // Invariant: size(hi) > x, and every n < lo has size(n) <= x.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if size_wide(mid) > u128::from(x) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    u64::try_from(lo).ok()
}

/// D4: the leaf count of a valid size, or `None` if the size is invalid (no n has
/// `size(n) = size`).
pub fn leaf_count(size: u64) -> Option<u64> {
    // size(n) is strictly increasing, so the only candidate is the largest n with
    // size(n) <= size, i.e. one below the first n whose size exceeds it.
    let candidate = match first_leaf_count_with_size_above(size) {
        Some(n) => n.checked_sub(1)?,
        None => MAX_LEAVES, // size >= size(2^63) = u64::MAX
    };
    (size_of(candidate)? == size).then_some(candidate)
}

/// D2: the height of position `pos` by peeling perfect trees, or `None` for u64::MAX,
/// which is no position (D8).
pub fn height(pos: u64) -> Option<u32> {
    if pos == u64::MAX {
        return None;
    }
    let mut p = u128::from(pos);
    loop {
        // Is p the last position of a perfect tree of height h (p = 2^(h+1) - 2)?
        if let Some(h) = (0..=MAX_ROW).find(|&h| p == pow2(h + 1) - 2) {
            return Some(h);
        }
        // Subtract the largest perfect tree size 2^k - 1 <= p (k >= 1 since p >= 1 here).
        let k = (1..=64u32).rev().find(|&k| pow2(k) - 1 <= p)?;
        p -= pow2(k) - 1;
    }
}

/// D5: the position of node (row, entry),
/// `2^(r+1)·(e+1) - popcount(e) - 2`, or `None` if the address is outside D8's domain
/// (r > 63 or e >= 2^(63-r)).
pub fn position(a: Addr) -> Option<u64> {
    if a.row > MAX_ROW || u128::from(a.entry) >= pow2(MAX_ROW - a.row) {
        return None;
    }
    let e = u128::from(a.entry);
    u64::try_from(pow2(a.row + 1) * (e + 1) - popcount(e) - 2).ok()
}

/// D5 inverse: the address of position `pos`, or `None` for u64::MAX (no position, D8).
/// Finds the leaf count n with size(n-1) <= pos < size(n); pos is then the k-th node
/// created by appending leaf n-1 (k = pos - size(n-1)), so row = k, entry = n/2^k - 1.
pub fn addr_of(pos: u64) -> Option<Addr> {
    let n = first_leaf_count_with_size_above(pos)?;
    let before = size_of(n.checked_sub(1)?)?;
    let row = u32::try_from(pos - before).ok()?;
    let entry = u64::try_from(u128::from(n) / pow2(row))
        .ok()?
        .checked_sub(1)?;
    Some(Addr { row, entry })
}

/// D5: whether node `a` exists in an MMR of `n` leaves: `e < floor(n / 2^r)`.
pub fn exists(a: Addr, n: u64) -> bool {
    a.row <= MAX_ROW && u128::from(a.entry) < u128::from(n) / pow2(a.row)
}

/// D6: the peaks of an MMR of `n` leaves, left (highest) to right: for each set bit h of
/// n, in decreasing order, the node (h, floor(n / 2^h) - 1).
///
/// The set bits are taken from `n` one at a time, highest first (the highest set bit of
/// the rest is `63 - leading_zeros`), rather than by testing all 64 rows: the same list,
/// and the harness calls this for every state, root and proof it reads.
pub fn peaks(n: u64) -> Vec<Addr> {
    let mut peaks = Vec::with_capacity(n.count_ones() as usize);
    let mut rest = n;
    while rest != 0 {
        let h = 63 - rest.leading_zeros();
        rest -= 2u64.pow(h);
        // Bit h of n is set, so n / 2^h >= 1.
        peaks.push(Addr {
            row: h,
            entry: n / 2u64.pow(h) - 1,
        });
    }
    peaks
}

/// D6: the peaks of a size, as positions, or `None` if the size is invalid.
pub fn peak_positions(size: u64) -> Option<Vec<u64>> {
    peaks(leaf_count(size)?).into_iter().map(position).collect()
}

/// The leaves below node `a`: the half-open index range `e·2^r .. (e+1)·2^r` (D5), in
/// u128 because the end of the largest tree is 2^63. Rows above 63 (outside D8) are
/// treated as 63.
pub fn leaf_range(a: Addr) -> (u128, u128) {
    let w = pow2(a.row.min(MAX_ROW));
    (u128::from(a.entry) * w, (u128::from(a.entry) + 1) * w)
}

/// Which peak (its index in [`peaks`]) and which peak address hold leaf `i` of an MMR of
/// `n` leaves; `None` if i >= n.
pub fn peak_of_leaf(n: u64, i: u64) -> Option<(usize, Addr)> {
    peaks(n).into_iter().enumerate().find(|(_, p)| {
        let (start, end) = leaf_range(*p);
        start <= u128::from(i) && u128::from(i) < end
    })
}

/// D7: whether `a` is a left child (its entry is even).
pub fn is_left(a: Addr) -> bool {
    a.entry % 2 == 0
}

/// D7: the parent (r+1, floor(e/2)), or `None` above row 63 (D8).
pub fn parent(a: Addr) -> Option<Addr> {
    (a.row < MAX_ROW).then_some(Addr {
        row: a.row + 1,
        entry: a.entry / 2,
    })
}

/// D7: the sibling (r, e xor 1): the entry's neighbour within its pair.
pub fn sibling(a: Addr) -> Addr {
    let entry = if is_left(a) { a.entry + 1 } else { a.entry - 1 };
    Addr { row: a.row, entry }
}

/// D7: the children (r-1, 2e) and (r-1, 2e+1), or `None` for a leaf or an address whose
/// children would leave D8's domain.
pub fn children(a: Addr) -> Option<(Addr, Addr)> {
    let row = a.row.checked_sub(1)?;
    let left = a.entry.checked_mul(2)?;
    let right = left.checked_add(1)?;
    Some((Addr { row, entry: left }, Addr { row, entry: right }))
}

/// D7: whether `a` is a peak of an MMR of `n` leaves: it exists and its parent does not.
pub fn is_peak(a: Addr, n: u64) -> bool {
    exists(a, n) && parent(a).is_none_or(|p| !exists(p, n))
}

/// D7 by positions: whether position `p` (of height h) is a right child, i.e. position p+1
/// has height h+1.
pub fn is_right_child_pos(p: u64) -> Option<bool> {
    let h = height(p)?;
    let next = p.checked_add(1)?;
    Some(height(next) == Some(h + 1))
}

/// D7 by positions: the parent of `p`: p+1 for a right child, else p + 2^(h+1); `None`
/// where the result leaves the domain (the root of the largest tree has no parent).
pub fn parent_pos(p: u64) -> Option<u64> {
    let h = height(p)?;
    let up = if is_right_child_pos(p)? {
        u128::from(p) + 1
    } else {
        u128::from(p) + pow2(h + 1)
    };
    u64::try_from(up).ok().filter(|&q| q != u64::MAX)
}

/// D7 by positions: the sibling of `p`: p - 2^(h+1) + 1 for a right child, else
/// p + 2^(h+1) - 1; `None` where the result leaves the domain.
pub fn sibling_pos(p: u64) -> Option<u64> {
    let h = height(p)?;
    let s = if is_right_child_pos(p)? {
        (u128::from(p) + 1).checked_sub(pow2(h + 1))?
    } else {
        u128::from(p) + pow2(h + 1) - 1
    };
    u64::try_from(s).ok().filter(|&q| q != u64::MAX)
}

/// D7 by positions: the children (p - 2^h, p - 1) of an internal node, `None` for a leaf.
pub fn children_pos(p: u64) -> Option<(u64, u64)> {
    let h = height(p)?;
    if h == 0 {
        return None;
    }
    let left = u64::try_from(u128::from(p) - pow2(h)).ok()?;
    Some((left, p - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_leaf_counts_invert() {
        for n in 0..300u64 {
            let s = size_of(n).unwrap();
            assert_eq!(leaf_count(s), Some(n));
        }
        assert_eq!(leaf_count(u64::MAX), Some(MAX_LEAVES));
        assert_eq!(leaf_count(u64::MAX - 1), None);
        assert_eq!(size_of(MAX_LEAVES + 1), None);
        assert_eq!(leaf_pos(MAX_LEAVES), None);
    }

    #[test]
    fn addr_round_trips_at_both_ends() {
        for p in (0..500u64).chain(u64::MAX - 300..u64::MAX) {
            let a = addr_of(p).unwrap();
            assert_eq!(position(a), Some(p), "pos {p}");
            assert_eq!(height(p), Some(a.row), "pos {p}");
        }
        assert_eq!(addr_of(u64::MAX), None);
        assert_eq!(addr_of(u64::MAX - 1), Some(Addr { row: 63, entry: 0 }));
        assert_eq!(position(Addr { row: 63, entry: 1 }), None);
        assert_eq!(position(Addr { row: 64, entry: 0 }), None);
    }

    #[test]
    fn position_family_matches_row_entry_family() {
        for p in 0..400u64 {
            let a = addr_of(p).unwrap();
            let up = parent(a).and_then(position);
            assert_eq!(parent_pos(p), up, "parent of {p}");
            assert_eq!(sibling_pos(p), position(sibling(a)), "sibling of {p}");
            let kids = children(a).map(|(l, r)| (position(l).unwrap(), position(r).unwrap()));
            assert_eq!(children_pos(p), kids, "children of {p}");
        }
        assert_eq!(parent_pos(u64::MAX - 1), None);
        assert_eq!(sibling_pos(u64::MAX - 1), None);
    }

    /// D6 read literally: every row h from 63 down whose bit of n is set.
    fn peaks_by_rows(n: u64) -> Vec<Addr> {
        (0..=MAX_ROW)
            .rev()
            .filter(|&h| (u128::from(n) / pow2(h)) % 2 == 1)
            .map(|h| Addr {
                row: h,
                entry: n / 2u64.pow(h) - 1,
            })
            .collect()
    }

    #[test]
    fn peaks_are_the_set_bits_of_the_leaf_count() {
        let edges = [MAX_LEAVES, MAX_LEAVES - 1, u64::MAX, u64::MAX - 1, 1 << 62];
        for n in (0..5000u64).chain(edges) {
            assert_eq!(peaks(n), peaks_by_rows(n), "n = {n}");
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            assert_eq!(peaks(x), peaks_by_rows(x), "n = {x}");
        }
        assert_eq!(
            peaks(11),
            [(3, 0), (1, 4), (0, 10)].map(|(row, entry)| Addr { row, entry })
        );
    }
}
