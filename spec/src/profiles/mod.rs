//! The profiles this crate ships, and lookup by name.
//!
//! Besides the project's own `default` profile, the dialects of real systems (SPEC.md
//! section 10, `spec/DIALECTS.md`): `grin` (Grin and Mwc), `mweb` (Litecoin MWEB), `minima`
//! (release v1.0.45) and `ckb` (ckb-merkle-mountain-range 0.6.1 with the merge of its own
//! tests); [`superseded`] holds `minima-legacy`, the untagged Keccak revision of Minima's docs.

mod ckb;
pub mod declared;
mod default;
pub mod grin;
pub mod minima;
pub mod mininumber;
mod mweb;

pub use ckb::{CKB, CkbProfile};
pub use default::{DEFAULT, DefaultProfile};
pub use grin::{GRIN, GrinProfile};
pub use minima::{MINIMA, MINIMA_LEGACY, MinimaLegacyProfile, MinimaProfile};
pub use mweb::{MWEB, MwebProfile, compact_size};

use crate::Profile;
use std::sync::RwLock;

/// Every shipped profile.
pub fn all() -> Vec<&'static dyn Profile> {
    vec![&DEFAULT, &GRIN, &MWEB, &MINIMA, &CKB]
}

/// Superseded revisions of a dialect, kept under an explicitly versioned name only so that
/// values published for them stay checkable (`minima-legacy`, `tests/published_minima.rs`).
/// Found by [`by_name`]; not in [`all`] or [`names`], so no vector files, sessions or harness runs.
pub fn superseded() -> Vec<&'static dyn Profile> {
    vec![&MINIMA_LEGACY]
}

/// Profiles added at run time ([`register`]): declared in a profile file, for instance.
static REGISTERED: RwLock<Vec<&'static dyn Profile>> = RwLock::new(Vec::new());

/// Makes a profile known to [`by_name`] (and so to vector files, sessions and adapters) for
/// the rest of the process. Registering the same profile again is a no-op; another profile
/// under a taken name is refused.
pub fn register(p: &'static dyn Profile) -> Result<(), String> {
    if let Some(existing) = by_name(p.name()) {
        if core::ptr::addr_eq(existing, p) {
            return Ok(());
        }
        return Err(format!("a profile named {:?} already exists", p.name()));
    }
    let mut reg = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    reg.push(p);
    Ok(())
}

/// The registered profiles, in registration order.
pub fn registered() -> Vec<&'static dyn Profile> {
    REGISTERED.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The shipped (superseded ones included) or registered profile with this name.
pub fn by_name(name: &str) -> Option<&'static dyn Profile> {
    all()
        .into_iter()
        .chain(superseded())
        .chain(registered())
        .find(|p| p.name() == name)
}

/// The names of every shipped and registered profile ([`superseded`] ones excluded: they
/// have no vector files).
pub fn names() -> Vec<&'static str> {
    all()
        .into_iter()
        .chain(registered())
        .map(|p| p.name())
        .collect()
}
