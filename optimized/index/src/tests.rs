//! Worked examples (SPEC.md D1..D8). The exhaustive and Kani checks live in `mmr-proofs`.

extern crate std;

use super::*;

const VALID: [u64; 13] = [0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22];
const INVALID: [u64; 8] = [2, 5, 6, 9, 12, 13, 14, 17];

#[test]
fn valid_and_invalid_sizes() {
    for (n, &s) in VALID.iter().enumerate() {
        assert!(is_valid_size(s), "{s}");
        assert_eq!(size_for_leaves(n as u64), Some(s));
        assert_eq!(leaves_for_size(s), Some(n as u64));
    }
    for &s in &INVALID {
        assert!(!is_valid_size(s), "{s}");
        assert_eq!(leaves_for_size(s), None);
        assert_eq!(peaks(s), None);
        assert_eq!(peak_count(s), None);
    }
}

#[test]
fn limits() {
    assert_eq!(MAX_LEAVES, 1 << 63);
    assert_eq!(MAX_SIZE, u64::MAX);
    assert_eq!(size_for_leaves(MAX_LEAVES), Some(u64::MAX));
    assert_eq!(size_for_leaves(MAX_LEAVES + 1), None);
    assert_eq!(leaves_for_size(u64::MAX), Some(MAX_LEAVES));
    assert_eq!(leaf_to_pos(MAX_LEAVES), None);
    assert_eq!(leaf_to_pos(MAX_LEAVES - 1), Some(u64::MAX - 1 - 63));
    assert_eq!(height(u64::MAX), None);
    assert_eq!(height(u64::MAX - 1), Some(63));
    assert_eq!(parent(u64::MAX - 1), None);
    assert_eq!(sibling(u64::MAX - 1), None);
    assert_eq!(is_left_child(u64::MAX - 1), None);
    assert_eq!(to_row_entry(u64::MAX - 1), Some((63, 0)));
    assert_eq!(from_row_entry(63, 0), Some(u64::MAX - 1));
    assert_eq!(from_row_entry(63, 1), None);
    assert_eq!(from_row_entry(64, 0), None);
    assert_eq!(
        from_row_entry(0, MAX_LEAVES - 1),
        leaf_to_pos(MAX_LEAVES - 1)
    );
    assert_eq!(from_row_entry(0, MAX_LEAVES), None);
    // The left child of the top root (height 62) and its sibling.
    let l = left_child(u64::MAX - 1).unwrap();
    assert_eq!(l, u64::MAX - 1 - (1 << 63));
    assert_eq!(parent(l), Some(u64::MAX - 1));
    assert_eq!(sibling(l), Some(u64::MAX - 2));
    assert_eq!(sibling(u64::MAX - 2), Some(l));
    assert_eq!(
        peaks(u64::MAX).unwrap().collect::<std::vec::Vec<_>>(),
        [u64::MAX - 1]
    );
    assert_eq!(subtree_leaves(u64::MAX - 1), Some((0, 1 << 63)));
    assert_eq!(leftmost_leaf(u64::MAX - 1), Some(0));
    assert_eq!(pruned_hash_shift(63), Some(u64::MAX - 1));
    assert_eq!(pruned_hash_shift(64), None);
    assert_eq!(pruned_data_shift(63), Some(1 << 63));
    assert_eq!(prune_list_len(MAX_LEAVES), Some(1 << 61));
    assert_eq!(leaf_set_len(MAX_LEAVES), Some((1 << 60) + 8));
    assert_eq!(leaf_set_bit(MAX_LEAVES), None);
    assert_eq!(prune_list_bit(u64::MAX), None);
    assert_eq!(prune_list_bit(u64::MAX - 1), Some((u64::MAX / 8, 0x02)));
}

