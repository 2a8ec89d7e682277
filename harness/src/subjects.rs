//! The two implementations as [`Subject`]s of the op executor.

use mmr_optimized::{Optimized, OptimizedClient};
use mmr_reference::{RefClient, Reference};
use mmr_spec::ops::Subject;
use mmr_spec::{Client, ClientState, Config, Error, Profile, ProofDb};

/// A profile chosen at run time; both implementations are monomorphized over it.
pub type DynProfile = &'static dyn Profile;

static FAST_DEFAULT: mmr_optimized::Sha3Default = mmr_optimized::Sha3Default;
static PORTABLE_DEFAULT: mmr_optimized::PortableSha3Default = mmr_optimized::PortableSha3Default;

/// The optimized implementation's hashings of profile `p`: `p` itself, and for the default
/// profile also mmr-optimized's single-buffer SHA3-256 on each backend (`Sha3Default`: the
/// fast keccak-asm backend where it builds; `PortableSha3Default`: the sha3 crate). The
/// reference always hashes with `p` (sha3), so a pair built with a variant checks that the
/// backend's every output equals the spec's.
pub fn optimized_variants(p: DynProfile) -> Vec<DynProfile> {
    if p.name() == mmr_spec::profiles::DEFAULT.name() {
        vec![p, &FAST_DEFAULT, &PORTABLE_DEFAULT]
    } else {
        vec![p]
    }
}

/// The reference implementation under test.
pub struct RefSubject {
    profile: DynProfile,
    /// The database.
    pub db: Reference<DynProfile>,
}

impl RefSubject {
    /// An empty reference database.
    pub fn new(profile: DynProfile, config: Config) -> Self {
        RefSubject {
            profile,
            db: Reference::new(profile, config),
        }
    }
}

impl Subject for RefSubject {
    fn db(&self) -> &dyn ProofDb {
        &self.db
    }
    fn db_mut(&mut self) -> &mut dyn ProofDb {
        &mut self.db
    }
    fn new_client(&self, state: ClientState) -> Result<Box<dyn Client>, Error> {
        Ok(Box::new(RefClient::new(self.profile, state)?))
    }
}

/// The optimized implementation (in-memory store) under test.
pub struct OptSubject {
    profile: DynProfile,
    /// The database.
    pub db: Optimized<DynProfile>,
}

impl OptSubject {
    /// An empty optimized database.
    pub fn new(profile: DynProfile, config: Config) -> Self {
        OptSubject {
            profile,
            db: Optimized::with_profile(profile, config),
        }
    }
}

impl Subject for OptSubject {
    fn db(&self) -> &dyn ProofDb {
        &self.db
    }
    fn db_mut(&mut self) -> &mut dyn ProofDb {
        &mut self.db
    }
    fn new_client(&self, state: ClientState) -> Result<Box<dyn Client>, Error> {
        Ok(Box::new(OptimizedClient::with_profile(
            self.profile,
            state,
        )?))
    }
}
