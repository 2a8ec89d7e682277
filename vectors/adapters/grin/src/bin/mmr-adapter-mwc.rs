//! A conformance adapter (vectors/PROTOCOL.md) around mwc_core 5.3.9, Mwc's fork of
//! grin_core, for profile `grin`: the same protocol, ops and conversions as
//! `mmr-adapter-grin` (the modules are shared, `src/adapter.rs`), on Mwc's code. Its PMMR,
//! `VecBackend`, `MerkleProof` and hashing keep grin's API (README.md, "mwc_core").
//!
//! ```text
//! cargo build --release --manifest-path vectors/adapters/grin/Cargo.toml
//! mmr conform --check-flags mwc@5.3.9 --vectors vectors/grin/proofs.yaml ... -- \
//!     $CARGO_TARGET_DIR/release/mmr-adapter-mwc
//! ```

#![forbid(unsafe_code)]

/// The library under test, as the shared modules name it.
use mwc_core as grin;

#[path = "../adapter.rs"]
mod adapter;
#[path = "../glue.rs"]
mod glue;

/// The library and version, as the handshake names it.
const LIBRARY: &str = "mwc_core 5.3.9";
/// The adapter's name in the handshake.
const NAME: &str = "mwc-adapter";

/// The error of the `Readable` grin requires of an element and never calls (glue.rs):
/// mwc_core 5.3.9's `ser::Error::CorruptedData` carries a message, grin_core's does not.
fn unreadable() -> grin::ser::Error {
    grin::ser::Error::CorruptedData("an adapter leaf is never read back".into())
}

fn main() {
    adapter::serve()
}

#[cfg(test)]
#[path = "../tests.rs"]
mod tests;
