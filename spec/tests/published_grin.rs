//! Values published by Grin/Mwc, reproduced with the `grin` profile.
//!
//! Source: mwcproject/mwc-node `core/src/genesis.rs` (stored revision 008d4acdc6d0), functions
//! `genesis_main` and `genesis_floo`: each genesis header commits `output_root`,
//! `range_proof_root` and `kernel_root` of three one-leaf MMRs (`output_mmr_size: 1`,
//! `kernel_mmr_size: 1`) holding the genesis coinbase output, its range proof and its
//! kernel, whose bytes the same functions give. A one-leaf MMR's root is its leaf hash at
//! position 0. Element serializations (grin/mwc `core/src/core/transaction.rs`,
//! `core/src/ser.rs`): output identifier = `u8 features (Coinbase = 1) || 33-byte commitment`;
//! range proof = `u64be length || bytes`; kernel, hashed in its v1 form = `u8 features
//! (Coinbase = 1) || u64be fee (0) || u64be lock_height (0) || 33-byte excess || 64-byte sig`.
//!
//! Multi-leaf values (leaf positions far from 0, 16-peak bagging, the proof layout) come from
//! real Grin mainnet `MerkleProof`s published in the Node API v2 documentation:
//! mimblewimble/grin-rfcs `text/0007-node-api-v2.md` (`get_block` for height 374274 and
//! `get_outputs` for heights 376150-376154), copied into the JSON-RPC doc examples of
//! mimblewimble/grin `api/src/foreign_rpc.rs` (`get_outputs`) and mwcproject/mwc-node
//! `api/src/foreign_rpc.rs` (`get_block_ex`, `get_outputs`). The API's `mmr_index` is
//! 1-based; our positions are 0-based.
//!
//! Grin's own repository asserts no literal for a parent hash (grin `core/tests/pmmr.rs`
//! compares against recomputed hashes); the parent rule is corroborated by libmw's tests
//! (see `libmw_grin_dialect_*` below), an independent implementation of the same rules.

mod common;

use common::{Mmr, fold_right_proof_root, hex};
use mmr_spec::profiles::GRIN;
use mmr_spec::profiles::grin::{decode_merkle_proof, encode_merkle_proof};
use mmr_spec::{Error, Hash, Node, Proof, Side, Step, from_hex, leaf_node};

fn one_leaf_root(data: &[u8]) -> Hash {
    let mut m = Mmr::new(&GRIN);
    m.append(data, 0);
    m.root().unwrap().hash
}

fn output(commit: &str) -> Vec<u8> {
    let mut d = vec![1u8];
    d.extend(from_hex(commit).unwrap());
    d
}

fn range_proof(proof: &[u8]) -> Vec<u8> {
    assert_eq!(proof.len(), 675, "SINGLE_BULLET_PROOF_SIZE");
    let mut d = (proof.len() as u64).to_be_bytes().to_vec();
    d.extend_from_slice(proof);
    d
}

fn kernel(excess: &str, sig: &[u8]) -> Vec<u8> {
    let mut d = vec![1u8];
    d.extend_from_slice(&0u64.to_be_bytes());
    d.extend_from_slice(&0u64.to_be_bytes());
    d.extend(from_hex(excess).unwrap());
    assert_eq!(sig.len(), 64);
    d.extend_from_slice(sig);
    d
}

// mwcproject/mwc-node core/src/genesis.rs, genesis_main(): the kernel's excess_sig raw data.
const MAIN_SIG: [u8; 64] = [
    189, 52, 60, 137, 172, 160, 134, 69, 17, 47, 82, 86, 169, 136, 4, 240, 104, 188, 8, 185, 90,
    170, 220, 90, 88, 177, 222, 171, 198, 244, 149, 15, 238, 91, 152, 234, 248, 34, 72, 175, 213,
    52, 179, 29, 165, 113, 70, 167, 30, 159, 163, 45, 67, 2, 136, 169, 248, 200, 90, 86, 70, 192,
    73, 37,
];

