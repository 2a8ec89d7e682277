//! The Minima profile. No literal MMR hash is published in minima-global/Minima's own
//! tests (searched: `test/org/minima/tests/database/mmr/` `MMRDataTest.java`,
//! `MMREntryTest.java`, `MMRProofTest.java`, `MMRSetTest.java`,
//! `test/org/minima/objects/base/MiniNumberTests.java`; see `spec/DIALECTS.md`).
//!
//! Minima's official documentation publishes one worked MMR: minima-global/docs
//! `content/docs/development/layer1/mast-contract.mdx` (docs.minima.global, "MAST
//! Contracts"): `mmrcreate nodes:["RETURN TRUE","RETURN FALSE"]` with the root `0E321692...`
//! and both leaves' proofs, and `scripts action:clean script:"RETURN TRUE"` with the address
//! `0x72BE56DF...`. Those values fix the hash (Keccak-256, not SHA3-256: the profile was
//! corrected on their evidence), the MiniData and MiniNumber stream forms and the parent
//! layout; they were produced by an earlier revision of `MMRData` whose leaf is
//! `hashObject(object)` (no `ser(0)` tag, no value) and whose parent has no `ser(1)` tag, so
//! they are recomputed here with the profile's primitives (`hash_stream`, `mini_data`,
//! `mini_number`), not with its tagged `leaf_hash` / `parent_hash` (see `spec/DIALECTS.md`).
//! The rest of this file checks the published *rules*: the MiniNumber and MMRProof stream
//! layouts of `MiniNumber.java` / `MMRProof.java`, the empty root (`MMR.getRoot` returns null)
//! and the peak-tree shape of `MMR.getRoot` (3 peaks: P(P(p0, p1), p2)).

mod common;

use common::{Mmr, hex};
use mmr_spec::profiles::MINIMA;
use mmr_spec::profiles::minima::{
    decode_mmr_proof, encode_mmr_proof, hash_stream, mini_data, mini_number,
};
use mmr_spec::{Error, Hash, Node, Profile, Proof, Side, Step, bag_node, from_hex};

/// The docs' untagged leaf: `hashObject(MiniString(s))` = Keccak-256 of `u32be(len) || utf8`.
fn docs_leaf(s: &str) -> Hash {
    hash_stream(&mini_data(s.as_bytes()))
}

/// The docs' untagged parent: `hashAllObjects(left, right, sum)`.
fn docs_parent(l: &Hash, r: &Hash, sum: u64) -> Hash {
    let mut b = mini_data(l.as_bytes());
    b.extend(mini_data(r.as_bytes()));
    b.extend(mini_number(sum));
    hash_stream(&b)
}

#[test]
fn docs_mast_leaf_is_the_script_address() {
    // mast-contract.mdx: `scripts action:clean script:"RETURN TRUE"` returns the address
    // 0x72BE56DF..., which is also the sibling in the proof of "RETURN FALSE".
    assert_eq!(
        docs_leaf("RETURN TRUE"),
        hex("72be56dfd48b785139a72512feaac7e339b8f48132e9b9340a248efc00f4a5da")
    );
    // FIPS-202 SHA3-256 gives something else: Minima hashes with Keccak.
    use sha3::{Digest, Sha3_256};
    let sha3: [u8; 32] = Sha3_256::digest(mini_data(b"RETURN TRUE")).into();
    assert_ne!(Hash(sha3), docs_leaf("RETURN TRUE"));
}

#[test]
fn docs_mmrcreate_root_of_two_scripts() {
    // mast-contract.mdx: `mmrcreate nodes:["RETURN TRUE","RETURN FALSE"]`, root 0x0E321692...
    // (two leaves of value 0, one peak: the root is their parent, sum 0).
    let t = docs_leaf("RETURN TRUE");
    let f = docs_leaf("RETURN FALSE");
    assert_eq!(
        f,
        hex("68073d52b5ce60a854ba2aa42cfb2e27d9fadfc9c4f7ea52fe48e58f604ebec7")
    );
    assert_eq!(
        docs_parent(&t, &f, 0),
        hex("0e321692da8996a833f88ec8a73f3aa8a5e949ad12ff48207130c7ae6f9dc115")
    );
}

