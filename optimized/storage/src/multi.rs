//! [`MultiDb`]: several named MMRs in one store directory, committed together by one
//! manifest (Mwc keeps outputs, range proofs and kernels; MWEB outputs and kernels), each
//! optionally with a key table (a leaf's key to its index and unspent status, like MWEB's
//! UTXO table) in the same atomic commit.
#![forbid(unsafe_code)]

use crate::db::{CheckpointPolicy, Core, DiskUsage, VerifyReport};
use crate::error::StorageError;
use crate::io::Fault;
use crate::keys::Key;
use crate::member::Member;
use crate::store::FileStore;
use crate::wal::End;
use mmr_optimized::Optimized;
use mmr_spec::{BlockInfo, CompactReport, Config, Profile, ProofDb};
use std::path::Path;

/// One MMR of a new [`MultiDb`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MmrSpec {
    /// Its name: 1 to 32 of `a-z`, `0-9`, `_`, `-` (its files are named `{name}.*`).
    pub name: String,
    /// Whether its leaves have keys (looked up with [`MultiDb::lookup`]).
    pub keyed: bool,
}

impl MmrSpec {
    /// An MMR without keys.
    pub fn plain(name: &str) -> MmrSpec {
        MmrSpec {
            name: name.into(),
            keyed: false,
        }
    }

    /// An MMR whose every leaf has a unique 32-byte key.
    pub fn keyed(name: &str) -> MmrSpec {
        MmrSpec {
            name: name.into(),
            keyed: true,
        }
    }
}

/// Where a key's leaf is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    /// The leaf's index.
    pub leaf: u64,
    /// Whether it is in the leaf set of the working state.
    pub unspent: bool,
}

/// Several named MMRs over one profile, in lock step: every commit makes one block in each
/// (a block may leave an MMR unchanged), and rewind and compaction apply to all. Every
/// commit, rewind and compaction is one atomic change of all of them: a reopened store is
/// exactly the last committed state of every MMR and every key table.
///
/// ```
/// use mmr_storage::{MmrSpec, MultiDb};
/// use mmr_optimized::Sha3Default;
/// use mmr_spec::Config;
/// # let dir = std::env::temp_dir().join(format!("mmr-multidb-doc-{}", std::process::id()));
/// # let _ = std::fs::remove_dir_all(&dir);
/// let mmrs = [MmrSpec::keyed("outputs"), MmrSpec::plain("kernels")];
/// let mut db = MultiDb::create(&dir, Sha3Default, Config::default(), &mmrs)?;
/// let coin = [7u8; 32];
/// db.append_keyed("outputs", &coin, b"output 7", 50)?;
/// db.append("kernels", b"kernel 1", 0)?;
/// db.commit()?;
/// drop(db);
/// let mut db = MultiDb::open(&dir, Sha3Default)?;
/// assert_eq!(db.lookup("outputs", &coin)?.map(|e| (e.leaf, e.unspent)), Some((0, true)));
/// db.spend_key("outputs", &coin, b"spent")?;
/// db.commit()?;
/// assert_eq!(db.lookup("outputs", &coin)?.map(|e| e.unspent), Some(false));
/// assert_eq!(db.leaf_data("kernels", 0)?, b"kernel 1");
/// # drop(db);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), mmr_storage::StorageError>(())
/// ```
pub struct MultiDb<P: Profile + Clone> {
    core: Core<P>,
}

use crate::files::valid_name;

impl<P: Profile + Clone> MultiDb<P> {
    /// Creates a store of the MMRs `mmrs` in `dir` (created if missing; must not hold a
    /// store).
    pub fn create(
        dir: &Path,
        profile: P,
        config: Config,
        mmrs: &[MmrSpec],
    ) -> Result<Self, StorageError> {
        Self::create_with(dir, profile, config, mmrs, None)
    }

    /// [`MultiDb::create`] with an injected fault.
    pub fn create_with(
        dir: &Path,
        profile: P,
        config: Config,
        mmrs: &[MmrSpec],
        fault: Option<Fault>,
    ) -> Result<Self, StorageError> {
        if mmrs.is_empty() {
            return Err(StorageError::Key {
                mmr: String::new(),
                what: "a store needs at least one MMR".into(),
            });
        }
        for (i, s) in mmrs.iter().enumerate() {
            if !valid_name(&s.name) {
                return Err(StorageError::Key {
                    mmr: s.name.clone(),
                    what: "an MMR name is 1 to 32 of a-z, 0-9, _ and -".into(),
                });
            }
            if mmrs[..i].iter().any(|o| o.name == s.name) {
                return Err(StorageError::Key {
                    mmr: s.name.clone(),
                    what: "two MMRs have this name".into(),
                });
            }
        }
        let members = mmrs
            .iter()
            .map(|s| (s.name.clone(), s.keyed, profile.clone()))
            .collect();
        Ok(MultiDb {
            core: Core::create(dir, members, config, fault)?,
        })
    }

