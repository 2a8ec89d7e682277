//! The Minima profile. No literal MMR hash is published in minima-global/Minima's own
//! tests (searched: `test/org/minima/tests/database/mmr/` `MMRDataTest.java`,
//! `MMREntryTest.java`, `MMRProofTest.java`, `MMRSetTest.java`,
//! `test/org/minima/objects/base/MiniNumberTests.java`; see `spec/DIALECTS.md`), so this file
//! checks the published *rules* instead: the MiniNumber and MMRProof stream layouts of
//! `MiniNumber.java` / `MMRProof.java`, the empty root (`MMR.getRoot` returns null) and the
//! peak-tree shape of `MMR.getRoot` (3 peaks: P(P(p0, p1), p2)).

mod common;

use common::Mmr;
use mmr_spec::profiles::MINIMA;
use mmr_spec::profiles::minima::{decode_mmr_proof, encode_mmr_proof, mini_number};
use mmr_spec::{Error, Node, Profile, Proof, Side, Step, bag_node};

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
