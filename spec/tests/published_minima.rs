//! The Minima profile. No literal MMR hash is published in minima-global/Minima's own
//! tests (searched: `test/org/minima/tests/database/mmr/` `MMRDataTest.java`,
//! `MMREntryTest.java`, `MMRProofTest.java`, `MMRSetTest.java`,
//! `test/org/minima/objects/base/MiniNumberTests.java`, the CLI tests; see
//! `spec/DIALECTS.md`); their one literal hash, `HashTest.java`'s Keccak of a string, is the
//! profile's `hash_stream` (below).
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
//! The "simple transaction" walkthrough of the same docs (`simple-txn.mdx`) adds two script
//! addresses, two output coin ids and two MiniNumber amounts, reproduced the same way.
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

/// minima-global/Minima `test/org/minima/tests/cli/hash/HashTest.java` (revision
/// 04ce914d9189), `runKeccakTest`: the command `hash data:thisisadatastring12345 type:keccak`
/// must answer `0xFD1FFC2F...`. The same file's `runSha3Test` and `runSha2Test` expect
/// `0xC11DC394...` and `0xB20E583B...`, which are FIPS-202 SHA3-256 and SHA-256 of the same
/// 22 UTF-8 bytes, so the keccak answer is the hash of exactly those bytes. It is the
/// profile's own hash function (`hash_stream`, Keccak-256 with the original padding)
/// reproducing a literal of Minima's repository directly; SHA3-256 gives the other literal.
#[test]
fn hash_test_keccak_of_a_string() {
    let data = b"thisisadatastring12345";
    assert_eq!(
        hash_stream(data),
        hex("fd1ffc2f69003ee91d43aef271b7fba023121dca7937334e6ea8ce7059bb756f")
    );
    use sha3::{Digest, Sha3_256};
    let sha3: [u8; 32] = Sha3_256::digest(data).into();
    assert_eq!(
        Hash(sha3),
        hex("c11dc39488565959a2a427c109415e41beaa3816d3bb6b90fcf04e8ea09ed437")
    );
}

// ----- minima-global/docs `content/docs/development/simple-txn.mdx` (revision 43a9f934dc60) -----
//
// The "simple transaction" walkthrough of Minima's documentation prints real node outputs.
// Four hashes and one coin stream in it reproduce with the profile's primitives
// (`hash_stream`, `mini_data`, `mini_number`); like the MAST values above they are not MMR
// nodes, so they check the hash, the MiniData and MiniNumber forms and the way Minima hashes
// a concatenation of object streams (`hashAllObjects`), not the tagged leaf/parent formulas.

/// `getaddress` on node 2 and `scripts address:0x6B8E37A9...` on node 1: a script's address
/// is the hash of its `MiniString` stream, `Keccak-256(u32be(len) || utf8)`.
#[test]
fn simple_txn_script_addresses() {
    for (script, address) in [
        (
            "RETURN SIGNEDBY(0x69BF3B984241BB4ADC48517A9F4A94DF25007D7F69E2A376CE939FC45E6A9D0C)",
            "1577381b2e4e160bd058f73692a73bbf585b9a68383ad8a55979e7c614a17095",
        ),
        (
            "RETURN SIGNEDBY(0x188A3462BDF4E4238C7097337B6F897ECF806655884FE00D3CFBEEF0C47C6AFD)",
            "6b8e37a911b21e380872c14e09fb1f25b1473c8d869b20accc269a71da3a0cc2",
        ),
    ] {
        assert_eq!(docs_leaf(script), hex(address), "{script}");
    }
}

/// `txnoutput`: both outputs spend the input coin `0x9ADD6E64...`; output 0 gets the coin id
/// `0x9AA61717...` and output 1 `0xF25DFF89...`, which are
/// `Keccak-256(MiniData(input coin id) || MiniNumber(output index))` — a `hashAllObjects` of a
/// MiniData and a MiniNumber, the same composition as the parent hash's
/// `MiniData(l) || MiniData(r) || ser(sum)`.
#[test]
fn simple_txn_output_coin_ids() {
    let input =
        from_hex("9ADD6E64E7D4DE63F4472C730ECEDDA8BC37C2F1A906E126F81C584EF172CF3A").unwrap();
    for (index, coin_id) in [
        (
            0u64,
            "9aa61717a9190419f4c617af10fc5a014621e860767841118342abea9f7f8d4e",
        ),
        (
            1,
            "f25dff89e78e12926c83e91c64279380bf2c34c4ee5971f015a43614214a6ff8",
        ),
    ] {
        let mut stream = mini_data(&input);
        stream.extend(mini_number(index));
        assert_eq!(hash_stream(&stream), hex(coin_id), "output {index}");
    }
}

/// `txnoutput`, `outputcoindata`: the coin streams begin `MiniData(coin id) ||
/// MiniData(address) || MiniNumber(amount)`; the amounts 10 and 999999990 are written
/// `00 01 0A` and `00 04 3B 9A C9 F6` (scale 0, length, minimal big-endian bytes).
#[test]
fn simple_txn_output_coin_streams() {
    for (coin_data, coin_id, address, amount) in [
        (
            "000000209AA61717A9190419F4C617AF10FC5A014621E860767841118342ABEA9F7F8D4E000000201577381B2E4E160BD058F73692A73BBF585B9A68383AD8A55979E7C614A1709500010A00000001000100010000000001000000010000010000",
            "9aa61717a9190419f4c617af10fc5a014621e860767841118342abea9f7f8d4e",
            "1577381b2e4e160bd058f73692a73bbf585b9a68383ad8a55979e7c614a17095",
            10u64,
        ),
        (
            "00000020F25DFF89E78E12926C83E91C64279380BF2C34C4EE5971F015A43614214A6FF8000000206B8E37A911B21E380872C14E09FB1F25B1473C8D869B20ACCC269A71DA3A0CC200043B9AC9F600000001000100010000000001000000010000010000",
            "f25dff89e78e12926c83e91c64279380bf2c34c4ee5971f015a43614214a6ff8",
            "6b8e37a911b21e380872c14e09fb1f25b1473c8d869b20accc269a71da3a0cc2",
            999_999_990,
        ),
    ] {
        let b = from_hex(coin_data).unwrap();
        let mut head = mini_data(hex(coin_id).as_bytes());
        head.extend(mini_data(hex(address).as_bytes()));
        head.extend(mini_number(amount));
        assert_eq!(&b[..head.len()], &head[..], "coin {coin_id}");
    }
    assert_eq!(mini_number(10), [0x00, 0x01, 0x0a]);
    assert_eq!(
        mini_number(999_999_990),
        [0x00, 0x04, 0x3b, 0x9a, 0xc9, 0xf6]
    );
}
