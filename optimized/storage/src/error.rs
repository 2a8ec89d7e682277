//! Errors of the file-backed store: every one names the file and, where there is one, the
//! byte offset.
#![forbid(unsafe_code)]

use core::fmt;

/// What went wrong with a store's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// The database refused the operation (the same error the in-memory database gives).
    Db(mmr_spec::Error),
    /// An I/O call failed (or an injected fault fired).
    Io {
        /// The file (relative to the store directory).
        file: String,
        /// The byte offset of the failed access (0 when the call has none).
        offset: u64,
        /// The operating system's message.
        message: String,
    },
    /// A file's content does not match what the manifest committed.
    Corrupt {
        /// The file.
        file: String,
        /// The first byte offset at which it differs (for a checksum, the start of the
        /// failing chunk; for a wrong length, the committed length).
        offset: u64,
        /// What is wrong.
        what: String,
    },
    /// Another process (or another open handle) holds the store's lock.
    Locked,
    /// A key-table or MMR-name request cannot be served (a duplicate or missing key, an
    /// unknown MMR name).
    Key {
        /// The MMR's name.
        mmr: String,
        /// What is wrong.
        what: String,
    },
    /// An earlier write failed; the open handle refuses further changes until reopened.
    Poisoned,
}

impl StorageError {
    pub(crate) fn io(file: &str, offset: u64, e: &std::io::Error) -> StorageError {
        StorageError::Io {
            file: file.to_string(),
            offset,
            message: e.to_string(),
        }
    }

    pub(crate) fn corrupt(file: &str, offset: u64, what: impl Into<String>) -> StorageError {
        StorageError::Corrupt {
            file: file.to_string(),
            offset,
            what: what.into(),
        }
    }

    /// The database error, if this is one.
    pub fn db(&self) -> Option<&mmr_spec::Error> {
        match self {
            StorageError::Db(e) => Some(e),
            _ => None,
        }
    }
}

impl StorageError {
    /// This error as the shared error type: a database error as itself, every storage
    /// failure as `mmr_spec::Error::Storage` (kind `storage`) with its file and offset.
    pub fn into_spec(self) -> mmr_spec::Error {
        use mmr_spec::Error::Storage;
        match self {
            StorageError::Db(e) => e,
            StorageError::Io {
                file,
                offset,
                message,
            } => Storage {
                file,
                offset,
                what: format!("I/O error: {message}"),
            },
            StorageError::Corrupt { file, offset, what } => Storage {
                file,
                offset,
                what: format!("corrupt: {what}"),
            },
            StorageError::Key { mmr, what } => Storage {
                file: mmr,
                offset: 0,
                what,
            },
            StorageError::Locked => Storage {
                file: "LOCK".into(),
                offset: 0,
                what: "the store is locked by another open handle".into(),
            },
            StorageError::Poisoned => Storage {
                file: String::new(),
                offset: 0,
                what: "an earlier write failed; reopen the store to return to its last commit"
                    .into(),
            },
        }
    }
}

impl From<StorageError> for mmr_spec::Error {
    fn from(e: StorageError) -> Self {
        e.into_spec()
    }
}

impl From<mmr_spec::Error> for StorageError {
    fn from(e: mmr_spec::Error) -> Self {
        StorageError::Db(e)
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Db(e) => write!(f, "{e}"),
            StorageError::Io {
                file,
                offset,
                message,
            } => write!(f, "I/O error on {file} at byte {offset}: {message}"),
            StorageError::Corrupt { file, offset, what } => {
                write!(f, "corrupt store file {file} at byte {offset}: {what}")
            }
            StorageError::Locked => write!(f, "the store is locked by another open handle"),
            StorageError::Key { mmr, what } => write!(f, "MMR {mmr:?}: {what}"),
            StorageError::Poisoned => write!(
                f,
                "an earlier write failed; reopen the store to return to its last commit"
            ),
        }
    }
}

impl std::error::Error for StorageError {}
