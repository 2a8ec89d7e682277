//! Proof forgery: take the honest proof of a leaf (and the honest batch proof of a set of
//! leaves) of a fixture MMR (every shipped profile: flat, fold-right, swapped fold-right,
//! peak-tree bagging; 1 to 23 leaves), apply up to eight mutations (the `Tamper` /
//! `BatchTamper` of the op model, raw byte edits, value shifts between nodes, changes of
//! the claimed leaf), and verify on both implementations against the true root:
//!
//! - both give the same verdict (error kind);
//! - if bytes and leaf claim are the honest ones, both accept;
//! - otherwise both reject. For a profile that hashes no values (grin, mweb, ckb) a change
//!   of values alone is rejected as `sum-mismatch` or `value-overflow`.
//!
//! Dialect properties, not findings (fuzz/README.md, F1, F4): a value shift that keeps the
//! total is accepted in profiles that hash no values, and between two item peaks of a
//! minima batch proof. Open findings fail unless listed in `MMR_FUZZ_KNOWN`: F5 (another
//! size, same path, in ckb and minima), F6 (value moved between a supplied leaf node, its
//! hash kept, and its sibling).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmr_fuzz::inputs::{BatchEdit, Edit, ForgeryInput as Input};
use mmr_fuzz::{
    World, batch_differ_only_in_values, batch_value_shift_finding, dialect_explains,
    differ_only_in_size, differ_only_in_values, known, leaf_data, leaf_value, size_is_unbound,
    value_shift_finding, value_shift_is_dialect_property,
};
use mmr_spec::{BatchProof, ErrorKind, Node, Proof, leaf_node};
use std::sync::LazyLock;

const LEAVES: u64 = 23;
const MAX_EDITS: usize = 8;

static WORLDS: LazyLock<Vec<World>> = LazyLock::new(|| World::all(LEAVES));

/// Names the known finding an accepted value shift is an instance of.
fn hint(w: &World, values_only: bool) -> String {
    if values_only {
        format!(
            " [values shifted, total kept: finding {}]",
            value_shift_finding(w)
        )
    } else {
        String::new()
    }
}

fn pick(k: u8, n: usize) -> Option<usize> {
    (n > 0).then(|| usize::from(k) % n)
}

fn byte_edit(bytes: &mut Vec<u8>, offset: u16, f: impl FnOnce(&mut Vec<u8>, usize)) {
    if !bytes.is_empty() {
        let i = usize::from(offset) % bytes.len();
        f(bytes, i);
    }
}

