//! The one module with `unsafe` code: read-only memory maps of the hash file and the
//! advisory lock that makes this process the only writer of a store directory.
//!
//! Why the map is sound here: `memmap2::Mmap::map` is unsafe because another process (or
//! this one) could truncate or rewrite the file while it is mapped, turning a read of the
//! map into SIGBUS or a data race. The store prevents that as follows:
//! * every store directory has a `LOCK` file on which [`DirLock`] holds an exclusive
//!   `flock(2)` for the store's lifetime, and opening fails if another process holds it, so
//!   no other cooperating process writes the files while they are mapped;
//! * this process writes the hash file only through `pwrite(2)`/`set_len` while holding
//!   `&mut` to the store, never through the map, and reads from the map only below the
//!   committed length, which every write path keeps mapped-and-present: a truncation
//!   (rewind) drops the map first and maps again afterwards ([`Map::remap`]);
//! * a process that ignores the advisory lock and modifies the files is outside the model:
//!   content changes are caught by the checksums on the next open or `verify`, but a
//!   truncation under a live map can still raise SIGBUS, as for every mmap-based store.
#![deny(unsafe_code)]

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

/// A read-only map of the first `len` bytes of a file (none when `len` is 0).
#[derive(Debug, Default)]
pub(crate) struct Map {
    map: Option<memmap2::Mmap>,
}

impl Map {
    /// Maps the first `len` bytes of `file` (which must be at least that long).
    pub(crate) fn remap(&mut self, file: &File, len: u64) -> io::Result<()> {
        self.map = None;
        if len == 0 {
            return Ok(());
        }
        #[allow(unsafe_code)]
        // SAFETY: the file is only written or truncated by this process, through `&mut` of
        // the owning store, under the exclusive directory lock (module docs); the map is
        // dropped before any truncation and re-created afterwards, and only bytes below the
        // committed length (which exist on disk) are ever read from it.
        let m = unsafe { memmap2::MmapOptions::new().len(len as usize).map(file)? };
        self.map = Some(m);
        Ok(())
    }

    /// The mapped bytes.
    #[inline]
    pub(crate) fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }

    /// Drops the map.
    pub(crate) fn clear(&mut self) {
        self.map = None;
    }
}

/// An exclusive advisory lock on a store directory's `LOCK` file, released on drop (and by
/// the kernel when the process dies, so a killed writer never leaves a stale lock).
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    /// Takes the lock without waiting; `WouldBlock` if another open store holds it.
    pub(crate) fn take(file: File) -> io::Result<DirLock> {
        #[allow(unsafe_code)]
        // SAFETY: flock(2) on a valid, open descriptor that `file` owns for the whole call;
        // no memory is passed.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(DirLock { _file: file })
    }
}
