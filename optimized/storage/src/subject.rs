//! [`PersistentDb`] behind the shared trait (`mmr_spec::ProofDb`), and as a
//! `mmr_spec::ops::Subject` for the differential tests.
#![forbid(unsafe_code)]

use crate::db::PersistentDb;
use crate::error::StorageError;
use mmr_optimized::OptimizedClient;
use mmr_spec::ops::Subject;
use mmr_spec::{
    At, BatchProof, Block, BlockInfo, Client, ClientState, CompactReport, Config, Error, MmrSet,
    Node, Profile, Proof, ProofDb, StateInfo,
};
use std::path::{Path, PathBuf};

/// The error a storage failure shows through the shared trait: the database's own error, or
/// `Error::Storage` (kind `storage`) with the file, byte offset and what went wrong. The
/// inherent methods of [`PersistentDb`] return the [`StorageError`] itself.
pub(crate) fn to_spec(e: StorageError) -> Error {
    e.into_spec()
}

impl<P: Profile> ProofDb for PersistentDb<P> {
    fn profile(&self) -> &dyn Profile {
        self.db().profile()
    }
    fn config(&self) -> Config {
        self.db().config()
    }
    fn height(&self) -> u64 {
        self.db().height()
    }
    fn oldest(&self) -> u64 {
        self.db().oldest()
    }
    fn horizon(&self) -> u64 {
        self.db().horizon()
    }
    fn has_pending(&self) -> bool {
        self.db().has_pending()
    }
    fn size(&self) -> u64 {
        self.db().size()
    }
    fn leaf_count(&self) -> u64 {
        self.db().leaf_count()
    }
    fn state(&self, at: At) -> Result<StateInfo, Error> {
        self.db().state(at)
    }
    fn root(&self, at: At) -> Result<Node, Error> {
        self.db().root(at)
    }
    fn node(&self, at: At, pos: u64) -> Result<Node, Error> {
        self.db().node(at, pos)
    }
    fn is_unspent(&self, at: At, index: u64) -> Result<bool, Error> {
        self.db().is_unspent(at, index)
    }
    fn leaf_set(&self, at: At) -> Result<Vec<u8>, Error> {
        self.db().leaf_set(at)
    }
    fn prune_list(&self) -> Vec<u8> {
        self.db().prune_list()
    }
    fn mmr_set(&self, height: u64) -> Result<MmrSet, Error> {
        self.db().mmr_set(height)
    }
    fn prove(&self, at: At, index: u64) -> Result<Proof, Error> {
        self.db().prove(at, index)
    }
    fn prove_batch(&self, at: At, indices: &[u64]) -> Result<BatchProof, Error> {
        self.db().prove_batch(at, indices)
    }
    fn verify_node(&self, root: &Node, proof: &Proof, leaf: &Node) -> Result<(), Error> {
        self.db().verify_node(root, proof, leaf)
    }
    fn verify_batch_nodes(
        &self,
        root: &Node,
        proof: &BatchProof,
        leaves: &[Node],
    ) -> Result<(), Error> {
        self.db().verify_batch_nodes(root, proof, leaves)
    }
    fn append(&mut self, data: &[u8], value: u64) -> Result<u64, Error> {
        PersistentDb::append(self, data, value).map_err(to_spec)
    }
    fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), Error> {
        PersistentDb::update(self, index, data, value).map_err(to_spec)
    }
    fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), Error> {
        PersistentDb::spend(self, index, data).map_err(to_spec)
    }
    fn commit(&mut self) -> Result<BlockInfo, Error> {
        PersistentDb::commit(self).map_err(to_spec)
    }
    fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, Error> {
        PersistentDb::apply_block(self, block).map_err(to_spec)
    }
    fn rewind(&mut self, height: u64) -> Result<(), Error> {
        PersistentDb::rewind(self, height).map_err(to_spec)
    }
    fn compact(&mut self, horizon: u64) -> Result<CompactReport, Error> {
        PersistentDb::compact(self, horizon)
            .map(|o| o.report)
            .map_err(to_spec)
    }
    fn unprune(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, Error> {
        PersistentDb::unprune(self, proof, leaf).map_err(to_spec)
    }
}

/// A [`PersistentDb`] as a subject of the op executor, over a run-time profile, able to
/// close and reopen itself between ops.
pub struct PersistentSubject {
    profile: &'static dyn Profile,
    dir: PathBuf,
    db: Option<PersistentDb<&'static dyn Profile>>,
    /// Reopens done so far.
    pub reopens: u64,
}

impl PersistentSubject {
    /// A new store in `dir`.
    pub fn create(
        dir: &Path,
        profile: &'static dyn Profile,
        config: Config,
    ) -> Result<Self, StorageError> {
        Ok(PersistentSubject {
            profile,
            dir: dir.to_path_buf(),
            db: Some(PersistentDb::create(dir, profile, config)?),
            reopens: 0,
        })
    }

    /// The store.
    pub fn store(&self) -> &PersistentDb<&'static dyn Profile> {
        self.db
            .as_ref()
            .unwrap_or_else(|| unreachable!("always open between calls"))
    }

    fn store_mut(&mut self) -> &mut PersistentDb<&'static dyn Profile> {
        self.db
            .as_mut()
            .unwrap_or_else(|| unreachable!("always open between calls"))
    }

    /// Closes and reopens the store: it returns to its last durable state (uncommitted
    /// changes are lost, as after a crash).
    pub fn reopen(&mut self) -> Result<(), StorageError> {
        self.db = None;
        self.db = Some(PersistentDb::open(&self.dir, self.profile)?);
        self.reopens += 1;
        Ok(())
    }
}

impl Subject for PersistentSubject {
    fn db(&self) -> &dyn ProofDb {
        self.store()
    }
    fn db_mut(&mut self) -> &mut dyn ProofDb {
        self.store_mut()
    }
    fn new_client(&self, state: ClientState) -> Result<Box<dyn Client>, Error> {
        Ok(Box::new(OptimizedClient::with_profile(
            self.profile,
            state,
        )?))
    }
}
