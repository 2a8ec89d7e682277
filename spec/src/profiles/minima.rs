//! The Minima dialects (SPEC.md D10, section 10; `spec/DIALECTS.md`).
//!
//! `minima` is the current release, minima-global/Minima tag **v1.0.45** (the node that
//! runs as 1.0.45.x): `src/org/minima/database/mmr/MMRData.java` (`CreateMMRDataLeafNode`,
//! `CreateMMRDataParentNode`), `MMR.java` (`addEntry`, `getPeaks`, `getRoot`,
//! `getPeakToRoot`, `checkProof`), `MMRProof.java` (chunks, `calculateProof`, stream),
//! `src/org/minima/objects/base/MiniNumber.java`, `MiniData.java`, `MiniString.java` (stream
//! layouts) and `src/org/minima/utils/Crypto.java` (`hashData`: bouncycastle
//! `SHA3Digest(256)`, FIPS-202 SHA3-256; `hashAllObjects` over the concatenated streams).
//!
//! - `ser(n)` is a MiniNumber: `i8 scale || u8 len || len bytes`, the unscaled value as a
//!   minimal two's-complement big-endian integer (`BigInteger.toByteArray`); the u64 values
//!   of the `Profile` trait are written at scale 0, decimal amounts by
//!   [`super::mininumber::MiniNumber`]. `MiniData(b) = u32be(len) || b`.
//! - `leaf_hash(_, data, v) = SHA3-256(ser(0) || data || ser(v))` (`data` is the object's
//!   stream bytes as given: a script's `MiniString` stream is `MiniData(utf8)`);
//! - `parent_hash(_, l, r, s) = SHA3-256(ser(1) || MiniData(l.hash) || MiniData(r.hash) || ser(s))`;
//! - peak-tree bagging with `bag_hash` = the parent hash (no position);
//! - empty root: none (`MMR.getRoot` returns null), hence error `empty-root`.
//!
//! `minima-legacy` is the older, untagged revision whose values Minima's documentation
//! prints (minima-global/docs `mast-contract.mdx`, `simple-txn.mdx`; see
//! `tests/published_minima.rs`): Keccak-256 (original padding), leaf =
//! `Keccak-256(data)` (`hashObject(object)`: no tag, no value), parent =
//! `Keccak-256(MiniData(l.hash) || MiniData(r.hash) || ser(sum))` (no tag), the same
//! peak-tree bagging. No tagged Minima release contains it; it is kept, explicitly named,
//! only so that those published values stay checkable.

use crate::codec::Reader;
use crate::profiles::mininumber::MiniNumber;
use crate::{Bagging, Error, Hash, Node, Profile, Proof, Side, Step};
use sha3::{Digest, Keccak256, Sha3_256};

/// The Minima profile of release v1.0.45, named `"minima"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MinimaProfile;

/// The Minima profile's one instance.
pub static MINIMA: MinimaProfile = MinimaProfile;

/// The untagged Keccak revision of Minima's documentation, named `"minima-legacy"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MinimaLegacyProfile;

/// The legacy Minima profile's one instance.
pub static MINIMA_LEGACY: MinimaLegacyProfile = MinimaLegacyProfile;

/// Appends the MiniNumber stream form of the integer `n`: scale 0, then the length and the
/// minimal two's-complement big-endian bytes (0 -> `00 01 00`, 128 -> `00 02 00 80`).
pub fn put_mini_number(out: &mut Vec<u8>, n: u64) {
    MiniNumber::from_u64(n).put(out);
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
/// `writeHashToStream`): `u32be(len) || bytes`. A `MiniString` streams as the `MiniData` of
/// its UTF-8 bytes (`MiniString.writeDataStream`).
pub fn mini_data(bytes: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(4 + bytes.len());
    put_mini_data(&mut v, bytes);
    v
}

/// Minima v1.0.45's hash of a stream (`Crypto.hashData`: bouncycastle `SHA3Digest(256)`,
/// FIPS-202 SHA3-256).
pub fn hash_stream(bytes: &[u8]) -> Hash {
    Hash(Sha3_256::digest(bytes).into())
}

/// The legacy revision's hash of a stream: Keccak-256 with the original Keccak padding.
pub fn keccak_stream(bytes: &[u8]) -> Hash {
    Hash(Keccak256::digest(bytes).into())
}

/// `ser(1) || MiniData(l) || MiniData(r) || ser(sum)`, the preimage of
/// `CreateMMRDataParentNode` with the sum's stream form given.
fn parent_preimage(left: &Hash, right: &Hash, sum: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(3 + 2 * 36 + sum.len());
    put_mini_number(&mut buf, 1);
    put_mini_data(&mut buf, left.as_bytes());
    put_mini_data(&mut buf, right.as_bytes());
    buf.extend_from_slice(sum);
    buf
}

fn parent(left: &Node, right: &Node, sum: u64) -> Hash {
    hash_stream(&parent_preimage(&left.hash, &right.hash, &mini_number(sum)))
}

fn legacy_parent(left: &Node, right: &Node, sum: u64) -> Hash {
    let mut buf = mini_data(left.hash.as_bytes());
    put_mini_data(&mut buf, right.hash.as_bytes());
    put_mini_number(&mut buf, sum);
    keccak_stream(&buf)
}

/// The peaks (highest first) of the MMR whose leaves are `nodes`, merged with `merge`
/// (`MMR.addEntry` / `getPeaks`): equal heights combine, left operand first.
fn peaks_of<N, E>(
    nodes: impl IntoIterator<Item = N>,
    mut merge: impl FnMut(&N, &N) -> Result<N, E>,
) -> Result<Vec<N>, E> {
    let mut stack: Vec<(u32, N)> = Vec::new();
    for n in nodes {
        let mut cur = (0u32, n);
        while stack.last().is_some_and(|(h, _)| *h == cur.0) {
            let (h, l) = stack.pop().expect("checked non-empty");
            cur = (h + 1, merge(&l, &cur.1)?);
        }
        stack.push(cur);
    }
    Ok(stack.into_iter().map(|(_, n)| n).collect())
}

/// `MMR.getRoot`: the peaks become the leaves of a fresh MMR until one node remains.
fn peak_tree<N: Clone, E>(
    peaks: &[N],
    mut merge: impl FnMut(&N, &N) -> Result<N, E>,
) -> Result<Option<N>, E> {
    let mut level = peaks.to_vec();
    while level.len() > 1 {
        level = peaks_of(level, &mut merge)?;
    }
    Ok(level.into_iter().next())
}

fn saturating_peak_tree(peaks: &[Node], hash: fn(&Node, &Node, u64) -> Hash) -> Hash {
    let root = peak_tree(peaks, |l, r| {
        let sum = l.value.saturating_add(r.value);
        Ok::<_, core::convert::Infallible>(Node::new(hash(l, r, sum), sum))
    });
    match root {
        Ok(r) => r.map_or(Hash::ZERO, |n| n.hash),
        Err(never) => match never {},
    }
}

impl Profile for MinimaProfile {
    fn name(&self) -> &'static str {
        "minima"
    }

    /// `SHA3-256(ser(0) || data || ser(value))`.
    fn leaf_hash(&self, _pos: u64, data: &[u8], value: u64) -> Hash {
        let mut h = Sha3_256::new();
        h.update(mini_number(0));
        h.update(data);
        h.update(mini_number(value));
        Hash(h.finalize().into())
    }

    /// `SHA3-256(ser(1) || MiniData(left.hash) || MiniData(right.hash) || ser(sum))`.
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
        saturating_peak_tree(peaks, parent)
    }

    /// Minima defines no root for the empty MMR.
    fn empty_root(&self) -> Option<Hash> {
        None
    }
}