fn single(w: &World, n: u64, index: u64, edits: &[Edit]) {
    let (_, root) = w.state_for(mmr_fuzz::size_of(n));
    let honest = &w.proofs[&(n, index)];
    let honest_bytes = honest.encode().unwrap();
    let (honest_data, honest_value) = (leaf_data(index), leaf_value(index));
    let (mut bytes, mut data, mut value) =
        (honest_bytes.clone(), honest_data.clone(), honest_value);
    let mut as_node = false;
    for e in edits.iter().take(MAX_EDITS) {
        match *e {
            Edit::Tamper(t) => {
                if let Ok(p) = Proof::decode(&bytes) {
                    bytes = t.apply(&p);
                }
            }
            Edit::FlipBit { offset, bit } => {
                byte_edit(&mut bytes, offset, |b, i| b[i] ^= 1 << (bit % 8))
            }
            Edit::Insert { offset, byte } => {
                let i = usize::from(offset) % (bytes.len() + 1);
                bytes.insert(i, byte);
            }
            Edit::Remove { offset } => byte_edit(&mut bytes, offset, |b, i| {
                b.remove(i);
            }),
            Edit::ShiftValue { from, to, delta } => {
                if let Ok(mut p) = Proof::decode(&bytes) {
                    if let (Some(i), Some(j)) = (pick(from, p.path.len()), pick(to, p.path.len())) {
                        p.path[i].node.value = p.path[i].node.value.wrapping_sub(delta);
                        p.path[j].node.value = p.path[j].node.value.wrapping_add(delta);
                        bytes = p.encode().unwrap();
                    }
                }
            }
            Edit::ShiftToLeaf { step, delta } => {
                if let Ok(mut p) = Proof::decode(&bytes) {
                    if let Some(i) = pick(step, p.path.len()) {
                        p.path[i].node.value = p.path[i].node.value.wrapping_sub(delta);
                        value = value.wrapping_add(delta);
                        bytes = p.encode().unwrap();
                    }
                }
            }
            Edit::LeafValue(d) => value = value.wrapping_add(d),
            Edit::LeafData(b) => data.push(b),
            Edit::AsNode => as_node = !as_node,
        }
    }
    let expect_accept = bytes == honest_bytes && data == honest_data && value == honest_value;
    let Ok(p) = Proof::decode(&bytes) else {
        // Rejected by the decoder (shared by both implementations); the honest bytes decode.
        assert!(!expect_accept);
        return;
    };
    let leaf = if as_node {
        leaf_node(w.profile, honest.pos, &data, value)
    } else {
        leaf_node(w.profile, p.pos, &data, value)
    };
    let verdict = w.verify(&root, &p, &leaf);
    let name = w.profile.name();
    if expect_accept {
        assert_eq!(
            verdict,
            Ok(()),
            "{name}: the honest proof of leaf {index} ({n} leaves) is rejected"
        );
        return;
    }
    let values_only = differ_only_in_values(&p, honest) && data == honest_data;
    let size_only = differ_only_in_size(&p, honest) && data == honest_data && value == honest_value;
    let unhashed = values_only && !w.hashes_values();
    match verdict {
        Ok(()) if values_only && value_shift_is_dialect_property(w, false) => {}
        Ok(()) if values_only && known(value_shift_finding(w)) => {}
        Ok(()) if size_only && size_is_unbound(w) => {}
        Ok(()) if dialect_explains(w, &p, honest, data == honest_data, value != honest_value) => {}
        Ok(()) => panic!(
            "{name}: FORGERY accepted for leaf {index} ({n} leaves){}{}\nforged {p:?}\nhonest {honest:?}\nleaf data {data:?} value {value} (honest {honest_value}), as node: {as_node}",
            hint(w, values_only),
            if size_only {
                " [another size, same path: finding F5]"
            } else {
                ""
            }
        ),
        Err(k) if unhashed => assert!(
            matches!(k, ErrorKind::SumMismatch | ErrorKind::ValueOverflow),
            "{name}: a change of values only, in a profile that hashes none, rejected as {k:?}, not by the sum\nforged {p:?}\nhonest {honest:?}"
        ),
        Err(_) => {}
    }
}

