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
use crate::layout::{is_generation_file, prefix_of, section_file_names};
use crate::member::{Member, decode_record};
use crate::store::FileStore;
use crate::sys::DirLock;
use crate::wal::{self, End, OpLog, WAL};
use mmr_optimized::Optimized;
use mmr_spec::At;
use mmr_spec::{Block, BlockInfo, CompactReport, Config, Node, Profile, Proof, ProofDb};
use std::fs::File;
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
    /// The last checkpoint.
    pub manifest: Manifest,
    pub members: Vec<Member<P>>,
    pub poisoned: bool,
    /// The last durable change: the checkpoint's seq, or a later log record's.
    pub seq: u64,
    wal: File,
    wal_end: u64,
    /// The highest seq known durable (the next record's `synced`).
    durable: u64,
    /// The CRC of the last record in the log (the next record's `prev`; 0 if none).
    prev_crc: u32,
    /// The operations of the block in progress.
    pub log: OpLog,
    /// Log records since the checkpoint.
    logged: u64,
    /// A record was written but not yet synced (group commit).
    unsynced: bool,
    /// When a commit checkpoints instead of only logging.
    pub policy: CheckpointPolicy,
    /// Log records replayed when the store was opened.
    pub replayed: u64,
    /// Opening rolled back an interrupted checkpoint from its undo journal.
    pub recovered: bool,
}

/// When a commit is a checkpoint (the full commit protocol, section 3) rather than one log
/// record: every `every` commits, or once the log holds `wal_bytes`, or once the changes
/// held in memory since the last checkpoint reach `memory_bytes`, or when a compaction or
/// un-pruning is waiting to be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointPolicy {
    /// Commits per checkpoint (1: every commit checkpoints; the log is then unused).
    pub every: u64,
    /// Log size that forces a checkpoint.
    pub wal_bytes: u64,
    /// Memory of the changes since the checkpoint (estimated) that forces one.
    pub memory_bytes: u64,
}

