//! Coin proofs and batch proofs and their canonical encodings (SPEC.md D13-D15).
//!
//! Decoding checks syntax only (lengths, side bytes, trailing bytes); whether a proof is
//! *valid* — a real size, a leaf position, the right number of steps on the right sides,
//! canonical batch order — is the verifier's job (D14, D15), done by each implementation.

use crate::codec::{Reader, put_node, put_u64};
use crate::{Error, Node};
use core::fmt;

/// Where a proof step's sibling sits relative to the node on the path (D13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The sibling is the left operand; the path node is the right one.
    Left,
    /// The sibling is the right operand; the path node is the left one.
    Right,
}

impl Side {
    /// The encoded byte: 0 for left, 1 for right.
    pub const fn to_byte(self) -> u8 {
        match self {
            Side::Left => 0,
            Side::Right => 1,
        }
    }

    /// The side for an encoded byte, if it is 0 or 1.
    pub const fn from_byte(b: u8) -> Option<Side> {
        match b {
            0 => Some(Side::Left),
            1 => Some(Side::Right),
            _ => None,
        }
    }

    /// `"left"` or `"right"`.
    pub const fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One step of a proof path: a sibling node and the side it sits on (D13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    /// Which operand the sibling is.
    pub side: Side,
    /// The sibling's hash and value.
    pub node: Node,
}

/// A coin proof: that the leaf at `pos` belongs to the MMR of `size` (D13).
///
/// `path` holds first the mountain part (siblings from the leaf up to its peak), then the
/// bagging part, whose shape the profile's [`crate::Bagging`] fixes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Proof {
    /// The size of the MMR the proof is for.
    pub size: u64,
    /// The leaf's position.
    pub pos: u64,
    /// Siblings from the leaf upwards, then the bagging part.
    pub path: Vec<Step>,
}

/// Bytes of one encoded step: side byte, hash, value.
pub const STEP_BYTES: usize = 1 + 32 + 8;

impl Proof {
    /// The canonical encoding (D13): `u64 size || u64 pos || u8 n || n × (u8 side || hash || u64 value)`.
    ///
    /// Paths longer than 255 steps cannot be encoded; no valid proof has more than 126.
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        let n = u8::try_from(self.path.len()).map_err(|_| Error::PathLength {
            expected: 255,
            got: self.path.len() as u64,
        })?;
        let mut out = Vec::with_capacity(17 + self.path.len() * STEP_BYTES);
        put_u64(&mut out, self.size);
        put_u64(&mut out, self.pos);
        out.push(n);
        for s in &self.path {
            out.push(s.side.to_byte());
            put_node(&mut out, &s.node);
        }
        Ok(out)
    }

    /// Decodes the canonical encoding, rejecting truncation, bad side bytes and trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Proof, Error> {
        let mut r = Reader::new(bytes);
        let size = r.u64()?;
        let pos = r.u64()?;
        let n = r.u8()?;
        let mut path = Vec::with_capacity(usize::from(n).min(r.remaining() / STEP_BYTES));
        for _ in 0..n {
            let offset = r.offset();
            let b = r.u8()?;
            let side = Side::from_byte(b).ok_or(Error::InvalidSide { offset, byte: b })?;
            path.push(Step {
                side,
                node: r.node()?,
            });
        }
        r.finish()?;
        Ok(Proof { size, pos, path })
    }
}

/// A proof for several leaves at once, shared nodes included once (D15).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BatchProof {
    /// The size of the MMR the proof is for.
    pub size: u64,
    /// The proven leaves' positions, strictly increasing.
    pub leaves: Vec<u64>,
    /// The nodes the verifier cannot compute, as (position, node), strictly increasing.
    pub items: Vec<(u64, Node)>,
}

/// Bytes of one encoded batch item: position, hash, value.
pub const ITEM_BYTES: usize = 8 + 32 + 8;

impl BatchProof {
    /// The canonical encoding (D15):
    /// `u64 size || u64 m || m × u64 pos || u64 k || k × (u64 pos || hash || u64 value)`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(24 + 8 * self.leaves.len() + ITEM_BYTES * self.items.len());
        put_u64(&mut out, self.size);
        put_u64(&mut out, self.leaves.len() as u64);
        for p in &self.leaves {
            put_u64(&mut out, *p);
        }
        put_u64(&mut out, self.items.len() as u64);
        for (p, n) in &self.items {
            put_u64(&mut out, *p);
            put_node(&mut out, n);
        }
        out
    }

    /// Decodes the canonical encoding, rejecting truncation and trailing bytes. Order and
    /// duplicates are checked by the verifier, which names the offending entry.
    pub fn decode(bytes: &[u8]) -> Result<BatchProof, Error> {
        let mut r = Reader::new(bytes);
        let size = r.u64()?;
        let m = r.count(8)?;
        let mut leaves = Vec::with_capacity(m);
        for _ in 0..m {
            leaves.push(r.u64()?);
        }
        let k = r.count(ITEM_BYTES)?;
        let mut items = Vec::with_capacity(k);
        for _ in 0..k {
            let p = r.u64()?;
            items.push((p, r.node()?));
        }
        r.finish()?;
        Ok(BatchProof {
            size,
            leaves,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hash;

    fn node(b: u8, v: u64) -> Node {
        Node::new(Hash([b; 32]), v)
    }

    #[test]
    fn proof_round_trip_and_layout() {
        let p = Proof {
            size: 11,
            pos: 7,
            path: vec![
                Step {
                    side: Side::Right,
                    node: node(1, 2),
                },
                Step {
                    side: Side::Left,
                    node: node(3, 4),
                },
            ],
        };
        let b = p.encode().unwrap();
        assert_eq!(b.len(), 17 + 2 * STEP_BYTES);
        assert_eq!(&b[..8], &11u64.to_be_bytes());
        assert_eq!(&b[8..16], &7u64.to_be_bytes());
        assert_eq!(b[16], 2);
        assert_eq!(b[17], 1);
        assert_eq!(Proof::decode(&b).unwrap(), p);
    }

    #[test]
    fn proof_decode_rejections() {
        let p = Proof {
            size: 3,
            pos: 0,
            path: vec![Step {
                side: Side::Right,
                node: node(9, 1),
            }],
        };
        let mut b = p.encode().unwrap();
        b.push(0);
        assert_eq!(
            Proof::decode(&b),
            Err(Error::TrailingBytes {
                offset: 58,
                extra: 1
            })
        );
        b.pop();
        b[17] = 2;
        assert_eq!(
            Proof::decode(&b),
            Err(Error::InvalidSide {
                offset: 17,
                byte: 2
            })
        );
        b[17] = 1;
        assert_eq!(
            Proof::decode(&b[..20]),
            Err(Error::Truncated {
                offset: 20,
                needed: 30
            })
        );
    }

    #[test]
    fn batch_round_trip_and_rejections() {
        let bp = BatchProof {
            size: 4,
            leaves: vec![0, 3],
            items: vec![(1, node(5, 6))],
        };
        let b = bp.encode();
        assert_eq!(BatchProof::decode(&b).unwrap(), bp);
        let mut t = b.clone();
        t.extend_from_slice(&[1, 2, 3]);
        assert!(matches!(
            BatchProof::decode(&t),
            Err(Error::TrailingBytes { extra: 3, .. })
        ));
        assert!(matches!(
            BatchProof::decode(&b[..b.len() - 1]),
            Err(Error::Truncated { .. })
        ));
    }
}
