//! A conformance adapter (vectors/PROTOCOL.md) around grin_core 5.5.2, for profile `grin`.
//!
//! The session and ops are `src/adapter.rs`, shared with `mmr-adapter-mwc` (src/bin/),
//! which runs them on mwc_core; this file names the library.
//!
//! ```text
//! cargo build --release --manifest-path vectors/adapters/grin/Cargo.toml
//! mmr conform --check-flags grin@5.5.2 --vectors vectors/grin/proofs.yaml ... -- \
//!     $CARGO_TARGET_DIR/release/mmr-adapter-grin
//! ```

#![forbid(unsafe_code)]

/// The library under test, as the shared modules name it.
use grin_core as grin;

mod adapter;
mod glue;

/// The library and version, as the handshake names it.
const LIBRARY: &str = "grin_core 5.5.2";
/// The adapter's name in the handshake.
const NAME: &str = "grin-adapter";

/// The error of the `Readable` grin requires of an element and never calls (glue.rs).
fn unreadable() -> grin::ser::Error {
    grin::ser::Error::CorruptedData
}

fn main() {
    adapter::serve()
}

#[cfg(test)]
mod tests;