impl Profile for MinimaLegacyProfile {
    fn name(&self) -> &'static str {
        "minima-legacy"
    }

    /// `Keccak-256(data)`: the untagged `hashObject(object)`; the value is not hashed.
    fn leaf_hash(&self, _pos: u64, data: &[u8], _value: u64) -> Hash {
        keccak_stream(data)
    }

    /// `Keccak-256(MiniData(left.hash) || MiniData(right.hash) || ser(sum))`.
    fn parent_hash(&self, _pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        legacy_parent(left, right, sum)
    }

    fn bagging(&self) -> Bagging {
        Bagging::PeakTree
    }

    /// The parent hash, as in `minima`.
    fn bag_hash(&self, _size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        legacy_parent(left, right, sum)
    }

    /// As in `minima`: the peak-tree root, saturating.
    fn commit_hash(&self, _size: u64, _total: u64, peaks: &[Node]) -> Hash {
        saturating_peak_tree(peaks, legacy_parent)
    }

    fn empty_root(&self) -> Option<Hash> {
        None
    }
}

/// A Minima node with a decimal value (`MMRData(hash, MiniNumber)`), for the amounts the
/// u64 value of [`Node`] cannot carry (SPEC.md section 9, the decimal-value proposal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecimalNode {
    /// The node's SHA3-256 hash.
    pub hash: Hash,
    /// Its MiniNumber value, scale included.
    pub value: MiniNumber,
}

/// `CreateMMRDataLeafNode(data, value)` of v1.0.45: `SHA3-256(ser(0) || data || ser(value))`
/// with the value's own scale.
pub fn decimal_leaf(data: &[u8], value: MiniNumber) -> DecimalNode {
    let mut buf = mini_number(0);
    buf.extend_from_slice(data);
    value.put(&mut buf);
    DecimalNode {
        hash: hash_stream(&buf),
        value,
    }
}

/// `CreateMMRDataParentNode(left, right)` of v1.0.45: the MiniNumber sum (larger scale) and
/// `SHA3-256(ser(1) || MiniData(l) || MiniData(r) || ser(sum))`; [`Error::ValueOverflow`]
/// above `2^64 - 1`.
pub fn decimal_parent(left: &DecimalNode, right: &DecimalNode) -> Result<DecimalNode, Error> {
    let sum = left.value.add(&right.value)?;
    Ok(DecimalNode {
        hash: hash_stream(&parent_preimage(&left.hash, &right.hash, &sum.to_stream())),
        value: sum,
    })
}

/// The root of the MMR of these leaves with decimal values, as `MMR.addEntry` and
/// `MMR.getRoot` of v1.0.45 compute it (peak tree; [`Error::EmptyRoot`] for no leaves).
/// For values of scale 0 it equals the `minima` profile's root through `ProofDb`.
pub fn decimal_root(leaves: &[(Vec<u8>, MiniNumber)]) -> Result<DecimalNode, Error> {
    let peaks = peaks_of(
        leaves.iter().map(|(d, v)| decimal_leaf(d, *v)),
        decimal_parent,
    )?;
    peak_tree(&peaks, decimal_parent)?.ok_or(Error::EmptyRoot)
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
