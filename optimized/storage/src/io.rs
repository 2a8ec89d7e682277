//! Every write the store makes goes through [`Io`], so that tests can make any of them fail
//! ([`Fault`]): an error, a short write, or a full disk, at the n-th call.
#![forbid(unsafe_code)]

use crate::error::StorageError;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// How an injected fault fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The call fails with an I/O error and writes nothing.
    Error,
    /// A write stores only the first half of its bytes, then fails (a torn write).
    ShortWrite,
    /// The disk is full: writes fail with ENOSPC (after storing what fits in the first
    /// half), and so does every later call.
    NoSpace,
}

/// An injected fault: call number `at` (0-based, counting every write, set_len, sync,
/// rename and remove) fails as `kind`, and every later call fails too (a dead disk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Which call fails.
    pub at: u64,
    /// How.
    pub kind: FaultKind,
}

/// The write path of a store: counts calls and fires an injected fault.
#[derive(Debug, Default)]
pub struct Io {
    /// Calls made so far.
    pub calls: u64,
    /// fsync and fdatasync calls made so far (of files and of the directory).
    pub syncs: u64,
    fault: Option<Fault>,
    failed: bool,
}

impl Io {
    /// A write path that fails as `fault` says.
    pub fn with_fault(fault: Option<Fault>) -> Io {
        Io {
            calls: 0,
            syncs: 0,
            fault,
            failed: false,
        }
    }

    /// Whether an injected fault has fired.
    pub fn fault_fired(&self) -> bool {
        self.failed
    }

    /// Counts a call; `Some(kind)` if it must fail.
    fn tick(&mut self) -> Option<FaultKind> {
        let n = self.calls;
        self.calls += 1;
        match self.fault {
            Some(f) if self.failed || n >= f.at => {
                let first = !self.failed;
                self.failed = true;
                Some(if first { f.kind } else { FaultKind::Error })
            }
            _ => None,
        }
    }

    fn injected(kind: FaultKind) -> std::io::Error {
        match kind {
            FaultKind::NoSpace => std::io::Error::from_raw_os_error(libc::ENOSPC),
            _ => std::io::Error::other("injected fault"),
        }
    }

    /// `pwrite` of all of `buf` at `offset` (never append mode: a rewound file is
    /// overwritten where the rewind left it, litecoin 23e5eac3cf).
    pub fn write_at(
        &mut self,
        file: &File,
        name: &str,
        offset: u64,
        buf: &[u8],
    ) -> Result<(), StorageError> {
        if let Some(kind) = self.tick() {
            if kind != FaultKind::Error {
                let _ = file.write_all_at(&buf[..buf.len() / 2], offset);
            }
            return Err(StorageError::io(name, offset, &Self::injected(kind)));
        }
        file.write_all_at(buf, offset)
            .map_err(|e| StorageError::io(name, offset, &e))
    }

    /// `ftruncate` to `len` (shrinks or zero-extends).
    pub fn set_len(&mut self, file: &File, name: &str, len: u64) -> Result<(), StorageError> {
        if let Some(kind) = self.tick() {
            return Err(StorageError::io(name, len, &Self::injected(kind)));
        }
        file.set_len(len)
            .map_err(|e| StorageError::io(name, len, &e))
    }

    /// `fsync` of a file's data and metadata.
    pub fn sync(&mut self, file: &File, name: &str) -> Result<(), StorageError> {
        self.syncs += 1;
        if let Some(kind) = self.tick() {
            return Err(StorageError::io(name, 0, &Self::injected(kind)));
        }
        file.sync_all().map_err(|e| StorageError::io(name, 0, &e))
    }

    /// `fdatasync` of a file: its data, and its size if that changed.
    pub fn sync_data(&mut self, file: &File, name: &str) -> Result<(), StorageError> {
        self.syncs += 1;
        if let Some(kind) = self.tick() {
            return Err(StorageError::io(name, 0, &Self::injected(kind)));
        }
        file.sync_data().map_err(|e| StorageError::io(name, 0, &e))
    }

    /// `fsync` of a directory, making renames, creations and removals in it durable.
    pub fn sync_dir(&mut self, dir: &Path) -> Result<(), StorageError> {
        self.syncs += 1;
        if let Some(kind) = self.tick() {
            return Err(StorageError::io(".", 0, &Self::injected(kind)));
        }
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StorageError::io(".", 0, &e))
    }

    /// `rename(2)`: atomically replaces `to` by `from`.
    pub fn rename(&mut self, from: &Path, to: &Path) -> Result<(), StorageError> {
        let name = file_name(to);
        if let Some(kind) = self.tick() {
            return Err(StorageError::io(&name, 0, &Self::injected(kind)));
        }
        std::fs::rename(from, to).map_err(|e| StorageError::io(&name, 0, &e))
    }

    /// Removes a file (missing is fine).
    pub fn remove(&mut self, path: &Path) -> Result<(), StorageError> {
        let name = file_name(path);
        if let Some(kind) = self.tick() {
            return Err(StorageError::io(&name, 0, &Self::injected(kind)));
        }
        match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StorageError::io(&name, 0, &e)),
        }
    }
}

/// The last component of a path, for error messages.
pub(crate) fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `dir/name`.
pub(crate) fn join(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}
