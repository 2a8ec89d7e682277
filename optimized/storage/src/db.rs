//! [`PersistentDb`]: an `Optimized` database over a [`FileStore`] that makes every commit,
//! rewind and compaction durable, and the commit protocol shared with `MultiDb`
//! (STORAGE.md section 3 gives the protocol and the crash argument).
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{
    CHUNK, JOURNAL, Journal, JournalEntry, MANIFEST, MANIFEST_TMP, Manifest, SEQ_AT, Section,
    encode_done, encode_journal, open_ro, open_rw, read_journal,
};
use crate::io::{Fault, Io, join};
use crate::member::{Member, decode_record, is_generation_file, prefix_of, section_file_names};
use crate::store::FileStore;
use crate::sys::DirLock;
use mmr_optimized::Optimized;
use mmr_spec::{Block, BlockInfo, CompactReport, Config, Node, Profile, Proof, ProofDb};
use std::path::{Path, PathBuf};

const LOCK: &str = "LOCK";

/// Disk use of a store's files, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiskUsage {
    /// The hash files (current generation).
    pub hash: u64,
    /// The leaf sets (D20 layout).
    pub leaf_set: u64,
    /// The prune lists (D22 layout).
    pub prune_list: u64,
    /// The retained blocks' undo records.
    pub blocks: u64,
    /// The leaf data and its index.
    pub leaf_data: u64,
    /// The key tables.
    pub keys: u64,
    /// Manifest and journal.
    pub meta: u64,
}

impl DiskUsage {
    /// All files together.
    pub fn total(&self) -> u64 {
        self.hash
            + self.leaf_set
            + self.prune_list
            + self.blocks
            + self.leaf_data
            + self.keys
            + self.meta
    }
}

/// What a durable compaction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompactOutcome {
    /// The database's report (D21).
    pub report: CompactReport,
    /// Disk use before.
    pub before: DiskUsage,
    /// Disk use after (equal to `before` when the compaction waits for the next commit
    /// because the working state has uncommitted changes).
    pub after: DiskUsage,
    /// Whether the compaction is already durable.
    pub durable: bool,
}

/// What [`PersistentDb::verify`] checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Positions in the committed MMRs.
    pub positions: u64,
    /// Internal nodes re-hashed from their children.
    pub parents_checked: u64,
    /// Bytes whose checksums were recomputed.
    pub bytes_checked: u64,
}

/// The name of the profile the store in `dir` was created with (from its manifest, without
/// opening the store or taking its lock), so that a caller can pick the profile to open it
/// with.
pub fn store_profile(dir: &Path) -> Result<String, StorageError> {
    Ok(Manifest::read(dir)?.profile)
}

/// A store directory: its lock, write path, manifest and members, and the commit protocol
/// over all members at once.
pub(crate) struct Core<P: Profile> {
    pub dir: PathBuf,
    _lock: DirLock,
    pub io: Io,
    pub manifest: Manifest,
    pub members: Vec<Member<P>>,
    pub poisoned: bool,
}

fn lock(dir: &Path) -> Result<DirLock, StorageError> {
    let f = open_rw(dir, LOCK, true)?;
    DirLock::take(f).map_err(|e| {
        if e.kind() == std::io::ErrorKind::WouldBlock {
            StorageError::Locked
        } else {
            StorageError::io(LOCK, 0, &e)
        }
    })
}

/// The error for a manifest older than `file`, which shows commit or block `later`.
fn older(m: &Manifest, file: &str, later: u64) -> StorageError {
    StorageError::corrupt(
        MANIFEST,
        SEQ_AT,
        format!(
            "the manifest is older than {file}: it is commit {} at height {}, {file} shows {} \
             {later} (an older MANIFEST was put back)",
            m.seq,
            m.sections.first().map_or(0, |s| s.height),
            if file == JOURNAL { "commit" } else { "block" },
        ),
    )
}

/// The height of a complete block record just after the committed end of `blocks.log`, if
/// it is above the manifest's height: the manifest is older than the file.
fn later_block(dir: &Path, s: &Section) -> Result<Option<u64>, StorageError> {
    let fi = &s.files[3];
    let Ok(f) = open_ro(dir, &fi.name) else {
        return Ok(None); // reported when the file is opened
    };
    let actual = f
        .metadata()
        .map_err(|e| StorageError::io(&fi.name, 0, &e))?
        .len();
    if actual < fi.len + 8 {
        return Ok(None);
    }
    let n = u64::from_le_bytes(
        crate::files::read_at(&f, &fi.name, fi.len, 8)?
            .try_into()
            .unwrap_or([0; 8]),
    );
    if n > actual - fi.len - 8 {
        return Ok(None);
    }
    let body = crate::files::read_at(&f, &fi.name, fi.len + 8, n)?;
    Ok(decode_record(&body, &fi.name, fi.len + 8)
        .ok()
        .map(|rb| rb.height)
        .filter(|&h| h > s.height))
}

