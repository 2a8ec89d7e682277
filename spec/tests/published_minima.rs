//! The Minima profiles against values Minima publishes.
//!
//! `minima` (release v1.0.45): script addresses printed by a live Minima node, version
//! 1.0.45.15 (May 2026), and asserted by a TypeScript port of Minima's address code. In
//! v1.0.45 a script's address is the root of the one-leaf MMR whose leaf is
//! `CreateMMRDataLeafNode(MiniString(script), 0)` (minima-global/Minima v1.0.45
//! `src/org/minima/objects/Address.java`, `Address(String)`): the leaf itself,
//! `SHA3-256(ser(0) || MiniData(utf8) || ser(0))`. Sources:
//!   (a) a record of a live node's answers, whose `status` shows `"version": "1.0.45.15"`,
//!       block 2119896, 2026-05-25; its `newscript script:"RETURN TRUE" trackall:false
//!       clean:true` and `runscript script:"RETURN TRUE"` answer `0x582AA40E...`, and
//!       `newscript` gives `0x124BA1EF...` for `RETURN STATE(0) EQ INC(PREVSTATE(0))` and
//!       `0xDB8C1844...` for `RETURN VERIFYOUT(@INPUT @ADDRESS @AMOUNT @TOKENID TRUE)`.
//!       Found by the code index's exact-string search for `582AA40EA996419A3D8A5D26039A4E95`,
//!       which did not return its repository or path (not in Totem-Edge/totem-sdk);
//!   (b) Totem-Edge/totem-sdk `packages/totem-sdk/packages/core/src/mmr.oracle.test.ts`
//!       (revision 9d5c2748dbdb), "MMR roots (single-leaf) – Minima oracles"
//!       (`mmrRootFromSingleLeaf`): `582AA40E...` (`RETURN TRUE`), `B3FA26AE...`
//!       (`LET x 1 RETURN x == 1`) and `65EC70E6...` (`RETURN SIGNEDBY(0xFFFF)`);
//!   (c) the same repository's `packages/totem-sdk/packages/core/src/addr.oracle.test.ts`
//!       (same revision), "Script → Mx (Minima oracles)": the Mx address of `RETURN TRUE`
//!       decodes to the same 32 bytes.
//! Keccak-256 or the untagged leaf gives none of them.
//!
//! `minima-legacy`: Minima's official documentation publishes one worked MMR, made by an
//! older, untagged revision (Keccak-256; leaf `hashObject(object)`, parent without `ser(1)`):
//! minima-global/docs `content/docs/development/layer1/mast-contract.mdx`
//! (docs.minima.global, "MAST Contracts"): `mmrcreate nodes:["RETURN TRUE","RETURN FALSE"]`
//! with the root `0E321692...` and both leaves' proofs, and `scripts action:clean
//! script:"RETURN TRUE"` with the address `0x72BE56DF...`; and the "simple transaction"
//! walkthrough of the same docs (`simple-txn.mdx`) with two script addresses, two output
//! coin ids and two MiniNumber amounts. These run through the `minima-legacy` profile's own
//! `leaf_hash` / `parent_hash` (or its primitives where the value is not an MMR node).
//! The rest of this file checks the published *rules* of v1.0.45: the MiniNumber and
//! MMRProof stream layouts of `MiniNumber.java` / `MMRProof.java`, the empty root
//! (`MMR.getRoot` returns null) and the peak-tree shape of `MMR.getRoot`
//! (3 peaks: P(P(p0, p1), p2)).

mod common;

use common::{Mmr, hex};
use mmr_spec::profiles::minima::{
    decimal_leaf, decimal_root, decode_mmr_proof, encode_mmr_proof, hash_stream, keccak_stream,
    mini_data, mini_number,
};
use mmr_spec::profiles::mininumber::MiniNumber;
use mmr_spec::profiles::{MINIMA, MINIMA_LEGACY, by_name};
use mmr_spec::{Error, Hash, Node, Profile, Proof, Side, Step, bag_node, from_hex};

