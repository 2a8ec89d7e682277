//! # mmr-reference: SPEC.md executed
//!
//! The reference implementation of the MMR proof database of `spec/SPEC.md`: the oracle the
//! optimized implementation, the vectors and the fuzzers are judged against. It is written
//! for obviousness, never for speed: nodes live in maps keyed by (row, entry) (D5), the
//! position arithmetic is a separate boundary module ([`addr`]) evaluated in u128 with
//! searches instead of bit tricks, per-block states are Minima-style layers (D18, D19), and
//! every function names the definition it implements.
//!
//! - [`Reference`] implements [`mmr_spec::ProofDb`] (D12-D23);
//! - [`RefClient`] implements [`mmr_spec::Client`] (D24);
//! - [`bagging`], [`proof`] and [`batch`] hold the root, proof and batch-proof algorithms
//!   for every [`mmr_spec::Bagging`] shape, usable on their own as verifiers.
//!
//! ```
//! use mmr_reference::{RefClient, Reference};
//! use mmr_spec::{At, Client, ClientState, Config, ProofDb, profiles::DEFAULT};
//!
//! // A database with four coins, committed as block 1 (D12, D16).
//! let mut db = Reference::new(&DEFAULT, Config::default());
//! for (i, value) in [5u64, 7, 11, 13].iter().enumerate() {
//!     db.append(&[i as u8], *value)?;
//! }
//! let block = db.commit()?;
//! assert_eq!((block.height, block.size, block.root.value), (1, 7, 36));
//!
//! // A coin proof verifies against the root (D13, D14).
//! let proof = db.prove(At::Current, 2)?;
//! db.verify(&block.root, &proof, &[2], 11)?;
//!
//! // A storage-less client follows block 2 from its MMR set alone (D18, D24).
//! let state = db.state(At::Current)?;
//! let mut client = RefClient::new(
//!     &DEFAULT,
//!     ClientState { height: 1, size: state.size, peaks: state.peaks },
//! )?;
//! let leaf = db.node(At::Current, proof.pos)?;
//! client.track(&proof, &leaf)?;
//! db.spend(0, b"spent")?;
//! db.append(b"new", 3)?;
//! db.commit()?;
//! client.apply(&db.mmr_set(2)?)?;
//! assert_eq!(client.proof(2)?, db.prove(At::Block(2), 2)?);
//! # Ok::<(), mmr_spec::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod addr;
pub mod bagging;
pub mod batch;
mod client;
mod db;
mod layers;
pub mod proof;
mod prune;

pub use client::RefClient;
pub use db::Reference;