// mwcproject/mwc-node core/src/genesis.rs, genesis_main(): the output's RangeProof bytes.
const MAIN_PROOF: [u8; 675] = [
    39, 189, 154, 255, 86, 63, 70, 66, 231, 125, 153, 190, 221, 206, 198, 108, 50, 76, 142, 7, 222,
    248, 222, 98, 247, 246, 149, 104, 243, 48, 146, 0, 147, 81, 67, 106, 68, 180, 226, 211, 134,
    15, 93, 143, 157, 116, 76, 118, 212, 31, 167, 217, 46, 214, 56, 80, 103, 7, 43, 214, 73, 180,
    151, 218, 6, 69, 81, 3, 19, 203, 210, 32, 78, 222, 121, 83, 93, 35, 108, 15, 122, 145, 131,
    184, 88, 43, 112, 255, 160, 13, 150, 236, 194, 253, 127, 118, 33, 146, 103, 98, 203, 247, 128,
    70, 142, 77, 170, 189, 161, 57, 186, 190, 33, 37, 15, 245, 112, 135, 85, 144, 109, 237, 188,
    255, 99, 70, 83, 150, 39, 115, 13, 134, 179, 64, 162, 128, 41, 176, 123, 195, 174, 20, 101,
    174, 251, 168, 176, 157, 142, 25, 189, 196, 235, 230, 162, 39, 151, 5, 204, 114, 203, 170, 214,
    205, 106, 96, 250, 44, 238, 39, 44, 141, 117, 102, 205, 61, 181, 105, 54, 38, 147, 225, 127,
    113, 37, 56, 42, 244, 143, 216, 121, 59, 129, 111, 11, 252, 203, 138, 55, 151, 104, 29, 19,
    208, 251, 115, 52, 82, 192, 240, 79, 183, 245, 231, 156, 209, 118, 13, 75, 29, 185, 149, 186,
    168, 180, 204, 14, 59, 185, 129, 60, 62, 198, 3, 27, 2, 87, 115, 39, 86, 220, 151, 158, 191,
    202, 43, 173, 89, 237, 244, 161, 99, 138, 195, 11, 68, 80, 108, 84, 35, 236, 71, 70, 100, 61,
    86, 108, 22, 162, 149, 167, 5, 210, 136, 11, 165, 58, 52, 48, 216, 228, 97, 246, 100, 24, 68,
    61, 164, 234, 52, 11, 103, 35, 242, 233, 251, 214, 181, 61, 103, 148, 128, 167, 251, 114, 38,
    196, 90, 155, 181, 41, 169, 203, 29, 166, 13, 123, 83, 150, 76, 55, 113, 162, 166, 147, 14, 80,
    75, 13, 109, 178, 226, 6, 3, 126, 86, 114, 86, 39, 151, 65, 24, 57, 181, 216, 174, 61, 156,
    102, 210, 11, 74, 86, 71, 3, 219, 203, 239, 218, 5, 65, 127, 210, 53, 8, 188, 112, 185, 19,
    173, 206, 3, 186, 86, 233, 42, 35, 99, 73, 198, 154, 41, 236, 242, 14, 115, 28, 100, 182, 45,
    58, 128, 70, 212, 100, 157, 238, 65, 232, 192, 13, 47, 29, 51, 176, 137, 15, 167, 47, 97, 222,
    78, 240, 94, 88, 132, 108, 99, 127, 160, 246, 17, 186, 76, 116, 205, 173, 1, 74, 41, 224, 65,
    82, 222, 247, 148, 74, 82, 169, 5, 6, 41, 169, 204, 52, 82, 204, 153, 99, 161, 195, 32, 159,
    80, 169, 12, 99, 104, 68, 93, 230, 47, 95, 67, 9, 153, 99, 183, 2, 12, 105, 218, 73, 162, 206,
    84, 149, 96, 192, 249, 235, 182, 20, 137, 3, 46, 8, 95, 109, 18, 159, 154, 114, 9, 7, 192, 180,
    236, 122, 80, 82, 142, 145, 226, 247, 209, 170, 132, 142, 65, 166, 68, 239, 175, 87, 61, 152,
    127, 18, 21, 70, 129, 174, 146, 19, 28, 213, 115, 10, 66, 62, 56, 20, 172, 153, 151, 27, 78,
    95, 169, 170, 69, 54, 247, 201, 179, 234, 157, 168, 222, 193, 210, 50, 91, 79, 242, 96, 69,
    163, 60, 246, 183, 90, 66, 196, 68, 226, 223, 100, 183, 8, 165, 0, 50, 106, 232, 197, 202, 142,
    129, 193, 193, 65, 236, 190, 3, 228, 137, 31, 14, 133, 241, 254, 192, 197, 101, 108, 46, 209,
    168, 59, 9, 160, 171, 3, 8, 212, 66, 123, 218, 6, 231, 232, 215, 207, 62, 53, 130, 34, 237, 80,
    13, 10, 93, 214, 164, 158, 47, 39, 101, 52, 228, 0, 38, 205, 82, 23, 39, 41, 42, 221, 0, 100,
    137, 26, 47, 73, 214, 106, 68, 255, 170, 250, 236, 2, 102, 132, 89, 141, 42, 34, 2, 29, 187, 5,
    189, 153, 17, 234, 32, 144, 149, 211, 164, 188,
];

