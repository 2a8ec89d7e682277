//! [`PersistentDb`]: an `Optimized` database over a [`FileStore`] that makes every commit,
//! rewind and compaction durable (STORAGE.md section 3 gives the protocol and the crash
//! argument).
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{
    Change, FileInfo, JFile, JOURNAL, JournalEntry, MANIFEST_TMP, Manifest, R, W, encode_journal,
    open_rw, read_at, read_journal,
};
use crate::io::{Fault, Io, join};
use crate::store::{FileStore, Gaps, HashPlan, hash_file_name};
use crate::sys::DirLock;
use mmr_optimized::{Bits, Optimized, Persisted, RetainedBlock, index};
use mmr_spec::{
    At, Block, BlockInfo, BlockOp, CompactReport, Config, Node, Profile, Proof, ProofDb,
};
use std::path::{Path, PathBuf};

pub(crate) const LEAFSET: &str = "leafset.bin";
pub(crate) const PRUNELIST: &str = "prunelist.bin";
pub(crate) const BLOCKS: &str = "blocks.log";
const LOCK: &str = "LOCK";

/// Disk use of a store's files, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiskUsage {
    /// The hash file (current generation).
    pub hash: u64,
    /// The leaf set (D20 layout).
    pub leaf_set: u64,
    /// The prune list (D22 layout).
    pub prune_list: u64,
    /// The retained blocks' undo records.
    pub blocks: u64,
    /// Manifest and journal.
    pub meta: u64,
}

