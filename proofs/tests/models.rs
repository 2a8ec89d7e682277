//! Independent, obviously-right models that the `mmr-index` arithmetic is compared with:
//! * a recursive postorder walk of the perfect tree of height 15 (all of width 16, and the
//!   first 2^16 - 1 positions of width 64), numbering positions and the entries of each row
//!   as it goes, and counting each subtree's nodes and leaves;
//! * the counting formula for (row, entry) with `u128` arithmetic: after `m` leaves row `k`
//!   holds `floor(m / 2^k)` nodes, and node `(r, e)` is created by appending its last leaf;
//! * simulated pruning (which positions and leaves a prune removes) for the grin shifts;
//! * an MSB-first bit reader over byte buffers for the MWEB layouts.

use mmr_index::{w16, w64};

/// One node of the walk.
#[derive(Clone, Copy, Debug, Default)]
struct Node {
    height: u32,
    entry: u64,
    parent: Option<u64>,
    leaf: Option<u64>,
    /// Nodes in its subtree, itself included.
    nodes: u64,
    /// Leaves in its subtree.
    leaves: u64,
}

/// Postorder walk of the perfect tree of height `top`: returns every node by position.
fn walk(top: u32) -> Vec<Node> {
    fn visit(h: u32, out: &mut Vec<Node>, row_next: &mut [u64; 64], leaf_next: &mut u64) -> usize {
        let (nodes, leaves, kids) = if h == 0 {
            (1, 1, None)
        } else {
            let l = visit(h - 1, out, row_next, leaf_next);
            let r = visit(h - 1, out, row_next, leaf_next);
            (
                1 + out[l].nodes + out[r].nodes,
                out[l].leaves + out[r].leaves,
                Some((l, r)),
            )
        };
        let me = out.len();
        let leaf = if h == 0 {
            *leaf_next += 1;
            Some(*leaf_next - 1)
        } else {
            None
        };
        out.push(Node {
            height: h,
            entry: row_next[h as usize],
            parent: None,
            leaf,
            nodes,
            leaves,
        });
        row_next[h as usize] += 1;
        if let Some((l, r)) = kids {
            out[l].parent = Some(me as u64);
            out[r].parent = Some(me as u64);
        }
        me
    }
    let mut out = Vec::new();
    visit(top, &mut out, &mut [0; 64], &mut 0);
    out
}

/// Counting model of D5 in `u128`: the position of `(r, e)`.
fn model_pos(r: u32, e: u128) -> u128 {
    // Nodes after m leaves: row k holds floor(m / 2^k) nodes.
    let size = |m: u128| (0..128).map(|k| m >> k).sum::<u128>();
    let m = (e + 1) << r; // leaves up to and including the node's last leaf
                          // Appending leaf m-1 creates the nodes of rows 0..=t where 2^t divides m; the node of
                          // row r is followed by those of rows r+1..=t.
    let t = m.trailing_zeros();
    size(m) - 1 - u128::from(t - r)
}

#[test]
fn walk_matches_width_16() {
    let nodes = walk(15);
    assert_eq!(nodes.len(), u16::MAX as usize);
    for (p, n) in nodes.iter().enumerate() {
        let q = p as u16;
        assert_eq!(w16::height(q), Some(n.height), "height {p}");
        assert_eq!(w16::pos_to_leaf(q), n.leaf.map(|x| x as u16), "leaf {p}");
        assert_eq!(w16::parent(q), n.parent.map(|x| x as u16), "parent {p}");
        assert_eq!(w16::to_row_entry(q), Some((n.height, n.entry as u16)));
        assert_eq!(w16::from_row_entry(n.height, n.entry as u16), Some(q));
        assert_eq!(model_pos(n.height, n.entry.into()), p as u128);
        let (first, count) = w16::subtree_leaves(q).expect("a position");
        assert_eq!(count as u64, n.leaves);
        assert_eq!(
            w16::leftmost_leaf(q).map(u64::from),
            Some(p as u64 + 1 - n.nodes)
        );
        assert_eq!(
            w16::leaf_to_pos(first).map(u64::from),
            Some(p as u64 + 1 - n.nodes)
        );
        // Prune shifts, counted: a pruned root keeps itself and drops the rest of its
        // subtree from the hash file, and drops its leaves' data unless it is a leaf.
        assert_eq!(w16::pruned_hash_shift(n.height), Some((n.nodes - 1) as u16));
        let data = if n.height == 0 { 0 } else { n.leaves };
        assert_eq!(w16::pruned_data_shift(n.height), Some(data as u16));
        if let Some(par) = n.parent {
            let pn = nodes[par as usize];
            assert_eq!(w16::is_left_child(q), Some(n.entry % 2 == 0));
            assert_eq!(pn.entry, n.entry / 2);
        }
    }
    // A size is valid iff it is the number of positions before a leaf (or the end) in the
    // walk: the walk is then between two appends with no parent pending.
    let valid: Vec<bool> = (0..=nodes.len())
        .map(|p| nodes.get(p).is_none_or(|x| x.height == 0))
        .collect();
    for s in 0..=u16::MAX {
        assert_eq!(w16::is_valid_size(s), valid[s as usize], "size {s}");
    }
}

