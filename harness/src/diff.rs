//! Lock-step execution of one op sequence on both implementations.

use crate::observe::{Depth, Label, Limits, Snapshot, depth_after, observe_with};
use crate::subjects::{DynProfile, OptSubject, RefSubject};
use mmr_spec::ops::{Executor, Op, Outcome};
use mmr_spec::{At, BlockOp, Config, Node, ProofDb, profiles};
use std::collections::BTreeMap;
use std::fmt;

/// The first observable on which the two implementations differ.
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// The profile in use.
    pub profile: &'static str,
    /// The retention setting in use.
    pub config: Config,
    /// The shortest failing prefix: the ops up to and including the one after which the
    /// difference appeared (empty: the freshly created databases already differ).
    pub prefix: Vec<Op>,
    /// What differed.
    pub what: String,
    /// The reference's value.
    pub reference: String,
    /// The optimized implementation's value.
    pub optimized: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "implementations differ (profile {}, retain {}) after {} op(s) on: {}",
            self.profile,
            self.config.retain,
            self.prefix.len(),
            self.what
        )?;
        writeln!(f, "  reference: {}", self.reference)?;
        writeln!(f, "  optimized: {}", self.optimized)?;
        writeln!(f, "shortest failing prefix:")?;
        for (i, op) in self.prefix.iter().enumerate() {
            writeln!(f, "  {i:3}: {op:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Mismatch {}

/// Both implementations, driven in lock step.
pub struct Pair {
    profile: DynProfile,
    optimized_profile: DynProfile,
    config: Config,
    limits: Limits,
    /// The reference.
    pub reference: Executor<RefSubject>,
    /// The optimized implementation.
    pub optimized: Executor<OptSubject>,
    done: Vec<Op>,
    /// Honest proofs of the working state seen so far, by (size, leaf index): what an
    /// `Unprune` with an empty proof resolves to, so un-pruning after a compaction can use a
    /// proof obtained before it.
    proofs: BTreeMap<(u64, u64), (Vec<u8>, Node)>,
    /// Whether `proofs` is kept (it only matters to an `Unprune` with an empty proof).
    cache_proofs: bool,
    /// Whether proofs are compared after every op (else only by [`Pair::finish`]).
    light: bool,
    /// Positions below this were already checked by `check_addressing` (a pure function of
    /// the position: checking it once is enough).
    addressed: u64,
}

fn show(o: &Outcome) -> String {
    match o {
        Ok(v) => format!("{v:?}"),
        Err(k) => format!("error {k}"),
    }
}

impl Pair {
    /// Two empty databases with this profile and retention.
    pub fn new(profile: DynProfile, config: Config) -> Self {
        Self::with_profiles(profile, profile, config)
    }

    /// Two empty databases: the reference hashing with `profile`, the optimized
    /// implementation with `optimized`, another implementation of the same profile (one of
    /// [`crate::subjects::optimized_variants`]: the same outputs on another hash backend).
    pub fn with_profiles(profile: DynProfile, optimized: DynProfile, config: Config) -> Self {
        assert_eq!(profile.name(), optimized.name(), "two different profiles");
        Pair {
            profile,
            optimized_profile: optimized,
            config,
            limits: Limits::default(),
            reference: Executor::new(RefSubject::memoized(profile, config)),
            optimized: Executor::new(OptSubject::new(optimized, config)),
            done: Vec::new(),
            proofs: BTreeMap::new(),
            cache_proofs: true,
            light: false,
            addressed: 0,
        }
    }

    /// Light checks, for the fuzz target: after each op its outcome and what the op can
    /// have changed are compared ([`depth_after`]: nothing more after a read or a
    /// verification, which take `&self`; the working state with its nodes, leaf set and
    /// unspent flags, bookkeeping and prune list after an append, update or spend, which
    /// change no committed block (D19); also every committed block's summary (root, peaks)
    /// and MMR set after a commit, apply-block, rewind, compaction or un-pruning; the
    /// client's summary after a client op). [`Pair::finish`] compares everything, every
    /// retained state's nodes, proofs and batch proofs, the client's proofs and the oracles
    /// included, on the final state. Any difference, light or final, is reported as in the
    /// default mode: the ops are replayed on a fresh pair that compares everything after
    /// every op, which finds the shortest failing prefix. Every state an input reaches is
    /// also the final state of its prefix, an input libFuzzer derives by truncation, so no
    /// observable goes uncompared; a run only compares in full the state it ends in.
    pub fn light(mut self) -> Self {
        self.light = true;
        self
    }

    /// Whether to keep the honest proofs an `Unprune` with an empty proof resolves to (the
    /// default; costs a reference proof per leaf and size). Pass `false` only for a run
    /// whose ops hold no such `Unprune`: resolution is then the same without them.
    pub fn with_proof_cache(mut self, keep: bool) -> Self {
        self.cache_proofs = keep;
        self
    }

    /// Whether an op's resolution ([`Pair::resolve`]) can read the proof cache.
    pub fn needs_proof_cache(op: &Op) -> bool {
        matches!(op, Op::Unprune { proof, .. } if proof.is_empty())
    }

    /// Ends a run: in light mode, the full comparison of the final state (see
    /// [`Pair::light`]); otherwise nothing (every op was checked in full).
    pub fn finish(&mut self) -> Result<(), Mismatch> {
        if self.light {
            let r = self.check_with(Depth::Full);
            return r.map_err(|m| self.replay(m));
        }
        Ok(())
    }

    /// After a light mismatch: the first full mismatch of the same (resolved) ops on a
    /// fresh pair checked in full after every op, or `m` if that finds none.
    fn replay(&self, m: Mismatch) -> Mismatch {
        let mut full = Pair::with_profiles(self.profile, self.optimized_profile, self.config)
            .with_limits(self.limits);
        let found = full
            .check()
            .and_then(|()| self.done.iter().try_for_each(|op| full.step(op).map(drop)));
        found.err().unwrap_or(m)
    }

    /// Sets the observation caps.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    fn mismatch(&self, what: String, r: String, o: String) -> Mismatch {
        Mismatch {
            profile: self.profile.name(),
            config: self.config,
            prefix: self.done.clone(),
            what,
            reference: r,
            optimized: o,
        }
    }

    /// Compares the whole observable state of both (also run before the first op).
    pub fn check(&mut self) -> Result<(), Mismatch> {
        let depth = if self.light {
            Depth::NoProofs
        } else {
            Depth::Full
        };
        self.check_with(depth)
            .map_err(|m| if self.light { self.replay(m) } else { m })
    }

    /// Compares the observable state to this depth.
    fn check_with(&mut self, depth: Depth) -> Result<(), Mismatch> {
        let a = observe_with(&mut self.reference, self.limits, depth);
        let b = observe_with(&mut self.optimized, self.limits, depth);
        self.compare(&a, &b)?;
        if self.cache_proofs {
            self.remember_proofs();
        }
        self.check_addressing()
    }

    fn compare(&self, a: &Snapshot, b: &Snapshot) -> Result<(), Mismatch> {
        for i in 0..a.entries.len().max(b.entries.len()) {
            match (a.entries.get(i), b.entries.get(i)) {
                (Some((la, oa)), Some((lb, ob))) if la == lb && oa == ob => {
                    if la.is_invariant() {
                        return Err(self.mismatch(la.to_string(), show(oa), show(ob)));
                    }
                }
                (Some((la, oa)), Some((lb, ob))) if la == lb => {
                    return Err(self.mismatch(la.to_string(), show(oa), show(ob)));
                }
                (ea, eb) => {
                    let d = |e: Option<&(Label, Outcome)>| match e {
                        Some((l, o)) => format!("{l}: {}", show(o)),
                        None => "(nothing more)".into(),
                    };
                    return Err(self.mismatch(
                        "the observation sequence (a state exists in one only)".into(),
                        d(ea),
                        d(eb),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Caches the reference's honest proofs of the working state (see `proofs`).
    fn remember_proofs(&mut self) {
        let db = &self.reference.subject; // through the memo: `check` proved these already
        let size = db.size();
        for index in 0..db.leaf_count().min(self.limits.leaves) {
            if self.proofs.contains_key(&(size, index)) {
                continue;
            }
            if let Ok(p) = db.prove(At::Current, index) {
                if let (Ok(bytes), Ok(leaf)) = (p.encode(), db.node(At::Current, p.pos)) {
                    self.proofs.insert((size, index), (bytes, leaf));
                }
            }
        }
    }

    /// D5: the reference's (row, entry) address of every current position agrees with the
    /// closed-form index arithmetic.
    fn check_addressing(&mut self) -> Result<(), Mismatch> {
        let size = self.reference.subject.db.size().min(self.limits.nodes);
        for pos in self.addressed..size {
            let r = mmr_reference::addr::addr_of(pos).map(|a| (a.row, a.entry));
            let o = mmr_index::to_row_entry(pos);
            if r != o {
                return Err(self.mismatch(
                    format!("(row, entry) of position {pos}"),
                    format!("{r:?}"),
                    format!("{o:?}"),
                ));
            }
        }
        self.addressed = self.addressed.max(size);
        Ok(())
    }

    /// Makes a generated op state-aware: small numbers (below 2^32) in index, height and
    /// position fields are taken modulo what the reference's current state makes
    /// meaningful, one past the end included (so the off-by-one edge stays reachable);
    /// larger numbers, the extremes, pass unchanged. The concrete result is what runs and
    /// what a failing prefix shows.
    pub fn resolve(&self, op: &Op) -> Op {
        let db = &self.reference.subject.db;
        let small = |v: u64| v < 1 << 32;
        let leaves = db.leaf_count();
        let index = |v: u64| if small(v) { v % (leaves + 1) } else { v };
        let (oldest, tip) = (db.oldest(), db.height());
        let height = |v: u64| {
            if small(v) {
                oldest + v % (tip - oldest + 2)
            } else {
                v
            }
        };
        let size = db.size();
        let pos = |v: u64| if small(v) { v % (size + 1) } else { v };
        let at = |a: At| match a {
            At::Block(h) => At::Block(height(h)),
            At::Current => At::Current,
        };
        let mut op = op.clone();
        match &mut op {
            Op::Update { index: i, .. } | Op::Spend { index: i, .. } => *i = index(*i),
            Op::Rewind { height: h } | Op::Compact { horizon: h } | Op::MmrSet { height: h } => {
                *h = height(*h)
            }
            Op::ClientInit { height: h } => *h = height(*h),
            Op::UnpruneFrom {
                height: h,
                index: i,
            } => {
                *h = height(*h);
                *i = index(*i);
            }
            Op::Node { at: a, pos: p } => {
                *a = at(*a);
                *p = pos(*p);
            }
            Op::IsUnspent { at: a, index: i }
            | Op::Prove { at: a, index: i }
            | Op::ProveAndVerify {
                at: a, index: i, ..
            } => {
                *a = at(*a);
                *i = index(*i);
            }
            Op::ProveBatch { at: a, indices } | Op::ProveBatchAndVerify { at: a, indices, .. } => {
                *a = at(*a);
                for i in indices.iter_mut() {
                    *i = index(*i);
                }
            }
            Op::State { at: a } | Op::LeafSet { at: a } => *a = at(*a),
            Op::ClientTrack { index: i }
            | Op::ClientUntrack { index: i }
            | Op::ClientProof { index: i }
            | Op::ClientLeaf { index: i }
            | Op::ClientVerify { index: i, .. } => {
                // Client ops address the client's own (possibly older) state.
                let n = match self.reference.client.as_deref() {
                    Some(c) => mmr_index::leaves_for_size(c.size()).unwrap_or(0),
                    None => leaves,
                };
                if small(*i) {
                    *i %= n + 1;
                }
            }
            Op::Unprune { proof, leaf } if proof.is_empty() => {
                let cached: Vec<_> = self.proofs.range((size, 0)..=(size, u64::MAX)).collect();
                if !cached.is_empty() {
                    let pick = (leaf.value % cached.len() as u64) as usize;
                    let (bytes, node) = cached[pick].1;
                    *proof = bytes.clone();
                    *leaf = *node;
                }
            }
            Op::ApplyBlock { block } => {
                for b in block.ops.iter_mut() {
                    match b {
                        BlockOp::Update { index: i, .. } | BlockOp::Spend { index: i, .. } => {
                            *i = index(*i)
                        }
                        BlockOp::Append { .. } => {}
                    }
                }
            }
            _ => {}
        }
        op
    }

    /// Resolves a generated op against the current state ([`Pair::resolve`]), then steps.
    pub fn step_generated(&mut self, op: &Op) -> Result<Outcome, Mismatch> {
        let op = self.resolve(op);
        self.step(&op)
    }

    /// Runs one op on both, then compares outcomes and the whole observable state.
    pub fn step(&mut self, op: &Op) -> Result<Outcome, Mismatch> {
        let a = self.reference.run(op);
        let b = self.optimized.run(op);
        self.done.push(op.clone());
        if a != b {
            let m = self.mismatch("the op's outcome".into(), show(&a), show(&b));
            return Err(if self.light { self.replay(m) } else { m });
        }
        if !self.light {
            self.check()?;
        } else if let Some(depth) = depth_after(op) {
            self.check_with(depth).map_err(|m| self.replay(m))?;
        }
        Ok(a)
    }
}

/// Runs a concrete sequence on a fresh pair, checking after every op.
pub fn run_sequence(profile: DynProfile, config: Config, ops: &[Op]) -> Result<(), Mismatch> {
    let mut pair = Pair::new(profile, config);
    pair.check()?;
    for op in ops {
        let _ = pair.step(op)?;
    }
    Ok(())
}

/// Runs a generated sequence on a fresh pair, resolving each op against the state it meets
/// ([`Pair::resolve`]) and checking after every op.
pub fn run_generated(profile: DynProfile, config: Config, ops: &[Op]) -> Result<(), Mismatch> {
    let mut pair = Pair::new(profile, config);
    pair.check()?;
    for op in ops {
        let _ = pair.step_generated(op)?;
    }
    Ok(())
}

/// Runs a sequence for every shipped profile.
pub fn run_all_profiles(config: Config, ops: &[Op]) -> Result<(), Mismatch> {
    for p in profiles::all() {
        run_sequence(p, config, ops)?;
    }
    Ok(())
}