// mwcproject/mwc-node core/src/genesis.rs, genesis_floo(): the kernel's excess_sig raw data.
const FLOO_SIG: [u8; 64] = [
    206, 29, 151, 239, 47, 44, 219, 103, 100, 240, 76, 52, 231, 174, 149, 129, 237, 164, 234, 60,
    232, 149, 90, 94, 161, 93, 131, 148, 120, 81, 161, 155, 170, 177, 250, 64, 66, 25, 44, 82, 164,
    227, 150, 5, 10, 166, 52, 150, 22, 179, 15, 50, 81, 15, 114, 9, 52, 239, 234, 80, 82, 118, 146,
    30,
];

// mwcproject/mwc-node core/src/genesis.rs, genesis_floo(): the output's RangeProof bytes.
const FLOO_PROOF: [u8; 675] = [
    207, 70, 243, 199, 101, 231, 4, 202, 173, 57, 169, 221, 164, 31, 29, 146, 28, 166, 120, 47,
    100, 105, 26, 247, 52, 181, 108, 150, 190, 24, 24, 249, 109, 102, 193, 18, 124, 70, 211, 53, 6,
    162, 247, 149, 165, 48, 219, 85, 40, 215, 222, 180, 14, 166, 132, 139, 80, 135, 117, 103, 67,
    227, 81, 86, 12, 198, 70, 55, 156, 172, 68, 136, 180, 219, 235, 223, 85, 248, 74, 215, 102, 1,
    190, 116, 133, 89, 234, 184, 154, 155, 29, 102, 91, 176, 223, 6, 149, 167, 201, 214, 142, 183,
    154, 76, 16, 59, 178, 57, 82, 145, 215, 49, 184, 176, 150, 58, 103, 215, 61, 243, 14, 2, 187,
    10, 157, 229, 73, 68, 204, 207, 7, 125, 1, 240, 11, 178, 19, 185, 201, 93, 212, 90, 18, 30,
    192, 119, 154, 91, 50, 61, 237, 196, 105, 195, 142, 116, 242, 237, 35, 142, 201, 60, 24, 161,
    224, 12, 234, 91, 4, 52, 241, 69, 88, 118, 239, 144, 100, 227, 56, 226, 122, 68, 3, 120, 152,
    2, 198, 50, 1, 135, 26, 211, 233, 149, 2, 193, 33, 233, 102, 194, 148, 236, 135, 179, 75, 216,
    75, 234, 91, 236, 235, 234, 65, 74, 109, 138, 26, 116, 204, 35, 229, 208, 31, 133, 11, 130, 8,
    210, 202, 20, 179, 243, 80, 90, 0, 48, 101, 57, 154, 235, 97, 132, 198, 171, 158, 77, 92, 196,
    214, 236, 14, 95, 136, 239, 19, 233, 215, 232, 120, 227, 101, 81, 169, 49, 214, 242, 9, 75,
    206, 243, 97, 193, 37, 37, 120, 226, 112, 105, 58, 93, 240, 198, 112, 85, 223, 71, 88, 192,
    163, 227, 252, 251, 228, 116, 185, 146, 129, 35, 112, 113, 123, 95, 108, 100, 197, 56, 195, 13,
    40, 87, 13, 132, 230, 167, 28, 80, 128, 196, 157, 227, 234, 109, 189, 201, 32, 161, 209, 40,
    62, 64, 72, 10, 45, 170, 191, 192, 225, 32, 105, 103, 130, 219, 82, 143, 246, 31, 220, 16, 7,
    78, 250, 246, 144, 130, 3, 183, 15, 62, 23, 195, 164, 211, 99, 55, 192, 90, 248, 22, 7, 79,
    241, 19, 51, 180, 149, 161, 151, 146, 91, 163, 91, 141, 1, 79, 170, 168, 114, 73, 11, 188, 40,
    99, 117, 77, 6, 164, 217, 116, 194, 219, 46, 14, 141, 223, 111, 191, 212, 108, 28, 23, 150,
    190, 24, 6, 221, 114, 156, 194, 127, 226, 247, 63, 102, 165, 54, 200, 210, 202, 39, 204, 210,
    140, 240, 121, 148, 131, 199, 241, 96, 141, 110, 76, 123, 210, 187, 245, 113, 198, 48, 90, 47,
    130, 124, 38, 235, 247, 127, 114, 128, 183, 100, 157, 252, 224, 120, 229, 166, 191, 11, 55,
    184, 235, 242, 20, 170, 223, 14, 206, 170, 82, 9, 28, 50, 167, 49, 81, 26, 212, 85, 222, 86,
    86, 0, 20, 190, 248, 164, 215, 23, 146, 158, 56, 227, 205, 205, 81, 89, 53, 46, 97, 97, 240,
    31, 48, 167, 140, 82, 65, 200, 205, 132, 41, 19, 81, 37, 211, 175, 89, 153, 102, 46, 225, 18,
    190, 155, 12, 96, 183, 237, 218, 146, 166, 96, 14, 222, 22, 148, 255, 137, 118, 145, 10, 231,
    27, 209, 35, 204, 28, 146, 142, 161, 207, 109, 157, 122, 158, 115, 139, 124, 123, 9, 89, 43,
    75, 90, 17, 68, 156, 56, 175, 14, 212, 8, 223, 233, 81, 105, 26, 231, 62, 168, 62, 242, 160,
    150, 188, 14, 40, 107, 7, 2, 229, 238, 118, 196, 239, 47, 56, 26, 149, 22, 0, 61, 241, 163,
    134, 162, 115, 117, 18, 185, 149, 231, 96, 37, 83, 121, 9, 231, 34, 145, 222, 218, 199, 158,
    10, 66, 196, 229, 134, 103, 14, 5, 225, 115, 154, 183, 22, 28, 128, 28, 20, 74, 248, 20, 17,
    184, 13, 150, 114, 46, 61, 253, 143, 184, 111, 66, 36, 107, 210, 50, 38, 167, 100, 224,
];

