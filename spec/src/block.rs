//! Blocks, their results, and MMR sets (SPEC.md D16-D18).

use crate::codec::{Reader, put_node, put_u64};
use crate::{Error, Node};

/// One change inside a block (D16).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum BlockOp {
    /// Append a leaf with this data and value.
    Append {
        /// The leaf's data (hashed, not stored).
        data: Vec<u8>,
        /// The leaf's value.
        value: u64,
    },
    /// Replace an unspent leaf's data and value (D12).
    Update {
        /// The leaf index.
        index: u64,
        /// The new data.
        data: Vec<u8>,
        /// The new value.
        value: u64,
    },
    /// Spend an unspent leaf: its value becomes 0 and its data this (D12).
    Spend {
        /// The leaf index.
        index: u64,
        /// The spent leaf's data.
        data: Vec<u8>,
    },
}

/// Encoding tag of [`BlockOp::Append`].
pub const OP_APPEND: u8 = 0;
/// Encoding tag of [`BlockOp::Update`].
pub const OP_UPDATE: u8 = 1;
/// Encoding tag of [`BlockOp::Spend`].
pub const OP_SPEND: u8 = 2;

/// An ordered batch of changes applied atomically (D16).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Block {
    /// The changes, applied in order.
    pub ops: Vec<BlockOp>,
}

fn put_data(out: &mut Vec<u8>, data: &[u8]) {
    put_u64(out, data.len() as u64);
    out.extend_from_slice(data);
}

fn read_data(r: &mut Reader<'_>) -> Result<Vec<u8>, Error> {
    let len = r.u64()?;
    let n = usize::try_from(len).unwrap_or(usize::MAX);
    Ok(r.take(n)?.to_vec())
}

impl Block {
    /// The canonical encoding (D17): `u64 n || n × op`, where an op is
    /// `0x00 || u64 value || data`, `0x01 || u64 index || u64 value || data` or
    /// `0x02 || u64 index || data`, and `data` is `u64 len || bytes`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_u64(&mut out, self.ops.len() as u64);
        for op in &self.ops {
            match op {
                BlockOp::Append { data, value } => {
                    out.push(OP_APPEND);
                    put_u64(&mut out, *value);
                    put_data(&mut out, data);
                }
                BlockOp::Update { index, data, value } => {
                    out.push(OP_UPDATE);
                    put_u64(&mut out, *index);
                    put_u64(&mut out, *value);
                    put_data(&mut out, data);
                }
                BlockOp::Spend { index, data } => {
                    out.push(OP_SPEND);
                    put_u64(&mut out, *index);
                    put_data(&mut out, data);
                }
            }
        }
        out
    }

    /// Decodes the canonical encoding.
    pub fn decode(bytes: &[u8]) -> Result<Block, Error> {
        let mut r = Reader::new(bytes);
        // Every op takes at least 17 bytes (tag, one u64, a data length).
        let n = r.count(17)?;
        let mut ops = Vec::with_capacity(n);
        for _ in 0..n {
            let offset = r.offset();
            let op = match r.u8()? {
                OP_APPEND => {
                    let value = r.u64()?;
                    BlockOp::Append {
                        value,
                        data: read_data(&mut r)?,
                    }
                }
                OP_UPDATE => {
                    let index = r.u64()?;
                    let value = r.u64()?;
                    BlockOp::Update {
                        index,
                        value,
                        data: read_data(&mut r)?,
                    }
                }
                OP_SPEND => {
                    let index = r.u64()?;
                    BlockOp::Spend {
                        index,
                        data: read_data(&mut r)?,
                    }
                }
                byte => return Err(Error::InvalidTag { offset, byte }),
            };
            ops.push(op);
        }
        r.finish()?;
        Ok(Block { ops })
    }
}

/// What committing a block produced (D16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockInfo {
    /// The block's height (genesis, the empty state, is 0).
    pub height: u64,
    /// The MMR's size after the block.
    pub size: u64,
    /// The leaf count after the block.
    pub leaf_count: u64,
    /// The root after the block (its value is the total value).
    pub root: Node,
}

