//! The Minima dialect (SPEC.md D10, section 10; `spec/DIALECTS.md`).
//!
//! Sources: minima-global/Minima `src/org/minima/database/mmr/MMRData.java`
//! (`CreateMMRDataLeafNode`, `CreateMMRDataParentNode`), `MMR.java` (`addEntry`, `getRoot`,
//! `getPeakToRoot`, `checkProof`), `MMRProof.java` (proof chunks and their stream layout),
//! `src/org/minima/objects/base/MiniNumber.java` and `MiniData.java` (stream layouts),
//! `src/org/minima/utils/Crypto.java` (`hashData`, `hashObject`, `hashAllObjects`: Keccak-256,
//! Minima's `KeccakDigest` with the original Keccak padding, over the concatenated streams;
//! not FIPS-202 SHA3-256).
//!
//! - `ser(n)` is a MiniNumber: `i8 scale || u8 len || len bytes`, the unscaled value as a
//!   minimal two's-complement big-endian integer (`BigInteger.toByteArray`); this profile
//!   only writes integers (scale 0). `MiniData(b) = u32be(len) || b`.
//! - `leaf_hash(_, data, v) = Keccak-256(ser(0) || data || ser(v))` (`data` is the object's
//!   stream bytes as given);
//! - `parent_hash(_, l, r, s) = Keccak-256(ser(1) || MiniData(l.hash) || MiniData(r.hash) || ser(s))`;
//! - peak-tree bagging with `bag_hash` = the parent hash (no position);
//! - empty root: none (`MMR.getRoot` returns null), hence error `empty-root`.

use crate::codec::Reader;
use crate::{Bagging, Error, Hash, Node, Profile, Proof, Side, Step};
use sha3::{Digest, Keccak256};

/// The Minima profile, named `"minima"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MinimaProfile;

/// The Minima profile's one instance.
pub static MINIMA: MinimaProfile = MinimaProfile;

/// Appends the MiniNumber stream form of the integer `n`: scale 0, then the length and the
/// minimal two's-complement big-endian bytes (0 -> `00 01 00`, 128 -> `00 02 00 80`).
pub fn put_mini_number(out: &mut Vec<u8>, n: u64) {
    let be = n.to_be_bytes();
    let skip = be.iter().take_while(|&&b| b == 0).count().min(7);
    let mut digits = be[skip..].to_vec();
    if digits[0] & 0x80 != 0 {
        digits.insert(0, 0);
    }
    out.push(0); // scale
    out.push(digits.len() as u8);
    out.extend_from_slice(&digits);
}

/// The MiniNumber stream form of `n` (see [`put_mini_number`]).
pub fn mini_number(n: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(11);
    put_mini_number(&mut v, n);
    v
}