#[test]
fn mwc_mainnet_genesis_output_root() {
    // genesis_main(): output_root
    let data = output("089dfcac475c94c978861b3dbef1e37b038cc13f9f78de9a4e14f31ed36e7a54c9");
    assert_eq!(
        one_leaf_root(&data),
        hex("2d672c228f883646d75e73f1b936991fdfb11bb177eca451587f97dea1a4f994")
    );
}

#[test]
fn mwc_mainnet_genesis_range_proof_root() {
    // genesis_main(): range_proof_root
    assert_eq!(
        one_leaf_root(&range_proof(&MAIN_PROOF)),
        hex("3460123e2e24c9df65cd7a8d0e1384724c23c88c71b0cb32d890854648c7637a")
    );
}

#[test]
fn mwc_mainnet_genesis_kernel_root() {
    // genesis_main(): kernel_root
    let data = kernel(
        "08b659fde3a41284819f45415890330272efef7ef991f833a64b746be802c8fd77",
        &MAIN_SIG,
    );
    assert_eq!(
        one_leaf_root(&data),
        hex("cd3e07cff2c0f8e434c30a47d6231270d12d42638c0a7fd2c5c3125d51920d00")
    );
}

#[test]
fn mwc_floonet_genesis_roots() {
    // genesis_floo(): output_root, range_proof_root, kernel_root
    let out = output("0905a2ebf3913c7d378660a7b60e6bda983be451cb1de8779ad0f51f4d2fb079ea");
    assert_eq!(
        one_leaf_root(&out),
        hex("6985966efcd741c9ee42fe1a016476b74ffa1e818dfd4d3b441f8e0f876aa228")
    );
    assert_eq!(
        one_leaf_root(&range_proof(&FLOO_PROOF)),
        hex("43c1ac0025e17fb677b332c60e0d8b46ce871df876498c0dd5c95e4294ae8fe5")
    );
    let k = kernel(
        "093d0aeae5f6aab0975096fde31e1a21fa42edfc93db318a1064156ace81f54671",
        &FLOO_SIG,
    );
    assert_eq!(
        one_leaf_root(&k),
        hex("9bd2d376440e2b68ee1b066befed594b0a3d9fb56d20ae043059f5db4d25d6e0")
    );
}