#[test]
fn leaf_positions() {
    let want = [0u64, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18];
    for (i, &p) in want.iter().enumerate() {
        assert_eq!(leaf_to_pos(i as u64), Some(p));
        assert_eq!(pos_to_leaf(p), Some(i as u64));
        assert!(is_leaf(p));
    }
    for p in [2u64, 5, 6, 9, 12, 13, 14, 17] {
        assert_eq!(pos_to_leaf(p), None);
        assert!(!is_leaf(p));
    }
}

#[test]
fn heights() {
    let want = [0u32, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 1, 2, 3, 0, 0, 1, 0];
    for (p, &h) in want.iter().enumerate() {
        assert_eq!(height(p as u64), Some(h), "pos {p}");
    }
}

#[test]
fn family() {
    assert_eq!(parent(3), Some(5));
    assert_eq!(parent(0), Some(2));
    assert_eq!(parent(1), Some(2));
    assert_eq!(parent(2), Some(6));
    assert_eq!(parent(5), Some(6));
    assert_eq!(parent(6), Some(14));
    assert_eq!(parent(13), Some(14));
    assert_eq!(sibling(2), Some(5));
    assert_eq!(sibling(5), Some(2));
    assert_eq!(sibling(0), Some(1));
    assert_eq!(sibling(6), Some(13));
    assert_eq!(is_left_child(2), Some(true));
    assert_eq!(is_left_child(5), Some(false));
    assert_eq!(children(6), Some((2, 5)));
    assert_eq!(children(14), Some((6, 13)));
    assert_eq!(left_child(5), Some(3));
    assert_eq!(right_child(5), Some(4));
    assert_eq!(children(4), None);
    assert_eq!(left_child(0), None);
}

#[test]
fn row_entry() {
    assert_eq!(to_row_entry(6), Some((2, 0)));
    assert_eq!(from_row_entry(0, 2), Some(3));
    assert_eq!(to_row_entry(3), Some((0, 2)));
    assert_eq!(to_row_entry(5), Some((1, 1)));
    assert_eq!(to_row_entry(13), Some((2, 1)));
    assert_eq!(from_row_entry(1, 2), Some(9));
    assert_eq!(from_row_entry(3, 0), Some(14));
    for p in 0..1000u64 {
        let (r, e) = to_row_entry(p).unwrap();
        assert_eq!(from_row_entry(r, e), Some(p));
    }
}

#[test]
fn peaks_examples() {
    let p = peaks(11).unwrap();
    assert_eq!(p.len(), 3);
    assert_eq!(p.collect::<std::vec::Vec<_>>(), [6, 9, 10]);
    assert_eq!(p.get(0), Some(6));
    assert_eq!(p.get(2), Some(10));
    assert_eq!(p.get(3), None);
    assert_eq!(p.height(0), Some(2));
    assert_eq!(p.height(1), Some(1));
    assert_eq!(p.height(2), Some(0));
    assert_eq!(p.rev().collect::<std::vec::Vec<_>>(), [10, 9, 6]);
    assert_eq!(peaks(0).unwrap().len(), 0);
    assert_eq!(peaks(22).unwrap().collect::<std::vec::Vec<_>>(), [14, 21]);
    assert_eq!(peak_count(11), Some(3));
    let mut it = peaks(11).unwrap();
    assert_eq!(it.next(), Some(6));
    assert_eq!(it.len(), 2);
    assert_eq!(it.get(0), Some(9));
    assert_eq!(it.next_back(), Some(10));
    assert_eq!(it.get(0), Some(9));
    assert_eq!(it.get(1), None);
}

#[test]
fn peak_of_examples() {
    assert_eq!(
        peak_of(11, 3),
        Some(PeakOf {
            index: 0,
            pos: 6,
            height: 2
        })
    );
    assert_eq!(
        peak_of(11, 8),
        Some(PeakOf {
            index: 1,
            pos: 9,
            height: 1
        })
    );
    assert_eq!(
        peak_of(11, 10),
        Some(PeakOf {
            index: 2,
            pos: 10,
            height: 0
        })
    );
    assert_eq!(peak_of(11, 11), None);
    assert_eq!(peak_of(12, 0), None);
    assert_eq!(path_len(11, 0), Some(2));
    assert_eq!(path_len(11, 7), Some(1));
    assert_eq!(path_len(11, 10), Some(0));
    assert_eq!(path_len(11, 5), Some(1));
}

