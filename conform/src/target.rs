//! Something vectors and random sessions run on: a built-in implementation or an outside
//! adapter ([`crate::adapter::ProcessTarget`]).

use crate::protocol::{Caps, Got};
use mmr_vectors::exec::{Builtin, Session, arith_optimized, arith_reference};
use mmr_vectors::model::{Query, VOp, profile_named};
use std::fmt;

/// A misbehaving implementation: crashed, hung, or wrote something that is not a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Something vectors run on.
pub trait Target {
    /// A name for reports.
    fn name(&self) -> String;
    /// What it implements.
    fn caps(&self) -> &Caps;
    /// Starts a new session: an empty database with this profile and retention, no client.
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure>;
    /// Runs one op of the current session.
    fn run(&mut self, op: &VOp) -> Result<Got, Failure>;
    /// Appends a leaf given by its hash (targets declaring `leaves: "hashed"`).
    fn append_hash(&mut self, hash: [u8; 32], value: u64) -> Result<Got, Failure>;
    /// Answers an index-arithmetic query.
    fn query(&mut self, q: &Query) -> Result<Got, Failure>;
    /// The last lines the target wrote to its stderr (adapters), for reports.
    fn stderr_tail(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A built-in implementation as a [`Target`].
pub struct BuiltinTarget {
    which: Builtin,
    caps: Caps,
    session: Option<Session>,
}

impl BuiltinTarget {
    /// The target for one built-in implementation: every op, every known profile.
    pub fn new(which: Builtin) -> BuiltinTarget {
        mmr_vectors::profiles::ensure_shipped();
        let names = mmr_spec::profiles::names().into_iter().map(String::from);
        BuiltinTarget {
            which,
            caps: Caps::all(names),
            session: None,
        }
    }
}

impl Target for BuiltinTarget {
    fn name(&self) -> String {
        self.which.name().into()
    }
    fn caps(&self) -> &Caps {
        &self.caps
    }
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure> {
        let p = profile_named(profile).map_err(Failure)?;
        self.session = Some(Session::new(self.which, p, retain));
        Ok(())
    }
    fn run(&mut self, op: &VOp) -> Result<Got, Failure> {
        let s = self
            .session
            .as_mut()
            .ok_or_else(|| Failure("no session: reset first".into()))?;
        Ok(Got::Out(s.run(op)))
    }
    fn append_hash(&mut self, _hash: [u8; 32], _value: u64) -> Result<Got, Failure> {
        Err(Failure(
            "the built-in implementations take leaf data, not hashes".into(),
        ))
    }
    fn query(&mut self, q: &Query) -> Result<Got, Failure> {
        Ok(Got::Out(match self.which {
            Builtin::Reference => arith_reference(q),
            Builtin::Optimized => arith_optimized(q),
        }))
    }
}