/// The MMR set of a block: every node the block created or changed, with the states it
/// joins (D18). It is all a storage-less client needs to follow the block (D24).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MmrSet {
    /// The block's height.
    pub height: u64,
    /// The size before the block.
    pub prev_size: u64,
    /// The root before the block.
    pub prev_root: Node,
    /// The size after the block.
    pub size: u64,
    /// The root after the block.
    pub root: Node,
    /// Created or changed nodes as (position, node after the block), strictly increasing.
    pub nodes: Vec<(u64, Node)>,
}

impl MmrSet {
    /// The canonical encoding (D18): `u64 height || u64 prev_size || node prev_root ||
    /// u64 size || node root || u64 k || k × (u64 pos || node)`, a node being
    /// `hash || u64 value`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(112 + self.nodes.len() * 48);
        put_u64(&mut out, self.height);
        put_u64(&mut out, self.prev_size);
        put_node(&mut out, &self.prev_root);
        put_u64(&mut out, self.size);
        put_node(&mut out, &self.root);
        put_u64(&mut out, self.nodes.len() as u64);
        for (p, n) in &self.nodes {
            put_u64(&mut out, *p);
            put_node(&mut out, n);
        }
        out
    }

    /// Decodes the canonical encoding (syntax only; the client checks the content, D24).
    pub fn decode(bytes: &[u8]) -> Result<MmrSet, Error> {
        let mut r = Reader::new(bytes);
        let height = r.u64()?;
        let prev_size = r.u64()?;
        let prev_root = r.node()?;
        let size = r.u64()?;
        let root = r.node()?;
        let k = r.count(48)?;
        let mut nodes = Vec::with_capacity(k);
        for _ in 0..k {
            let p = r.u64()?;
            nodes.push((p, r.node()?));
        }
        r.finish()?;
        Ok(MmrSet {
            height,
            prev_size,
            prev_root,
            size,
            root,
            nodes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hash;

    #[test]
    fn block_round_trip() {
        let b = Block {
            ops: vec![
                BlockOp::Append {
                    data: vec![1, 2],
                    value: 5,
                },
                BlockOp::Update {
                    index: 0,
                    data: vec![],
                    value: 7,
                },
                BlockOp::Spend {
                    index: 0,
                    data: vec![9],
                },
            ],
        };
        let e = b.encode();
        assert_eq!(
            e.len(),
            8 + (1 + 8 + 8 + 2) + (1 + 8 + 8 + 8) + (1 + 8 + 8 + 1)
        );
        assert_eq!(Block::decode(&e).unwrap(), b);
        let mut bad = e.clone();
        bad[8] = 7;
        assert_eq!(
            Block::decode(&bad),
            Err(Error::InvalidTag { offset: 8, byte: 7 })
        );
        assert!(matches!(
            Block::decode(&e[..e.len() - 1]),
            Err(Error::Truncated { .. })
        ));
    }

    #[test]
    fn hostile_data_length_is_truncated_not_allocated() {
        let mut e = Vec::new();
        put_u64(&mut e, 1);
        e.push(OP_APPEND);
        put_u64(&mut e, 0);
        put_u64(&mut e, u64::MAX);
        assert!(matches!(Block::decode(&e), Err(Error::Truncated { .. })));
    }

    #[test]
    fn mmr_set_round_trip() {
        let s = MmrSet {
            height: 3,
            prev_size: 1,
            prev_root: Node::new(Hash([1; 32]), 2),
            size: 3,
            root: Node::new(Hash([2; 32]), 4),
            nodes: vec![
                (1, Node::new(Hash([3; 32]), 2)),
                (2, Node::new(Hash([4; 32]), 4)),
            ],
        };
        let e = s.encode();
        assert_eq!(e.len(), 112 + 2 * 48);
        assert_eq!(MmrSet::decode(&e).unwrap(), s);
    }
}
