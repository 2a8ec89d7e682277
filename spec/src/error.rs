//! The one error type of the project (SPEC.md section "Errors").
//!
//! Every rejection names what was wrong and where. [`Error::kind`] maps each error to a
//! stable, fieldless [`ErrorKind`] whose kebab-case name is what vectors and the conformance
//! protocol carry, so two implementations agree on *which* rule fired, not on message text.

use crate::{Hash, Side};
use core::fmt;

/// Every way an operation of the proof database, a verifier or a decoder can refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    // ----- sizes, positions, indices (D4, D8) -----
    /// The size is not `2n - popcount(n)` for any leaf count n (D4).
    InvalidSize {
        /// The rejected size.
        size: u64,
    },
    /// A leaf index at or beyond the leaf count (D3).
    LeafIndexOutOfRange {
        /// The requested leaf index.
        index: u64,
        /// The number of leaves in the MMR.
        leaf_count: u64,
    },
    /// A position at or beyond the size (D1).
    PositionOutOfRange {
        /// The requested position.
        pos: u64,
        /// The size of the MMR.
        size: u64,
    },
    /// A position that names an internal node (or no node at all) where a leaf is required (D3).
    NotALeaf {
        /// The offending position.
        pos: u64,
    },
    /// Appending would exceed the largest MMR the spec allows, 2^63 leaves (D8).
    CapacityExceeded {
        /// The leaf count at which the append was refused.
        leaf_count: u64,
    },
    /// A sum of values exceeds u64::MAX (D9).
    ValueOverflow,

    // ----- proofs (D14, D15) -----
    /// The proof's path has the wrong number of steps for its size and position.
    PathLength {
        /// The number of steps the size and position require.
        expected: u64,
        /// The number of steps the proof carries.
        got: u64,
    },
    /// A step's side does not match the side the position requires.
    WrongSide {
        /// Index of the offending step (0 = nearest the leaf).
        step: u64,
        /// The side the step must have.
        expected: Side,
    },
    /// The recomputed total value differs from the root's value.
    SumMismatch {
        /// The root's value.
        expected: u64,
        /// The value the proof recomputes.
        computed: u64,
    },
    /// The recomputed root hash differs from the trusted root.
    RootMismatch {
        /// The trusted root hash.
        expected: Hash,
        /// The hash the proof recomputes.
        computed: Hash,
    },
    /// A batch proof or request names no leaves.
    EmptyBatch,
    /// A leaf position appears twice in a batch.
    DuplicateLeaf {
        /// The repeated position.
        pos: u64,
    },
    /// Batch leaves are not in strictly increasing order.
    UnorderedLeaves {
        /// Index (in the list) of the first leaf out of order.
        index: u64,
    },
    /// The number of leaves supplied to a batch verifier differs from the proof's.
    LeafCountMismatch {
        /// Leaves named by the proof.
        expected: u64,
        /// Leaves supplied.
        got: u64,
    },
    /// A batch proof lacks an item the verifier needs.
    MissingItem {
        /// Position of the missing item.
        pos: u64,
    },
    /// A batch proof carries an item the verifier does not need (or can compute).
    UnexpectedItem {
        /// Position of the superfluous item.
        pos: u64,
    },
    /// A batch proof carries the same item position twice.
    DuplicateItem {
        /// The repeated position.
        pos: u64,
    },
    /// Batch items are not in strictly increasing position order.
    UnorderedItems {
        /// Index (in the item list) of the first item out of order.
        index: u64,
    },
    /// A proof is for an MMR of another size than the state it is checked against.
    SizeMismatch {
        /// The size of the state.
        expected: u64,
        /// The size the proof names.
        got: u64,
    },

    // ----- byte decoding (D13, D15, D17, D18) -----
    /// The input ends before the structure does.
    Truncated {
        /// Byte offset at which more bytes were needed.
        offset: u64,
        /// How many more bytes were needed there.
        needed: u64,
    },
    /// Bytes remain after a complete structure.
    TrailingBytes {
        /// Offset of the first extra byte.
        offset: u64,
        /// Number of extra bytes.
        extra: u64,
    },
    /// A byte that must be a side (0 or 1) is something else.
    InvalidSide {
        /// Offset of the byte.
        offset: u64,
        /// Its value.
        byte: u8,
    },
    /// A byte that must be a block-operation tag is something else.
    InvalidTag {
        /// Offset of the byte.
        offset: u64,
        /// Its value.
        byte: u8,
    },

    // ----- database state (D16-D23) -----
    /// The leaf is spent; spent leaves are final (D12).
    LeafSpent {
        /// The spent leaf's index.
        index: u64,
    },
    /// The node was dropped by compaction (D21).
    Pruned {
        /// The dropped position.
        pos: u64,
    },
    /// The block state is not retained (older than the oldest retained state) (D19).
    NotRetained {
        /// The requested height.
        height: u64,
        /// The oldest retained height.
        oldest: u64,
    },
    /// The height is above the last committed block.
    FutureHeight {
        /// The requested height.
        height: u64,
        /// The last committed height.
        tip: u64,
    },
    /// The height is below the compaction horizon; nothing below it can come back (D21).
    BelowHorizon {
        /// The requested height.
        height: u64,
        /// The current horizon.
        horizon: u64,
    },
    /// An operation inside a block failed; the block was not applied (D16).
    InBlock {
        /// Index of the failing operation within the block.
        op: u64,
        /// Why it failed.
        error: Box<Error>,
    },

    // ----- storage-less client (D24) -----
    /// An MMR set for another height than the client's next block.
    HeightMismatch {
        /// The height the client can apply next.
        expected: u64,
        /// The set's height.
        got: u64,
    },
    /// An MMR set built on another state than the client's (size or root differ).
    ParentMismatch {
        /// The client's size.
        size: u64,
        /// The client's root hash.
        root: Hash,
    },
    /// An MMR set whose node list is malformed: out of order, duplicated, out of range, or
    /// shrinking the MMR.
    MalformedSet {
        /// Position at which the set went wrong.
        pos: u64,
    },
    /// A node the MMR set must carry (a created node, or one the client needs) is missing.
    MissingNode {
        /// Position of the missing node.
        pos: u64,
    },
    /// The client does not track this leaf.
    NotTracked {
        /// The untracked leaf index.
        index: u64,
    },
    /// The profile defines no root for the empty MMR (ckb).
    EmptyRoot,

    // ----- persistent storage (optimized/storage/STORAGE.md) -----
    /// A persistent store's files failed: an I/O call failed, a file does not match what
    /// its manifest committed, the store is locked by another handle, or an earlier failed
    /// write poisoned the handle. Never raised by an in-memory implementation.
    Storage {
        /// The file, relative to the store's directory (empty when no single file is at
        /// fault, e.g. a lock or a poisoned handle).
        file: String,
        /// The byte offset in that file (0 when the failure has none).
        offset: u64,
        /// What went wrong.
        what: String,
    },
}