/// Puts back what an interrupted commit overwrote, from its complete undo journal. Every
/// entry is checked before anything is written: it names a file of this store (from the
/// manifest's fixed set, each once), its saved length is the file's committed length, its
/// ranges lie below it, and the saved bytes restore the committed checksum of every chunk
/// they touch. Anything else is corruption of the journal, at the entry's offset.
fn recover(
    dir: &Path,
    m: &Manifest,
    entries: &[JournalEntry],
    io: &mut Io,
) -> Result<(), StorageError> {
    let bad = |e: &JournalEntry, what: String| StorageError::corrupt(JOURNAL, e.at, what);
    let files: Vec<&crate::files::FileInfo> =
        m.sections.iter().flat_map(|s| s.files.iter()).collect();
    let mut opened = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(fi) = files.iter().find(|f| f.name == e.name) else {
            return Err(bad(
                e,
                format!("names {:?}, which is not a file of this store", e.name),
            ));
        };
        if entries[..i].iter().any(|o| o.name == e.name) {
            return Err(bad(e, format!("names {} twice", e.name)));
        }
        if e.old_len != fi.len {
            return Err(bad(
                e,
                format!(
                    "saves {} as {} bytes long, but its committed length is {}",
                    e.name, e.old_len, fi.len
                ),
            ));
        }
        if e.ranges.iter().any(|(off, b)| {
            off.checked_add(b.len() as u64)
                .is_none_or(|end| end > e.old_len)
        }) {
            return Err(bad(
                e,
                format!("saves bytes of {} beyond its committed length", e.name),
            ));
        }
        let f = match open_rw(dir, &e.name, false) {
            Ok(f) => f,
            Err(_) if e.old_len == 0 => continue,
            Err(err) => return Err(err),
        };
        let actual = f
            .metadata()
            .map_err(|x| StorageError::io(&e.name, 0, &x))?
            .len();
        let mut chunks: Vec<u64> = e
            .ranges
            .iter()
            .filter(|(_, b)| !b.is_empty())
            .flat_map(|(off, b)| off / CHUNK..=(off + b.len() as u64 - 1) / CHUNK)
            .collect();
        chunks.sort_unstable();
        chunks.dedup();
        for c in chunks {
            let off = c * CHUNK;
            let n = CHUNK.min(e.old_len - off);
            let mut buf = vec![0u8; n as usize];
            let have = actual.saturating_sub(off).min(n);
            if have > 0 {
                let b = crate::files::read_at(&f, &e.name, off, have)?;
                buf[..have as usize].copy_from_slice(&b);
            }
            for (r_off, b) in &e.ranges {
                let lo = (*r_off).max(off);
                let hi = (r_off + b.len() as u64).min(off + n);
                if lo < hi {
                    buf[(lo - off) as usize..(hi - off) as usize]
                        .copy_from_slice(&b[(lo - r_off) as usize..(hi - r_off) as usize]);
                }
            }
            if fi.crcs.get(c as usize) != Some(&crc32fast::hash(&buf)) {
                return Err(bad(
                    e,
                    format!(
                        "its saved bytes do not restore the committed chunk of {} at {off}: \
                         the journal is not the undo of this store's interrupted commit",
                        e.name
                    ),
                ));
            }
        }
        opened.push((f, e));
    }
    for (f, e) in opened {
        for (off, b) in &e.ranges {
            io.write_at(&f, &e.name, *off, b)?;
        }
        io.set_len(&f, &e.name, e.old_len)?;
        io.sync(&f, &e.name)?;
    }
    io.remove(&join(dir, JOURNAL))?;
    io.sync_dir(dir)
}

