//! The two implementations as [`Subject`]s of the op executor.

use crate::memo::{Memo, get};
use mmr_optimized::{Optimized, OptimizedClient};
use mmr_reference::{RefClient, Reference};
use mmr_spec::ops::Subject;
use mmr_spec::{
    At, BatchProof, Block, BlockInfo, Client, ClientState, CompactReport, Config, Error, Leaf,
    MmrSet, Node, Profile, Proof, ProofDb, StateInfo,
};
use std::cell::RefCell;

/// A profile chosen at run time; both implementations are monomorphized over it.
pub type DynProfile = &'static dyn Profile;

static FAST_DEFAULT: mmr_optimized::Sha3Default = mmr_optimized::Sha3Default;
static PORTABLE_DEFAULT: mmr_optimized::PortableSha3Default = mmr_optimized::PortableSha3Default;

/// The optimized implementation's hashings of profile `p`: `p` itself, and for the default
/// profile also mmr-optimized's single-buffer SHA3-256 on each backend (`Sha3Default`: the
/// fast keccak-asm backend where it builds; `PortableSha3Default`: the sha3 crate). The
/// reference always hashes with `p` (sha3), so a pair built with a variant checks that the
/// backend's every output equals the spec's.
pub fn optimized_variants(p: DynProfile) -> Vec<DynProfile> {
    if p.name() == mmr_spec::profiles::DEFAULT.name() {
        vec![p, &FAST_DEFAULT, &PORTABLE_DEFAULT]
    } else {
        vec![p]
    }
}

/// The reference implementation under test.
pub struct RefSubject {
    profile: DynProfile,
    /// The database. Mutate it only through [`Subject::db_mut`] (which forgets the memo).
    pub db: Reference<DynProfile>,
    /// The memo of its reads, if memoized ([`RefSubject::memoized`]).
    memo: Option<RefCell<Memo>>,
}

impl RefSubject {
    /// An empty reference database.
    pub fn new(profile: DynProfile, config: Config) -> Self {
        RefSubject {
            profile,
            db: Reference::new(profile, config),
            memo: None,
        }
    }

    /// An empty reference database whose reads are memoized between mutations
    /// ([`crate::memo`]): the same answers, each computed once per state.
    pub fn memoized(profile: DynProfile, config: Config) -> Self {
        RefSubject {
            memo: Some(RefCell::default()),
            ..Self::new(profile, config)
        }
    }

    fn forget(&mut self) {
        if let Some(m) = &self.memo {
            m.borrow_mut().clear();
        }
    }

    fn forget_current(&mut self) {
        if let Some(m) = &self.memo {
            m.borrow_mut().clear_current();
        }
    }
}

impl Subject for RefSubject {
    fn db(&self) -> &dyn ProofDb {
        self
    }
    fn db_mut(&mut self) -> &mut dyn ProofDb {
        self
    }
    fn new_client(&self, state: ClientState) -> Result<Box<dyn Client>, Error> {
        Ok(Box::new(RefClient::new(self.profile, state)?))
    }
}

/// A read of the reference, through the memo if there is one.
macro_rules! memo_read {
    ($self:ident, $map:ident, $key:expr, $call:expr) => {
        match &$self.memo {
            Some(m) => get(m, |x| &mut x.$map, $key, || $call),
            None => $call,
        }
    };
}

