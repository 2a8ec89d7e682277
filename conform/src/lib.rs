//! # mmr-conform: checking any MMR implementation against the vectors and the reference
//!
//! - [`protocol`]: the JSON line protocol (`vectors/PROTOCOL.md`), versions 1 and 2: the
//!   handshake and the capabilities it declares.
//! - [`adapter`]: an outside implementation as a child process speaking the protocol.
//! - [`target`]: the [`target::Target`] trait and the built-in targets.
//! - [`runner`]: one handler per vector kind (`ops`, `arith`) that runs a case and reports
//!   pass, fail, known or skip.
//! - [`judge`]: answers against expected outcomes under the declared capabilities, and
//!   difference classes.
//! - [`random`]: random sessions against the reference, grouped by difference class, and
//!   shrinking of each class to a minimal vector.
//! - [`known`]: known-failure lists (`--known`).
//! - [`flags`]: the vectors' leniency flags checked against a real library (`--check-flags`).
//! - [`report`]: the report, its summary and its JSON form.
//! - [`run`]: a whole conformance run from its options.
#![forbid(unsafe_code)]

pub mod adapter;
pub mod flags;
pub mod judge;
pub mod known;
pub mod protocol;
pub mod random;
pub mod report;
pub mod run;
pub mod runner;
pub mod target;
