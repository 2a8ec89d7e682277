//! # mmr-optimized: the fast MMR proof database
//!
//! The implementation of `spec/SPEC.md` a node would run, written for speed and checked
//! against the executable spec (`mmr-reference`) by the differential harness. It follows
//! Mwc/Grin: nodes in a flat array by postorder position, index arithmetic in closed form
//! ([`index`], the `mmr-index` crate), no maps and no per-node allocation.
//!
//! * [`Optimized`] implements [`mmr_spec::ProofDb`]: append, update and spend (D12), roots
//!   under all three bagging shapes (D11), coin and batch proofs and their verification
//!   (D13-D15), blocks with retained per-block states kept as undo records (D16-D19),
//!   compaction with the leaf set and prune list in MWEB's layout (D20-D22), and un-pruning
//!   (D23). [`Optimized::append_bulk`] appends many leaves on every core.
//! * [`OptimizedClient`] implements [`mmr_spec::Client`], the storage-less client (D24).
//! * [`Store`] is where nodes live; [`MemStore`] keeps them in memory.
//!
//! ```
//! use mmr_optimized::Optimized;
//! use mmr_spec::{At, Block, BlockOp, ProofDb};
//!
//! let mut db = Optimized::new(Default::default());
//! for i in 0..4u8 {
//!     db.append(&[i], 10).unwrap();
//! }
//! db.commit().unwrap(); // block 1
//! db.apply_block(&Block { ops: vec![BlockOp::Spend { index: 1, data: b"spent".to_vec() }] })
//!     .unwrap(); // block 2
//! assert_eq!(db.root(At::Current).unwrap().value, 30);
//! assert_eq!(db.root(At::Block(1)).unwrap().value, 40); // a retained state
//! let proof = db.prove(At::Block(1), 1).unwrap();
//! db.verify(&db.root(At::Block(1)).unwrap(), &proof, &[1], 10).unwrap();
//! db.rewind(1).unwrap();
//! assert_eq!(db.root(At::Current).unwrap().value, 40);
//! ```
#![forbid(unsafe_code)]

mod bagging;
mod batch;
mod bits;
mod blocks;
mod bulk;
mod client;
mod db;
pub mod hash;
mod mmr;
mod persist;
mod profile;
mod proof;
mod prune;
mod store;
mod undo;

/// Closed-form index arithmetic over u64 positions (SPEC.md D1-D8): the `mmr-index` crate.
pub use mmr_index as index;

pub use batch::verify_batch_proof;
pub use bits::Bits;
pub use client::OptimizedClient;
pub use mmr::Optimized;
pub use persist::{Persisted, RetainedBlock};
pub use profile::{PortableSha3Default, Sha3Default};
pub use proof::verify_proof;
pub use store::{MemStore, Store};
