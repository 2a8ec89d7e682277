//! The profiles this crate ships, and lookup by name.

mod default;

pub use default::{DEFAULT, DefaultProfile};

use crate::Profile;

/// Every shipped profile.
pub fn all() -> Vec<&'static dyn Profile> {
    vec![&DEFAULT]
}

/// The shipped profile with this name.
pub fn by_name(name: &str) -> Option<&'static dyn Profile> {
    all().into_iter().find(|p| p.name() == name)
}

/// The names of every shipped profile.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|p| p.name()).collect()
}