impl<P: Profile> Core<P> {
    /// A new store of the named members (`(name, keyed, profile)`).
    pub fn create(
        dir: &Path,
        members: Vec<(String, bool, P)>,
        config: Config,
        fault: Option<Fault>,
    ) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::io(".", 0, &e))?;
        let lock = lock(dir)?;
        if join(dir, MANIFEST).exists() {
            return Err(StorageError::corrupt(
                MANIFEST,
                0,
                "a store already exists here",
            ));
        }
        let mut io = Io::with_fault(fault);
        let profile = members
            .first()
            .map_or(String::new(), |m| m.2.name().to_string());
        let mut ms = Vec::new();
        for (name, keyed, p) in members {
            ms.push(Member::create(dir, &name, keyed, p, config, &mut io)?);
        }
        let mut core = Core {
            dir: dir.to_path_buf(),
            _lock: lock,
            io,
            manifest: Manifest {
                seq: 0,
                profile,
                retain: config.retain,
                sections: ms.iter().map(|m| m.section.clone()).collect(),
                at: Vec::new(),
            },
            members: ms,
            poisoned: false,
        };
        // Create: files first, the manifest last.
        core.manifest.write(&core.dir, &mut core.io)?;
        Ok(core)
    }

    /// Opens the store in `dir` at its last committed state, recovering from an interrupted
    /// commit and checking every file's length and checksums. `profile(i, name)` gives
    /// the profile of the i-th MMR, or the error that refuses the store.
    pub fn open(
        dir: &Path,
        profile_name: &str,
        mut profile: impl FnMut(usize, &str) -> Result<P, StorageError>,
        fault: Option<Fault>,
    ) -> Result<Self, StorageError> {
        let lock = lock(dir)?;
        let m = Manifest::read(dir)?;
        if m.profile != profile_name {
            return Err(StorageError::corrupt(
                MANIFEST,
                0,
                format!("the store uses profile {}, not {profile_name}", m.profile),
            ));
        }
        let mut io = Io::default();
        // Roll back an interrupted commit (section 3, step 3 reached but not step 5); a
        // journal of a later commit means that this manifest is an older one put back.
        match read_journal(dir)? {
            Journal::Done(seq) if seq > m.seq => return Err(older(&m, JOURNAL, seq)),
            Journal::Undo(seq, _) if seq > m.seq + 1 => return Err(older(&m, JOURNAL, seq - 1)),
            Journal::Undo(seq, entries) if seq == m.seq + 1 => {
                recover(dir, &m, &entries, &mut io)?;
            }
            _ => {}
        }
        // Files no manifest names: generations written by an interrupted compaction.
        let named: Vec<String> = m
            .sections
            .iter()
            .flat_map(|s| section_file_names(&prefix_of(&s.name), s.hash_gen, s.keyed))
            .collect();
        if let Ok(rd) = std::fs::read_dir(dir) {
            for ent in rd.flatten() {
                let name = ent.file_name().to_string_lossy().into_owned();
                let orphan = name == MANIFEST_TMP
                    || (!named.contains(&name)
                        && m.sections
                            .iter()
                            .any(|s| is_generation_file(&prefix_of(&s.name), &name)));
                if orphan {
                    io.remove(&ent.path())?;
                }
            }
        }
        for s in &m.sections {
            if let Some(h) = later_block(dir, s)? {
                return Err(older(&m, &s.files[3].name, h));
            }
        }
        let mut members = Vec::new();
        for (i, s) in m.sections.iter().enumerate() {
            let p = profile(i, &s.name)?;
            members.push(Member::open(dir, s, p, Config { retain: m.retain })?);
        }
        Ok(Core {
            dir: dir.to_path_buf(),
            _lock: lock,
            io: Io::with_fault(fault),
            manifest: m,
            members,
            poisoned: false,
        })
    }

    pub fn check(&self) -> Result<(), StorageError> {
        if self.poisoned {
            Err(StorageError::Poisoned)
        } else {
            Ok(())
        }
    }

    /// Disk use of the committed files of all members.
    pub fn disk_usage(&self) -> DiskUsage {
        let meta = [MANIFEST, JOURNAL]
            .iter()
            .filter_map(|n| std::fs::metadata(join(&self.dir, n)).ok())
            .map(|m| m.len())
            .sum();
        let mut u = DiskUsage {
            meta,
            ..DiskUsage::default()
        };
        for m in &self.members {
            let [h, l, p, b, d, k] = m.disk_usage();
            u.hash += h;
            u.leaf_set += l;
            u.prune_list += p;
            u.blocks += b;
            u.leaf_data += d;
            u.keys += k;
        }
        u
    }

    /// Makes the working state of every member (none has uncommitted changes) the
    /// committed one, atomically; a failure poisons the handle.
    pub fn persist(&mut self) -> Result<(), StorageError> {
        let r = self.persist_inner();
        if r.is_err() {
            self.poisoned = true;
        }
        r
    }

    fn persist_inner(&mut self) -> Result<(), StorageError> {
        let seq = self.manifest.seq + 1;
        // 1-2. Each member's new generation (written and synced) and file changes.
        let mut plans = Vec::new();
        for m in &self.members {
            plans.push(m.plan(&self.dir, &mut self.io)?);
        }
        // 3. The undo journal for commit `seq`, synced before any committed file is
        //    touched.
        let mut entries = Vec::new();
        for (m, p) in self.members.iter().zip(&plans) {
            entries.extend(m.journal(p)?);
        }
        let mut journal_len =
            std::fs::symlink_metadata(join(&self.dir, JOURNAL)).map_or(0, |m| m.len());
        if !entries.is_empty() {
            let j = encode_journal(seq, &entries);
            journal_len = j.len() as u64;
            let jf = open_rw(&self.dir, JOURNAL, true)?;
            self.io.write_at(&jf, JOURNAL, 0, &j)?;
            self.io.set_len(&jf, JOURNAL, j.len() as u64)?;
            self.io.sync(&jf, JOURNAL)?;
        }
        // 4. Every change at its offset, each changed file synced.
        for (m, p) in self.members.iter_mut().zip(&plans) {
            m.apply(&mut self.io, p)?;
        }
        // 5. The commit point: the new manifest replaces the old by rename(2), then the
        //    directory is synced.
        let mut man = Manifest {
            seq,
            profile: self.manifest.profile.clone(),
            retain: self.manifest.retain,
            sections: Vec::new(),
            at: Vec::new(),
        };
        for (m, p) in self.members.iter().zip(&plans) {
            man.sections.push(m.section_after(p));
        }
        man.write(&self.dir, &mut self.io)?;
        // 6. Committed: adopt the new state; drop old generations.
        for ((m, p), s) in self.members.iter_mut().zip(plans).zip(man.sections.clone()) {
            m.adopt(&self.dir, &mut self.io, p, s)?;
        }
        self.manifest = man;
        // The undo journal is for `seq`, now committed, so it is dead: it becomes the mark
        // that `seq` completed (so that an older manifest put back is recognised), which
        // also frees a large journal's space. No sync needed: a torn or lost mark is
        // ignored on open, and so is a journal for `seq`.
        let done = encode_done(seq);
        if let Ok(jf) = open_rw(&self.dir, JOURNAL, true) {
            let _ = self.io.write_at(&jf, JOURNAL, 0, &done);
            if journal_len != done.len() as u64 {
                let _ = self.io.set_len(&jf, JOURNAL, done.len() as u64);
            }
        }
        Ok(())
    }

    /// Every member's checks (see [`PersistentDb::verify`]).
    pub fn verify(&self) -> Result<VerifyReport, StorageError> {
        self.check()?;
        let mut r = VerifyReport {
            positions: 0,
            parents_checked: 0,
            bytes_checked: self.disk_usage().total(),
        };
        for m in &self.members {
            let (p, c) = m.verify()?;
            r.positions += p;
            r.parents_checked += c;
        }
        Ok(r)
    }
}

