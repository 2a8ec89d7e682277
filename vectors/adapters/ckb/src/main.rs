//! A conformance adapter (vectors/PROTOCOL.md) around ckb-merkle-mountain-range 0.6.1.
//!
//! It speaks the JSON-lines protocol on stdin/stdout for profile `ckb` and runs every op it
//! declares on ckb's own code: `MMR::push`, `get_root`, `gen_proof` and the store for the
//! database, `MerkleProof::verify` for proofs. Our encodings (D13, D15) are converted to
//! and from ckb's `MerkleProof { mmr_size, proof_items }` (`convert`); ckb's verdicts are
//! reported as they are, leniencies included. README.md beside this file has the mapping.
//! The same adapter around polkadot-ckb-merkle-mountain-range 0.8.3 is the binary
//! `mmr-adapter-polkadot-ckb` (`src/bin/`).
//!
//! ```text
//! cargo build --release -p mmr-adapter-ckb
//! cargo run --release -p mmr-cli -- conform \
//!     --vectors vectors/ckb/proofs.yaml ... -- $CARGO_TARGET_DIR/release/mmr-adapter-ckb
//! ```
//!
//! (`--vectors` once per file; REPORT.md has the full command.)

#![forbid(unsafe_code)]

/// The library under test, as the shared modules name it.
use ckb_merkle_mountain_range as ckb;

mod adapter;
mod convert;
mod glue;

/// The library and version, as the handshake names it.
const LIBRARY: &str = "ckb-merkle-mountain-range 0.6.1";

/// 0.6.1's own errors that name a kind by themselves: `NodeProofsNotSupported` (a position
/// that is no leaf; 0.8.3 answers `CorruptedProof` or `GenProofForInvalidLeaves` instead).
fn library_kind(e: &ckb::Error) -> Option<&'static str> {
    match e {
        ckb::Error::NodeProofsNotSupported => Some("not-a-leaf"),
        _ => None,
    }
}

fn main() {
    adapter::serve()
}