    /// Opens the store in `dir` at its last committed state (see `PersistentDb::open`).
    pub fn open(dir: &Path, profile: P) -> Result<Self, StorageError> {
        Self::open_with(dir, profile, None)
    }

    /// [`MultiDb::open`] with an injected fault for later writes.
    pub fn open_with(dir: &Path, profile: P, fault: Option<Fault>) -> Result<Self, StorageError> {
        let name = profile.name().to_string();
        let core = Core::open(
            dir,
            &name,
            |_, mmr| {
                if mmr.is_empty() {
                    Err(StorageError::Key {
                        mmr: String::new(),
                        what: "the store holds one unnamed MMR; open it with PersistentDb".into(),
                    })
                } else {
                    Ok(profile.clone())
                }
            },
            fault,
        )?;
        Ok(MultiDb { core })
    }

    fn member(&self, name: &str) -> Result<&Member<P>, StorageError> {
        self.core
            .members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| no_such(name))
    }

    /// The position of the named MMR (checking that the handle is not poisoned).
    fn index(&self, name: &str) -> Result<usize, StorageError> {
        self.core.check()?;
        self.core
            .members
            .iter()
            .position(|m| m.name == name)
            .ok_or_else(|| no_such(name))
    }

    /// The MMRs' names, in creation order.
    pub fn names(&self) -> Vec<&str> {
        self.core.members.iter().map(|m| m.name.as_str()).collect()
    }

    /// The named MMR's database (reads of every retained state).
    pub fn db(&self, name: &str) -> Result<&Optimized<P, FileStore>, StorageError> {
        Ok(&self.member(name)?.db)
    }

    /// The height of the last committed block (the same in every MMR).
    pub fn height(&self) -> u64 {
        self.core.members[0].db.height()
    }

    /// The commit sequence number (one per durable change).
    pub fn seq(&self) -> u64 {
        self.core.seq
    }

    /// fsync and fdatasync calls made so far by this handle.
    pub fn sync_calls(&self) -> u64 {
        self.core.io.syncs
    }

    /// Sets when commits checkpoint (STORAGE.md section 3).
    pub fn set_checkpoint_policy(&mut self, policy: CheckpointPolicy) {
        self.core.policy = CheckpointPolicy {
            every: policy.every.max(1),
            ..policy
        };
    }

    /// Writes every committed change into the files now and restarts the log; false
    /// (nothing done) while an MMR has uncommitted changes.
    pub fn checkpoint(&mut self) -> Result<bool, StorageError> {
        self.core.check()?;
        if self.core.members.iter().any(|m| m.db.has_pending()) {
            return Ok(false);
        }
        self.core.checkpoint()?;
        Ok(true)
    }

    /// Whether a failed write has poisoned this handle (reopen to continue).
    pub fn is_poisoned(&self) -> bool {
        self.core.poisoned
    }

    /// Write calls made so far (for placing injected faults).
    pub fn io_calls(&self) -> u64 {
        self.core.io.calls
    }

    /// Disk use of all committed files.
    pub fn disk_usage(&self) -> DiskUsage {
        self.core.disk_usage()
    }

    /// D12 append to an MMR without keys (durable at the next commit).
    pub fn append(&mut self, name: &str, data: &[u8], value: u64) -> Result<u64, StorageError> {
        let m = self.index(name)?;
        let i = self.core.members[m].append(None, data, value)?;
        self.core.log.append(m, None, data, value);
        Ok(i)
    }

    /// D12 append of a leaf with a key, unique among the leaves of this MMR whose nodes are
    /// kept (a duplicate is refused).
    pub fn append_keyed(
        &mut self,
        name: &str,
        key: &Key,
        data: &[u8],
        value: u64,
    ) -> Result<u64, StorageError> {
        let m = self.index(name)?;
        let i = self.core.members[m].append(Some(key), data, value)?;
        self.core.log.append(m, Some(key), data, value);
        Ok(i)
    }

    /// D12 update.
    pub fn update(
        &mut self,
        name: &str,
        index: u64,
        data: &[u8],
        value: u64,
    ) -> Result<(), StorageError> {
        let m = self.index(name)?;
        self.core.members[m].update(index, data, value)?;
        self.core.log.update(m, index, data, value);
        Ok(())
    }

    /// D12 spend.
    pub fn spend(&mut self, name: &str, index: u64, data: &[u8]) -> Result<(), StorageError> {
        let m = self.index(name)?;
        self.core.members[m].spend(index, data)?;
        self.core.log.spend(m, index, data);
        Ok(())
    }

    /// D12 spend of the leaf holding `key`; returns its index.
    pub fn spend_key(&mut self, name: &str, key: &Key, data: &[u8]) -> Result<u64, StorageError> {
        let i = self.index(name)?;
        let m = &mut self.core.members[i];
        let Some((leaf, _)) = m.lookup(key)? else {
            return Err(StorageError::Key {
                mmr: name.into(),
                what: format!("no leaf has the key {}", mmr_spec::to_hex(key)),
            });
        };
        m.spend(leaf, data)?;
        self.core.log.spend(i, leaf, data);
        Ok(leaf)
    }

    /// The leaf holding `key` in the working state, and whether it is unspent. Keys of
    /// leaves whose node compaction dropped are gone.
    pub fn lookup(&self, name: &str, key: &Key) -> Result<Option<KeyEntry>, StorageError> {
        Ok(self
            .member(name)?
            .lookup(key)?
            .map(|(leaf, unspent)| KeyEntry { leaf, unspent }))
    }

    /// A leaf's data as appended (without its key).
    pub fn leaf_data(&self, name: &str, index: u64) -> Result<Vec<u8>, StorageError> {
        self.member(name)?.leaf_data(index)
    }

    /// D16 commit of every MMR (one block each, in creation order), durable and atomic
    /// when it returns.
    pub fn commit(&mut self) -> Result<Vec<BlockInfo>, StorageError> {
        self.core.check()?;
        let mut infos = Vec::new();
        for m in &mut self.core.members {
            match m.db.commit() {
                Ok(i) => infos.push(i),
                Err(e) => {
                    // The MMRs would no longer be in lock step.
                    self.core.poisoned = true;
                    return Err(e.into());
                }
            }
        }
        self.core.commit_logged(End::Commit, true)?;
        Ok(infos)
    }

    /// D19 rewind of every MMR, durable and atomic when it returns.
    pub fn rewind(&mut self, height: u64) -> Result<(), StorageError> {
        self.core.check()?;
        // The checks depend only on height, oldest and horizon, which all MMRs share, so a
        // refusal comes from the first MMR before anything changed.
        for (i, m) in self.core.members.iter_mut().enumerate() {
            if let Err(e) = m.rewind(height) {
                if i > 0 {
                    self.core.poisoned = true;
                }
                return Err(e);
            }
        }
        self.core.persist()
    }

    /// D21 compaction of every MMR; durable with it unless some MMR has uncommitted
    /// changes (then with the next commit). Returns each MMR's report and disk use before
    /// and after.
    pub fn compact(
        &mut self,
        horizon: u64,
    ) -> Result<(Vec<CompactReport>, DiskUsage, DiskUsage), StorageError> {
        self.core.check()?;
        // "Before" is the files with every commit in them.
        if self.core.members.iter().all(|m| !m.db.has_pending()) {
            self.core.checkpoint()?;
        }
        let before = self.disk_usage();
        let mut reports = Vec::new();
        for (i, m) in self.core.members.iter_mut().enumerate() {
            match m.compact(horizon) {
                Ok(r) => reports.push(r),
                Err(e) => {
                    if i > 0 {
                        self.core.poisoned = true;
                    }
                    return Err(e);
                }
            }
        }
        if self.core.members.iter().all(|m| !m.db.has_pending()) {
            self.core.persist()?;
        }
        Ok((reports, before, self.disk_usage()))
    }

    /// Recomputes every checksum, hash, record bound, leaf-data "dropped" mark and key-table
    /// entry of every MMR, whatever the log holds (see [`crate::PersistentDb::verify`]).
    pub fn verify(&self) -> Result<VerifyReport, StorageError> {
        self.core.verify()
    }
}

fn no_such(name: &str) -> StorageError {
    StorageError::Key {
        mmr: name.into(),
        what: "no MMR of this name in the store".into(),
    }
}