#[test]
fn docs_mmrproof_streams() {
    // mast-contract.mdx, the two `mmrproof ... proof:0x...` arguments. This revision of
    // `MMRProof.writeDataStream` starts with a hash-sum flag byte (0: block time 0 and every
    // chunk value 0, so neither is written), then ser(chunk count), then per chunk the
    // left flag and MiniData(hash). The profile's encoder writes the other revision's layout
    // (block time, count, chunks with values), so only the shared parts are checked here.
    let t = docs_leaf("RETURN TRUE");
    let f = docs_leaf("RETURN FALSE");
    for (proof, left_flag, sibling) in [
        (
            "0x00000101000000002068073D52B5CE60A854BA2AA42CFB2E27D9FADFC9C4F7EA52FE48E58F604EBEC7",
            0u8,
            f,
        ),
        (
            "0x00000101010000002072BE56DFD48B785139A72512FEAAC7E339B8F48132E9B9340A248EFC00F4A5DA",
            1,
            t,
        ),
    ] {
        let b = from_hex(&proof[2..]).unwrap();
        assert_eq!(b.len(), 1 + 3 + 1 + 4 + 32);
        assert_eq!(b[0], 0, "hash-sum flag");
        assert_eq!(&b[1..4], &mini_number(1)[..], "ser(chunk count)");
        assert_eq!(b[4], left_flag, "sibling on the left?");
        assert_eq!(&b[5..], &mini_data(sibling.as_bytes())[..]);
    }
}

#[test]
fn mini_number_stream_layout() {
    // MiniNumber.writeDataStream: scale byte, length byte, BigInteger.toByteArray().
    assert_eq!(mini_number(0), [0x00, 0x01, 0x00]);
    assert_eq!(mini_number(1), [0x00, 0x01, 0x01]);
    assert_eq!(mini_number(10), [0x00, 0x01, 0x0a]);
    assert_eq!(mini_number(128), [0x00, 0x02, 0x00, 0x80]);
}

#[test]
fn empty_root_is_an_error() {
    assert_eq!(MINIMA.empty_root(), None);
    assert_eq!(Mmr::new(&MINIMA).root(), Err(Error::EmptyRoot));
}

#[test]
fn peak_tree_of_three_peaks() {
    let mut m = Mmr::new(&MINIMA);
    for i in 0u8..7 {
        m.append(&[i], u64::from(i) + 1);
    }
    let p = m.peaks();
    assert_eq!(p.len(), 3);
    let expected = bag_node(
        &MINIMA,
        11,
        &bag_node(&MINIMA, 11, &p[0], &p[1]).unwrap(),
        &p[2],
    )
    .unwrap();
    assert_eq!(m.root().unwrap(), expected);
    assert_eq!(expected.value, 28);
    assert_eq!(MINIMA.commit_hash(11, 28, &p), expected.hash);
}

#[test]
fn mmr_proof_stream_round_trip_and_strictness() {
    let proof = Proof {
        size: 4,
        pos: 1,
        path: vec![
            Step {
                side: Side::Left,
                node: Node::new(mmr_spec::Hash([7; 32]), 5),
            },
            Step {
                side: Side::Right,
                node: Node::new(mmr_spec::Hash([9; 32]), 200),
            },
        ],
    };
    let b = encode_mmr_proof(1234, &proof);
    // ser(1234) = 00 02 04 d2; ser(2) = 00 01 02; chunk 1: 01, 00000020, hash, 00 01 05.
    assert_eq!(&b[..7], &[0, 2, 0x04, 0xd2, 0, 1, 2]);
    assert_eq!(&b[7..12], &[1, 0, 0, 0, 32]);
    assert_eq!(&b[44..47], &[0, 1, 5]);
    assert_eq!(decode_mmr_proof(&b, 4, 1).unwrap(), (1234, proof));
    let mut t = b.clone();
    t.push(0);
    assert!(matches!(
        decode_mmr_proof(&t, 4, 1),
        Err(Error::TrailingBytes { .. })
    ));
    assert!(matches!(
        decode_mmr_proof(&b[..50], 4, 1),
        Err(Error::Truncated { .. })
    ));
    let mut s = b.clone();
    s[7] = 2;
    assert_eq!(
        decode_mmr_proof(&s, 4, 1),
        Err(Error::InvalidSide { offset: 7, byte: 2 })
    );
    let mut l = b.clone();
    l[11] = 31;
    assert!(matches!(
        decode_mmr_proof(&l, 4, 1),
        Err(Error::InvalidTag { offset: 8, .. })
    ));
}
