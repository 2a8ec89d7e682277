//! # mmr-vectors: test vectors, their generator and checker, the conformance runner, and
//! the `mmr` command-line tool
//!
//! - [`model`] and [`num`]: the vector file types (`vectors/SCHEMA.md`), shared with the
//!   JSON line protocol ([`protocol`], `vectors/PROTOCOL.md`); [`vectors_parse`] is the
//!   entry point the fuzz target calls.
//! - [`exec`]: runs concrete ops and arithmetic queries on the built-in implementations.
//! - [`generate`] and [`files`]: write the vector files deterministically from the reference.
//! - [`runner`]: runs vector files on any [`runner::Target`], case by case.
//! - [`adapter`]: an outside implementation as a child process speaking the protocol.
//! - [`random`]: random sessions against the reference, and shrinking.
//! - [`query`]: the `mmr root`, `peaks`, `prove`, `verify` commands.
#![forbid(unsafe_code)]

pub mod adapter;
pub mod exec;
pub mod files;
pub mod generate;
pub mod model;
pub mod num;
pub mod protocol;
pub mod query;
pub mod random;
pub mod runner;

pub use model::{ParseError, VectorFile, parse, vectors_parse};
