//! Running concrete ops ([`VOp`]) and arithmetic queries on the built-in implementations.
//!
//! Ops that the operation model of `mmr_spec::ops` has are run through its [`Executor`], so
//! vectors, the differential harness and the protocol share one semantics; the concrete
//! client ops and the node-level verifiers, which the op model only reaches through derived
//! ops, are mapped onto the `ProofDb` and `Client` traits here, in the same style.

use crate::model::{Query, VOp, VOut, from_outcome, to_op};
use crate::num::{Kind, U64};
use mmr_harness::subjects::{DynProfile, OptSubject, RefSubject};
use mmr_spec::ops::{Executor, Outcome, Output, Subject};
use mmr_spec::{BatchProof, Block, ClientState, Config, Error, ErrorKind, Node, Proof};

/// Runs one concrete op on an executor and returns its outcome. Never panics for an
/// implementation that never panics.
pub fn run_vop<S: Subject>(exec: &mut Executor<S>, op: &VOp) -> VOut {
    from_outcome(run_inner(exec, op))
}

fn kind<T>(r: Result<T, Error>) -> Result<T, ErrorKind> {
    r.map_err(|e| e.kind())
}

/// A client op before any successful `client_init` fails as `not-tracked`, as in the
/// executor.
const NO_CLIENT: ErrorKind = ErrorKind::NotTracked;

fn run_inner<S: Subject>(exec: &mut Executor<S>, op: &VOp) -> Outcome {
    match op {
        VOp::ApplyBlock { block } => {
            let b = kind(Block::decode(&block.0))?;
            kind(exec.subject.db_mut().apply_block(&b)).map(Output::Block)
        }
        VOp::VerifyNode { root, proof, leaf } => {
            let p = kind(Proof::decode(&proof.0))?;
            let db = exec.subject.db();
            kind(db.verify_node(&(*root).into(), &p, &(*leaf).into())).map(|_| Output::Unit)
        }
        VOp::VerifyBatchNodes {
            root,
            proof,
            leaves,
        } => {
            let p = kind(BatchProof::decode(&proof.0))?;
            let l: Vec<Node> = leaves.iter().map(|n| (*n).into()).collect();
            let db = exec.subject.db();
            kind(db.verify_batch_nodes(&(*root).into(), &p, &l)).map(|_| Output::Unit)
        }
        VOp::ClientInit {
            height,
            size,
            peaks,
        } => {
            let c = kind(exec.subject.new_client(ClientState {
                height: height.0,
                size: size.0,
                peaks: peaks.iter().map(|n| (*n).into()).collect(),
            }))?;
            exec.client = Some(c);
            Ok(Output::Unit)
        }
        VOp::ClientTrack { proof, leaf } => {
            let p = kind(Proof::decode(&proof.0))?;
            let c = exec.client.as_deref_mut().ok_or(NO_CLIENT)?;
            kind(c.track(&p, &(*leaf).into())).map(Output::Number)
        }
        VOp::ClientVerify { proof, data, value } => {
            let p = kind(Proof::decode(&proof.0))?;
            let c = exec.client.as_deref().ok_or(NO_CLIENT)?;
            kind(c.verify(&p, &data.0, value.0)).map(|_| Output::Unit)
        }
        other => match to_op(other) {
            Some(o) => exec.run(&o),
            // Unreachable: every op but those above maps onto the op model.
            None => Err(ErrorKind::InvalidTag),
        },
    }
}

/// Which built-in implementation runs a vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Builtin {
    /// `mmr-reference`, the executable spec.
    Reference,
    /// `mmr-optimized`.
    Optimized,
}

impl Builtin {
    /// Both, reference first.
    pub const BOTH: [Builtin; 2] = [Builtin::Reference, Builtin::Optimized];

    /// `reference` or `optimized`.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Reference => "reference",
            Builtin::Optimized => "optimized",
        }
    }
}

/// A fresh session on one built-in implementation.
pub enum Session {
    /// On the reference.
    Reference(Box<Executor<RefSubject>>),
    /// On the optimized implementation.
    Optimized(Box<Executor<OptSubject>>),
}

impl Session {
    /// An empty database of this implementation, profile and retention.
    pub fn new(which: Builtin, profile: DynProfile, retain: u64) -> Session {
        let config = Config { retain };
        match which {
            Builtin::Reference => {
                Session::Reference(Box::new(Executor::new(RefSubject::new(profile, config))))
            }
            Builtin::Optimized => {
                Session::Optimized(Box::new(Executor::new(OptSubject::new(profile, config))))
            }
        }
    }

    /// Runs one op.
    pub fn run(&mut self, op: &VOp) -> VOut {
        match self {
            Session::Reference(e) => run_vop(e, op),
            Session::Optimized(e) => run_vop(e, op),
        }
    }

    /// Runs one arithmetic query.
    pub fn query(&self, q: &Query) -> VOut {
        match self {
            Session::Reference(_) => arith_reference(q),
            Session::Optimized(_) => arith_optimized(q),
        }
    }
}