#[test]
fn empty_root_is_zero() {
    // grin core/src/core/pmmr/pmmr.rs `root`: an empty MMR has ZERO_HASH.
    assert_eq!(Mmr::new(&GRIN).root().unwrap(), Node::new(Hash::ZERO, 0));
}

#[test]
fn merkle_proof_bytes_round_trip_and_strictness() {
    // Size 11, pos 7: sibling 8, the bag of peaks 9 and 10, then peak 6 (grin `peak_path`).
    let mut m = Mmr::new(&GRIN);
    for i in 0u8..7 {
        m.append(&[i], 0);
    }
    let n = |p: usize| Node::new(m.nodes[p].hash, 0);
    let bag = mmr_spec::bag_node(&GRIN, 11, &m.nodes[9], &m.nodes[10]).unwrap();
    let proof = Proof {
        size: 11,
        pos: 7,
        path: vec![
            Step {
                side: Side::Right,
                node: n(8),
            },
            Step {
                side: Side::Right,
                node: Node::new(bag.hash, 0),
            },
            Step {
                side: Side::Left,
                node: n(6),
            },
        ],
    };
    let bytes = encode_merkle_proof(&proof);
    assert_eq!(bytes.len(), 16 + 3 * 32);
    assert_eq!(&bytes[..8], &11u64.to_be_bytes());
    assert_eq!(&bytes[8..16], &3u64.to_be_bytes());
    assert_eq!(decode_merkle_proof(&bytes, 7).unwrap(), proof);

    let mut t = bytes.clone();
    t.push(0);
    assert!(matches!(
        decode_merkle_proof(&t, 7),
        Err(Error::TrailingBytes { extra: 1, .. })
    ));
    assert!(matches!(
        decode_merkle_proof(&bytes[..40], 7),
        Err(Error::Truncated { .. })
    ));
    let mut long = bytes.clone();
    long[8..16].copy_from_slice(&256u64.to_be_bytes());
    assert_eq!(
        decode_merkle_proof(&long, 7),
        Err(Error::PathLength {
            expected: 255,
            got: 256
        })
    );
    // grin's leniencies, rejected here: an internal node, an impossible size, a path of the wrong length.
    assert_eq!(
        decode_merkle_proof(&bytes, 9),
        Err(Error::NotALeaf { pos: 9 })
    );
    let mut bad = bytes.clone();
    bad[..8].copy_from_slice(&12u64.to_be_bytes());
    assert_eq!(
        decode_merkle_proof(&bad, 7),
        Err(Error::InvalidSize { size: 12 })
    );
    assert_eq!(
        decode_merkle_proof(&bytes, 10),
        Err(Error::PathLength {
            expected: 2,
            got: 3
        })
    );
}

// Grin mainnet block 374274: its one (coinbase) output, `mmr_index` 4091742 (position
// 4091741), and the output's `merkle_proof`. mimblewimble/grin-rfcs
// `text/0007-node-api-v2.md`, `get_block` example; also mwcproject/mwc-node
// `api/src/foreign_rpc.rs`, `get_block_ex` example.
const BLOCK_374274_PROOF: &str = "00000000003e6f5e000000000000000f60fe09a7601a519d9be71135404580ad9de0964c70a7619b1731dca2cd8c1ae1dce9f544df671d63ff0e05b58f070cb48e163ca8f44fb4446c9fe1fc9cfef90e4b81e7119e8cf60acb9515363ecaea1ce20d2a8ea2f6f638f79a33a19d0d7b54cfff3daf8d21c243ba4ccd2c0fbda833edfa2506b1b326059d124e0c2e27cda90268e66f2dcc7576efac9ebbb831894d7776c191671c3294c2ca0af23201498a7f5ce98d5440ca24116b40ac98b1c5e38b28c8b560afc4f4684b81ab34f8cf162201040d4779195ba0e4967d1dd8184b579208e9ebebafa2f5004c51f5902a94bf268fd498f0247e8ba1a46efec8d88fa44d5ecb206fbe728ee56c24af36442eba416ea4d06e1ea267309bc2e6f961c57069e2525d17e78748254729d7fdec56720aa85fe6d89b2756a7eeed0a7aa5d13cfb874e3c65576ec8a15d6df17d7d4856653696b10fb9ec205f5e4d1c7a1f3e2dd2994b12eeed93e84776d8dcd8a5d78aecd4f96ae95c0b090d104adf2aa84f0a1fbd8d319fea5476d1a306b2800716e60b00115a5cca678617361c5a89660b4536c56254bc8dd7035d96f05de62b042d16acaeff57c111fdf243b859984063e3fcfdf40c4c4a52889706857a7c3e90e264f30f40cc87bd20e74689f14284bc5ea0a540950dfcc8d33c503477eb1c60";

