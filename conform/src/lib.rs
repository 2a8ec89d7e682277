//! # mmr-conform: checking any MMR implementation against the vectors and the reference
//!
//! - [`protocol`]: the JSON line protocol (`vectors/PROTOCOL.md`) and the handshake.
//! - [`adapter`]: an outside implementation as a child process speaking the protocol.
//! - [`runner`]: the [`runner::Target`] trait, the built-in targets, and one handler per
//!   vector kind (`ops`, `arith`) that runs a case and reports pass, fail or skip.
//! - [`random`]: random sessions against the reference, and shrinking of a difference to a
//!   minimal vector.
#![forbid(unsafe_code)]

pub mod adapter;
pub mod protocol;
pub mod random;
pub mod runner;