/// The reference's `ProofDb`, its reads memoized between mutations if `memoized`.
impl ProofDb for RefSubject {
    fn profile(&self) -> &dyn Profile {
        self.db.profile()
    }
    fn config(&self) -> Config {
        self.db.config()
    }
    fn height(&self) -> u64 {
        self.db.height()
    }
    fn oldest(&self) -> u64 {
        self.db.oldest()
    }
    fn horizon(&self) -> u64 {
        self.db.horizon()
    }
    fn has_pending(&self) -> bool {
        self.db.has_pending()
    }
    fn size(&self) -> u64 {
        self.db.size()
    }
    fn leaf_count(&self) -> u64 {
        self.db.leaf_count()
    }
    fn state(&self, at: At) -> Result<StateInfo, Error> {
        memo_read!(self, state, at, self.db.state(at))
    }
    fn root(&self, at: At) -> Result<Node, Error> {
        memo_read!(self, root, at, self.db.root(at))
    }
    fn node(&self, at: At, pos: u64) -> Result<Node, Error> {
        memo_read!(self, node, (at, pos), self.db.node(at, pos))
    }
    fn is_unspent(&self, at: At, index: u64) -> Result<bool, Error> {
        self.db.is_unspent(at, index)
    }
    fn leaf_set(&self, at: At) -> Result<Vec<u8>, Error> {
        memo_read!(self, leaf_set, at, self.db.leaf_set(at))
    }
    fn prune_list(&self) -> Vec<u8> {
        self.db.prune_list()
    }
    fn mmr_set(&self, height: u64) -> Result<MmrSet, Error> {
        memo_read!(self, mmr_set, height, self.db.mmr_set(height))
    }
    fn prove(&self, at: At, index: u64) -> Result<Proof, Error> {
        memo_read!(self, prove, (at, index), self.db.prove(at, index))
    }
    fn prove_batch(&self, at: At, indices: &[u64]) -> Result<BatchProof, Error> {
        self.db.prove_batch(at, indices)
    }
    fn verify_node(&self, root: &Node, proof: &Proof, leaf: &Node) -> Result<(), Error> {
        self.db.verify_node(root, proof, leaf)
    }
    fn verify(&self, root: &Node, proof: &Proof, data: &[u8], value: u64) -> Result<(), Error> {
        self.db.verify(root, proof, data, value)
    }
    fn verify_batch_nodes(
        &self,
        root: &Node,
        proof: &BatchProof,
        leaves: &[Node],
    ) -> Result<(), Error> {
        self.db.verify_batch_nodes(root, proof, leaves)
    }
    fn verify_batch(&self, root: &Node, proof: &BatchProof, leaves: &[Leaf]) -> Result<(), Error> {
        self.db.verify_batch(root, proof, leaves)
    }
    fn append(&mut self, data: &[u8], value: u64) -> Result<u64, Error> {
        self.forget_current();
        self.db.append(data, value)
    }
    fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), Error> {
        self.forget_current();
        self.db.update(index, data, value)
    }
    fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), Error> {
        self.forget_current();
        self.db.spend(index, data)
    }
    fn commit(&mut self) -> Result<BlockInfo, Error> {
        self.forget();
        self.db.commit()
    }
    fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, Error> {
        self.forget();
        self.db.apply_block(block)
    }
    fn rewind(&mut self, height: u64) -> Result<(), Error> {
        self.forget();
        self.db.rewind(height)
    }
    fn compact(&mut self, horizon: u64) -> Result<CompactReport, Error> {
        self.forget();
        self.db.compact(horizon)
    }
    fn unprune(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        self.forget();
        self.db.unprune(proof, leaf)
    }
}

/// The optimized implementation (in-memory store) under test.
pub struct OptSubject {
    profile: DynProfile,
    /// The database.
    pub db: Optimized<DynProfile>,
}

impl OptSubject {
    /// An empty optimized database.
    pub fn new(profile: DynProfile, config: Config) -> Self {
        OptSubject {
            profile,
            db: Optimized::with_profile(profile, config),
        }
    }
}

impl Subject for OptSubject {
    fn db(&self) -> &dyn ProofDb {
        &self.db
    }
    fn db_mut(&mut self) -> &mut dyn ProofDb {
        &mut self.db
    }
    fn new_client(&self, state: ClientState) -> Result<Box<dyn Client>, Error> {
        Ok(Box::new(OptimizedClient::with_profile(
            self.profile,
            state,
        )?))
    }
}
