//! A conformance adapter (vectors/PROTOCOL.md) around polkadot-ckb-merkle-mountain-range
//! 0.8.3, Parity's fork of ckb-merkle-mountain-range: the same protocol, ops and
//! conversions as `mmr-adapter-ckb` (the modules are shared, `src/adapter.rs`), on the
//! fork's code. 0.8.3 checks the size of a proof (`is_valid_mmr_size`) and refuses two
//! different leaves at one position, which 0.6.1 does not (README.md, "0.8.3").
//!
//! ```text
//! cargo build --release -p mmr-adapter-ckb
//! cargo run --release -p mmr-cli -- conform --check-flags ckb@0.8.3 \
//!     --vectors vectors/ckb/proofs.yaml ... -- $CARGO_TARGET_DIR/release/mmr-adapter-polkadot-ckb
//! ```

#![forbid(unsafe_code)]

/// The library under test, as the shared modules name it.
use polkadot_ckb_merkle_mountain_range as ckb;

#[path = "../adapter.rs"]
mod adapter;
#[path = "../convert.rs"]
mod convert;
#[path = "../glue.rs"]
mod glue;

/// The library and version, as the handshake names it.
const LIBRARY: &str = "polkadot-ckb-merkle-mountain-range 0.8.3";

/// No 0.8.3 error names a kind by itself: its `CorruptedProof` and
/// `GenProofForInvalidLeaves` each stand for several rules, so the adapter names those
/// rejections with the reference's verifier (README.md, "Error kinds").
fn library_kind(_: &ckb::Error) -> Option<&'static str> {
    None
}

fn main() {
    adapter::serve()
}