/// Script/address pairs of v1.0.45 (sources (a) and (b) above).
const V1_0_45_ADDRESSES: &[(&str, &str)] = &[
    (
        "RETURN TRUE",
        "582aa40ea996419a3d8a5d26039a4e9584b746c2c26f860dac8372bea4457af6",
    ),
    (
        "LET x 1 RETURN x == 1",
        "b3fa26aea3ffd4367c23dffeb55c17be75ae4a923e4a3a9e790cfefc5a96fb93",
    ),
    (
        "RETURN SIGNEDBY(0xFFFF)",
        "65ec70e6def38cbc8e1556305f06637bf8d6b0ef5719c3cd9386981d250b9e95",
    ),
    (
        "RETURN STATE(0) EQ INC(PREVSTATE(0))",
        "124ba1efb2548e2770f767a44168376752c84f1670b08ed6ea8a5fc7895338d3",
    ),
    (
        "RETURN VERIFYOUT(@INPUT @ADDRESS @AMOUNT @TOKENID TRUE)",
        "db8c1844b9464545b94b4806cf0a5ea2779edd8e0e8c21fba9503275d5d2bd00",
    ),
];

#[test]
fn live_node_script_addresses_are_one_leaf_roots() {
    for (script, address) in V1_0_45_ADDRESSES {
        let mut m = Mmr::new(&MINIMA);
        m.append(&mini_data(script.as_bytes()), 0);
        let root = m.root().unwrap();
        assert_eq!(root.hash, hex(address), "{script}");
        assert_eq!(root.value, 0);
        // The same through Minima's decimal path (MiniNumber 0, scale 0).
        let d = decimal_root(&[(mini_data(script.as_bytes()), MiniNumber::ZERO)]).unwrap();
        assert_eq!(d.hash, hex(address), "{script}");
    }
}

#[test]
fn the_address_needs_sha3_and_the_tagged_leaf() {
    let (script, address) = V1_0_45_ADDRESSES[0];
    let stream = mini_data(script.as_bytes());
    let mut tagged = mini_number(0);
    tagged.extend(&stream);
    tagged.extend(mini_number(0));
    assert_eq!(hash_stream(&tagged), hex(address));
    assert_ne!(keccak_stream(&tagged), hex(address), "Keccak-256");
    assert_ne!(hash_stream(&stream), hex(address), "untagged leaf");
    assert_ne!(
        MINIMA_LEGACY.leaf_hash(0, &stream, 0),
        hex(address),
        "minima-legacy"
    );
    // A value other than 0 is part of the preimage.
    assert_ne!(MINIMA.leaf_hash(0, &stream, 1), hex(address));
    assert_ne!(
        decimal_leaf(&stream, MiniNumber::parse("0.0").unwrap()).hash,
        hex(address),
        "0.0 streams with scale 1"
    );
}

#[test]
fn both_revisions_are_named_profiles() {
    assert_eq!(by_name("minima").unwrap().name(), "minima");
    assert_eq!(by_name("minima-legacy").unwrap().name(), "minima-legacy");
    assert!(!mmr_spec::profiles::names().contains(&"minima-legacy"));
}

#[test]
fn docs_mast_leaf_is_the_legacy_script_address() {
    // mast-contract.mdx: `scripts action:clean script:"RETURN TRUE"` returns the address
    // 0x72BE56DF..., which is also the sibling in the proof of "RETURN FALSE".
    let mut m = Mmr::new(&MINIMA_LEGACY);
    m.append(&mini_data(b"RETURN TRUE"), 0);
    assert_eq!(
        m.root().unwrap().hash,
        hex("72be56dfd48b785139a72512feaac7e339b8f48132e9b9340a248efc00f4a5da")
    );
    // FIPS-202 SHA3-256 of the same stream gives something else: this revision is Keccak.
    assert_ne!(
        hash_stream(&mini_data(b"RETURN TRUE")),
        m.root().unwrap().hash
    );
}

#[test]
fn docs_mmrcreate_root_of_two_scripts() {
    // mast-contract.mdx: `mmrcreate nodes:["RETURN TRUE","RETURN FALSE"]`, root 0x0E321692...
    // (two leaves of value 0, one peak: the root is their parent, sum 0).
    let mut m = Mmr::new(&MINIMA_LEGACY);
    m.append(&mini_data(b"RETURN TRUE"), 0);
    m.append(&mini_data(b"RETURN FALSE"), 0);
    assert_eq!(
        m.peaks()[0].hash,
        hex("0e321692da8996a833f88ec8a73f3aa8a5e949ad12ff48207130c7ae6f9dc115")
    );
    assert_eq!(
        MINIMA_LEGACY.leaf_hash(1, &mini_data(b"RETURN FALSE"), 0),
        hex("68073d52b5ce60a854ba2aa42cfb2e27d9fadfc9c4f7ea52fe48e58f604ebec7")
    );
    assert_eq!(
        m.root().unwrap().hash,
        hex("0e321692da8996a833f88ec8a73f3aa8a5e949ad12ff48207130c7ae6f9dc115")
    );
}

