//! The key table of a keyed MMR (STORAGE.md section 1): a leaf's key (its coin or output
//! id, 32 bytes) to its leaf index, like MWEB's UTXO table, committed with the MMR by the
//! same journal and manifest. Unspent status is the leaf set's, so it is always in step.
//!
//! `keys.bin` is an open-addressing hash table with linear probing: a 64-byte header
//! (`"MMRKEYT1"`, a random 32-byte salt, u64le slot count, live entries, tombstones), then
//! one u64le per slot: 0 empty, `u64::MAX` a tombstone, otherwise leaf index + 1. A slot holds
//! no key: the key is the first 32 bytes of the leaf's data record (module `leafdata`), which
//! is compared on every probe. The slot of a key is a BLAKE3 hash keyed with the salt, so
//! keys chosen by an adversary cannot be made to collide without knowing the salt. The table
//! doubles (a whole new table, journaled like any change) when live entries and tombstones
//! would fill half of it.
#![forbid(unsafe_code)]

use crate::error::StorageError;
use crate::files::{Change, JFile, read_at};
use std::collections::BTreeMap;

/// A key: 32 bytes (hash longer identifiers to 32 bytes first).
pub type Key = [u8; 32];

const MAGIC: &[u8; 8] = b"MMRKEYT1";
const HEADER: u64 = 64;
const EMPTY: u64 = 0;
const TOMB: u64 = u64::MAX;
const MIN_SLOTS: u64 = 16;

/// The key table: committed slots in the file, uncommitted ones in memory.
#[derive(Debug)]
pub(crate) struct KeyTable {
    pub file: JFile,
    salt: [u8; 32],
    /// Slot count of the working table.
    slots: u64,
    live: u64,
    tombs: u64,
    /// Working slots that differ from the file (or the whole table after a resize).
    overlay: BTreeMap<u64, u64>,
    /// The working table was resized: every slot is in `overlay` and the file is replaced
    /// at the next commit.
    resized: bool,
    /// The header (counts) changed.
    dirty: bool,
}

fn header(salt: &[u8; 32], slots: u64, live: u64, tombs: u64) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER as usize);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(salt);
    for x in [slots, live, tombs] {
        h.extend_from_slice(&x.to_le_bytes());
    }
    h
}

impl KeyTable {
    /// A new, empty table (the next commit writes it).
    pub fn create(file: JFile) -> Result<KeyTable, StorageError> {
        let mut salt = [0u8; 32];
        getrandom(&mut salt).map_err(|e| StorageError::io("/dev/urandom", 0, &e))?;
        Ok(KeyTable {
            file,
            salt,
            slots: MIN_SLOTS,
            live: 0,
            tombs: 0,
            overlay: (0..MIN_SLOTS).map(|s| (s, EMPTY)).collect(),
            resized: true,
            dirty: true,
        })
    }

    /// Opens a committed table (already checked against the manifest).
    pub fn open(file: JFile) -> Result<KeyTable, StorageError> {
        let h = read_at(&file.file, &file.name, 0, HEADER.min(file.len))?;
        if h.len() < HEADER as usize || &h[..8] != MAGIC {
            return Err(StorageError::corrupt(&file.name, 0, "not a key table"));
        }
        let mut salt = [0u8; 32];
        salt.copy_from_slice(&h[8..40]);
        let u = |at: usize| u64::from_le_bytes(h[at..at + 8].try_into().unwrap_or([0; 8]));
        let (slots, live, tombs) = (u(40), u(48), u(56));
        if !slots.is_power_of_two()
            || slots < MIN_SLOTS
            || slots.checked_mul(8).and_then(|b| b.checked_add(HEADER)) != Some(file.len)
            || live.checked_add(tombs).is_none_or(|t| t > slots)
        {
            return Err(StorageError::corrupt(
                &file.name,
                40,
                format!(
                    "header ({slots} slots, {live} live, {tombs} tombstones) does not fit a \
                     {}-byte table",
                    file.len
                ),
            ));
        }
        Ok(KeyTable {
            file,
            salt,
            slots,
            live,
            tombs,
            overlay: BTreeMap::new(),
            resized: false,
            dirty: false,
        })
    }

    /// Live entries.
    pub fn len(&self) -> u64 {
        self.live
    }

    fn home(&self, key: &Key) -> u64 {
        let h = blake3::keyed_hash(&self.salt, key);
        let mut a = [0u8; 8];
        a.copy_from_slice(&h.as_bytes()[..8]);
        u64::from_le_bytes(a) & (self.slots - 1)
    }

