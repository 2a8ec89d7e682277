//! The profiles this crate ships, and lookup by name.
//!
//! Besides the project's own `default` profile, the dialects of real systems (SPEC.md
//! section 10, `spec/DIALECTS.md`): `grin` (Grin and Mwc), `mweb` (Litecoin MWEB), `minima`
//! and `ckb` (ckb-merkle-mountain-range 0.6.1 with the merge of its own tests).

mod ckb;
mod default;
pub mod grin;
pub mod minima;
mod mweb;

pub use ckb::{CKB, CkbProfile};
pub use default::{DEFAULT, DefaultProfile};
pub use grin::{GRIN, GrinProfile};
pub use minima::{MINIMA, MinimaProfile};
pub use mweb::{MWEB, MwebProfile, compact_size};

use crate::Profile;

/// Every shipped profile.
pub fn all() -> Vec<&'static dyn Profile> {
    vec![&DEFAULT, &GRIN, &MWEB, &MINIMA, &CKB]
}

/// The shipped profile with this name.
pub fn by_name(name: &str) -> Option<&'static dyn Profile> {
    all().into_iter().find(|p| p.name() == name)
}

/// The names of every shipped profile.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|p| p.name()).collect()
}
