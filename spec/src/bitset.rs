//! The leaf set and the prune list in MWEB's byte layout (SPEC.md D20, D22).
//!
//! Layout facts from litecoin-project/litecoin: src/libmw/src/mmr/ILeafSet.cpp (bit of leaf
//! i is `0x80 >> (i % 8)` of byte `i / 8`, after the 8-byte little-endian leaf count that
//! src/libmw/src/mmr/LeafSet.cpp writes first) and src/libmw/src/mmr/MMRUtil.cpp
//! (`BuildCompactBitSet`: a bitset of 2n bits over positions, serialized MSB-first in
//! ceil(bits/8) bytes).

use crate::Error;

/// Encodes a leaf set (D20): `u64le leaf_count || ceil(leaf_count / 8)` bytes, bit i
/// (MSB-first) set iff leaf i is unspent. `unspent` must yield indices below `leaf_count`
/// (others are ignored).
pub fn encode_leaf_set(leaf_count: u64, unspent: impl IntoIterator<Item = u64>) -> Vec<u8> {
    let nbytes = leaf_count.div_ceil(8) as usize;
    let mut out = Vec::with_capacity(8 + nbytes);
    out.extend_from_slice(&leaf_count.to_le_bytes());
    out.resize(8 + nbytes, 0);
    for i in unspent {
        if i < leaf_count {
            out[8 + (i / 8) as usize] |= 0x80 >> (i % 8);
        }
    }
    out
}

/// Decodes a leaf set into its leaf count and unspent indices, rejecting a wrong length and
/// set bits beyond the leaf count.
pub fn decode_leaf_set(bytes: &[u8]) -> Result<(u64, Vec<u64>), Error> {
    if bytes.len() < 8 {
        return Err(Error::Truncated {
            offset: bytes.len() as u64,
            needed: 8 - bytes.len() as u64,
        });
    }
    let mut c = [0u8; 8];
    c.copy_from_slice(&bytes[..8]);
    let leaf_count = u64::from_le_bytes(c);
    let want = leaf_count.div_ceil(8);
    let have = (bytes.len() - 8) as u64;
    if have < want {
        return Err(Error::Truncated {
            offset: bytes.len() as u64,
            needed: want - have,
        });
    }
    if have > want {
        return Err(Error::TrailingBytes {
            offset: 8 + want,
            extra: have - want,
        });
    }
    let mut unspent = Vec::new();
    for (k, b) in bytes[8..].iter().enumerate() {
        for bit in 0..8u64 {
            if b & (0x80 >> bit) != 0 {
                let i = k as u64 * 8 + bit;
                if i >= leaf_count {
                    return Err(Error::LeafIndexOutOfRange {
                        index: i,
                        leaf_count,
                    });
                }
                unspent.push(i);
            }
        }
    }
    Ok((leaf_count, unspent))
}

/// Encodes a prune list (D22): `ceil(2 * horizon_leaves / 8)` bytes, bit p (MSB-first) set
/// iff position p was dropped by compaction. Positions at or beyond `2 * horizon_leaves` are
/// ignored (compaction never drops them).
pub fn encode_prune_list(horizon_leaves: u64, dropped: impl IntoIterator<Item = u64>) -> Vec<u8> {
    let bits = horizon_leaves.saturating_mul(2);
    let mut out = vec![0u8; bits.div_ceil(8) as usize];
    for p in dropped {
        if p < bits {
            out[(p / 8) as usize] |= 0x80 >> (p % 8);
        }
    }
    out
}

/// The positions set in a prune list, ascending.
pub fn decode_prune_list(bytes: &[u8]) -> Vec<u64> {
    let mut v = Vec::new();
    for (k, b) in bytes.iter().enumerate() {
        for bit in 0..8u64 {
            if b & (0x80 >> bit) != 0 {
                v.push(k as u64 * 8 + bit);
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_set_layout_is_mweb() {
        // 10 leaves, unspent 0, 2, 9: count LE, then 0b1010_0000, 0b0100_0000.
        let b = encode_leaf_set(10, [0, 2, 9]);
        assert_eq!(b, vec![10, 0, 0, 0, 0, 0, 0, 0, 0xa0, 0x40]);
        assert_eq!(decode_leaf_set(&b).unwrap(), (10, vec![0, 2, 9]));
        assert_eq!(encode_leaf_set(0, []), vec![0; 8]);
    }

    #[test]
    fn leaf_set_rejections() {
        assert!(matches!(
            decode_leaf_set(&[1, 0]),
            Err(Error::Truncated { .. })
        ));
        let mut b = encode_leaf_set(3, [0]);
        b[8] |= 0x01; // bit 7 > leaf count
        assert_eq!(
            decode_leaf_set(&b),
            Err(Error::LeafIndexOutOfRange {
                index: 7,
                leaf_count: 3
            })
        );
        let mut b = encode_leaf_set(3, [0]);
        b.push(0);
        assert!(matches!(
            decode_leaf_set(&b),
            Err(Error::TrailingBytes {
                offset: 9,
                extra: 1
            })
        ));
    }

    #[test]
    fn prune_list_layout() {
        // 4 leaves -> 8 bits -> 1 byte; positions 0 and 1 dropped.
        assert_eq!(encode_prune_list(4, [0, 1]), vec![0xc0]);
        assert_eq!(decode_prune_list(&[0xc0, 0x01]), vec![0, 1, 15]);
        assert!(encode_prune_list(0, [0]).is_empty());
    }
}