impl DiskUsage {
    /// All files together.
    pub fn total(&self) -> u64 {
        self.hash + self.leaf_set + self.prune_list + self.blocks + self.meta
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

/// A record's position in `blocks.log`.
#[derive(Clone, Copy, Debug)]
struct RecordAt {
    height: u64,
    off: u64,
    end: u64,
}

/// A file-backed MMR proof database.
pub struct PersistentDb<P: Profile> {
    dir: PathBuf,
    _lock: DirLock,
    io: Io,
    db: Optimized<P, FileStore>,
    leafset: JFile,
    prunelist: JFile,
    blocks: JFile,
    manifest: Manifest,
    records: Vec<RecordAt>,
    /// Leaves whose bit may differ from the leaf-set file.
    dirty_leaves: Vec<u64>,
    prune_dirty: bool,
    poisoned: bool,
}

fn encode_record(b: &RetainedBlock) -> Vec<u8> {
    let mut w = W(Vec::new());
    for x in [b.height, b.prev_size, b.prev_leaves, b.size, b.leaves] {
        w.u64(x);
    }
    w.opt_node(b.prev_root.as_ref());
    w.node(&b.root);
    w.u64(b.changed.len() as u64);
    for (p, n) in &b.changed {
        w.u64(*p);
        w.node(n);
    }
    w.u64(b.spent.len() as u64);
    for s in &b.spent {
        w.u64(*s);
    }
    let body = w.seal();
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn decode_record(b: &[u8], base: u64) -> Result<RetainedBlock, StorageError> {
    let mut r = R::sealed(b, BLOCKS, base)?;
    let mut rb = RetainedBlock {
        height: r.u64()?,
        prev_size: r.u64()?,
        prev_leaves: r.u64()?,
        size: r.u64()?,
        leaves: r.u64()?,
        prev_root: r.opt_node()?,
        root: r.node()?,
        changed: Vec::new(),
        spent: Vec::new(),
    };
    let n = r.u64()?;
    for _ in 0..n {
        let p = r.u64()?;
        rb.changed.push((p, r.node()?));
    }
    let n = r.u64()?;
    for _ in 0..n {
        rb.spent.push(r.u64()?);
    }
    r.done()?;
    Ok(rb)
}

/// D20 leaf-set byte i/8 of `bits` (MSB-first).
fn leaf_byte(bits: &Bits, b: u64) -> u8 {
    let mut x = 0u8;
    for k in 0..8 {
        if bits.get(8 * b + k) {
            x |= 0x80 >> k;
        }
    }
    x
}

fn parse_leaf_set(bytes: &[u8], leaves: u64) -> Result<Bits, StorageError> {
    if bytes.len() < 8 {
        return Err(StorageError::corrupt(LEAFSET, 0, "shorter than its count"));
    }
    let mut c = [0u8; 8];
    c.copy_from_slice(&bytes[..8]);
    let n = u64::from_le_bytes(c);
    if n != leaves || bytes.len() as u64 != 8 + n.div_ceil(8) {
        return Err(StorageError::corrupt(
            LEAFSET,
            0,
            format!(
                "count {n} and length {} disagree with {leaves} committed leaves",
                bytes.len()
            ),
        ));
    }
    let mut bits = Bits::new();
    bits.resize(n);
    for (i, &byte) in bytes[8..].iter().enumerate() {
        if byte == 0 {
            continue;
        }
        for k in 0..8u64 {
            if byte & (0x80 >> k) != 0 {
                let leaf = 8 * i as u64 + k;
                if leaf >= n {
                    return Err(StorageError::corrupt(
                        LEAFSET,
                        8 + i as u64,
                        "bit set beyond the leaf count",
                    ));
                }
                bits.set(leaf, true);
            }
        }
    }
    Ok(bits)
}

fn parse_prune_list(bytes: &[u8], horizon_leaves: u64) -> Result<Bits, StorageError> {
    if bytes.len() as u64 != (2 * horizon_leaves).div_ceil(8) {
        return Err(StorageError::corrupt(
            PRUNELIST,
            0,
            "length disagrees with the horizon's leaf count",
        ));
    }
    let mut bits = Bits::new();
    for (i, &byte) in bytes.iter().enumerate() {
        for k in 0..8u64 {
            if byte & (0x80 >> k) != 0 {
                bits.set(8 * i as u64 + k, true);
            }
        }
    }
    Ok(bits)
}

/// Writes of single bytes, coalesced into runs.
fn runs(mut items: Vec<(u64, u8)>) -> Vec<(u64, Vec<u8>)> {
    items.sort_unstable_by_key(|e| e.0);
    items.dedup_by_key(|e| e.0);
    let mut out: Vec<(u64, Vec<u8>)> = Vec::new();
    for (off, b) in items {
        match out.last_mut() {
            Some((o, v)) if *o + v.len() as u64 == off => v.push(b),
            _ => out.push((off, vec![b])),
        }
    }
    out
}

/// The name of the profile the store in `dir` was created with (from its manifest, without
/// opening the store or taking its lock), so that a caller can pick the profile to open it
/// with.
pub fn store_profile(dir: &Path) -> Result<String, StorageError> {
    Ok(Manifest::read(dir)?.profile)
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
        std::fs::create_dir_all(dir).map_err(|e| StorageError::io(".", 0, &e))?;
        let lock = Self::lock(dir)?;
        if join(dir, crate::files::MANIFEST).exists() {
            return Err(StorageError::corrupt(
                crate::files::MANIFEST,
                0,
                "a store already exists here",
            ));
        }
        let mut io = Io::with_fault(fault);
        let hash = JFile::create(dir, &hash_file_name(0), &mut io)?;
        let mut leafset = JFile::create(dir, LEAFSET, &mut io)?;
        let prunelist = JFile::create(dir, PRUNELIST, &mut io)?;
        let blocks = JFile::create(dir, BLOCKS, &mut io)?;
        leafset.apply(
            &mut io,
            &Change {
                writes: vec![(0, 0u64.to_le_bytes().to_vec())],
                new_len: 8,
            },
        )?;
        for f in [&hash, &leafset, &prunelist, &blocks] {
            io.sync(&f.file, &f.name)?;
        }
        let store = FileStore::new(hash, 0, Gaps::default(), 0)?;
        let db = Optimized::with_parts(profile, store, config);
        let mut s = PersistentDb {
            dir: dir.to_path_buf(),
            _lock: lock,
            io,
            db,
            leafset,
            prunelist,
            blocks,
            manifest: Manifest::default(),
            records: Vec::new(),
            dirty_leaves: Vec::new(),
            prune_dirty: false,
            poisoned: false,
        };
        let mut m = s.next_manifest(0, 0);
        m.files = s.file_infos(None);
        m.write(&s.dir, &mut s.io)?;
        s.manifest = m;
        Ok(s)
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

    /// Opens the store in `dir` at its last committed state, recovering from an interrupted
    /// commit and checking every file's length and checksums.
    pub fn open(dir: &Path, profile: P) -> Result<Self, StorageError> {
        Self::open_with(dir, profile, None)
    }

    /// [`PersistentDb::open`] with an injected fault for later writes.
    pub fn open_with(dir: &Path, profile: P, fault: Option<Fault>) -> Result<Self, StorageError> {
        let lock = Self::lock(dir)?;
        let m = Manifest::read(dir)?;
        if m.profile != profile.name() {
            return Err(StorageError::corrupt(
                crate::files::MANIFEST,
                0,
                format!(
                    "the store uses profile {}, not {}",
                    m.profile,
                    profile.name()
                ),
            ));
        }
        let mut io = Io::default();
        // Roll back an interrupted commit (section 3, step 2 reached but not step 4).
        if let Some(entries) = read_journal(dir, m.seq + 1) {
            for e in &entries {
                let f = match open_rw(dir, &e.name, false) {
                    Ok(f) => f,
                    Err(_) if e.old_len == 0 => continue,
                    Err(err) => return Err(err),
                };
                for (off, b) in &e.ranges {
                    io.write_at(&f, &e.name, *off, b)?;
                }
                io.set_len(&f, &e.name, e.old_len)?;
                io.sync(&f, &e.name)?;
            }
            io.remove(&join(dir, JOURNAL))?;
            io.sync_dir(dir)?;
        }
        // Files no manifest names: a generation written by an interrupted compaction.
        let current = hash_file_name(m.hash_gen);
        if let Ok(rd) = std::fs::read_dir(dir) {
            for ent in rd.flatten() {
                let name = ent.file_name().to_string_lossy().into_owned();
                if (name.starts_with("hash.") && name.ends_with(".bin") && name != current)
                    || name == MANIFEST_TMP
                {
                    io.remove(&ent.path())?;
                }
            }
        }
        if m.files.len() != 4 {
            return Err(StorageError::corrupt(
                crate::files::MANIFEST,
                0,
                "wrong number of files",
            ));
        }
        let names = [current.as_str(), LEAFSET, PRUNELIST, BLOCKS];
        let mut jfs = Vec::new();
        for (fi, name) in m.files.iter().zip(names) {
            if fi.name != name {
                return Err(StorageError::corrupt(
                    crate::files::MANIFEST,
                    0,
                    format!("unexpected file {}", fi.name),
                ));
            }
            jfs.push(JFile::open(dir, name, fi.len, fi.crcs.clone(), true)?);
        }
        let blocks = jfs.pop().unwrap_or_else(|| unreachable!());
        let prunelist = jfs.pop().unwrap_or_else(|| unreachable!());
        let leafset = jfs.pop().unwrap_or_else(|| unreachable!());
        let hash = jfs.pop().unwrap_or_else(|| unreachable!());
        let leaf_set = parse_leaf_set(&read_at(&leafset.file, LEAFSET, 0, leafset.len)?, m.leaves)?;
        let pruned = parse_prune_list(
            &read_at(&prunelist.file, PRUNELIST, 0, prunelist.len)?,
            m.horizon_leaves,
        )?;
        let mut records = Vec::new();
        let mut retained = Vec::new();
        let mut off = m.blocks_start;
        while off < blocks.len {
            let n = u64::from_le_bytes(
                read_at(&blocks.file, BLOCKS, off, 8)?
                    .try_into()
                    .unwrap_or([0; 8]),
            );
            if n > blocks.len - off - 8 {
                return Err(StorageError::corrupt(
                    BLOCKS,
                    off,
                    "record length beyond the file",
                ));
            }
            let rb = decode_record(&read_at(&blocks.file, BLOCKS, off + 8, n)?, off + 8)?;
            records.push(RecordAt {
                height: rb.height,
                off,
                end: off + 8 + n,
            });
            retained.push(rb);
            off += 8 + n;
        }
        let gaps = Gaps::from_bits(&pruned, m.size);
        let store = FileStore::new(hash, m.hash_gen, gaps, m.size)?;
        let state = Persisted {
            height: m.height,
            oldest: m.oldest,
            horizon: m.horizon,
            horizon_leaves: m.horizon_leaves,
            tip_root: m.root,
            leaf_set,
            pruned,
            blocks: retained,
        };
        let db = Optimized::restore(profile, store, Config { retain: m.retain }, state)
            .map_err(|e| StorageError::corrupt(crate::files::MANIFEST, 0, e))?;
        // The root recomputed from the stored peaks must be the committed one (and exist
        // exactly when the manifest says it does).
        if db.root(At::Current).ok() != m.root {
            let peak = index::peaks(m.size).and_then(|mut p| p.next()).unwrap_or(0);
            return Err(StorageError::corrupt(
                &current,
                db.store().offset_of(peak),
                "the stored peaks do not give the committed root",
            ));
        }
        io = Io::with_fault(fault);
        Ok(PersistentDb {
            dir: dir.to_path_buf(),
            _lock: lock,
            io,
            db,
            leafset,
            prunelist,
            blocks,
            manifest: m,
            records,
            dirty_leaves: Vec::new(),
            prune_dirty: false,
            poisoned: false,
        })
    }

    /// The in-memory database (reads of every retained state).
    pub fn db(&self) -> &Optimized<P, FileStore> {
        &self.db
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The manifest's commit sequence number (one per durable change).
    pub fn seq(&self) -> u64 {
        self.manifest.seq
    }

    /// Whether a failed write has poisoned this handle (reopen to continue).
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    /// Write calls made so far (for placing injected faults).
    pub fn io_calls(&self) -> u64 {
        self.io.calls
    }

    /// Current generation of the hash file.
    pub fn generation(&self) -> u64 {
        self.manifest.hash_gen
    }

    /// Disk use of the committed files.
    pub fn disk_usage(&self) -> DiskUsage {
        let meta = ["MANIFEST", JOURNAL]
            .iter()
            .filter_map(|n| std::fs::metadata(join(&self.dir, n)).ok())
            .map(|m| m.len())
            .sum();
        DiskUsage {
            hash: self.db.store().file.len,
            leaf_set: self.leafset.len,
            prune_list: self.prunelist.len,
            blocks: self.blocks.len - self.manifest.blocks_start,
            meta,
        }
    }

    fn check(&self) -> Result<(), StorageError> {
        if self.poisoned {
            Err(StorageError::Poisoned)
        } else {
            Ok(())
        }
    }

    // ----- mutations -----

    /// D12 append (durable at the next commit).
    pub fn append(&mut self, data: &[u8], value: u64) -> Result<u64, StorageError> {
        self.check()?;
        Ok(self.db.append(data, value)?)
    }

    /// D12 update (durable at the next commit).
    pub fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), StorageError> {
        self.check()?;
        Ok(self.db.update(index, data, value)?)
    }

    /// D12 spend (durable at the next commit).
    pub fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), StorageError> {
        self.check()?;
        self.db.spend(index, data)?;
        self.dirty_leaves.push(index);
        Ok(())
    }

    /// D16 commit, durable when it returns.
    pub fn commit(&mut self) -> Result<BlockInfo, StorageError> {
        self.check()?;
        let info = self.db.commit()?;
        self.persist()?;
        Ok(info)
    }

    /// D16 apply_block, durable when it returns.
    pub fn apply_block(&mut self, block: &Block) -> Result<BlockInfo, StorageError> {
        self.check()?;
        for op in &block.ops {
            if let BlockOp::Spend { index, .. } = op {
                self.dirty_leaves.push(*index);
            }
        }
        let info = self.db.apply_block(block)?;
        self.persist()?;
        Ok(info)
    }

    /// D19 rewind, durable when it returns.
    pub fn rewind(&mut self, height: u64) -> Result<(), StorageError> {
        self.check()?;
        let top = self.db.height();
        for h in height.saturating_add(1)..=top {
            if let Some(rb) = self.db.retained_block(h) {
                self.dirty_leaves.extend_from_slice(&rb.spent);
            }
        }
        self.db.rewind(height)?;
        self.persist()
    }

    /// D21 compaction; durable when it returns unless the working state has uncommitted
    /// changes (then with the next commit). Reports disk use before and after.
    pub fn compact(&mut self, horizon: u64) -> Result<CompactOutcome, StorageError> {
        self.check()?;
        let before = self.disk_usage();
        let report = self.db.compact(horizon)?;
        self.prune_dirty = true;
        let durable = !self.db.has_pending();
        if durable {
            self.persist()?;
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
        self.check()?;
        let n = self.db.unprune(proof, leaf)?;
        if n > 0 {
            self.prune_dirty = true;
            if !self.db.has_pending() {
                self.persist()?;
            }
        }
        Ok(n)
    }

    // ----- the commit protocol -----

    fn next_manifest(&self, seq: u64, hash_gen: u64) -> Manifest {
        let db = &self.db;
        Manifest {
            seq,
            profile: db.profile_ref().name().to_string(),
            retain: db.config().retain,
            height: db.height(),
            oldest: db.oldest(),
            horizon: db.horizon(),
            horizon_leaves: db.horizon_leaves(),
            // D11: an empty state under a profile without an empty root has no root.
            root: db.root(At::Block(db.height())).ok(),
            size: db.size(),
            leaves: db.leaf_count(),
            hash_gen,
            blocks_start: 0,
            files: Vec::new(),
        }
    }

    /// Makes the working state (which has no uncommitted changes) the committed one.
    fn persist(&mut self) -> Result<(), StorageError> {
        let r = self.persist_inner();
        if r.is_err() {
            self.poisoned = true;
        }
        r
    }

    fn persist_inner(&mut self) -> Result<(), StorageError> {
        let seq = self.manifest.seq + 1;
        let old_gen = self.manifest.hash_gen;
        // 1. A new hash generation, if the set of dropped positions changed: written to a
        //    new file and synced; only the manifest will name it.
        let plan = self.db.store().plan();
        let mut new_gen = None;
        let mut hash_change = None;
        match plan {
            HashPlan::Rewrite => {
                let g = old_gen + 1;
                let (jf, gaps) = self.db.store().write_generation(
                    &self.dir,
                    &mut self.io,
                    g,
                    self.db.pruned_bits(),
                )?;
                new_gen = Some((jf, gaps, g));
            }
            HashPlan::InPlace(ch) => hash_change = Some(ch),
        }
        // 2. The other files' changes.
        let leaves = self.db.leaf_count();
        let old_leaves = self.manifest.leaves;
        let bits = self.db.leaf_bits();
        let mut bytes: Vec<u64> = self
            .dirty_leaves
            .iter()
            .filter(|&&i| i < leaves)
            .map(|&i| i / 8)
            .collect();
        if leaves != old_leaves {
            bytes.extend(old_leaves.min(leaves) / 8..leaves.div_ceil(8));
        }
        let mut writes = runs(
            bytes
                .into_iter()
                .map(|b| (8 + b, leaf_byte(bits, b)))
                .collect(),
        );
        if leaves != old_leaves {
            writes.insert(0, (0, leaves.to_le_bytes().to_vec()));
        }
        let leaf_change = Change {
            writes,
            new_len: 8 + leaves.div_ceil(8),
        };
        let prune_change = if self.prune_dirty {
            let b = self.db.prune_list();
            let new_len = b.len() as u64;
            Some(Change {
                writes: if b.is_empty() { vec![] } else { vec![(0, b)] },
                new_len,
            })
        } else {
            None
        };
        let height = self.db.height();
        let oldest = self.db.oldest();
        let mut records: Vec<RecordAt> = self
            .records
            .iter()
            .copied()
            .filter(|r| r.height <= height)
            .collect();
        let mut end = records.last().map_or(self.manifest.blocks_start, |r| r.end);
        let first_new = records.last().map_or(oldest, |r| r.height) + 1;
        let mut blob = Vec::new();
        let blob_at = end;
        for h in first_new.max(oldest + 1)..=height {
            if let Some(rb) = self.db.retained_block(h) {
                let enc = encode_record(&rb);
                records.push(RecordAt {
                    height: h,
                    off: end,
                    end: end + enc.len() as u64,
                });
                end += enc.len() as u64;
                blob.extend_from_slice(&enc);
            }
        }
        records.retain(|r| r.height > oldest);
        let blocks_start = records.first().map_or(end, |r| r.off);
        let block_change = Change {
            writes: if blob.is_empty() {
                vec![]
            } else {
                vec![(blob_at, blob)]
            },
            new_len: end,
        };
        // 3. The undo journal for commit `seq`: every committed byte about to be
        //    overwritten or cut off, and each file's committed length. Synced before any
        //    committed file is touched.
        let mut entries = Vec::new();
        let add = |jf: &JFile,
                   ch: &Change,
                   entries: &mut Vec<JournalEntry>|
         -> Result<(), StorageError> {
            if ch.writes.is_empty() && ch.new_len == jf.len {
                return Ok(());
            }
            entries.push(JournalEntry {
                name: jf.name.clone(),
                old_len: jf.len,
                new_len: ch.new_len,
                ranges: jf.undo_ranges(ch)?,
            });
            Ok(())
        };
        if let Some(ch) = &hash_change {
            add(&self.db.store().file, ch, &mut entries)?;
        }
        add(&self.leafset, &leaf_change, &mut entries)?;
        if let Some(ch) = &prune_change {
            add(&self.prunelist, ch, &mut entries)?;
        }
        add(&self.blocks, &block_change, &mut entries)?;
        if !entries.is_empty() {
            let j = encode_journal(seq, &entries);
            let jf = open_rw(&self.dir, JOURNAL, true)?;
            self.io.write_at(&jf, JOURNAL, 0, &j)?;
            self.io.set_len(&jf, JOURNAL, j.len() as u64)?;
            self.io.sync(&jf, JOURNAL)?;
        }
        // 4. Write every change at its offset, then sync each file.
        if let Some(ch) = &hash_change {
            let store = self.db.store_mut();
            store.unmap();
            store.file.apply(&mut self.io, ch)?;
            self.io.sync(&store.file.file, &store.file.name)?;
        }
        for (jf, ch) in [
            (&mut self.leafset, Some(&leaf_change)),
            (&mut self.prunelist, prune_change.as_ref()),
            (&mut self.blocks, Some(&block_change)),
        ] {
            let Some(ch) = ch else { continue };
            if ch.writes.is_empty() && ch.new_len == jf.len {
                continue;
            }
            jf.apply(&mut self.io, ch)?;
            self.io.sync(&jf.file, &jf.name)?;
        }
        // 5. The commit point: the new manifest replaces the old by rename(2), then the
        //    directory is synced.
        let generation = new_gen.as_ref().map_or(old_gen, |g| g.2);
        let mut m = self.next_manifest(seq, generation);
        m.blocks_start = blocks_start;
        m.files = self.file_infos(new_gen.as_ref().map(|g| &g.0));
        m.write(&self.dir, &mut self.io)?;
        // 6. Committed: adopt the new state; drop the old generation.
        self.manifest = m;
        self.records = records;
        self.dirty_leaves.clear();
        self.prune_dirty = false;
        match new_gen {
            Some((jf, gaps, g)) => {
                self.db.store_mut().switch(jf, g, gaps)?;
                // A failure here leaves an orphan that the next open removes.
                let _ = self.io.remove(&join(&self.dir, &hash_file_name(old_gen)));
            }
            None => self.db.store_mut().settle()?,
        }
        Ok(())
    }

    /// The manifest's file list: the hash file (`new_hash` if a new generation), then the
    /// leaf set, the prune list and the block records.
    fn file_infos(&self, new_hash: Option<&JFile>) -> Vec<FileInfo> {
        let info = |f: &JFile| FileInfo {
            name: f.name.clone(),
            len: f.len,
            crcs: f.crcs.clone(),
        };
        vec![
            info(new_hash.unwrap_or(&self.db.store().file)),
            info(&self.leafset),
            info(&self.prunelist),
            info(&self.blocks),
        ]
    }

    // ----- verification -----

    /// Recomputes every checksum, then every stored internal node's hash and value from its
    /// children's stored nodes (where neither child was dropped), then the root from the
    /// peaks. The first failure names the file and byte offset.
    pub fn verify(&self) -> Result<VerifyReport, StorageError> {
        self.check()?;
        let store = self.db.store();
        store.file.check_all()?;
        self.leafset.check_all()?;
        self.prunelist.check_all()?;
        self.blocks.check_all()?;
        let size = self.manifest.size;
        let pruned = self.db.pruned_bits();
        let profile = self.db.profile_ref();
        let name = store.file.name.clone();
        let mut checked = 0u64;
        for p in 0..size {
            if pruned.get(p) {
                continue;
            }
            let h = index::height(p).unwrap_or(0);
            if h == 0 {
                continue;
            }
            let Some((l, r)) = index::children(p) else {
                continue;
            };
            if pruned.get(l) || pruned.get(r) {
                continue;
            }
            let (Some(n), Some(ln), Some(rn)) =
                (store.committed(p), store.committed(l), store.committed(r))
            else {
                return Err(StorageError::corrupt(
                    &name,
                    store.offset_of(p),
                    format!("position {p} or its children unreadable"),
                ));
            };
            let sum = ln.value.checked_add(rn.value);
            let ok = sum == Some(n.value) && profile.parent_hash(p, &ln, &rn, n.value) == n.hash;
            if !ok {
                return Err(StorageError::corrupt(
                    &name,
                    store.offset_of(p),
                    format!("node {p} does not hash from its children"),
                ));
            }
            checked += 1;
        }
        if !self.db.has_pending() && self.db.root(At::Current).ok() != self.manifest.root {
            return Err(StorageError::corrupt(
                &name,
                0,
                "the peaks do not give the committed root",
            ));
        }
        Ok(VerifyReport {
            positions: size,
            parents_checked: checked,
            bytes_checked: self.disk_usage().total(),
        })
    }
}

/// What [`PersistentDb::verify`] checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Positions in the committed MMR.
    pub positions: u64,
    /// Internal nodes re-hashed from their children.
    pub parents_checked: u64,
    /// Bytes whose checksums were recomputed.
    pub bytes_checked: u64,
}
