//! # mmr-harness: the differential harness
//!
//! The project's core promise is that the optimized implementation agrees with the
//! executable spec on every observable, for every sequence of operations, valid or not.
//! [`Pair`] runs one [`Op`](mmr_spec::ops::Op) sequence on both, through the same
//! [`Executor`](mmr_spec::ops::Executor), and after every step compares the outcome and the
//! whole observable state ([`observe`]): bookkeeping, every retained state's summary,
//! leaf set and MMR set, every node by position (and the reference's (row, entry) address
//! against the index arithmetic), every leaf's proof, a batch proof of all leaves, the
//! prune list, and the client. The first difference is reported with the shortest failing
//! prefix of the sequence.
//!
//! [`strategy`] holds the proptest strategies the `cargo test` suites and the fuzz targets share.
#![forbid(unsafe_code)]

pub mod diff;
pub mod memo;
pub mod observe;
pub mod strategy;
pub mod subjects;

pub use diff::{Mismatch, Pair, run_all_profiles, run_generated, run_sequence};
