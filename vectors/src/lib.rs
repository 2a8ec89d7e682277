//! # mmr-vectors: the YAML test vectors, their generator and their checker
//!
//! - [`model`] and [`num`]: the vector file types (`vectors/SCHEMA.md`), shared with the
//!   JSON line protocol of `mmr-conform` (`vectors/PROTOCOL.md`); [`vectors_parse`] is the
//!   entry point the fuzz target calls.
//! - [`exec`]: runs concrete ops and arithmetic queries on the built-in implementations.
//! - [`generate`]: writes the vector files deterministically from the reference, one
//!   module per topic file.
//! - [`files`]: the vector files on disk and embedded in this crate, so that an installed
//!   binary carries them; [`source`] holds the raw embedded texts and the size-checked
//!   reading of a file.
//! - [`check`]: every case of a file on a built-in implementation.
#![forbid(unsafe_code)]

pub mod check;
pub mod exec;
pub mod files;
pub mod generate;
pub mod model;
pub mod num;
pub mod profiles;
pub mod source;

pub use model::{ParseError, VectorFile, parse, vectors_parse};