/// The fieldless kind of an [`Error`]; its kebab-case name ([`ErrorKind::name`]) is the
/// stable identifier used by vectors and the conformance protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)] // each kind is documented on the Error variant of the same name
pub enum ErrorKind {
    InvalidSize,
    LeafIndexOutOfRange,
    PositionOutOfRange,
    NotALeaf,
    CapacityExceeded,
    ValueOverflow,
    PathLength,
    WrongSide,
    SumMismatch,
    RootMismatch,
    EmptyBatch,
    DuplicateLeaf,
    UnorderedLeaves,
    LeafCountMismatch,
    MissingItem,
    UnexpectedItem,
    DuplicateItem,
    UnorderedItems,
    SizeMismatch,
    Truncated,
    TrailingBytes,
    InvalidSide,
    InvalidTag,
    LeafSpent,
    Pruned,
    NotRetained,
    FutureHeight,
    BelowHorizon,
    InBlock,
    HeightMismatch,
    ParentMismatch,
    MalformedSet,
    MissingNode,
    NotTracked,
    EmptyRoot,
    Storage,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidSize,
        ErrorKind::LeafIndexOutOfRange,
        ErrorKind::PositionOutOfRange,
        ErrorKind::NotALeaf,
        ErrorKind::CapacityExceeded,
        ErrorKind::ValueOverflow,
        ErrorKind::PathLength,
        ErrorKind::WrongSide,
        ErrorKind::SumMismatch,
        ErrorKind::RootMismatch,
        ErrorKind::EmptyBatch,
        ErrorKind::DuplicateLeaf,
        ErrorKind::UnorderedLeaves,
        ErrorKind::LeafCountMismatch,
        ErrorKind::MissingItem,
        ErrorKind::UnexpectedItem,
        ErrorKind::DuplicateItem,
        ErrorKind::UnorderedItems,
        ErrorKind::SizeMismatch,
        ErrorKind::Truncated,
        ErrorKind::TrailingBytes,
        ErrorKind::InvalidSide,
        ErrorKind::InvalidTag,
        ErrorKind::LeafSpent,
        ErrorKind::Pruned,
        ErrorKind::NotRetained,
        ErrorKind::FutureHeight,
        ErrorKind::BelowHorizon,
        ErrorKind::InBlock,
        ErrorKind::HeightMismatch,
        ErrorKind::ParentMismatch,
        ErrorKind::MalformedSet,
        ErrorKind::MissingNode,
        ErrorKind::NotTracked,
        ErrorKind::EmptyRoot,
        ErrorKind::Storage,
    ];

    /// The stable kebab-case name, e.g. `"invalid-size"`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidSize => "invalid-size",
            ErrorKind::LeafIndexOutOfRange => "leaf-index-out-of-range",
            ErrorKind::PositionOutOfRange => "position-out-of-range",
            ErrorKind::NotALeaf => "not-a-leaf",
            ErrorKind::CapacityExceeded => "capacity-exceeded",
            ErrorKind::ValueOverflow => "value-overflow",
            ErrorKind::PathLength => "path-length",
            ErrorKind::WrongSide => "wrong-side",
            ErrorKind::SumMismatch => "sum-mismatch",
            ErrorKind::RootMismatch => "root-mismatch",
            ErrorKind::EmptyBatch => "empty-batch",
            ErrorKind::DuplicateLeaf => "duplicate-leaf",
            ErrorKind::UnorderedLeaves => "unordered-leaves",
            ErrorKind::LeafCountMismatch => "leaf-count-mismatch",
            ErrorKind::MissingItem => "missing-item",
            ErrorKind::UnexpectedItem => "unexpected-item",
            ErrorKind::DuplicateItem => "duplicate-item",
            ErrorKind::UnorderedItems => "unordered-items",
            ErrorKind::SizeMismatch => "size-mismatch",
            ErrorKind::Truncated => "truncated",
            ErrorKind::TrailingBytes => "trailing-bytes",
            ErrorKind::InvalidSide => "invalid-side",
            ErrorKind::InvalidTag => "invalid-tag",
            ErrorKind::LeafSpent => "leaf-spent",
            ErrorKind::Pruned => "pruned",
            ErrorKind::NotRetained => "not-retained",
            ErrorKind::FutureHeight => "future-height",
            ErrorKind::BelowHorizon => "below-horizon",
            ErrorKind::InBlock => "in-block",
            ErrorKind::HeightMismatch => "height-mismatch",
            ErrorKind::ParentMismatch => "parent-mismatch",
            ErrorKind::MalformedSet => "malformed-set",
            ErrorKind::MissingNode => "missing-node",
            ErrorKind::NotTracked => "not-tracked",
            ErrorKind::EmptyRoot => "empty-root",
            ErrorKind::Storage => "storage",
        }
    }

    /// The kind with this kebab-case name.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// The error's stable kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidSize { .. } => ErrorKind::InvalidSize,
            Error::LeafIndexOutOfRange { .. } => ErrorKind::LeafIndexOutOfRange,
            Error::PositionOutOfRange { .. } => ErrorKind::PositionOutOfRange,
            Error::NotALeaf { .. } => ErrorKind::NotALeaf,
            Error::CapacityExceeded { .. } => ErrorKind::CapacityExceeded,
            Error::ValueOverflow => ErrorKind::ValueOverflow,
            Error::PathLength { .. } => ErrorKind::PathLength,
            Error::WrongSide { .. } => ErrorKind::WrongSide,
            Error::SumMismatch { .. } => ErrorKind::SumMismatch,
            Error::RootMismatch { .. } => ErrorKind::RootMismatch,
            Error::EmptyBatch => ErrorKind::EmptyBatch,
            Error::DuplicateLeaf { .. } => ErrorKind::DuplicateLeaf,
            Error::UnorderedLeaves { .. } => ErrorKind::UnorderedLeaves,
            Error::LeafCountMismatch { .. } => ErrorKind::LeafCountMismatch,
            Error::MissingItem { .. } => ErrorKind::MissingItem,
            Error::UnexpectedItem { .. } => ErrorKind::UnexpectedItem,
            Error::DuplicateItem { .. } => ErrorKind::DuplicateItem,
            Error::UnorderedItems { .. } => ErrorKind::UnorderedItems,
            Error::SizeMismatch { .. } => ErrorKind::SizeMismatch,
            Error::Truncated { .. } => ErrorKind::Truncated,
            Error::TrailingBytes { .. } => ErrorKind::TrailingBytes,
            Error::InvalidSide { .. } => ErrorKind::InvalidSide,
            Error::InvalidTag { .. } => ErrorKind::InvalidTag,
            Error::LeafSpent { .. } => ErrorKind::LeafSpent,
            Error::Pruned { .. } => ErrorKind::Pruned,
            Error::NotRetained { .. } => ErrorKind::NotRetained,
            Error::FutureHeight { .. } => ErrorKind::FutureHeight,
            Error::BelowHorizon { .. } => ErrorKind::BelowHorizon,
            Error::InBlock { .. } => ErrorKind::InBlock,
            Error::HeightMismatch { .. } => ErrorKind::HeightMismatch,
            Error::ParentMismatch { .. } => ErrorKind::ParentMismatch,
            Error::MalformedSet { .. } => ErrorKind::MalformedSet,
            Error::MissingNode { .. } => ErrorKind::MissingNode,
            Error::NotTracked { .. } => ErrorKind::NotTracked,
            Error::EmptyRoot => ErrorKind::EmptyRoot,
            Error::Storage { .. } => ErrorKind::Storage,
        }
    }

    /// The innermost error: for [`Error::InBlock`] the failing operation's error, else self.
    pub fn root_cause(&self) -> &Error {
        match self {
            Error::InBlock { error, .. } => error.root_cause(),
            e => e,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Error::*;
        match self {
            InvalidSize { size } => write!(
                f,
                "invalid size {size}: no leaf count n has 2n - popcount(n) = {size}"
            ),
            LeafIndexOutOfRange { index, leaf_count } => write!(
                f,
                "leaf index {index} is out of range: the MMR has {leaf_count} leaves"
            ),
            PositionOutOfRange { pos, size } => {
                write!(f, "position {pos} is out of range: the MMR has size {size}")
            }
            NotALeaf { pos } => write!(f, "position {pos} is not a leaf position"),
            CapacityExceeded { leaf_count } => write!(
                f,
                "cannot append: the MMR already holds {leaf_count} leaves, the most the spec allows"
            ),
            ValueOverflow => write!(f, "the sum of values exceeds u64::MAX"),
            PathLength { expected, got } => write!(
                f,
                "proof path has {got} steps, but its size and position require {expected}"
            ),
            WrongSide { step, expected } => {
                write!(
                    f,
                    "proof step {step} must have its sibling on the {expected}"
                )
            }
            SumMismatch { expected, computed } => write!(
                f,
                "proof sums to {computed}, but the root's value is {expected}"
            ),
            RootMismatch { expected, computed } => write!(
                f,
                "proof computes root {computed}, but the trusted root is {expected}"
            ),
            EmptyBatch => write!(f, "a batch must name at least one leaf"),
            DuplicateLeaf { pos } => write!(f, "leaf position {pos} appears twice in the batch"),
            UnorderedLeaves { index } => write!(
                f,
                "batch leaf {index} is not greater than the one before it (leaves must be strictly increasing)"
            ),
            LeafCountMismatch { expected, got } => write!(
                f,
                "the batch proof names {expected} leaves but {got} were supplied"
            ),
            MissingItem { pos } => write!(f, "the batch proof lacks the node at position {pos}"),
            UnexpectedItem { pos } => write!(
                f,
                "the batch proof carries the node at position {pos}, which is not needed"
            ),
            DuplicateItem { pos } => write!(f, "the batch proof carries position {pos} twice"),
            UnorderedItems { index } => write!(
                f,
                "batch item {index} is not at a greater position than the one before it"
            ),
            SizeMismatch { expected, got } => write!(
                f,
                "the proof is for size {got}, but the state has size {expected}"
            ),
            Truncated { offset, needed } => write!(
                f,
                "input ends at byte {offset}: {needed} more byte(s) needed"
            ),
            TrailingBytes { offset, extra } => write!(
                f,
                "{extra} trailing byte(s) after the end of the structure at byte {offset}"
            ),
            InvalidSide { offset, byte } => write!(
                f,
                "byte {offset} must be a side (0 = left, 1 = right), found {byte}"
            ),
            InvalidTag { offset, byte } => {
                write!(f, "byte {offset} must be an operation tag, found {byte}")
            }
            LeafSpent { index } => write!(f, "leaf {index} is spent; spent leaves are final"),
            Pruned { pos } => write!(f, "the node at position {pos} was removed by compaction"),
            NotRetained { height, oldest } => write!(
                f,
                "the state of block {height} is not retained (oldest retained: {oldest})"
            ),
            FutureHeight { height, tip } => write!(
                f,
                "block {height} does not exist (last committed block: {tip})"
            ),
            BelowHorizon { height, horizon } => write!(
                f,
                "height {height} is below the compaction horizon {horizon}"
            ),
            InBlock { op, error } => write!(f, "block operation {op} failed: {error}"),
            HeightMismatch { expected, got } => write!(
                f,
                "the MMR set is for block {got}, but the client expects block {expected}"
            ),
            ParentMismatch { size, root } => write!(
                f,
                "the MMR set does not build on the client's state (size {size}, root {root})"
            ),
            MalformedSet { pos } => write!(f, "the MMR set is malformed at position {pos}"),
            MissingNode { pos } => write!(f, "the MMR set lacks the node at position {pos}"),
            NotTracked { index } => write!(f, "the client does not track leaf {index}"),
            EmptyRoot => write!(f, "this profile defines no root for the empty MMR"),
            Storage { file, what, .. } if file.is_empty() => {
                write!(f, "storage failure: {what}")
            }
            Storage { file, offset, what } => {
                write!(f, "storage failure in {file} at byte {offset}: {what}")
            }
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_unique_and_round_trip() {
        let mut names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(k.name()), Some(*k));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn messages_name_the_values() {
        let e = Error::LeafIndexOutOfRange {
            index: 7,
            leaf_count: 3,
        };
        assert_eq!(e.kind(), ErrorKind::LeafIndexOutOfRange);
        assert!(e.to_string().contains('7') && e.to_string().contains('3'));
        let nested = Error::InBlock {
            op: 2,
            error: Box::new(Error::LeafSpent { index: 1 }),
        };
        assert_eq!(nested.root_cause().kind(), ErrorKind::LeafSpent);
        assert!(nested.to_string().starts_with("block operation 2 failed"));
        let s = Error::Storage {
            file: "hash.000001.bin".into(),
            offset: 4096,
            what: "chunk checksum mismatch".into(),
        };
        assert_eq!(s.kind().name(), "storage");
        assert_eq!(
            s.to_string(),
            "storage failure in hash.000001.bin at byte 4096: chunk checksum mismatch"
        );
    }
}