/// A file-backed MMR proof database: one MMR in a store directory.
pub struct PersistentDb<P: Profile> {
    core: Core<P>,
}

impl<P: Profile> PersistentDb<P> {
    /// Creates a new store in `dir` (created if missing; must not hold a store).
    pub fn create(dir: &Path, profile: P, config: Config) -> Result<Self, StorageError> {
        Self::create_with(dir, profile, config, None)
    }

    /// [`PersistentDb::create`] with an injected fault.
    pub fn create_with(
        dir: &Path,
        profile: P,
        config: Config,
        fault: Option<Fault>,
    ) -> Result<Self, StorageError> {
        let core = Core::create(dir, vec![(String::new(), false, profile)], config, fault)?;
        Ok(PersistentDb { core })
    }

    /// Opens the store in `dir` at its last committed state, recovering from an interrupted
    /// commit and checking every file's length and checksums.
    pub fn open(dir: &Path, profile: P) -> Result<Self, StorageError> {
        Self::open_with(dir, profile, None)
    }

    /// [`PersistentDb::open`] with an injected fault for later writes.
    pub fn open_with(dir: &Path, profile: P, fault: Option<Fault>) -> Result<Self, StorageError> {
        let name = profile.name().to_string();
        let mut p = Some(profile);
        let core = Core::open(
            dir,
            &name,
            |i, mmr| match (i, mmr, p.take()) {
                (0, "", Some(p)) => Ok(p),
                _ => Err(StorageError::Key {
                    mmr: mmr.to_string(),
                    what: "the store holds named MMRs; open it with MultiDb".into(),
                }),
            },
            fault,
        )?;
        Ok(PersistentDb { core })
    }