fn err(k: ErrorKind) -> VOut {
    VOut::Error(Kind(k))
}

fn num(v: u64) -> VOut {
    VOut::Number(U64(v))
}

fn opt_num(v: Option<u64>) -> VOut {
    v.map_or(VOut::None, num)
}

/// Answers a query with the reference's `addr` module (D2-D7): the source of truth of the
/// `arith` vectors.
pub fn arith_reference(q: &Query) -> VOut {
    use ErrorKind as K;
    use mmr_reference::addr;
    let valid_pos = |p: u64| p != u64::MAX;
    match *q {
        Query::Size { leaves } => addr::size_of(leaves.0).map_or(err(K::CapacityExceeded), num),
        Query::LeafCount { size } => addr::leaf_count(size.0).map_or(err(K::InvalidSize), num),
        Query::LeafPos { index } => {
            addr::leaf_pos(index.0).map_or(err(K::LeafIndexOutOfRange), num)
        }
        Query::LeafIndex { pos } => match addr::addr_of(pos.0) {
            None => err(K::PositionOutOfRange),
            Some(a) if a.row != 0 => err(K::NotALeaf),
            Some(a) => num(a.entry),
        },
        Query::Height { pos } => {
            addr::height(pos.0).map_or(err(K::PositionOutOfRange), |h| num(u64::from(h)))
        }
        Query::Peaks { size } => addr::peak_positions(size.0).map_or(err(K::InvalidSize), |v| {
            VOut::Numbers(v.into_iter().map(U64).collect())
        }),
        Query::Parent { pos } if valid_pos(pos.0) => opt_num(addr::parent_pos(pos.0)),
        Query::Sibling { pos } if valid_pos(pos.0) => opt_num(addr::sibling_pos(pos.0)),
        Query::Children { pos } if valid_pos(pos.0) => addr::children_pos(pos.0)
            .map_or(VOut::None, |(l, r)| VOut::Numbers(vec![U64(l), U64(r)])),
        Query::RowEntry { pos } => {
            addr::addr_of(pos.0).map_or(err(K::PositionOutOfRange), |a| VOut::RowEntry {
                row: U64(u64::from(a.row)),
                entry: U64(a.entry),
            })
        }
        Query::Position { row, entry } => u32::try_from(row.0)
            .ok()
            .and_then(|row| {
                addr::position(addr::Addr {
                    row,
                    entry: entry.0,
                })
            })
            .map_or(err(K::PositionOutOfRange), num),
        Query::Parent { .. } | Query::Sibling { .. } | Query::Children { .. } => {
            err(K::PositionOutOfRange)
        }
    }
}

/// Answers a query with the optimized implementation's closed-form index arithmetic
/// (`mmr-index`), checked against [`arith_reference`] by the arith vectors.
pub fn arith_optimized(q: &Query) -> VOut {
    use ErrorKind as K;
    use mmr_optimized::index as ix;
    let valid_pos = |p: u64| p != u64::MAX;
    match *q {
        Query::Size { leaves } => {
            ix::size_for_leaves(leaves.0).map_or(err(K::CapacityExceeded), num)
        }
        Query::LeafCount { size } => ix::leaves_for_size(size.0).map_or(err(K::InvalidSize), num),
        Query::LeafPos { index } => {
            ix::leaf_to_pos(index.0).map_or(err(K::LeafIndexOutOfRange), num)
        }
        Query::LeafIndex { pos } => {
            if !valid_pos(pos.0) {
                err(K::PositionOutOfRange)
            } else {
                ix::pos_to_leaf(pos.0).map_or(err(K::NotALeaf), num)
            }
        }
        Query::Height { pos } => {
            ix::height(pos.0).map_or(err(K::PositionOutOfRange), |h| num(u64::from(h)))
        }
        Query::Peaks { size } => match ix::peaks(size.0) {
            None => err(K::InvalidSize),
            Some(p) => VOut::Numbers((0..p.len()).filter_map(|i| p.get(i)).map(U64).collect()),
        },
        Query::Parent { pos } if valid_pos(pos.0) => opt_num(ix::parent(pos.0)),
        Query::Sibling { pos } if valid_pos(pos.0) => opt_num(ix::sibling(pos.0)),
        Query::Children { pos } if valid_pos(pos.0) => {
            ix::children(pos.0).map_or(VOut::None, |(l, r)| VOut::Numbers(vec![U64(l), U64(r)]))
        }
        Query::RowEntry { pos } => {
            ix::to_row_entry(pos.0).map_or(err(K::PositionOutOfRange), |(row, entry)| {
                VOut::RowEntry {
                    row: U64(u64::from(row)),
                    entry: U64(entry),
                }
            })
        }
        Query::Position { row, entry } => u32::try_from(row.0)
            .ok()
            .and_then(|row| ix::from_row_entry(row, entry.0))
            .map_or(err(K::PositionOutOfRange), num),
        Query::Parent { .. } | Query::Sibling { .. } | Query::Children { .. } => {
            err(K::PositionOutOfRange)
        }
    }
}