#[test]
fn subtrees() {
    assert_eq!(subtree_leaves(6), Some((0, 4)));
    assert_eq!(subtree_leaves(12), Some((6, 2)));
    assert_eq!(subtree_leaves(10), Some((6, 1)));
    assert_eq!(leftmost_leaf(6), Some(0));
    assert_eq!(leftmost_leaf(13), Some(7));
    assert_eq!(leftmost_leaf(4), Some(4));
}

#[test]
fn shifts_and_layouts() {
    assert_eq!(pruned_hash_shift(0), Some(0));
    assert_eq!(pruned_hash_shift(1), Some(2));
    assert_eq!(pruned_hash_shift(2), Some(6));
    assert_eq!(pruned_data_shift(0), Some(0));
    assert_eq!(pruned_data_shift(1), Some(2));
    assert_eq!(pruned_data_shift(3), Some(8));
    assert_eq!(leaf_set_bit(0), Some((8, 0x80)));
    assert_eq!(leaf_set_bit(2), Some((8, 0x20)));
    assert_eq!(leaf_set_bit(9), Some((9, 0x40)));
    assert_eq!(prune_list_bit(0), Some((0, 0x80)));
    assert_eq!(prune_list_bit(15), Some((1, 0x01)));
    assert_eq!(prune_list_len(0), Some(0));
    assert_eq!(prune_list_len(1), Some(1));
    assert_eq!(prune_list_len(4), Some(1));
    assert_eq!(prune_list_len(5), Some(2));
    assert_eq!(leaf_set_len(0), Some(8));
    assert_eq!(leaf_set_len(1), Some(9));
    assert_eq!(leaf_set_len(8), Some(9));
    assert_eq!(leaf_set_len(9), Some(10));
}

#[test]
fn const_usable() {
    const P: Option<u64> = parent(3);
    const S: Option<u16> = w16::size_for_leaves(w16::MAX_LEAVES);
    const R: Option<u32> = w32::from_row_entry(31, 0);
    assert_eq!(P, Some(5));
    assert_eq!(S, Some(u16::MAX));
    assert_eq!(R, Some(u32::MAX - 1));
}

/// Builds the full width-16 MMR by appending leaves one at a time (a stack of peaks) and
/// checks every position, size and (row, entry) of `w16` against it.
#[test]
fn w16_against_append_model() {
    use std::vec::Vec;
    // Per position: (height, entry, parent, leaf index or none).
    let mut h_of: Vec<u32> = Vec::new();
    let mut parent_of: Vec<Option<usize>> = Vec::new();
    let mut leaf_of: Vec<Option<u16>> = Vec::new();
    let mut row_count = [0u16; 16];
    let mut entry_of: Vec<u16> = Vec::new();
    let mut stack: Vec<(usize, u32)> = Vec::new();
    let mut sizes = Vec::new();
    sizes.push(0usize);
    for leaf in 0..w16::MAX_LEAVES {
        let mut pos = h_of.len();
        h_of.push(0);
        parent_of.push(None);
        leaf_of.push(Some(leaf));
        entry_of.push(row_count[0]);
        row_count[0] = row_count[0].wrapping_add(1);
        let mut h = 0;
        while let Some(&(left, lh)) = stack.last() {
            if lh != h {
                break;
            }
            stack.pop();
            let p = h_of.len();
            h += 1;
            h_of.push(h);
            parent_of.push(None);
            leaf_of.push(None);
            entry_of.push(row_count[h as usize]);
            row_count[h as usize] += 1;
            parent_of[left] = Some(p);
            parent_of[pos] = Some(p);
            pos = p;
        }
        stack.push((pos, h));
        sizes.push(h_of.len());
    }
    assert_eq!(h_of.len(), u16::MAX as usize);
    for p in 0..h_of.len() {
        let q = p as u16;
        assert_eq!(w16::height(q), Some(h_of[p]), "height {p}");
        assert_eq!(w16::pos_to_leaf(q), leaf_of[p], "leaf {p}");
        assert_eq!(w16::parent(q), parent_of[p].map(|x| x as u16), "parent {p}");
        assert_eq!(w16::to_row_entry(q), Some((h_of[p], entry_of[p])), "re {p}");
        assert_eq!(w16::from_row_entry(h_of[p], entry_of[p]), Some(q));
    }
    assert_eq!(w16::height(u16::MAX), None);
    let mut n = 0u16;
    for s in 0..=u16::MAX {
        if sizes.get(n as usize + 1) == Some(&(s as usize)) {
            n += 1;
        }
        let valid = sizes[n as usize] == s as usize;
        assert_eq!(w16::leaves_for_size(s), valid.then_some(n), "size {s}");
    }
}