fn batch(w: &World, n: u64, picks: &[u8], edits: &[BatchEdit]) {
    let mut indices: Vec<u64> = picks.iter().take(8).map(|k| u64::from(*k) % n).collect();
    indices.sort_unstable();
    indices.dedup();
    if indices.is_empty() {
        return;
    }
    let (_, root) = w.state_for(mmr_fuzz::size_of(n));
    let honest = w.honest_batch(n, &indices);
    let honest_bytes = honest.encode();
    let honest_leaves: Vec<Node> = honest.leaves.iter().map(|p| w.claimed_leaf(*p)).collect();
    let (mut bytes, mut leaves) = (honest_bytes.clone(), honest_leaves.clone());
    for e in edits.iter().take(MAX_EDITS) {
        match *e {
            BatchEdit::Tamper(t) => {
                if let Ok(p) = BatchProof::decode(&bytes) {
                    (bytes, leaves) = t.apply(&p, &leaves);
                }
            }
            BatchEdit::FlipBit { offset, bit } => {
                byte_edit(&mut bytes, offset, |b, i| b[i] ^= 1 << (bit % 8))
            }
            BatchEdit::SetByte { offset, byte } => {
                byte_edit(&mut bytes, offset, |b, i| b[i] = byte)
            }
            BatchEdit::Insert { offset, byte } => {
                let i = usize::from(offset) % (bytes.len() + 1);
                bytes.insert(i, byte);
            }
            BatchEdit::Remove { offset } => byte_edit(&mut bytes, offset, |b, i| {
                b.remove(i);
            }),
            BatchEdit::ItemPos { item, pos } => {
                if let Ok(mut p) = BatchProof::decode(&bytes) {
                    if let Some(i) = pick(item, p.items.len()) {
                        p.items[i].0 = pos;
                        bytes = p.encode();
                    }
                }
            }
            BatchEdit::LeafPos { leaf, pos } => {
                if let Ok(mut p) = BatchProof::decode(&bytes) {
                    if let Some(i) = pick(leaf, p.leaves.len()) {
                        p.leaves[i] = pos;
                        bytes = p.encode();
                    }
                }
            }
            BatchEdit::ShiftValue { from, to, delta } => {
                if let Ok(mut p) = BatchProof::decode(&bytes) {
                    if let (Some(i), Some(j)) = (pick(from, p.items.len()), pick(to, p.items.len()))
                    {
                        p.items[i].1.value = p.items[i].1.value.wrapping_sub(delta);
                        p.items[j].1.value = p.items[j].1.value.wrapping_add(delta);
                        bytes = p.encode();
                    }
                }
            }
            BatchEdit::ShiftToLeaf { item, leaf, delta } => {
                if let Ok(mut p) = BatchProof::decode(&bytes) {
                    if let (Some(i), Some(j)) =
                        (pick(item, p.items.len()), pick(leaf, leaves.len()))
                    {
                        p.items[i].1.value = p.items[i].1.value.wrapping_sub(delta);
                        leaves[j].value = leaves[j].value.wrapping_add(delta);
                        bytes = p.encode();
                    }
                }
            }
            BatchEdit::LeafValue { leaf, delta } => {
                if let Some(j) = pick(leaf, leaves.len()) {
                    leaves[j].value = leaves[j].value.wrapping_add(delta);
                }
            }
            BatchEdit::LeafHash { leaf, bit } => {
                if let Some(j) = pick(leaf, leaves.len()) {
                    leaves[j].hash.0[usize::from(bit / 8)] ^= 1 << (bit % 8);
                }
            }
        }
    }
    let expect_accept = bytes == honest_bytes && leaves == honest_leaves;
    let Ok(p) = BatchProof::decode(&bytes) else {
        assert!(!expect_accept);
        return;
    };
    let verdict = w.verify_batch(&root, &p, &leaves);
    let name = w.profile.name();
    if expect_accept {
        assert_eq!(
            verdict,
            Ok(()),
            "{name}: the honest batch proof of {indices:?} ({n} leaves) is rejected"
        );
        return;
    }
    let values_only = batch_differ_only_in_values(&p, &leaves, &honest, &honest_leaves);
    let unhashed = values_only && !w.hashes_values();
    match verdict {
        Ok(()) if values_only && value_shift_is_dialect_property(w, true) => {}
        // F6: the node API trusts the caller's leaf nodes (SPEC.md D14 note).
        Ok(()) if values_only && batch_value_shift_finding(w, &leaves, &honest_leaves) == "F6" => {}
        Ok(()) if values_only && known(batch_value_shift_finding(w, &leaves, &honest_leaves)) => {}
        Ok(()) => panic!(
            "{name}: FORGED batch proof accepted for {indices:?} ({n} leaves){}\nforged {p:?}\nleaves {leaves:?}\nhonest {honest:?}\nleaves {honest_leaves:?}",
            if values_only {
                format!(
                    " [values shifted, total kept: finding {}]",
                    batch_value_shift_finding(w, &leaves, &honest_leaves)
                )
            } else {
                String::new()
            }
        ),
        Err(k) if unhashed => assert!(
            matches!(k, ErrorKind::SumMismatch | ErrorKind::ValueOverflow),
            "{name}: a change of values only, in a profile that hashes none, rejected as {k:?}, not by the sum\nforged {p:?}\nhonest {honest:?}"
        ),
        Err(_) => {}
    }
}

fuzz_target!(|input: Input| {
    let worlds = &*WORLDS;
    let w = &worlds[usize::from(input.profile) % worlds.len()];
    let n = 1 + u64::from(input.leaves) % LEAVES;
    single(w, n, u64::from(input.leaf) % n, &input.edits);
    batch(w, n, &input.batch, &input.batch_edits);
});
