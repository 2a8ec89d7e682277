//! [`Memo`]: the reference's reads, memoized between mutations.
//!
//! The reference is the oracle and stays as written (obviously right, not fast); a check
//! reads the same state, root, node, proof or MMR set of it many times (every leaf's
//! prove-and-verify reads the root, the working state's proofs are read for the comparison
//! and again for the proof cache, and after a read-only op nothing has changed at all).
//! Every `&self` method of [`ProofDb`] is a function of the database's state, so between
//! two mutations a repeated read returns the first answer; every mutation, successful or
//! not, forgets everything, except that appends, updates and spends forget only what was
//! read about the working state (D19: they change nothing committed). A reference bug that
//! changed a committed state in an append, update or spend would therefore go unnoticed
//! by the harness (the optimized side is read afresh every time, so none of its bugs
//! can); the reference's own suites and the vectors check it. Verification (a function of its arguments) is not memoized.
//! [`crate::subjects::RefSubject::memoized`] puts it between the executor and the reference
//! ([`mmr_spec::ProofDb`] of `RefSubject`).
//!
//! [`ProofDb`]: mmr_spec::ProofDb

use mmr_spec::{At, Error, MmrSet, Node, Proof, StateInfo};
use std::cell::RefCell;
use std::collections::HashMap as StdMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A multiplicative hasher for the memo's small integer keys (positions, heights, leaf
/// indices): no protection against chosen collisions is needed here, and SipHash was a
/// visible part of a fuzz execution.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    fn write_isize(&mut self, v: isize) {
        self.write_u64(v as u64);
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
}

type HashMap<K, V> = StdMap<K, V, BuildHasherDefault<KeyHasher>>;

/// The memoized answers of one database state.
#[derive(Default)]
pub struct Memo {
    pub(crate) state: HashMap<At, Result<StateInfo, Error>>,
    pub(crate) root: HashMap<At, Result<Node, Error>>,
    pub(crate) node: HashMap<(At, u64), Result<Node, Error>>,
    pub(crate) leaf_set: HashMap<At, Result<Vec<u8>, Error>>,
    pub(crate) mmr_set: HashMap<u64, Result<MmrSet, Error>>,
    pub(crate) prove: HashMap<(At, u64), Result<Proof, Error>>,
}

impl Memo {
    /// Forgets every answer (after a mutation).
    pub fn clear(&mut self) {
        *self = Memo::default();
    }

    /// Forgets the answers about the working state (after an append, update or spend,
    /// which change only the working state: D12, D19), keeping those about committed
    /// blocks and their MMR sets.
    pub fn clear_current(&mut self) {
        self.state.retain(|at, _| *at != At::Current);
        self.root.retain(|at, _| *at != At::Current);
        self.node.retain(|(at, _), _| *at != At::Current);
        self.leaf_set.retain(|at, _| *at != At::Current);
        self.prove.retain(|(at, _), _| *at != At::Current);
    }
}

/// `map[key]`, computed by `f` on a miss.
pub(crate) fn get<K: Hash + Eq, V: Clone>(
    cell: &RefCell<Memo>,
    map: impl Fn(&mut Memo) -> &mut HashMap<K, V>,
    key: K,
    f: impl FnOnce() -> V,
) -> V {
    if let Some(v) = map(&mut cell.borrow_mut()).get(&key) {
        return v.clone();
    }
    let v = f();
    map(&mut cell.borrow_mut()).insert(key, v.clone());
    v
}
