//! # mmr-storage: the file-backed MMR store
//!
//! [`PersistentDb`] is the optimized database (`mmr_optimized::Optimized`) over a
//! [`FileStore`] whose every commit, rewind and compaction is durable: an append-only hash
//! file of fixed 40-byte records read through a memory map, each leaf's data, the leaf set
//! and prune list in MWEB's byte layout (SPEC.md D20, D22), the retained blocks' undo
//! records, an undo journal and a manifest (MWEB's MMRInfo) naming the generation, committed
//! sizes, root, horizon and every file's checksums. [`MultiDb`] keeps several named MMRs in
//! one directory (Mwc's outputs, range proofs and kernels; MWEB's outputs and kernels),
//! committed together, each optionally with a key table from a leaf's key to its index and
//! unspent status. `STORAGE.md` beside this crate gives the layout and the crash argument.
#![deny(unsafe_code)]

mod db;
mod error;
mod files;
mod io;
mod keys;
mod layout;
mod leafdata;
mod member;
mod multi;
mod store;
mod subject;
mod sys;
mod wal;

pub use db::{
    CheckpointPolicy, CompactOutcome, DiskUsage, PersistentDb, VerifyReport, store_profile,
};
pub use error::StorageError;
pub use files::CHUNK;
pub use io::{Fault, FaultKind, Io};
pub use keys::Key;
pub use layout::RECORD;
pub use multi::{KeyEntry, MmrSpec, MultiDb};
pub use store::FileStore;
pub use subject::PersistentSubject;