/// The docs' leaf of a script, `minima-legacy`.
fn docs_leaf(s: &str) -> Hash {
    MINIMA_LEGACY.leaf_hash(0, &mini_data(s.as_bytes()), 0)
}

#[test]
fn docs_mmrproof_streams() {
    // mast-contract.mdx, the two `mmrproof ... proof:0x...` arguments. This revision of
    // `MMRProof.writeDataStream` starts with a hash-sum flag byte (0: block time 0 and every
    // chunk value 0, so neither is written), then ser(chunk count), then per chunk the
    // left flag and MiniData(hash). `encode_mmr_proof` writes v1.0.45's layout (block time,
    // count, chunks with values), so only the shared parts are checked here.
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
/// 22 UTF-8 bytes, so the keccak answer is the hash of exactly those bytes. Both are the
/// profiles' own hash functions
/// reproducing literals of Minima's repository directly: the keccak one is `minima-legacy`'s
/// hash (`keccak_stream`), the sha3 one v1.0.45's `Crypto.hashData` (`hash_stream`).
#[test]
fn hash_test_literals() {
    let data = b"thisisadatastring12345";
    assert_eq!(
        keccak_stream(data),
        hex("fd1ffc2f69003ee91d43aef271b7fba023121dca7937334e6ea8ce7059bb756f")
    );
    assert_eq!(
        hash_stream(data),
        hex("c11dc39488565959a2a427c109415e41beaa3816d3bb6b90fcf04e8ea09ed437")
    );
}

// ----- minima-global/docs `content/docs/development/simple-txn.mdx` (revision 43a9f934dc60) -----
//
// The "simple transaction" walkthrough of Minima's documentation prints real node outputs.
// Four hashes and one coin stream in it reproduce with `minima-legacy` (its leaf hash and
// its primitives `keccak_stream`, `mini_data`, `mini_number`); like the MAST values above they are not MMR
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
        assert_eq!(keccak_stream(&stream), hex(coin_id), "output {index}");
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

/// Decimal amounts through `CreateMMRDataLeafNode` / `CreateMMRDataParentNode` /
/// `MMR.getRoot` of v1.0.45, preimages written out byte by byte: 0.001, 0.5 and
/// 1000000000.000000001 (three leaves, peaks P(l0, l1) and l2, root P(P(l0, l1), l2)).
/// `MiniNumber.add` keeps the larger scale: 0.501 is `03 02 01F5`, the total
/// 1000000000.501000001 is `09 08 0DE0B6B3C540A741`.
#[test]
fn decimal_amounts_sum_and_stream_as_minima_does() {
    use sha3::{Digest, Sha3_256};
    let h = |parts: &[&[u8]]| -> Hash {
        let mut d = Sha3_256::new();
        for p in parts {
            d.update(p);
        }
        Hash(d.finalize().into())
    };
    let md = |x: &Hash| mini_data(x.as_bytes());
    let l0 = h(&[&[0, 1, 0], b"\x00\x00\x00\x01a", &[3, 1, 1]]);
    let l1 = h(&[&[0, 1, 0], b"\x00\x00\x00\x01b", &[1, 1, 5]]);
    let l2 = h(&[
        &[0, 1, 0],
        b"\x00\x00\x00\x01c",
        &[9, 8, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0x00, 0x01],
    ]);
    let p01 = h(&[&[0, 1, 1], &md(&l0), &md(&l1), &[3, 2, 0x01, 0xf5]]);
    let root = h(&[
        &[0, 1, 1],
        &md(&p01),
        &md(&l2),
        &[9, 8, 0x0d, 0xe0, 0xb6, 0xb3, 0xc5, 0x40, 0xa7, 0x41],
    ]);
    let leaves: Vec<(Vec<u8>, MiniNumber)> =
        [("a", "0.001"), ("b", "0.5"), ("c", "1000000000.000000001")]
            .iter()
            .map(|(d, v)| (mini_data(d.as_bytes()), MiniNumber::parse(v).unwrap()))
            .collect();
    let r = decimal_root(&leaves).unwrap();
    assert_eq!(r.hash, root);
    assert_eq!(r.value.to_string(), "1000000000.501000001");
    assert_eq!(decimal_root(&[]), Err(Error::EmptyRoot));
}