// Grin mainnet block 376153's coinbase output (`mmr_index` 4107716, position 4107715) and
// block 376154's (`mmr_index` 4107717, position 4107716), each with its `merkle_proof`
// (sizes 4107716 and 4107718). mimblewimble/grin-rfcs `text/0007-node-api-v2.md` and
// mimblewimble/grin `api/src/foreign_rpc.rs`, `get_outputs` example.
const BLOCK_376153_PROOF: &str = "00000000003eadc4000000000000000dfe3614ebe6e52657870df225d132179fa1ea0fdc2105f0e51d03bc3765a9cd059c60d434a7cae0a3d669b37588c25410f57405c841312cfa50cf514678877a3f4ce8bd3e57723ba75a2b7d61027b2088fbabebdb7336b97ea88b00a7e809a6245def980eba18d987601f4cbd6c3cc9f12a5684fe7a1bc2565a9f8ab63c2db1afa8304f5e23d4754cd97f29c8b06dcb3de4f6d3a83079676b6e9941afe5553a7195384b564ecd6d37522cb5e452cc930d2b549af22698a8fd9bf6cad05a06b09e3f6e672b94e82c0255394b5c187ab76fda653a2491378997ba3d49f9d9c34ca93bc627fe5d98b327c03d429b5473f62672e9d73c4eafd9cb8f62e5158a1ec7eb56653696b10fb9ec205f5e4d1c7a1f3e2dd2994b12eeed93e84776d8dcd8a5d78aecd4f96ae95c0b090d104adf2aa84f0a1fbd8d319fea5476d1a306b2800716e60b00115a5cca678617361c5a89660b4536c56254bc8dd7035d96f05de62b042d16acaeff57c111fdf243b859984063e3fcfdf40c4c4a52889706857a7c3e90e264f30f40cc87bd20e74689f14284bc5ea0a540950dfcc8d33c503477eb1c60";
const BLOCK_376154_PROOF: &str = "00000000003eadc6000000000000000e13c509a17cbb0d81634215cd2482ab6d9eb58b332fcbe6b2c4fa458a63d3cb0dfe3614ebe6e52657870df225d132179fa1ea0fdc2105f0e51d03bc3765a9cd059c60d434a7cae0a3d669b37588c25410f57405c841312cfa50cf514678877a3f4ce8bd3e57723ba75a2b7d61027b2088fbabebdb7336b97ea88b00a7e809a6245def980eba18d987601f4cbd6c3cc9f12a5684fe7a1bc2565a9f8ab63c2db1afa8304f5e23d4754cd97f29c8b06dcb3de4f6d3a83079676b6e9941afe5553a7195384b564ecd6d37522cb5e452cc930d2b549af22698a8fd9bf6cad05a06b09e3f6e672b94e82c0255394b5c187ab76fda653a2491378997ba3d49f9d9c34ca93bc627fe5d98b327c03d429b5473f62672e9d73c4eafd9cb8f62e5158a1ec7eb56653696b10fb9ec205f5e4d1c7a1f3e2dd2994b12eeed93e84776d8dcd8a5d78aecd4f96ae95c0b090d104adf2aa84f0a1fbd8d319fea5476d1a306b2800716e60b00115a5cca678617361c5a89660b4536c56254bc8dd7035d96f05de62b042d16acaeff57c111fdf243b859984063e3fcfdf40c4c4a52889706857a7c3e90e264f30f40cc87bd20e74689f14284bc5ea0a540950dfcc8d33c503477eb1c60";

#[test]
fn grin_mainnet_block_374274_output_root_from_its_merkle_proof() {
    // The header's `output_root` (same sources): the output MMR of size 4091742 has 16 peaks
    // and the output is the last one, so the proof is the 15 peaks to its left, nearest first,
    // and the root folds them from the right with the size as index.
    let bytes = from_hex(BLOCK_374274_PROOF).unwrap();
    let proof = decode_merkle_proof(&bytes, 4_091_741).unwrap();
    assert_eq!((proof.size, proof.path.len()), (4_091_742, 15));
    assert!(proof.path.iter().all(|s| s.side == Side::Left));
    assert_eq!(encode_merkle_proof(&proof), bytes);
    let leaf = leaf_node(
        &GRIN,
        4_091_741,
        &output("09d33615563ba2d65acc2b295a024337166b9f520122d49730c73e8bfb43017610"),
        0,
    );
    assert_eq!(
        fold_right_proof_root(&GRIN, &proof, leaf).hash,
        hex("1e9daee31b80c6b83573eacfd3048a4af57c614bd36f9acd5fb50fbd236beb16")
    );
}