#[test]
fn walk_matches_width_64_prefix() {
    let nodes = walk(15);
    for (p, n) in nodes.iter().enumerate() {
        let q = p as u64;
        assert_eq!(w64::height(q), Some(n.height));
        assert_eq!(w64::pos_to_leaf(q), n.leaf);
        if let Some(par) = n.parent {
            assert_eq!(w64::parent(q), Some(par));
        }
        assert_eq!(w64::to_row_entry(q), Some((n.height, n.entry)));
        assert_eq!(w64::from_row_entry(n.height, n.entry), Some(q));
    }
    // The root of the walked tree is a left child at width 64.
    assert_eq!(w64::parent(nodes.len() as u64 - 1), Some((1 << 17) - 2));
}

/// (row, entry) at full width against the counting model: the first and last 2^10 entries
/// of every row.
// The reference crate's own (row, entry) addressing (its Minima-style maps, SPEC.md D5) is
// compared with `mmr_index` in `tests/reference.rs`.
#[test]
fn row_entry_counting_model_u64() {
    for r in 0..64u32 {
        let end = 1u128 << (63 - r);
        let firsts = 0..end.min(1 << 10);
        let lasts = end.saturating_sub(1 << 10)..end;
        for e in firsts.chain(lasts) {
            let want = model_pos(r, e);
            assert!(want < u64::MAX as u128);
            let e64 = e as u64;
            assert_eq!(
                w64::from_row_entry(r, e64).map(u128::from),
                Some(want),
                "({r}, {e})"
            );
            assert_eq!(w64::to_row_entry(want as u64), Some((r, e64)));
        }
        assert_eq!(w64::from_row_entry(r, end as u64), None);
    }
}

/// Position <-> (row, entry) is a bijection at width 16: every valid (row, entry) maps to a
/// distinct position and every position is hit.
#[test]
fn row_entry_bijection_width_16() {
    let mut hit = vec![false; u16::MAX as usize];
    for r in 0..16u32 {
        for e in 0..(1u32 << (15 - r)) {
            let p = w16::from_row_entry(r, e as u16).expect("valid (row, entry)");
            assert_eq!(model_pos(r, e.into()), p as u128);
            assert!(!hit[p as usize], "({r}, {e}) collides");
            hit[p as usize] = true;
        }
    }
    assert!(hit.iter().all(|&h| h));
}