    fn m(&self) -> &Member<P> {
        &self.core.members[0]
    }

    fn m_mut(&mut self) -> &mut Member<P> {
        &mut self.core.members[0]
    }

    /// The in-memory database (reads of every retained state).
    pub fn db(&self) -> &Optimized<P, FileStore> {
        &self.m().db
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.core.dir
    }

    /// The manifest's commit sequence number (one per durable change).
    pub fn seq(&self) -> u64 {
        self.core.manifest.seq
    }

    /// Whether a failed write has poisoned this handle (reopen to continue).
    pub fn is_poisoned(&self) -> bool {
        self.core.poisoned
    }

    /// Write calls made so far (for placing injected faults).
    pub fn io_calls(&self) -> u64 {
        self.core.io.calls
    }

    /// Current generation of the hash and leaf-data files.
    pub fn generation(&self) -> u64 {
        self.m().section.hash_gen
    }

    /// Disk use of the committed files.
    pub fn disk_usage(&self) -> DiskUsage {
        self.core.disk_usage()
    }

    /// Leaf `index`'s data as it was appended (updates and spends change the leaf's hash,
    /// not this record); `pruned` once compaction dropped the leaf's node.
    pub fn leaf_data(&self, index: u64) -> Result<Vec<u8>, StorageError> {
        self.m().leaf_data(index)
    }

    // ----- mutations -----

    /// D12 append (durable at the next commit).
    pub fn append(&mut self, data: &[u8], value: u64) -> Result<u64, StorageError> {
        self.core.check()?;
        self.m_mut().append(None, data, value)
    }

    /// D12 update (durable at the next commit).
    pub fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), StorageError> {
        self.core.check()?;
        self.m_mut().update(index, data, value)
    }

    /// D12 spend (durable at the next commit).
    pub fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), StorageError> {
        self.core.check()?;
        self.m_mut().spend(index, data)
    }

    /// D16 commit, durable when it returns.
    pub fn commit(&mut self) -> Result<BlockInfo, StorageError> {
        self.core.check()?;
        let info = self.m_mut().db.commit()?;
        self.core.persist()?;
        Ok(info)
    }

    /// D16 apply_block, durable when it returns.
    pub fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, StorageError> {
        self.core.check()?;
        let info = self.m_mut().apply_block(block)?;
        self.core.persist()?;
        Ok(info)
    }

    /// D19 rewind, durable when it returns.
    pub fn rewind(&mut self, height: u64) -> Result<(), StorageError> {
        self.core.check()?;
        self.m_mut().rewind(height)?;
        self.core.persist()
    }

    /// D21 compaction; durable when it returns unless the working state has uncommitted
    /// changes (then with the next commit). Reports disk use before and after.
    pub fn compact(&mut self, horizon: u64) -> Result<CompactOutcome, StorageError> {
        self.core.check()?;
        let before = self.disk_usage();
        let report = self.m_mut().compact(horizon)?;
        let durable = !self.db().has_pending();
        if durable {
            self.core.persist()?;
        }
        Ok(CompactOutcome {
            report,
            before,
            after: self.disk_usage(),
            durable,
        })
    }

    /// D23 un-pruning; durable when it returns unless the working state has uncommitted
    /// changes (then with the next commit).
    pub fn unprune(&mut self, proof: &Proof, leaf: &Node) -> Result<u64, StorageError> {
        self.core.check()?;
        let n = self.m_mut().unprune(proof, leaf)?;
        if n > 0 && !self.db().has_pending() {
            self.core.persist()?;
        }
        Ok(n)
    }

    /// Recomputes every checksum, then every stored internal node's hash and value from its
    /// children's stored nodes (where neither child was dropped), then the root from the
    /// peaks, and the bounds of every leaf-data record. The first failure names the file
    /// and byte offset.
    pub fn verify(&self) -> Result<VerifyReport, StorageError> {
        self.core.verify()
    }
}