#[test]
fn grin_mainnet_leaf_hash_at_position_4107715() {
    // Block 376154's proof starts with its sibling: the leaf hash of block 376153's coinbase
    // output at position 4107715 (then the two leaves' parent is a height-1 peak).
    let p154 = decode_merkle_proof(&from_hex(BLOCK_376154_PROOF).unwrap(), 4_107_716).unwrap();
    assert_eq!((p154.size, p154.path.len()), (4_107_718, 14));
    assert_eq!(p154.path[0].side, Side::Left);
    let sibling = leaf_node(
        &GRIN,
        4_107_715,
        &output("0948cb346b7affe004a6f84fa4b5b44995830f1c332b03537df4c258d51d1afb50"),
        0,
    );
    assert_eq!(p154.path[0].node.hash, sibling.hash);
    assert_eq!(
        sibling.hash,
        hex("13c509a17cbb0d81634215cd2482ab6d9eb58b332fcbe6b2c4fa458a63d3cb0d")
    );
}

#[test]
fn grin_mainnet_proofs_share_their_left_peaks() {
    // The proof layout (left peaks after the mountain part, nearest first): block 376153's
    // output is a height-0 peak (13 left peaks); block 376154's output adds a sibling and its
    // parent is a peak with the same 13 left peaks; block 374274's proof (16 peaks) shares the
    // 5 leftmost peaks (heights 20 to 16), which are its last 5 items.
    let p153 = decode_merkle_proof(&from_hex(BLOCK_376153_PROOF).unwrap(), 4_107_715).unwrap();
    let p154 = decode_merkle_proof(&from_hex(BLOCK_376154_PROOF).unwrap(), 4_107_716).unwrap();
    let p274 = decode_merkle_proof(&from_hex(BLOCK_374274_PROOF).unwrap(), 4_091_741).unwrap();
    assert_eq!((p153.size, p153.path.len()), (4_107_716, 13));
    assert_eq!(p154.path[1..], p153.path[..]);
    assert_eq!(p274.path[10..], p153.path[8..]);
    assert_ne!(p274.path[9], p153.path[7]);
    // A proof decoded at the wrong position does not fit: the layout is position-specific.
    assert!(matches!(
        decode_merkle_proof(&from_hex(BLOCK_376153_PROOF).unwrap(), 4_107_714),
        Err(Error::PathLength { .. }) | Err(Error::NotALeaf { .. })
    ));
}

// Corroboration, not a Grin-published value: ltc-mweb/libmw (the MWEB library before it
// moved into Litecoin; written by the author of Grin++) `test/tests/mmr/Test_MMR.cpp`, test
// case "mmr::MMR" (revision 4b105a960d7c). Its two literals reproduce with grin's rules
// exactly (BLAKE2b-256, big-endian u64 positions, leaf data without a length prefix, the
// size as the bagging index; the size minus one or BLAKE3 do not), so that libmw revision
// hashed as grin does. Leaves {0,1,2}, {1,2,3}, {2,3,4}, {3,4,5}: one peak (two levels of
// parent hashes); adding {4,5,6}: two peaks, one bagging step.
#[test]
fn libmw_grin_dialect_four_leaves() {
    let mut m = Mmr::new(&GRIN);
    for l in [[0u8, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]] {
        m.append(&l, 0);
    }
    assert_eq!(m.size(), 7);
    assert_eq!(
        m.root().unwrap().hash,
        hex("531b5c35f430f911db70cbf892cec23165d291bb08e568049f2bdc8174ded78a")
    );
}

#[test]
fn libmw_grin_dialect_five_leaves() {
    let mut m = Mmr::new(&GRIN);
    for l in [[0u8, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]] {
        m.append(&l, 0);
    }
    assert_eq!(m.size(), 8);
    assert_eq!(
        m.root().unwrap().hash,
        hex("8479b8a461e696556726def136322f4b654986436a54c849e251b7a8a94bd62c")
    );
}
