//! # mmr-spec: the shared vocabulary of the MMR proof database
//!
//! This crate holds what both implementations of `spec/SPEC.md` share and nothing they
//! should compute independently: hash profiles ([`Profile`], the default [`profiles::DEFAULT`]),
//! nodes, proofs, blocks and MMR sets with their canonical byte encodings, the leaf-set and
//! prune-list byte layouts, the [`Error`] type, and the two traits the implementations
//! implement: [`ProofDb`] and [`Client`]. Position arithmetic deliberately lives in each
//! implementation, so that their agreement is earned rather than shared.
//!
//! ```
//! use mmr_spec::{profiles::DEFAULT, Profile, leaf_node, parent_node};
//! // The two-leaf MMR: leaves at positions 0 and 1, their parent at 2 (SPEC.md D1, D9).
//! let a = leaf_node(&DEFAULT, 0, b"alice", 5);
//! let b = leaf_node(&DEFAULT, 1, b"bob", 7);
//! let p = parent_node(&DEFAULT, 2, &a, &b).unwrap();
//! assert_eq!(p.value, 12);
//! ```
#![forbid(unsafe_code)]

mod bitset;
mod block;
mod client;
pub mod codec;
mod db;
mod error;
mod hash;
mod node;
pub mod ops;
mod profile;
pub mod profiles;
mod proof;

pub use bitset::{decode_leaf_set, decode_prune_list, encode_leaf_set, encode_prune_list};
pub use block::{Block, BlockInfo, BlockOp, MmrSet, OP_APPEND, OP_SPEND, OP_UPDATE};
pub use client::{Client, ClientState};
pub use db::{At, CompactReport, Config, Leaf, ProofDb, StateInfo, batch_leaf_nodes};
pub use error::{Error, ErrorKind};
pub use hash::{Hash, HexError, from_hex, to_hex};
pub use node::Node;
pub use profile::{
    Bagging, Profile, ProofShape, bag_node, checked_total, empty_root, flat_root, leaf_node,
    parent_node, proof_listing, wrapped_root,
};
pub use proof::{BatchProof, ITEM_BYTES, Proof, STEP_BYTES, Side, Step};