/// Appends `MiniData(bytes)`: `u32be(len) || bytes`.
fn put_mini_data(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The stream form of `MiniData(bytes)` (`MiniData.writeDataStream`, also
/// `writeHashToStream`): `u32be(len) || bytes`. The `mmrcreate` values of Minima's docs
/// (`tests/published_minima.rs`) show a `MiniString` streaming the same way over its UTF-8
/// bytes.
pub fn mini_data(bytes: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(4 + bytes.len());
    put_mini_data(&mut v, bytes);
    v
}

/// Minima's hash of a stream (`Crypto.hashData` / `hashObject` / `hashAllObjects` over the
/// concatenated object streams): Keccak-256 with the original Keccak padding (Minima's
/// `KeccakDigest`), not FIPS-202 SHA3-256.
pub fn hash_stream(bytes: &[u8]) -> Hash {
    Hash(Keccak256::digest(bytes).into())
}

fn parent(left: &Node, right: &Node, sum: u64) -> Hash {
    let mut buf = Vec::with_capacity(3 + 2 * 36 + 11);
    put_mini_number(&mut buf, 1);
    put_mini_data(&mut buf, left.hash.as_bytes());
    put_mini_data(&mut buf, right.hash.as_bytes());
    put_mini_number(&mut buf, sum);
    hash_stream(&buf)
}

impl Profile for MinimaProfile {
    fn name(&self) -> &'static str {
        "minima"
    }

    /// `Keccak-256(ser(0) || data || ser(value))`.
    fn leaf_hash(&self, _pos: u64, data: &[u8], value: u64) -> Hash {
        let mut h = Keccak256::new();
        h.update(mini_number(0));
        h.update(data);
        h.update(mini_number(value));
        Hash(h.finalize().into())
    }

    /// `Keccak-256(ser(1) || MiniData(left.hash) || MiniData(right.hash) || ser(sum))`.
    fn parent_hash(&self, _pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        parent(left, right, sum)
    }

    fn bagging(&self) -> Bagging {
        Bagging::PeakTree
    }

    /// The parent hash: Minima puts the peaks into a fresh MMR without re-hashing them.
    fn bag_hash(&self, _size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        parent(left, right, sum)
    }

    /// Unused by a peak-tree profile; defined as the peak-tree root over `peaks` (D11) so
    /// that the function is total (sums saturate here; the algorithms use checked sums).
    fn commit_hash(&self, _size: u64, _total: u64, peaks: &[Node]) -> Hash {
        let mut level: Vec<Node> = peaks.to_vec();
        while level.len() > 1 {
            // The peaks of the MMR whose leaves are `level` (D1: merge equal heights).
            let mut stack: Vec<(u32, Node)> = Vec::new();
            for n in level {
                let mut cur = (0u32, n);
                while let Some(&(h, l)) = stack.last() {
                    if h != cur.0 {
                        break;
                    }
                    stack.pop();
                    let sum = l.value.saturating_add(cur.1.value);
                    cur = (h + 1, Node::new(parent(&l, &cur.1, sum), sum));
                }
                stack.push(cur);
            }
            level = stack.into_iter().map(|(_, n)| n).collect();
        }
        level.first().map_or(Hash::ZERO, |n| n.hash)
    }

    /// Minima defines no root for the empty MMR.
    fn empty_root(&self) -> Option<Hash> {
        None
    }
}

/// Minima's `MMRProof` stream (`MMRProof.writeDataStream`): `ser(block_time) ||
/// ser(chunk count) || per chunk: u8 left flag || MiniData(hash) || ser(value)`.
///
/// A chunk's flag is 1 when the sibling is the left operand (`Side::Left`). Minima's proof
/// carries neither the size nor the position: [`decode_mmr_proof`] takes them back.
pub fn encode_mmr_proof(block_time: u64, proof: &Proof) -> Vec<u8> {
    let mut out = Vec::new();
    put_mini_number(&mut out, block_time);
    put_mini_number(&mut out, proof.path.len() as u64);
    for s in &proof.path {
        out.push(u8::from(s.side == Side::Left));
        put_mini_data(&mut out, s.node.hash.as_bytes());
        put_mini_number(&mut out, s.node.value);
    }
    out
}

/// Reads one integer MiniNumber strictly: scale 0, length 1..=9, minimal non-negative
/// two's complement, at most u64::MAX. mmr-spec has no error kind for a malformed number:
/// the offending byte is reported as [`Error::InvalidTag`], an overflow as
/// [`Error::ValueOverflow`].
fn read_mini_number(r: &mut Reader<'_>) -> Result<u64, Error> {
    let at = r.offset();
    let scale = r.u8()?;
    if scale != 0 {
        return Err(Error::InvalidTag {
            offset: at,
            byte: scale,
        });
    }
    let len_at = r.offset();
    let len = r.u8()?;
    if len == 0 || len > 9 {
        return Err(Error::InvalidTag {
            offset: len_at,
            byte: len,
        });
    }
    let digits_at = r.offset();
    let digits = r.take(usize::from(len))?;
    let negative = digits[0] & 0x80 != 0;
    let redundant = digits.len() > 1 && digits[0] == 0 && digits[1] & 0x80 == 0;
    if negative || redundant {
        return Err(Error::InvalidTag {
            offset: digits_at,
            byte: digits[0],
        });
    }
    if len == 9 && digits[0] != 0 {
        return Err(Error::ValueOverflow);
    }
    Ok(digits
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// Decodes Minima's `MMRProof` stream into its block time and a [`Proof`] for the leaf at
/// `pos` of an MMR of `size` (both supplied by the caller). Strict: `truncated`,
/// `trailing-bytes`, a flag other than 0/1 (`invalid-side`), a hash whose MiniData length
/// is not 32 or a malformed number (`invalid-tag` at the offending byte), a chunk count
/// above 255 (`path-length`). Whether the path fits (size, pos) is the verifier's job (D14).
pub fn decode_mmr_proof(bytes: &[u8], size: u64, pos: u64) -> Result<(u64, Proof), Error> {
    let mut r = Reader::new(bytes);
    let block_time = read_mini_number(&mut r)?;
    let count = read_mini_number(&mut r)?;
    if count > 255 {
        return Err(Error::PathLength {
            expected: 255,
            got: count,
        });
    }
    let mut path = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let offset = r.offset();
        let flag = r.u8()?;
        let side = match flag {
            1 => Side::Left,
            0 => Side::Right,
            byte => return Err(Error::InvalidSide { offset, byte }),
        };
        let len_at = r.offset();
        let len = r.take(4)?;
        if len != [0, 0, 0, 32] {
            return Err(Error::InvalidTag {
                offset: len_at,
                byte: len[0],
            });
        }
        let hash = r.hash()?;
        let value = read_mini_number(&mut r)?;
        path.push(Step {
            side,
            node: Node::new(hash, value),
        });
    }
    r.finish()?;
    Ok((block_time, Proof { size, pos, path }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mini_number_layouts() {
        assert_eq!(mini_number(0), [0, 1, 0]);
        assert_eq!(mini_number(1), [0, 1, 1]);
        assert_eq!(mini_number(10), [0, 1, 0x0a]);
        assert_eq!(mini_number(127), [0, 1, 0x7f]);
        assert_eq!(mini_number(128), [0, 2, 0, 0x80]);
        assert_eq!(mini_number(256), [0, 2, 1, 0]);
        assert_eq!(
            mini_number(u64::MAX),
            [0, 9, 0, 255, 255, 255, 255, 255, 255, 255, 255]
        );
        for n in [0, 1, 127, 128, 255, 256, 1 << 40, u64::MAX] {
            let b = mini_number(n);
            let mut r = Reader::new(&b);
            assert_eq!(read_mini_number(&mut r), Ok(n));
        }
        for bad in [
            &[1u8, 1, 0][..],
            &[0, 0],
            &[0, 10],
            &[0, 2, 0, 1],
            &[0, 1, 0x80],
        ] {
            let mut r = Reader::new(bad);
            assert!(matches!(
                read_mini_number(&mut r),
                Err(Error::InvalidTag { .. })
            ));
        }
        let mut r = Reader::new(&[0, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(read_mini_number(&mut r), Err(Error::ValueOverflow));
    }
}
