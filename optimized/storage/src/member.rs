//! One named MMR of a store: its `Optimized` database over the hash file, its leaf set,
//! prune list, block records, leaf data and (if keyed) key table, and the part of the
//! commit protocol (STORAGE.md section 3) that concerns its files. `PersistentDb` is a store
//! with one member named ""; `MultiDb` has several, committed together by one manifest.
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{Change, FileInfo, JFile, JournalEntry, R, Section, W, read_at};
use crate::io::{Io, join};
use crate::keys::{Key, KeyTable};
use crate::layout::{
    data_file_name, fixed_names, hash_file_name, idx_file_name, keys_file_name, prefix_of,
    section_file_names,
};
use crate::leafdata::{DataGeneration, LeafData};
use crate::store::{FileStore, Gaps, HashPlan};
use mmr_optimized::{Bits, Optimized, Persisted, RetainedBlock, index};
use mmr_spec::{At, Block, BlockOp, Config, Node, Profile, ProofDb};
use std::path::Path;

/// A dead prefix of `blocks.log` at least this long, and at least as long as the live
/// records, is reclaimed by the next commit (the live records move to offset 0).
pub(crate) const RECLAIM_MIN: u64 = 16 * 1024;

/// A record's position in `blocks.log`.
#[derive(Clone, Copy, Debug)]
struct RecordAt {
    height: u64,
    off: u64,
    end: u64,
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

pub(crate) fn decode_record(
    b: &[u8],
    name: &str,
    base: u64,
) -> Result<RetainedBlock, StorageError> {
    let mut r = R::sealed(b, name, base)?;
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

fn parse_leaf_set(bytes: &[u8], leaves: u64, name: &str) -> Result<Bits, StorageError> {
    if bytes.len() < 8 {
        return Err(StorageError::corrupt(name, 0, "shorter than its count"));
    }
    let mut c = [0u8; 8];
    c.copy_from_slice(&bytes[..8]);
    let n = u64::from_le_bytes(c);
    if n != leaves || bytes.len() as u64 != 8 + n.div_ceil(8) {
        return Err(StorageError::corrupt(
            name,
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
                        name,
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

fn parse_prune_list(bytes: &[u8], horizon_leaves: u64, name: &str) -> Result<Bits, StorageError> {
    if bytes.len() as u64 != (2 * horizon_leaves).div_ceil(8) {
        return Err(StorageError::corrupt(
            name,
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

/// What the next commit does to a member's files (steps 1-2 of the protocol).
pub(crate) struct Plan {
    /// A new generation of the hash and leaf-data files (already written and synced).
    new_gen: Option<(JFile, Gaps, DataGeneration, u64)>,
    hash: Option<Change>,
    data: Option<(Change, Change)>,
    leafset: Change,
    prunelist: Option<Change>,
    blocks: Change,
    keys: Option<Change>,
    records: Vec<RecordAt>,
    blocks_start: u64,
}

/// One named MMR and its files.
pub(crate) struct Member<P: Profile> {
    pub name: String,
    prefix: String,
    pub db: Optimized<P, FileStore>,
    leafset: JFile,
    prunelist: JFile,
    blocks: JFile,
    pub data: LeafData,
    pub keys: Option<KeyTable>,
    /// The committed section of the manifest.
    pub section: Section,
    records: Vec<RecordAt>,
    /// Leaves whose bit may differ from the leaf-set file.
    dirty_leaves: Vec<u64>,
    prune_dirty: bool,
}

impl<P: Profile> Member<P> {
    /// A new empty member (files created and synced; the caller writes the manifest).
    pub fn create(
        dir: &Path,
        name: &str,
        keyed: bool,
        profile: P,
        config: Config,
        io: &mut Io,
    ) -> Result<Self, StorageError> {
        let prefix = prefix_of(name);
        let [ls, pl, bl] = fixed_names(&prefix);
        let hash = JFile::create(dir, &hash_file_name(&prefix, 0), io)?;
        let mut leafset = JFile::create(dir, &ls, io)?;
        let prunelist = JFile::create(dir, &pl, io)?;
        let blocks = JFile::create(dir, &bl, io)?;
        let data = LeafData::create(dir, &prefix, io)?;
        leafset.apply(
            io,
            &Change {
                writes: vec![(0, 0u64.to_le_bytes().to_vec())],
                new_len: 8,
            },
        )?;
        let keys = if keyed {
            let mut t = KeyTable::create(JFile::create(dir, &keys_file_name(&prefix), io)?)?;
            if let Some(ch) = t.plan() {
                t.file.apply(io, &ch)?;
            }
            t.settle();
            Some(t)
        } else {
            None
        };
        for f in [&hash, &leafset, &prunelist, &blocks, &data.data, &data.idx]
            .into_iter()
            .chain(keys.as_ref().map(|k| &k.file))
        {
            io.sync(&f.file, &f.name)?;
        }
        let store = FileStore::new(hash, 0, Gaps::default(), 0)?;
        let db = Optimized::with_parts(profile, store, config);
        let mut m = Member {
            name: name.to_string(),
            prefix,
            db,
            leafset,
            prunelist,
            blocks,
            data,
            keys,
            section: Section::default(),
            records: Vec::new(),
            dirty_leaves: Vec::new(),
            prune_dirty: false,
        };
        m.section = m.next_section(0, 0, None);
        Ok(m)
    }

    /// Opens a committed member (journal recovery and orphan removal already done).
    pub fn open(dir: &Path, s: &Section, profile: P, config: Config) -> Result<Self, StorageError> {
        let prefix = prefix_of(&s.name);
        let names = section_file_names(&prefix, s.hash_gen, s.keyed);
        if s.files.len() != names.len() {
            return Err(StorageError::corrupt(
                crate::files::MANIFEST,
                0,
                format!("wrong number of files for MMR {:?}", s.name),
            ));
        }
        let mut jfs = Vec::new();
        for (fi, name) in s.files.iter().zip(&names) {
            if &fi.name != name {
                return Err(StorageError::corrupt(
                    crate::files::MANIFEST,
                    0,
                    format!("unexpected file {}", fi.name),
                ));
            }
            jfs.push(JFile::open(dir, name, fi.len, fi.crcs.clone(), true)?);
        }
        let mut it = jfs.into_iter();
        let mut next = || {
            it.next()
                .ok_or_else(|| StorageError::corrupt("MANIFEST", 0, "files"))
        };
        let (hash, leafset, prunelist, blocks) = (next()?, next()?, next()?, next()?);
        let data = LeafData::open(next()?, next()?, s.leaves)?;
        let keys = if s.keyed {
            Some(KeyTable::open(next()?)?)
        } else {
            None
        };
        let leaf_set = parse_leaf_set(
            &read_at(&leafset.file, &leafset.name, 0, leafset.len)?,
            s.leaves,
            &leafset.name,
        )?;
        let pruned = parse_prune_list(
            &read_at(&prunelist.file, &prunelist.name, 0, prunelist.len)?,
            s.horizon_leaves,
            &prunelist.name,
        )?;
        let mut records = Vec::new();
        let mut retained = Vec::new();
        let mut off = s.blocks_start;
        while off < blocks.len {
            let n = u64::from_le_bytes(
                read_at(&blocks.file, &blocks.name, off, 8)?
                    .try_into()
                    .unwrap_or([0; 8]),
            );
            if n > blocks.len - off - 8 {
                return Err(StorageError::corrupt(
                    &blocks.name,
                    off,
                    "record length beyond the file",
                ));
            }
            let rb = decode_record(
                &read_at(&blocks.file, &blocks.name, off + 8, n)?,
                &blocks.name,
                off + 8,
            )?;
            records.push(RecordAt {
                height: rb.height,
                off,
                end: off + 8 + n,
            });
            retained.push(rb);
            off += 8 + n;
        }
        // Spent leaves are final (D12): every leaf a retained block spent is spent now.
        for rb in &retained {
            if let Some(&i) = rb.spent.iter().find(|&&i| i >= s.leaves || leaf_set.get(i)) {
                return Err(StorageError::corrupt(
                    &leafset.name,
                    8 + (i / 8).min(s.leaves / 8),
                    format!("leaf {i} is unspent, but block {} spent it", rb.height),
                ));
            }
        }
        let gaps = Gaps::from_bits(&pruned, s.size);
        let store = FileStore::new(hash, s.hash_gen, gaps, s.size)?;
        let current = store.file.name.clone();
        let state = Persisted {
            height: s.height,
            oldest: s.oldest,
            horizon: s.horizon,
            horizon_leaves: s.horizon_leaves,
            tip_root: s.root,
            leaf_set,
            pruned,
            blocks: retained,
        };
        let db = Optimized::restore(profile, store, config, state)
            .map_err(|e| StorageError::corrupt(crate::files::MANIFEST, 0, e))?;
        // A spend sets the leaf's value to 0 (D12): a leaf outside the leaf set whose kept
        // node has a value was never spent (a leaf set edited to spend it).
        {
            let (bits, pruned) = (db.leaf_bits(), db.pruned_bits());
            for i in 0..s.leaves {
                if bits.get(i) {
                    continue;
                }
                let pos = index::leaf_to_pos(i).unwrap_or(u64::MAX);
                if pruned.get(pos) {
                    continue;
                }
                if let Some(n) = db.store().committed(pos).filter(|n| n.value != 0) {
                    return Err(StorageError::corrupt(
                        &leafset.name,
                        8 + i / 8,
                        format!(
                            "leaf {i} is marked spent, but its node has value {} (a spend sets \
                             it to 0, D12): the leaf set was edited",
                            n.value
                        ),
                    ));
                }
            }
        }
        // The root recomputed from the stored peaks must be the committed one (and exist
        // exactly when the manifest says it does).
        if db.root(At::Current).ok() != s.root {
            let peak = index::peaks(s.size).and_then(|mut p| p.next()).unwrap_or(0);
            return Err(StorageError::corrupt(
                &current,
                db.store().offset_of(peak),
                "the stored peaks do not give the committed root",
            ));
        }
        Ok(Member {
            name: s.name.clone(),
            prefix,
            db,
            leafset,
            prunelist,
            blocks,
            data,
            keys,
            section: s.clone(),
            records,
            dirty_leaves: Vec::new(),
            prune_dirty: false,
        })
    }

    fn key_of(data: &LeafData) -> impl Fn(u64) -> Result<Option<Key>, StorageError> + '_ {
        move |leaf| {
            Ok(data
                .get(leaf)?
                .and_then(|r| r.get(..32).and_then(|k| k.try_into().ok())))
        }
    }

    /// Whether the next checkpoint writes a new generation (a compaction or un-pruning
    /// since the last one): such a commit cannot go through the log alone.
    pub fn needs_rewrite(&self) -> bool {
        self.prune_dirty || self.db.store().gaps_dirty
    }

    /// Memory held by changes since the checkpoint (hash nodes, leaf data, leaf-set bits).
    pub fn pending_bytes(&self) -> u64 {
        self.db.store().pending_bytes()
            + self.data.pending_bytes()
            + 8 * self.dirty_leaves.len() as u64
    }

    // ----- mutations -----

    /// D12 append, recording the leaf's data (after its key, if keyed).
    pub fn append(
        &mut self,
        key: Option<&Key>,
        data: &[u8],
        value: u64,
    ) -> Result<u64, StorageError> {
        match (&self.keys, key) {
            (Some(_), None) => {
                return Err(StorageError::Key {
                    mmr: self.name.clone(),
                    what: "a keyed MMR needs a key for every append".into(),
                });
            }
            (None, Some(_)) => {
                return Err(StorageError::Key {
                    mmr: self.name.clone(),
                    what: "this MMR was created without a key table".into(),
                });
            }
            (Some(t), Some(k)) => {
                if let Some(leaf) = t.get(k, &Self::key_of(&self.data))? {
                    return Err(StorageError::Key {
                        mmr: self.name.clone(),
                        what: format!("duplicate key {}: leaf {leaf} has it", mmr_spec::to_hex(k)),
                    });
                }
            }
            (None, None) => {}
        }
        let i = self.db.append(data, value)?;
        match key {
            Some(k) => {
                self.data.push(&[k, data]);
                if let Some(t) = self.keys.as_mut() {
                    t.insert(k, i, &Self::key_of(&self.data))?;
                }
            }
            None => self.data.push(&[data]),
        }
        Ok(i)
    }

    /// D12 update.
    pub fn update(&mut self, index: u64, data: &[u8], value: u64) -> Result<(), StorageError> {
        self.db.update(index, data, value)?;
        self.data.mark_changed(index);
        Ok(())
    }

    /// D12 spend.
    pub fn spend(&mut self, index: u64, data: &[u8]) -> Result<(), StorageError> {
        self.db.spend(index, data)?;
        self.dirty_leaves.push(index);
        self.data.mark_changed(index);
        Ok(())
    }

    /// D16 apply_block (not for a keyed MMR: its appends need keys).
    pub fn apply_block(&mut self, block: &Block) -> Result<mmr_spec::BlockInfo, StorageError> {
        if self.keys.is_some()
            && block
                .ops
                .iter()
                .any(|o| matches!(o, BlockOp::Append { .. }))
        {
            return Err(StorageError::Key {
                mmr: self.name.clone(),
                what: "a keyed MMR takes its appends through append with a key".into(),
            });
        }
        let info = self.db.apply_block(block)?;
        for op in &block.ops {
            match op {
                BlockOp::Spend { index, .. } => {
                    self.dirty_leaves.push(*index);
                    self.data.mark_changed(*index);
                }
                BlockOp::Append { data, .. } => self.data.push(&[data]),
                BlockOp::Update { index, .. } => self.data.mark_changed(*index),
            }
        }
        Ok(info)
    }

    /// D19 rewind of the working state (the caller persists).
    pub fn rewind(&mut self, height: u64) -> Result<(), StorageError> {
        let top = self.db.height();
        let mut spent = Vec::new();
        for h in height.saturating_add(1)..=top {
            if let Some(rb) = self.db.retained_block(h) {
                spent.extend_from_slice(&rb.spent);
            }
        }
        self.db.rewind(height)?;
        self.dirty_leaves.extend(spent);
        let leaves = self.db.leaf_count();
        // The only uncommitted key changes are appends' inserts and compaction's removals;
        // the rewind undoes the first (the keys of every leaf it removes, pending or
        // committed) and keeps the second, as it keeps the compaction (D19).
        if let Some(t) = self.keys.as_mut() {
            for i in leaves..self.data.leaves() {
                if let Some(k) = Self::key_of(&self.data)(i)? {
                    t.remove(&k, &Self::key_of(&self.data))?;
                }
            }
        }
        self.data.truncate(leaves)
    }

    /// D21 compaction of the working state; the keys of leaves whose node it drops go.
    pub fn compact(&mut self, horizon: u64) -> Result<mmr_spec::CompactReport, StorageError> {
        let before = self.db.pruned_bits().clone();
        let report = self.db.compact(horizon)?;
        self.prune_dirty = true;
        if let Some(t) = self.keys.as_mut() {
            let dropped: Vec<u64> = self
                .db
                .pruned_bits()
                .ones()
                .filter(|&p| !before.get(p) && index::is_leaf(p))
                .filter_map(index::pos_to_leaf)
                .collect();
            for i in dropped {
                if let Some(k) = Self::key_of(&self.data)(i)? {
                    t.remove(&k, &Self::key_of(&self.data))?;
                }
            }
        }
        Ok(report)
    }

    /// D23 un-pruning.
    pub fn unprune(&mut self, proof: &mmr_spec::Proof, leaf: &Node) -> Result<u64, StorageError> {
        let n = self.db.unprune(proof, leaf)?;
        if n > 0 {
            self.prune_dirty = true;
        }
        Ok(n)
    }

    /// A key's leaf and whether it is unspent (working state).
    pub fn lookup(&self, key: &Key) -> Result<Option<(u64, bool)>, StorageError> {
        let Some(t) = &self.keys else {
            return Err(StorageError::Key {
                mmr: self.name.clone(),
                what: "this MMR was created without a key table".into(),
            });
        };
        match t.get(key, &Self::key_of(&self.data))? {
            None => Ok(None),
            Some(leaf) => Ok(Some((leaf, self.db.is_unspent(At::Current, leaf)?))),
        }
    }

    /// Leaf `index`'s data as appended (without its key); `pruned` if compaction dropped it.
    pub fn leaf_data(&self, index: u64) -> Result<Vec<u8>, StorageError> {
        let leaves = self.data.leaves();
        if index >= leaves {
            return Err(mmr_spec::Error::LeafIndexOutOfRange {
                index,
                leaf_count: leaves,
            }
            .into());
        }
        match self.data.get_at(index)? {
            Some((at, mut r)) => {
                self.check_record(index, at, &r)?;
                if self.keys.is_some() {
                    r.drain(..32.min(r.len()));
                }
                Ok(r)
            }
            None => Err(mmr_spec::Error::Pruned {
                pos: index::leaf_to_pos(index).unwrap_or(u64::MAX),
            }
            .into()),
        }
    }

    /// Leaf `i`'s record (at offset `at` of the data file) against its node: the node of a
    /// leaf never updated or spent is `leaf_node(pos, data, value)` (D10, D12) of the data
    /// appended (after the key, for a keyed MMR). A changed leaf's node commits to data the
    /// store does not keep, so its record cannot be checked (STORAGE.md section 4).
    fn check_record(&self, i: u64, at: u64, r: &[u8]) -> Result<(), StorageError> {
        if self.data.is_changed(i)? {
            return Ok(());
        }
        let pos = index::leaf_to_pos(i).unwrap_or(u64::MAX);
        let Some(node) = mmr_optimized::Store::get(self.db.store(), pos) else {
            return Ok(()); // dropped by compaction: no record is returned
        };
        let payload = if self.keys.is_some() {
            r.get(32..).ok_or_else(|| {
                StorageError::corrupt(&self.data.data.name, at, "record shorter than its key")
            })?
        } else {
            r
        };
        if self.db.profile_ref().leaf_hash(pos, payload, node.value) != node.hash {
            return Err(StorageError::corrupt(
                &self.data.data.name,
                at,
                format!(
                    "leaf {i}'s record does not hash to its node (position {pos}): the record \
                     was changed"
                ),
            ));
        }
        Ok(())
    }

    // ----- the commit protocol, this member's part -----

    /// The section the manifest will hold after a commit with `plan`.
    fn next_section(
        &self,
        hash_gen: u64,
        blocks_start: u64,
        files: Option<Vec<FileInfo>>,
    ) -> Section {
        let db = &self.db;
        Section {
            name: self.name.clone(),
            keyed: self.keys.is_some(),
            height: db.height(),
            oldest: db.oldest(),
            horizon: db.horizon(),
            horizon_leaves: db.horizon_leaves(),
            // D11: an empty state under a profile without an empty root has no root.
            root: db.root(At::Block(db.height())).ok(),
            size: db.size(),
            leaves: db.leaf_count(),
            hash_gen,
            blocks_start,
            files: files.unwrap_or_else(|| self.file_infos(None)),
        }
    }

    /// Step 1 (a new generation, written and synced, named by no manifest yet) and step 2
    /// (every other file's change) for the working state, which has no uncommitted changes.
    pub fn plan(&self, dir: &Path, io: &mut Io) -> Result<Plan, StorageError> {
        let old_gen = self.section.hash_gen;
        let mut new_gen = None;
        let mut hash = None;
        let mut data = None;
        match self.db.store().plan() {
            HashPlan::Rewrite => {
                let g = old_gen + 1;
                let pruned = self.db.pruned_bits();
                let (jf, gaps) = self.db.store().write_generation(
                    dir,
                    &hash_file_name(&self.prefix, g),
                    io,
                    pruned,
                )?;
                let dg = self
                    .data
                    .write_generation(dir, &self.prefix, g, io, pruned)?;
                new_gen = Some((jf, gaps, dg, g));
            }
            HashPlan::InPlace(ch) => {
                hash = Some(ch);
                data = Some(self.data.plan()?);
            }
        }
        // The leaf set: the bytes of spent, unspent-again and new leaves, and the count.
        let leaves = self.db.leaf_count();
        let old_leaves = self.section.leaves;
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
        let leafset = Change {
            writes,
            new_len: 8 + leaves.div_ceil(8),
        };
        let prunelist = self.prune_dirty.then(|| {
            let b = self.db.prune_list();
            Change {
                new_len: b.len() as u64,
                writes: if b.is_empty() { vec![] } else { vec![(0, b)] },
            }
        });
        // The block records: new blocks appended after the retained ones; records no
        // longer retained are skipped by `blocks_start`, and reclaimed once the dead prefix
        // is at least RECLAIM_MIN and as long as the live records.
        let height = self.db.height();
        let oldest = self.db.oldest();
        let mut records: Vec<RecordAt> = self
            .records
            .iter()
            .copied()
            .filter(|r| r.height <= height)
            .collect();
        let mut end = records.last().map_or(self.section.blocks_start, |r| r.end);
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
        let mut blocks_start = records.first().map_or(end, |r| r.off);
        let blocks = if blocks_start >= RECLAIM_MIN && blocks_start >= end - blocks_start {
            let mut live = if blocks_start < blob_at {
                read_at(
                    &self.blocks.file,
                    &self.blocks.name,
                    blocks_start,
                    blob_at - blocks_start,
                )?
            } else {
                Vec::new()
            };
            live.extend_from_slice(&blob[(blocks_start.max(blob_at) - blob_at) as usize..]);
            for r in &mut records {
                r.off -= blocks_start;
                r.end -= blocks_start;
            }
            blocks_start = 0;
            Change {
                new_len: live.len() as u64,
                writes: if live.is_empty() {
                    vec![]
                } else {
                    vec![(0, live)]
                },
            }
        } else {
            Change {
                writes: if blob.is_empty() {
                    vec![]
                } else {
                    vec![(blob_at, blob)]
                },
                new_len: end,
            }
        };
        let keys = self.keys.as_ref().and_then(KeyTable::plan);
        Ok(Plan {
            new_gen,
            hash,
            data,
            leafset,
            prunelist,
            blocks,
            keys,
            records,
            blocks_start,
        })
    }

    /// The in-place changes of `plan`, each with its file.
    fn changes<'a>(&'a self, plan: &'a Plan) -> Vec<(&'a JFile, &'a Change)> {
        let mut v = Vec::new();
        if let Some(ch) = &plan.hash {
            v.push((&self.db.store().file, ch));
        }
        if let Some((d, i)) = &plan.data {
            v.push((&self.data.data, d));
            v.push((&self.data.idx, i));
        }
        v.push((&self.leafset, &plan.leafset));
        if let Some(ch) = &plan.prunelist {
            v.push((&self.prunelist, ch));
        }
        v.push((&self.blocks, &plan.blocks));
        if let (Some(t), Some(ch)) = (&self.keys, &plan.keys) {
            v.push((&t.file, ch));
        }
        v.retain(|(f, ch)| !(ch.writes.is_empty() && ch.new_len == f.len));
        v
    }

    /// Step 3: the journal entries (committed bytes about to be overwritten or cut).
    pub fn journal(&self, plan: &Plan) -> Result<Vec<JournalEntry>, StorageError> {
        self.changes(plan)
            .into_iter()
            .map(|(jf, ch)| {
                Ok(JournalEntry {
                    name: jf.name.clone(),
                    old_len: jf.len,
                    new_len: ch.new_len,
                    ranges: jf.undo_ranges(ch)?,
                    at: 0,
                })
            })
            .collect()
    }

    /// Step 4: write every change at its offset, then sync each changed file.
    pub fn apply(&mut self, io: &mut Io, plan: &Plan) -> Result<(), StorageError> {
        let touched: Vec<String> = self
            .changes(plan)
            .iter()
            .map(|(f, _)| f.name.clone())
            .collect();
        let keys = self.keys.as_mut().map(|t| &mut t.file);
        let store = self.db.store_mut();
        if touched.contains(&store.file.name) {
            store.unmap();
        }
        let files: Vec<(&mut JFile, Option<&Change>)> = vec![
            (&mut store.file, plan.hash.as_ref()),
            (&mut self.data.data, plan.data.as_ref().map(|d| &d.0)),
            (&mut self.data.idx, plan.data.as_ref().map(|d| &d.1)),
            (&mut self.leafset, Some(&plan.leafset)),
            (&mut self.prunelist, plan.prunelist.as_ref()),
            (&mut self.blocks, Some(&plan.blocks)),
        ];
        let files = files
            .into_iter()
            .chain(keys.map(|k| (k, plan.keys.as_ref())));
        for (jf, ch) in files {
            let Some(ch) = ch else { continue };
            if !touched.contains(&jf.name) {
                continue;
            }
            jf.apply(io, ch)?;
            io.sync(&jf.file, &jf.name)?;
        }
        Ok(())
    }

    /// Step 5: the section the new manifest holds.
    pub fn section_after(&self, plan: &Plan) -> Section {
        let generation = plan.new_gen.as_ref().map_or(self.section.hash_gen, |g| g.3);
        let files = self.file_infos(plan.new_gen.as_ref().map(|g| (&g.0, &g.2)));
        self.next_section(generation, plan.blocks_start, Some(files))
    }

    /// Step 6, after the commit point: adopt the new state; drop the old generation.
    pub fn adopt(
        &mut self,
        dir: &Path,
        io: &mut Io,
        plan: Plan,
        section: Section,
    ) -> Result<(), StorageError> {
        let old_gen = self.section.hash_gen;
        self.section = section;
        self.records = plan.records;
        self.dirty_leaves.clear();
        self.prune_dirty = false;
        if let Some(t) = self.keys.as_mut() {
            t.settle();
        }
        match plan.new_gen {
            Some((jf, gaps, dg, g)) => {
                self.db.store_mut().switch(jf, g, gaps)?;
                self.data.settle(Some(dg));
                // A failure here leaves orphans that the next open removes.
                for name in [
                    hash_file_name(&self.prefix, old_gen),
                    data_file_name(&self.prefix, old_gen),
                    idx_file_name(&self.prefix, old_gen),
                ] {
                    let _ = io.remove(&join(dir, &name));
                }
                Ok(())
            }
            None => {
                self.data.settle(None);
                self.db.store_mut().settle()
            }
        }
    }

    /// The section's file list: hash, leaf set, prune list, block records, leaf data,
    /// leaf-data index, key table (`new`: a generation about to be committed).
    fn file_infos(&self, new: Option<(&JFile, &DataGeneration)>) -> Vec<FileInfo> {
        let [d, i] = self.data.infos(new.map(|n| n.1));
        let mut v = vec![
            new.map_or(&self.db.store().file, |n| n.0).info(),
            self.leafset.info(),
            self.prunelist.info(),
            self.blocks.info(),
            d,
            i,
        ];
        if let Some(t) = &self.keys {
            v.push(t.file.info());
        }
        v
    }

    /// Bytes of the committed files: (hash, leaf set, prune list, live block records,
    /// leaf data and its index, key table).
    pub fn disk_usage(&self) -> [u64; 6] {
        [
            self.db.store().file.len,
            self.leafset.len,
            self.prunelist.len,
            self.blocks.len - self.section.blocks_start,
            self.data.data.len + self.data.idx.len,
            self.keys.as_ref().map_or(0, |t| t.file.len),
        ]
    }

    // ----- verification -----

    /// Recomputes every checksum, then every stored internal node's hash and value from its
    /// children's stored nodes (where neither child was dropped), then the root from the
    /// peaks; also every leaf-data record's bounds and every key table entry. The first
    /// failure names the file and byte offset. Returns (positions, parents checked).
    /// `current`: the files hold the last commit (no log records since the checkpoint);
    /// otherwise the root check, which compares the working root with the manifest's, is
    /// left to the next checkpoint (the replay checked each record's root). The key table
    /// and the leaf-data index flags are checked in every case, against the working state
    /// (the files with the log replayed over them), unless uncommitted changes are pending.
    pub fn verify(&self, current: bool) -> Result<(u64, u64), StorageError> {
        let store = self.db.store();
        store.file.check_all()?;
        for f in [
            &self.leafset,
            &self.prunelist,
            &self.blocks,
            &self.data.data,
            &self.data.idx,
        ]
        .into_iter()
        .chain(self.keys.as_ref().map(|k| &k.file))
        {
            f.check_all()?;
        }
        let size = self.section.size;
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
        if current && !self.db.has_pending() && self.db.root(At::Current).ok() != self.section.root
        {
            return Err(StorageError::corrupt(
                &name,
                0,
                "the peaks do not give the committed root",
            ));
        }
        let leaves = self.data.leaves();
        for i in 0..leaves {
            if let Some((at, r)) = self.data.get_at(i)? {
                self.check_record(i, at, &r)?;
            }
        }
        let settled = !self.db.has_pending() && !self.needs_rewrite();
        if settled {
            self.check_dropped_marks(leaves)?;
        }
        if let (Some(t), true) = (&self.keys, settled) {
            let mut found = 0u64;
            for i in 0..leaves {
                if pruned.get(index::leaf_to_pos(i).unwrap_or(u64::MAX)) {
                    continue;
                }
                let Some(k) = Self::key_of(&self.data)(i)? else {
                    continue;
                };
                if t.get(&k, &Self::key_of(&self.data))? != Some(i) {
                    return Err(StorageError::corrupt(
                        &t.file.name,
                        0,
                        format!("leaf {i}'s key is not in the table"),
                    ));
                }
                found += 1;
            }
            if found != t.len() {
                return Err(StorageError::corrupt(
                    &t.file.name,
                    48,
                    format!("{} live entries, but {found} leaves have keys", t.len()),
                ));
            }
        }
        Ok((size, checked))
    }

    /// The leaf-data index's "dropped" marks against the prune list and the leaf set: a
    /// compaction drops the record of every leaf whose node it drops (written with the new
    /// generation), and only drops spent leaves below the horizon, which stay spent (no
    /// rewind reaches below the horizon). An un-pruning restores a node but not its record,
    /// so a dropped record of a kept node is allowed for a spent leaf below the horizon.
    fn check_dropped_marks(&self, leaves: u64) -> Result<(), StorageError> {
        let pruned = self.db.pruned_bits();
        let unspent = self.db.leaf_bits();
        let horizon_leaves = self.db.horizon_leaves();
        let name = &self.data.idx.name;
        for i in 0..leaves {
            let dropped = self.data.is_dropped(i)?;
            let pos = index::leaf_to_pos(i).unwrap_or(u64::MAX);
            if pruned.get(pos) && !dropped {
                return Err(StorageError::corrupt(
                    name,
                    8 * i,
                    format!(
                        "leaf {i}'s node was dropped by compaction, but its record is not \
                         marked dropped"
                    ),
                ));
            }
            if dropped && (unspent.get(i) || i >= horizon_leaves) {
                return Err(StorageError::corrupt(
                    name,
                    8 * i,
                    format!(
                        "leaf {i}'s record is marked dropped, but the leaf is {} (compaction \
                         drops only spent leaves below the horizon, {horizon_leaves} leaves)",
                        if unspent.get(i) {
                            "unspent"
                        } else {
                            "above the horizon"
                        }
                    ),
                ));
            }
        }
        Ok(())
    }
}