    fn slot(&self, s: u64) -> Result<u64, StorageError> {
        if let Some(&v) = self.overlay.get(&s) {
            return Ok(v);
        }
        if self.resized {
            return Ok(EMPTY);
        }
        let b = read_at(&self.file.file, &self.file.name, HEADER + 8 * s, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(&b);
        Ok(u64::from_le_bytes(a))
    }

    /// The slot holding `key` and its leaf, found by comparing `key_of` of each candidate.
    fn find(
        &self,
        key: &Key,
        key_of: &dyn Fn(u64) -> Result<Option<Key>, StorageError>,
    ) -> Result<Option<(u64, u64)>, StorageError> {
        let mut s = self.home(key);
        for _ in 0..self.slots {
            match self.slot(s)? {
                EMPTY => return Ok(None),
                TOMB => {}
                v => {
                    let leaf = v - 1;
                    if key_of(leaf)?.as_ref() == Some(key) {
                        return Ok(Some((s, leaf)));
                    }
                }
            }
            s = (s + 1) & (self.slots - 1);
        }
        Ok(None)
    }

    /// The leaf holding `key`.
    pub fn get(
        &self,
        key: &Key,
        key_of: &dyn Fn(u64) -> Result<Option<Key>, StorageError>,
    ) -> Result<Option<u64>, StorageError> {
        Ok(self.find(key, key_of)?.map(|(_, leaf)| leaf))
    }

    /// Adds `key` for `leaf`; the caller has checked that the key is absent.
    pub fn insert(
        &mut self,
        key: &Key,
        leaf: u64,
        key_of: &dyn Fn(u64) -> Result<Option<Key>, StorageError>,
    ) -> Result<(), StorageError> {
        if (self.live + self.tombs + 1) * 2 > self.slots {
            self.rebuild((self.live + 1) * 4, key_of)?;
        }
        let mut s = self.home(key);
        loop {
            let v = self.slot(s)?;
            if v == EMPTY || v == TOMB {
                if v == TOMB {
                    self.tombs -= 1;
                }
                self.overlay.insert(s, leaf + 1);
                self.live += 1;
                self.dirty = true;
                return Ok(());
            }
            s = (s + 1) & (self.slots - 1);
        }
    }

    /// Removes `key` (if present).
    pub fn remove(
        &mut self,
        key: &Key,
        key_of: &dyn Fn(u64) -> Result<Option<Key>, StorageError>,
    ) -> Result<(), StorageError> {
        if let Some((s, _)) = self.find(key, key_of)? {
            self.overlay.insert(s, TOMB);
            self.live -= 1;
            self.tombs += 1;
            self.dirty = true;
        }
        Ok(())
    }

    /// A new working table of at least `want` slots holding the live entries.
    fn rebuild(
        &mut self,
        want: u64,
        key_of: &dyn Fn(u64) -> Result<Option<Key>, StorageError>,
    ) -> Result<(), StorageError> {
        let mut leaves = Vec::with_capacity(self.live as usize);
        for s in 0..self.slots {
            match self.slot(s)? {
                EMPTY | TOMB => {}
                v => leaves.push(v - 1),
            }
        }
        self.slots = want.next_power_of_two().max(MIN_SLOTS);
        self.overlay = BTreeMap::new();
        self.resized = true;
        self.live = 0;
        self.tombs = 0;
        for leaf in leaves {
            let key = key_of(leaf)?.ok_or_else(|| {
                StorageError::corrupt(&self.file.name, 0, format!("leaf {leaf} has no key"))
            })?;
            let mut s = self.home(&key);
            while self.overlay.get(&s).is_some_and(|&v| v != EMPTY) {
                s = (s + 1) & (self.slots - 1);
            }
            self.overlay.insert(s, leaf + 1);
            self.live += 1;
        }
        self.dirty = true;
        Ok(())
    }

    /// The change of the next commit (`None` if nothing changed).
    pub fn plan(&self) -> Option<Change> {
        if !self.dirty {
            return None;
        }
        let new_len = HEADER + 8 * self.slots;
        let mut writes = vec![(0, header(&self.salt, self.slots, self.live, self.tombs))];
        if self.resized {
            let mut b = vec![0u8; (8 * self.slots) as usize];
            for (&s, &v) in &self.overlay {
                b[(8 * s) as usize..(8 * s + 8) as usize].copy_from_slice(&v.to_le_bytes());
            }
            writes.push((HEADER, b));
        } else {
            for (&s, &v) in &self.overlay {
                let off = HEADER + 8 * s;
                match writes.last_mut() {
                    Some((o, b)) if *o + b.len() as u64 == off => {
                        b.extend_from_slice(&v.to_le_bytes())
                    }
                    _ => writes.push((off, v.to_le_bytes().to_vec())),
                }
            }
        }
        Some(Change { writes, new_len })
    }

    /// After the commit wrote `plan()`.
    pub fn settle(&mut self) {
        self.overlay.clear();
        self.resized = false;
        self.dirty = false;
    }
}

/// Fills `buf` from the operating system's random source.
fn getrandom(buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}