impl Default for CheckpointPolicy {
    fn default() -> Self {
        CheckpointPolicy {
            every: 128,
            wal_bytes: 16 << 20,
            memory_bytes: 64 << 20,
        }
    }
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

/// A file that fails its check while `journal.bin` holds an undo journal failing its own
/// checksum: a checkpoint was interrupted after writing committed bytes and its journal,
/// which was synced before them, was damaged since, so nothing could roll the file back.
/// The message says so (the file named is the one that differs).
fn journal_hint(e: StorageError) -> StorageError {
    match e {
        StorageError::Corrupt { file, offset, what } => StorageError::Corrupt {
            file,
            offset,
            what: format!(
                "{what}; {JOURNAL} holds an undo journal that fails its checksum (damaged \
                 after an interrupted checkpoint?), so this file could not be rolled back"
            ),
        },
        e => e,
    }
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
        let wal = crate::files::JFile::create(dir, WAL, &mut io)?.file;
        let mut core = Core {
            dir: dir.to_path_buf(),
            _lock: lock,
            seq: 0,
            wal,
            wal_end: wal::HEADER,
            durable: 0,
            prev_crc: 0,
            log: OpLog::default(),
            logged: 0,
            unsynced: false,
            policy: CheckpointPolicy::default(),
            replayed: 0,
            recovered: false,
            io,
            manifest: Manifest {
                seq: 0,
                profile,
                retain: config.retain,
                sections: ms.iter().map(|m| m.section.clone()).collect(),
                at: Vec::new(),
                fp: 0,
                retain_at: 0,
            },
            members: ms,
            poisoned: false,
        };
        // Create: files first, the manifest last.
        core.manifest.write(&core.dir, &mut core.io)?;
        let h = wal::header(0, core.manifest.fp);
        core.io.write_at(&core.wal, WAL, 0, &h)?;
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
        let mut recovered = false;
        let mut torn_journal = false;
        // Roll back an interrupted commit (section 3, step 3 reached but not step 5); a
        // journal of a later commit means that this manifest is an older one put back.
        match read_journal(dir)? {
            Journal::Torn => torn_journal = true,
            Journal::Done(seq) if seq > m.seq => return Err(older(&m, JOURNAL, seq)),
            Journal::Undo { base, .. } if base > m.seq => return Err(older(&m, JOURNAL, base)),
            Journal::Undo { seq, base, entries } if base == m.seq && seq > m.seq => {
                recover(dir, &m, &entries, &mut io)?;
                recovered = true;
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
            members.push(
                Member::open(dir, s, p, Config { retain: m.retain })
                    .map_err(|e| if torn_journal { journal_hint(e) } else { e })?,
            );
        }
        // The log: records after this checkpoint are replayed; a log that follows a later
        // checkpoint means that this manifest is an older one put back.
        let bytes = crate::files::read_whole(dir, WAL)?.unwrap_or_default();
        let log = wal::read(&bytes, m.seq, m.fp).map_err(|e| match e {
            Err(e) => e,
            Ok(wal::Mismatch::Older(base)) => older(&m, WAL, base),
            Ok(wal::Mismatch::Ahead { seq, at }) => StorageError::corrupt(
                MANIFEST,
                SEQ_AT,
                format!(
                    "the manifest is ahead of its log: it is commit {}, but {WAL} holds the \
                     record of commit {seq} (at byte {at}) of the checkpoint before it, \
                     which that checkpoint would have included",
                    m.seq
                ),
            ),
            Ok(wal::Mismatch::Edited { at }) => StorageError::corrupt(
                MANIFEST,
                0,
                format!(
                    "the manifest is not the one its log follows: {WAL} (at byte {at}) \
                     follows another manifest of commit {} (a field was edited)",
                    m.seq
                ),
            ),
        })?;
        drop(bytes);
        let wal_file = open_rw(dir, WAL, true)?;
        let mut core = Core {
            dir: dir.to_path_buf(),
            _lock: lock,
            io: Io::default(),
            seq: m.seq,
            wal: wal_file,
            wal_end: wal::HEADER,
            durable: m.seq,
            prev_crc: 0,
            log: OpLog::default(),
            logged: 0,
            unsynced: false,
            policy: CheckpointPolicy::default(),
            replayed: 0,
            recovered,
            manifest: m,
            members,
            poisoned: false,
        };
        for r in &log.records {
            core.replay(r)?;
        }
        core.wal_end = log.end;
        core.prev_crc = log.last_crc;
        if !log.records.is_empty() {
            // The replayed records may be in the page cache only (a kill before their
            // fdatasync); made durable now, the next record can say so (its `synced`).
            core.io.sync_data(&core.wal, WAL)?;
        }
        core.durable = core.seq;
        if !log.header_current {
            // No log, a damaged header or one of an earlier checkpoint: this checkpoint's
            // (not synced: the next record's fdatasync makes it durable).
            let h = wal::header(core.manifest.seq, core.manifest.fp);
            core.io.write_at(&core.wal, WAL, 0, &h)?;
        }
        core.io = Io::with_fault(fault);
        Ok(core)
    }

    /// Replays one log record through the code that made it; it must end at the heights
    /// and roots it records.
    fn replay(&mut self, r: &wal::Record) -> Result<(), StorageError> {
        let bad = |what: String| StorageError::corrupt(WAL, r.at, what);
        let n = self.members.len();
        let member = |mmr: u32| {
            if (mmr as usize) < n {
                Ok(mmr as usize)
            } else {
                Err(bad(format!("names MMR {mmr} of {n}")))
            }
        };
        let fail =
            |e: StorageError| bad(format!("record of commit {} does not replay: {e}", r.seq));
        for op in &r.ops {
            match op {
                wal::Op::Append {
                    mmr,
                    key,
                    data,
                    value,
                } => {
                    let i = member(*mmr)?;
                    self.members[i]
                        .append(key.as_ref(), data, *value)
                        .map_err(fail)?;
                }
                wal::Op::Update {
                    mmr,
                    index,
                    data,
                    value,
                } => {
                    let i = member(*mmr)?;
                    self.members[i].update(*index, data, *value).map_err(fail)?;
                }
                wal::Op::Spend { mmr, index, data } => {
                    let i = member(*mmr)?;
                    self.members[i].spend(*index, data).map_err(fail)?;
                }
                wal::Op::Block { mmr, block } => {
                    let i = member(*mmr)?;
                    self.members[i].apply_block(block).map_err(fail)?;
                }
            }
        }
        if r.end == End::Commit {
            for m in &mut self.members {
                m.db.commit().map_err(|e| fail(e.into()))?;
            }
        }
        if self.tips() != r.tips {
            return Err(bad(format!(
                "replaying the record of commit {} does not give the heights and roots it records",
                r.seq
            )));
        }
        self.seq = r.seq;
        self.logged += 1;
        self.replayed += 1;
        Ok(())
    }

    /// Each member's height and root.
    fn tips(&self) -> Vec<(u64, Option<mmr_spec::Node>)> {
        self.members
            .iter()
            .map(|m| (m.db.height(), m.db.root(At::Block(m.db.height())).ok()))
            .collect()
    }

    /// Makes the block just committed in every member durable: one log record and one
    /// fdatasync (none if `sync` is false: group commit, see [`Core::flush`]), or a
    /// checkpoint when the policy says so. A failure poisons the handle.
    pub fn commit_logged(&mut self, end: End, sync: bool) -> Result<(), StorageError> {
        let r = self.commit_logged_inner(end, sync);
        if r.is_err() {
            self.poisoned = true;
        }
        r
    }

    fn commit_logged_inner(&mut self, end: End, sync: bool) -> Result<(), StorageError> {
        let due = self.logged + 1 >= self.policy.every
            || self.wal_end >= self.policy.wal_bytes
            || self.members.iter().any(Member::needs_rewrite)
            || self.members.iter().map(Member::pending_bytes).sum::<u64>()
                >= self.policy.memory_bytes;
        if due {
            return self.persist_inner();
        }
        let seq = self.seq + 1;
        let tips = self.tips();
        let link = wal::Link {
            base: self.manifest.seq,
            fp: self.manifest.fp,
            synced: self.durable,
            prev: self.prev_crc,
        };
        let rec = self.log.record(seq, link, end, &tips);
        self.io.write_at(&self.wal, WAL, self.wal_end, &rec)?;
        self.prev_crc = wal::crc_of(&rec);
        self.wal_end += rec.len() as u64;
        self.logged += 1;
        self.seq = seq;
        self.unsynced = true;
        if sync {
            self.flush()?;
        }
        Ok(())
    }

    /// Syncs log records written without a sync (group commit).
    pub fn flush(&mut self) -> Result<(), StorageError> {
        if self.unsynced {
            let r = self.io.sync_data(&self.wal, WAL);
            if r.is_err() {
                self.poisoned = true;
            }
            r?;
            self.unsynced = false;
            self.durable = self.seq;
        }
        Ok(())
    }

    /// A checkpoint now if there are log records (every member without pending changes).
    pub fn checkpoint(&mut self) -> Result<(), StorageError> {
        if self.logged == 0 && !self.members.iter().any(Member::needs_rewrite) {
            return Ok(());
        }
        self.persist()
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
        let meta = [MANIFEST, JOURNAL, WAL]
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
        let seq = self.seq + 1;
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
            let j = encode_journal(seq, self.manifest.seq, &entries);
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
            fp: 0,
            retain_at: 0,
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
        // The log restarts after this checkpoint (section 3): its old records are for
        // commits up to `seq`, which the manifest now holds, and name the old checkpoint.
        // No sync: the header is a hint (records name their checkpoint themselves), and
        // the next record's fdatasync makes it durable.
        self.seq = seq;
        self.durable = seq;
        self.prev_crc = 0;
        self.logged = 0;
        self.log.clear();
        self.unsynced = false;
        self.wal_end = wal::HEADER;
        let h = wal::header(seq, self.manifest.fp);
        self.io.write_at(&self.wal, WAL, 0, &h)?;
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
        let current = self.logged == 0;
        for m in &self.members {
            let (p, c) = m.verify(current)?;
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

    /// The commit sequence number (one per durable change: log record or checkpoint).
    pub fn seq(&self) -> u64 {
        self.core.seq
    }

    /// Whether a failed write has poisoned this handle (reopen to continue).
    pub fn is_poisoned(&self) -> bool {
        self.core.poisoned
    }

    /// Write calls made so far (for placing injected faults).
    pub fn io_calls(&self) -> u64 {
        self.core.io.calls
    }

    /// fsync and fdatasync calls made so far by this handle (files and directory).
    pub fn sync_calls(&self) -> u64 {
        self.core.io.syncs
    }

    /// Log records replayed when this handle opened the store.
    pub fn replayed(&self) -> u64 {
        self.core.replayed
    }

    /// Whether this handle's open rolled back an interrupted checkpoint (its journal).
    pub fn recovered_checkpoint(&self) -> bool {
        self.core.recovered
    }

    /// When commits checkpoint (STORAGE.md section 3).
    pub fn checkpoint_policy(&self) -> CheckpointPolicy {
        self.core.policy
    }

    /// Sets when commits checkpoint.
    pub fn set_checkpoint_policy(&mut self, policy: CheckpointPolicy) {
        self.core.policy = CheckpointPolicy {
            every: policy.every.max(1),
            ..policy
        };
    }

    /// Writes every committed change into the store's files now (a checkpoint) and
    /// restarts the log. Returns false (and does nothing) while there are uncommitted
    /// changes; a no-op without log records.
    pub fn checkpoint(&mut self) -> Result<bool, StorageError> {
        self.core.check()?;
        if self.db().has_pending() {
            return Ok(false);
        }
        self.core.checkpoint()?;
        Ok(true)
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
        let i = self.m_mut().append(None, data, value)?;
        self.core.log.append(0, None, data, value);
        Ok(i)
    }

    /// D12 update (durable at the next commit).
    pub fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), StorageError> {
        self.core.check()?;
        self.m_mut().update(index, data, value)?;
        self.core.log.update(0, index, data, value);
        Ok(())
    }

    /// D12 spend (durable at the next commit).
    pub fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), StorageError> {
        self.core.check()?;
        self.m_mut().spend(index, data)?;
        self.core.log.spend(0, index, data);
        Ok(())
    }

    /// D16 commit, durable when it returns: one log record and one fdatasync, or a
    /// checkpoint when one is due.
    pub fn commit(&mut self) -> Result<BlockInfo, StorageError> {
        self.core.check()?;
        let info = self.m_mut().db.commit()?;
        self.core.commit_logged(End::Commit, true)?;
        Ok(info)
    }

    /// D16 apply_block, durable when it returns.
    pub fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, StorageError> {
        self.core.check()?;
        let info = self.m_mut().apply_block(block)?;
        self.core.log.block(0, block);
        self.core.commit_logged(End::Block, true)?;
        Ok(info)
    }

    /// Group commit: D16 apply_block of each block in order, all durable when it returns,
    /// with one fdatasync for all of them (one log record each). On a refused block the
    /// blocks before it stay applied (and are made durable) and the error is returned.
    pub fn apply_blocks(&mut self, blocks: &[Block]) -> Result<Vec<BlockInfo>, StorageError> {
        self.core.check()?;
        let mut infos = Vec::with_capacity(blocks.len());
        let mut err = None;
        for block in blocks {
            match self.m_mut().apply_block(block) {
                Ok(info) => {
                    self.core.log.block(0, block);
                    self.core.commit_logged(End::Block, false)?;
                    infos.push(info);
                }
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        self.core.flush()?;
        match err {
            Some(e) => Err(e),
            None => Ok(infos),
        }
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
        // "Before" is the files with every commit in them.
        if !self.db().has_pending() {
            self.core.checkpoint()?;
        }
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
    /// peaks, every leaf-data record's bounds (and hash, for a leaf never changed), and the
    /// index's "dropped" marks against the prune list and the leaf set, whatever the log
    /// holds. The first failure names the file and byte offset.
    pub fn verify(&self) -> Result<VerifyReport, StorageError> {
        self.core.verify()
    }
}