/// A deterministic xorshift generator (no dependency needed).
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Simulated pruning at width 16: random non-nested pruned roots within an MMR; the hash
/// shift of every surviving position is the number of removed positions before it, and the
/// data shift of every surviving leaf is the number of removed leaves before it. Both must
/// equal the sums of `pruned_hash_shift`/`pruned_data_shift` over the pruned roots before it
/// (grin store/src/prune_list.rs `get_shift`/`get_leaf_shift`).
#[test]
fn prune_shifts_match_counting() {
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..40 {
        let n = (xorshift(&mut rng) % 3000 + 1) as u16;
        let size = w16::size_for_leaves(n).expect("n <= MAX_LEAVES");
        let mut removed = vec![false; size as usize];
        let mut removed_leaf = vec![false; size as usize];
        let mut roots = Vec::new();
        let mut p = 0u16;
        while p < size {
            // Choose a subtree whose leftmost leaf is p: climb while p stays leftmost.
            let mut root = p;
            while let Some(q) = w16::parent(root) {
                if q >= size || w16::leftmost_leaf(q) != Some(p) || xorshift(&mut rng) % 3 == 0 {
                    break;
                }
                root = q;
            }
            if xorshift(&mut rng) % 2 == 0 {
                roots.push(root);
                let h = w16::height(root).expect("a position");
                for x in p..root {
                    removed[x as usize] = true;
                    if h > 0 && w16::is_leaf(x) {
                        removed_leaf[x as usize] = true;
                    }
                }
                // The pruned root's own data goes too unless it is a leaf root.
            }
            // Skip the ancestors completed right after this subtree: they contain pruned or
            // unpruned subtrees already chosen, so they are not candidate roots here.
            p = root + 1;
            while p < size && !w16::is_leaf(p) {
                p += 1;
            }
        }
        // Running counts: removed positions/leaves before q, and the shift sums of the
        // pruned roots at or before q (a surviving pruned root is read after its own
        // compacted subtree, so it counts too). `roots` is in increasing order.
        let (mut removed_before, mut removed_leaves_before) = (0u64, 0u64);
        let (mut hash_sum, mut data_sum, mut next_root) = (0u64, 0u64, 0usize);
        for q in 0..size {
            if q > 0 {
                removed_before += u64::from(removed[q as usize - 1]);
                removed_leaves_before += u64::from(removed_leaf[q as usize - 1]);
            }
            if next_root < roots.len() && roots[next_root] == q {
                let h = w16::height(q).expect("a position");
                hash_sum += u64::from(w16::pruned_hash_shift(h).expect("h <= 15"));
                data_sum += u64::from(w16::pruned_data_shift(h).expect("h <= 15"));
                next_root += 1;
            }
            if removed[q as usize] {
                continue;
            }
            assert_eq!(removed_before, hash_sum, "hash shift at {q}");
            if w16::is_leaf(q) {
                assert_eq!(removed_leaves_before, data_sum, "data shift at {q}");
            }
        }
        assert_eq!(next_root, roots.len());
    }
}

/// Reads bit `i` of `buf`, MSB-first.
fn bit(buf: &[u8], i: u64) -> bool {
    buf[(i / 8) as usize] >> (7 - i % 8) & 1 == 1
}

/// MWEB layouts at widths 16 and 64: setting leaves / positions through `leaf_set_bit` /
/// `prune_list_bit` in buffers of `leaf_set_len` / `prune_list_len` bytes yields exactly
/// the MSB-first bitsets (after the 8-byte header for the leaf set).
#[test]
fn mweb_layouts_match_bit_reader() {
    let mut rng = 0x0123_4567_89AB_CDEFu64;
    for n in (0..300u64).chain([1000, 4095, 4096, 4097]) {
        let mut leaf_set = vec![0u8; w64::leaf_set_len(n).unwrap() as usize];
        assert_eq!(leaf_set.len() as u64, 8 + n.div_ceil(8));
        let unspent: Vec<bool> = (0..n).map(|_| xorshift(&mut rng) % 2 == 0).collect();
        for i in 0..n {
            if unspent[i as usize] {
                let (b, m) = w64::leaf_set_bit(i).unwrap();
                leaf_set[b as usize] |= m;
                assert_eq!(w16::leaf_set_bit(i as u16), Some((b as u16, m)));
            }
        }
        for i in 0..n {
            assert_eq!(bit(&leaf_set[8..], i), unspent[i as usize]);
        }
        let size = w64::size_for_leaves(n).unwrap();
        let mut prune = vec![0u8; w64::prune_list_len(n).unwrap() as usize];
        assert_eq!(prune.len() as u64, (2 * n).div_ceil(8));
        let marked: Vec<bool> = (0..size).map(|_| xorshift(&mut rng) % 3 == 0).collect();
        for p in 0..size {
            if marked[p as usize] {
                let (b, m) = w64::prune_list_bit(p).unwrap();
                prune[b as usize] |= m;
                assert_eq!(w16::prune_list_bit(p as u16), Some((b as u16, m)));
            }
        }
        for p in 0..(prune.len() as u64 * 8) {
            assert_eq!(bit(&prune, p), p < size && marked[p as usize]);
        }
    }
}