#[test]
fn leaf_peak_examples() {
    // 7 leaves (peaks of heights 2, 1, 0): leaf 4 is under the peak of height 1, index 1.
    assert_eq!(leaf_peak(7, 4), Some((1, 1)));
    assert_eq!(leaf_peak(7, 0), Some((2, 0)));
    assert_eq!(leaf_peak(7, 6), Some((0, 2)));
    assert_eq!(leaf_peak(7, 7), None);
    assert_eq!(leaf_peak(0, 0), None);
    assert_eq!(leaf_peak(MAX_LEAVES, MAX_LEAVES - 1), Some((63, 0)));
    assert_eq!(leaf_peak(MAX_LEAVES + 1, 0), None);
    // Agrees with peak_of and path_len on every leaf of small MMRs.
    for n in 1..200u64 {
        let size = size_for_leaves(n).unwrap();
        for i in 0..n {
            let pos = leaf_to_pos(i).unwrap();
            let pk = peak_of(size, pos).unwrap();
            assert_eq!(leaf_peak(n, i), Some((pk.height, pk.index)));
            assert_eq!(path_len(size, pos), Some(pk.height));
        }
    }
}

#[test]
fn prune_list_shift_examples() {
    // SPEC.md D22: positions 0 and 1 dropped (0xc0).
    assert_eq!(prune_list_shift(&[0xc0], 0), Some(0));
    assert_eq!(prune_list_shift(&[0xc0], 1), Some(1));
    assert_eq!(prune_list_shift(&[0xc0], 2), Some(2));
    assert_eq!(prune_list_shift(&[0xc0], 100), Some(2));
    assert_eq!(prune_list_shift(&[0xff, 0x81], 15), Some(9));
    assert_eq!(prune_list_shift(&[0xff, 0x81], 16), Some(10));
    assert_eq!(prune_list_shift(&[], 5), Some(0));
    assert_eq!(prune_list_shift(&[0xff], u64::MAX), None);
    assert_eq!(prune_list_shift(&[0xff], u64::MAX - 1), Some(8));
    // Brute force against the bit definition.
    let bits = [0b1010_0110u8, 0x00, 0xf0, 0x0f, 0x55];
    for pos in 0..48u64 {
        let want = (0..pos.min(40))
            .filter(|&p| bits[(p / 8) as usize] & (0x80 >> (p % 8)) != 0)
            .count() as u64;
        assert_eq!(prune_list_shift(&bits, pos), Some(want), "pos {pos}");
    }
    // At width 16 the count never exceeds pos, so it always fits.
    let many = [0xffu8; 9000];
    assert_eq!(w16::prune_list_shift(&many, 65534), Some(65534));
    assert_eq!(w16::prune_list_shift(&many[..8192], 65534), Some(65534));
}
