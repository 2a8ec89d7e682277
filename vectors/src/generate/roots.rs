//! Roots: the worked examples of SPEC.md D11, published roots of the real systems, and roots after every kind of change.

use super::*;

pub(super) fn roots(c: &mut Cases) -> Result<(), String> {
    let mut b = c.session();
    b.info();
    b.state(cur());
    b.run(VOp::LeafSet { at: cur() });
    c.add(
        b,
        "empty-state",
        "D11: the root of the empty MMR (size 0). Profiles without an empty root (ckb, minima) fail with empty-root.",
        &["empty-root"],
    );

    let mut b = c.session();
    for i in 0..12 {
        b.append(&leaf_data(i), i + 1);
        b.state(cur());
    }
    c.add(
        b,
        "append-sequence-12",
        "D1, D6, D9-D11: twelve appends (leaf i: data [i], value i+1), the state after each: size, leaf count, root and peaks.",
        &[],
    );

    let mut b = c.session();
    let four: [(&str, u64); 4] = [("000102", 1), ("010203", 2), ("020304", 3), ("030405", 4)];
    for (d, v) in four {
        b.append(&mmr_spec::from_hex(d).expect("hex"), v);
        b.state(cur());
    }
    for pos in 0..7 {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    let spec_example = c.name() == "default";
    c.add_source(
        b,
        "four-leaves-worked-example",
        "D11 worked example: leaves 000102:1, 010203:2, 020304:3, 030405:4, the root after each and every node of the 4-leaf MMR.",
        &[],
        spec_example.then_some("spec/SPEC.md D11 (values computed by spec/examples/default_profile.py)"),
    );

    let mut b = c.session();
    b.leaves(0, 7);
    b.state(cur());
    for pos in 0..11 {
        b.run(VOp::Node {
            at: cur(),
            pos: u(pos),
        });
    }
    c.add_source(
        b,
        "seven-leaves-all-nodes",
        "D1, D6, D11: seven leaves (data [i], value i+1), size 11, peaks 6, 9, 10, and every node.",
        &[],
        spec_example.then_some("spec/SPEC.md D11 second example"),
    );

    for n in [16u64, 33, 63] {
        let mut b = c.session();
        b.leaves(0, n);
        b.state(cur());
        c.add(
            b,
            &format!("leaves-{n}"),
            &format!(
                "D6, D11: {n} leaves, {} peak(s): the final state.",
                n.count_ones()
            ),
            &[],
        );
    }

    let mut b = c.session();
    b.append(b"", 0);
    b.append(&[0xff; 64], u64::MAX - 1);
    b.append(b"x", 1);
    b.state(cur());
    c.add(
        b,
        "extreme-values",
        "D9: an empty leaf, a 64-byte leaf, and values summing to exactly u64::MAX.",
        &[],
    );

    let mut b = c.session();
    b.leaves(0, 3);
    b.run(VOp::Node {
        at: cur(),
        pos: u(4),
    });
    c.add(
        b,
        "node-beyond-size",
        "D19 node: position 4 of an MMR of size 4 is out of range.",
        &["position-out-of-range"],
    );

    let mut b = c.session();
    b.leaves(0, 3);
    b.run(VOp::Node {
        at: cur(),
        pos: u(u64::MAX),
    });
    c.add(
        b,
        "node-u64-max",
        "D8, D19: u64::MAX is no position.",
        &["position-out-of-range"],
    );

    published(c)
}

/// Published values of the real systems (spec/tests/published_*.rs), as vectors.
pub(super) fn published(c: &mut Cases) -> Result<(), String> {
    let check = |b: &B, want: &str, what: &str| -> Result<(), String> {
        let got = b.root(At::Current).hash.to_hex();
        if got == want {
            Ok(())
        } else {
            Err(format!(
                "published {what}: the reference gives {got}, the source {want}"
            ))
        }
    };
    match c.name() {
        "grin" => {
            for (id, commit, root, src) in [
                (
                    "published-mwc-mainnet-genesis-output-root",
                    "089dfcac475c94c978861b3dbef1e37b038cc13f9f78de9a4e14f31ed36e7a54c9",
                    "2d672c228f883646d75e73f1b936991fdfb11bb177eca451587f97dea1a4f994",
                    "mwcproject/mwc-node core/src/genesis.rs genesis_main (output_root); spec/tests/published_grin.rs",
                ),
                (
                    "published-mwc-floonet-genesis-output-root",
                    "0905a2ebf3913c7d378660a7b60e6bda983be451cb1de8779ad0f51f4d2fb079ea",
                    "6985966efcd741c9ee42fe1a016476b74ffa1e818dfd4d3b441f8e0f876aa228",
                    "mwcproject/mwc-node core/src/genesis.rs genesis_floo (output_root); spec/tests/published_grin.rs",
                ),
            ] {
                let mut b = c.session();
                let mut data = vec![1u8];
                data.extend(mmr_spec::from_hex(commit).map_err(|e| e.to_string())?);
                b.append(&data, 0);
                b.state(cur());
                check(&b, root, id)?;
                c.add_source(
                    b,
                    id,
                    "A one-leaf output MMR of an Mwc genesis block: the leaf is the output identifier (features 1 || commitment); the root is the published output_root.",
                    &[],
                    Some(src),
                );
            }
            for (id, n, root) in [
                (
                    "published-libmw-grin-dialect-4-leaves",
                    4usize,
                    "531b5c35f430f911db70cbf892cec23165d291bb08e568049f2bdc8174ded78a",
                ),
                (
                    "published-libmw-grin-dialect-5-leaves",
                    5,
                    "8479b8a461e696556726def136322f4b654986436a54c849e251b7a8a94bd62c",
                ),
            ] {
                let mut b = c.session();
                for l in [[0u8, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
                    .iter()
                    .take(n)
                {
                    b.append(l, 0);
                }
                b.state(cur());
                check(&b, root, id)?;
                c.add_source(
                    b,
                    id,
                    "Corroboration of grin's parent and bagging rules (not Grin-published): the leaves {0,1,2}, {1,2,3}, ... of libmw's test.",
                    &[],
                    Some("ltc-mweb/libmw test/tests/mmr/Test_MMR.cpp (revision 4b105a960d7c, test mmr::MMR); spec/tests/published_grin.rs"),
                );
            }
            // Grin mainnet block 374274: the coinbase output at position 4091741 with its
            // 15-item MerkleProof verifies against the header's output_root.
            const PROOF: &str = "00000000003e6f5e000000000000000f60fe09a7601a519d9be71135404580ad9de0964c70a7619b1731dca2cd8c1ae1dce9f544df671d63ff0e05b58f070cb48e163ca8f44fb4446c9fe1fc9cfef90e4b81e7119e8cf60acb9515363ecaea1ce20d2a8ea2f6f638f79a33a19d0d7b54cfff3daf8d21c243ba4ccd2c0fbda833edfa2506b1b326059d124e0c2e27cda90268e66f2dcc7576efac9ebbb831894d7776c191671c3294c2ca0af23201498a7f5ce98d5440ca24116b40ac98b1c5e38b28c8b560afc4f4684b81ab34f8cf162201040d4779195ba0e4967d1dd8184b579208e9ebebafa2f5004c51f5902a94bf268fd498f0247e8ba1a46efec8d88fa44d5ecb206fbe728ee56c24af36442eba416ea4d06e1ea267309bc2e6f961c57069e2525d17e78748254729d7fdec56720aa85fe6d89b2756a7eeed0a7aa5d13cfb874e3c65576ec8a15d6df17d7d4856653696b10fb9ec205f5e4d1c7a1f3e2dd2994b12eeed93e84776d8dcd8a5d78aecd4f96ae95c0b090d104adf2aa84f0a1fbd8d319fea5476d1a306b2800716e60b00115a5cca678617361c5a89660b4536c56254bc8dd7035d96f05de62b042d16acaeff57c111fdf243b859984063e3fcfdf40c4c4a52889706857a7c3e90e264f30f40cc87bd20e74689f14284bc5ea0a540950dfcc8d33c503477eb1c60";
            let bytes = mmr_spec::from_hex(PROOF).map_err(|e| e.to_string())?;
            let proof = profiles::grin::decode_merkle_proof(&bytes, 4_091_741)
                .map_err(|e| e.to_string())?;
            let mut data = vec![1u8];
            data.extend(
                mmr_spec::from_hex(
                    "09d33615563ba2d65acc2b295a024337166b9f520122d49730c73e8bfb43017610",
                )
                .map_err(|e| e.to_string())?,
            );
            let root = Node::new(
                Hash::from_hex("1e9daee31b80c6b83573eacfd3048a4af57c614bd36f9acd5fb50fbd236beb16")
                    .map_err(|e| e.to_string())?,
                0,
            );
            let mut b = c.session();
            let out = b.run(VOp::Verify {
                root: vn(root),
                proof: enc(&proof),
                data: h(&data),
                value: u(0),
            });
            if out != VOut::Unit {
                return Err(format!("published grin block 374274 proof: {out}"));
            }
            let mut tampered = proof.clone();
            tampered.size += 1;
            b.run(VOp::Verify {
                root: vn(root),
                proof: enc(&tampered),
                data: h(&data),
                value: u(0),
            });
            c.add_source(
                b,
                "published-grin-mainnet-block-374274-output-proof",
                "A real Grin mainnet MerkleProof (size 4091742, 16 peaks; the output at position 4091741 is the last peak) in D13 form verifies against the block header's output_root; the same proof with size 4091743 (an impossible size, which grin accepts) is rejected.",
                &["invalid-size"],
                Some("mimblewimble/grin-rfcs text/0007-node-api-v2.md (get_block 374274); mwcproject/mwc-node api/src/foreign_rpc.rs; spec/tests/published_grin.rs"),
            );
        }
        "mweb" => {
            for (id, n, root) in [
                (
                    "published-mweb-mmrtest-4-leaves",
                    4usize,
                    "9ab6e3c4a8594b9846b39b6beefe8f704c1de720f28426ddf3898bd4f8d6e45f",
                ),
                (
                    "published-mweb-mmrtest-5-leaves",
                    5,
                    "376ef1612abbb461ab78f317569c9a19d054f2c928c79410d50403564b91c5f7",
                ),
            ] {
                let mut b = c.session();
                for l in [[0u8, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
                    .iter()
                    .take(n)
                {
                    b.append(l, 0);
                }
                b.state(cur());
                check(&b, root, id)?;
                c.add_source(
                    b,
                    id,
                    "MWEB's MMR test: the leaves {0,1,2}, {1,2,3}, ... and the published root.",
                    &[],
                    Some("litecoin-project/litecoin src/libmw/test/tests/mmr/Test_MMR.cpp (MMRTest, PMMRCacheTest); spec/tests/published_mweb.rs"),
                );
            }
            mweb_published_layouts(c)?;
        }
        "ckb" => {
            let mut b = c.session();
            for i in 0u32..11 {
                b.append(&i.to_le_bytes(), 0);
            }
            b.state(cur());
            check(
                &b,
                "f6794677f37a57df6a5ec36ce61036e43a36c1a009d05c81c9aa685dde1fd6e3",
                "ckb test_mmr_root",
            )?;
            c.add_source(
                b,
                "published-ckb-test-mmr-root",
                "ckb-merkle-mountain-range's test_mmr_root: leaves u32le(0..11), root f6794677...",
                &[],
                Some("nervosnetwork/merkle-mountain-range src/tests/test_mmr.rs (test_mmr_root); spec/tests/published_ckb.rs"),
            );
            for (n, root) in [
                (
                    2u32,
                    "dd1445ec419376975790d7d4e487dfa5fca42a75f41e8893bc2d8b02c527f8f4",
                ),
                (
                    10,
                    "008bc96cb3da2098e7ccacd0548b36abadb91b153b28cbc1cb513315ea60da46",
                ),
            ] {
                let mut b = c.session();
                for i in 0..n {
                    b.append(&i.to_le_bytes(), 0);
                }
                b.state(cur());
                let id = format!("published-go-port-prefix-{n}-leaves");
                check(&b, root, &id)?;
                c.add_source(
                    b,
                    &id,
                    "Corroboration (third party, not ckb-published): the root of a prefix of the same leaves, as a Go port of ckb asserts.",
                    &[],
                    Some("ComposableFi/go-merkle-trees mmr/mmr_test.go (early revision, TestCalculateRoot); spec/tests/published_ckb.rs"),
                );
            }
        }
        "mmriver-sha256" => {
            // KAT39 of the MMRIVER draft: the leaf at position i is SHA-256(u64be(i)), i.e.
            // leaf data u64be(i) under this profile's `leaf: [data]`.
            let mut b = c.session();
            for _ in 0..21 {
                let pos = b.db().size();
                b.append(&pos.to_be_bytes(), 0);
                b.state(cur());
            }
            for pos in 0..39 {
                b.run(VOp::Node {
                    at: cur(),
                    pos: u(pos),
                });
            }
            let node30 = b.node(At::Current, 30).hash.to_hex();
            if node30 != "d4fb5649422ff2eaf7b1c0b851585a8cfd14fb08ce11addb30075a96309582a7" {
                return Err(format!(
                    "published KAT39 node 30: the reference gives {node30}"
                ));
            }
            check(
                &b,
                "4db410784acb1bf53b14033e074c88164c225639df2dbfce5c86ec0614028fdd",
                "checkpointed-local-log root of KAT39",
            )?;
            c.add_source(
                b,
                "published-mmriver-kat39",
                "The MMRIVER draft's KAT39: 21 leaves SHA-256(u64be(pos)), every one of the 39 nodes as published; the bagged roots as checkpointed-local-log 0.7.0 computes them (vectors/tests/profiles.rs checks every node and root).",
                &[],
                Some("datatrails/go-datatrails-merklelog mmr/draft_kat39_test.go (KAT39Nodes) at 29710b0f4ada0c0b1e23e253c5f3ee910bb75af1; checkpointed-local-log 0.7.0 (PyPI) cll/checkpoint/core.py root_from_peaks; vectors/tests/profiles.rs"),
            );
        }
        "cll-sha256" => cll_published(c)?,
        name @ ("commonware-forward" | "commonware-backward") => {
            commonware_published(c, name == "commonware-forward")?;
        }
        "minima" => {
            // Script addresses of Minima v1.0.45 as one-leaf MMR roots: the leaf is the
            // MiniString stream of the script with value 0 (spec/tests/published_minima.rs).
            const NODE: &str = "a record of a live Minima 1.0.45.15 node (newscript/runscript, 2026-05-25), found by the code index's exact-string search, repository and path not returned by it; minima-global/Minima v1.0.45 src/org/minima/objects/Address.java; spec/tests/published_minima.rs";
            const PORT: &str = "Totem-Edge/totem-sdk packages/totem-sdk/packages/core/src/mmr.oracle.test.ts (revision 9d5c2748dbdb, mmrRootFromSingleLeaf); spec/tests/published_minima.rs";
            const BOTH: &str = "a record of a live Minima 1.0.45.15 node (newscript/runscript, 2026-05-25; repository and path not returned by the code index); Totem-Edge/totem-sdk packages/totem-sdk/packages/core/src/mmr.oracle.test.ts (revision 9d5c2748dbdb); spec/tests/published_minima.rs";
            for (id, script, root, src) in [
                (
                    "published-minima-address-return-true",
                    "RETURN TRUE",
                    "582aa40ea996419a3d8a5d26039a4e9584b746c2c26f860dac8372bea4457af6",
                    BOTH,
                ),
                (
                    "published-minima-address-let-x-1",
                    "LET x 1 RETURN x == 1",
                    "b3fa26aea3ffd4367c23dffeb55c17be75ae4a923e4a3a9e790cfefc5a96fb93",
                    PORT,
                ),
                (
                    "published-minima-address-signedby-ffff",
                    "RETURN SIGNEDBY(0xFFFF)",
                    "65ec70e6def38cbc8e1556305f06637bf8d6b0ef5719c3cd9386981d250b9e95",
                    PORT,
                ),
                (
                    "published-minima-address-state-inc",
                    "RETURN STATE(0) EQ INC(PREVSTATE(0))",
                    "124ba1efb2548e2770f767a44168376752c84f1670b08ed6ea8a5fc7895338d3",
                    NODE,
                ),
                (
                    "published-minima-address-verifyout",
                    "RETURN VERIFYOUT(@INPUT @ADDRESS @AMOUNT @TOKENID TRUE)",
                    "db8c1844b9464545b94b4806cf0a5ea2779edd8e0e8c21fba9503275d5d2bd00",
                    NODE,
                ),
            ] {
                let mut b = c.session();
                b.append(&profiles::minima::mini_data(script.as_bytes()), 0);
                b.state(cur());
                check(&b, root, id)?;
                c.add_source(
                    b,
                    id,
                    &format!("The address of the script {script:?}: the one-leaf MMR root of CreateMMRDataLeafNode(MiniString(script), 0), SHA3-256(ser(0) || u32be(len) || utf8 || ser(0))."),
                    &[],
                    Some(src),
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// MWEB's leaf-set and compact-bitset literals (litecoin-project/litecoin
/// `src/libmw/test/tests/mmr/`), reproduced by sessions of the `mweb` profile: the leaf set
/// (D20) after each step of `LeafSetTest` and `LeafSetCacheTest` (the published bytes are
/// the bitset after our 8-byte leaf count), and the prune list (D21, D22) of
/// `BuildCompactBitSet`.
pub(super) fn mweb_published_layouts(c: &mut Cases) -> Result<(), String> {
    fn leaf_set(b: &mut B, n: u64, bits: &[u8], what: &str) -> Result<(), String> {
        let mut want = n.to_le_bytes().to_vec();
        want.extend_from_slice(bits);
        match b.run(VOp::LeafSet { at: cur() }) {
            VOut::Bytes(Hex(got)) if got == want => Ok(()),
            out => Err(format!(
                "published {what}: the reference gives {out}, the source {}",
                mmr_spec::to_hex(&want)
            )),
        }
    }
    let spend = |i: u64| VOp::Spend {
        index: u(i),
        data: h(b"spent"),
    };

    // LeafSetTest: add 0, 1, 2 ({80}, {c0}, {e0}), remove 1 ({a0}), rewind to 2 leaves
    // restoring leaf 1 ({c0}).
    let what = "mweb LeafSetTest";
    let mut b = c.session();
    leaf_set(&mut b, 0, &[], what)?;
    for (i, bits) in [(0u64, 0x80u8), (1, 0xc0), (2, 0xe0)] {
        b.append(&leaf_data(i), 0);
        leaf_set(&mut b, i + 1, &[bits], what)?;
        b.commit();
    }
    b.run(spend(1));
    leaf_set(&mut b, 3, &[0xa0], what)?;
    b.commit();
    b.run(VOp::Rewind { height: u(2) });
    leaf_set(&mut b, 2, &[0xc0], what)?;
    c.add_source(
        b,
        "published-mweb-leafset-test",
        "D20 in MWEB's layout: the leaf-set bitset after adding leaves 0, 1, 2 (80, c0, e0), spending leaf 1 (a0) and rewinding to the two-leaf block (c0), as MWEB's LeafSetTest asserts (its ILeafSet::Root hashes exactly these ceil(n/8) bytes).",
        &[],
        Some("litecoin-project/litecoin src/libmw/test/tests/mmr/Test_LeafSet.cpp (LeafSetTest); spec/tests/published_mweb.rs"),
    );

    // LeafSetCacheTest: leaves 0, 1, 2, 4 of 5 ({e8}); then leaf 5 added, leaf 2 removed
    // ({cc}). Leaf 3, which the test never adds, is appended and spent here.
    let what = "mweb LeafSetCacheTest";
    let mut b = c.session();
    for i in 0..5u64 {
        b.append(&leaf_data(i), 0);
    }
    b.run(spend(3));
    leaf_set(&mut b, 5, &[0xe8], what)?;
    b.append(&leaf_data(5), 0);
    b.run(spend(2));
    leaf_set(&mut b, 6, &[0xcc], what)?;
    c.add_source(
        b,
        "published-mweb-leafsetcache-test",
        "D20 in MWEB's layout: unspent leaves 0, 1, 2, 4 of 5 give the bitset e8; adding leaf 5 and spending leaf 2 gives cc, as MWEB's LeafSetCacheTest asserts.",
        &[],
        Some("litecoin-project/litecoin src/libmw/test/tests/mmr/Test_LeafSetCache.cpp (LeafSetCacheTest); spec/tests/published_mweb.rs"),
    );

    // BuildCompactBitSet: 50 leaves, unspent 2, 9, 26, 27, 30..50; 34 positions dropped.
    const BITS: &str = "1100000111111000001100111111000111111111111110110000011000000000000000000000000000000000000000000000";
    let mut b = c.session();
    for i in 0..50u64 {
        b.append(&leaf_data(i), 0);
    }
    b.commit();
    for i in (0..30u64).filter(|i| ![2, 9, 26, 27].contains(i)) {
        b.run(spend(i));
    }
    b.commit();
    b.run(VOp::Compact { horizon: u(2) });
    let out = b.run(VOp::PruneList);
    let bits = match &out {
        VOut::Bytes(Hex(bytes)) => bytes.iter().map(|x| format!("{x:08b}")).collect::<String>(),
        _ => String::new(),
    };
    if bits.len() != 104 || &bits[..100] != BITS || &bits[100..] != "0000" {
        return Err(format!(
            "published mweb BuildCompactBitSet: the reference gives {out}, the source {BITS}"
        ));
    }
    b.state(cur());
    c.add_source(
        b,
        "published-mweb-build-compact-bitset",
        "D21, D22: 50 leaves of which 2, 9, 26, 27 and 30..50 stay unspent; compaction drops 34 positions, and the prune list (100 bits, MSB-first) is the compact bitset MWEB's BuildCompactBitSet test asserts: 1100000111111000001100111111000111111111111110110000011 followed by zeros.",
        &[],
        Some("litecoin-project/litecoin src/libmw/test/tests/mmr/Test_MMRUtil.cpp (BuildCompactBitSet); ltc-mweb/litecoin same path (mmr::MMRUtil::BuildCompactBitSet); spec/tests/published_mweb.rs"),
    );
    Ok(())
}

/// The roots and single-element proofs commonware-storage 2026.10.0 computes for 0..=11
/// leaves with element i the byte i (its `mmr::mem::Mmr`, `Standard<Sha256>` hasher,
/// `root(hasher, 0)` and `proof(hasher, loc, 0)`, printed by a program making the calls
/// vectors/adapters/commonware makes; vectors/tests/profiles.rs checks them too),
/// ForwardFold then BackwardFold.
const COMMONWARE_ROOTS: [[&str; 12]; 2] = [
    [
        "01d448afd928065458cf670b60f5a594d735af0172c8d67f22a81680132681ca",
        "ea4b3e0c6c215ba404fe4fe4634bde61cc1cfb80c030953f2619d2651a57855f",
        "1bc2deeb7752f4ce5d39f0e874945b18657c41bc07a6241be3bbcc54960382cb",
        "b1914d07c680d548ac6f05469f61fbae946b575d7ed3b11ae8fad58e2ca2e44f",
        "8fbeb65d7e44cf312137bb4cd4e371afd478b68ac33eb1d1b93bf6ea7b01d16f",
        "df7275db839317d2ffde2c0382b3e8a2642e48ddc7250fdee3a54f04d7555889",
        "1279fef4d020187eb4703e427327e7012de5953689c39a6644860d8080b85467",
        "e86b7e6b9c6c692c3e67b4cbeefe1a302f198213823bfe1d56ede9c48a730b77",
        "ad0bd77b8d63e9b9b9f592d9cba827f7975b5752d1be93e8f137d429198200b8",
        "fcbc96133d173f1cccb328b00fdea299ffd73e53086362e1711866f8b782666a",
        "d3d1594a01492c411fd3b539231426bedd0ef3c27abd224941886e7d739358ef",
        "fa89542904e0f588aeb0d8504f698a5c1e0af2b510d0001393f64f5b37e9becb",
    ],
    [
        "13c6a7b85fcb0443c1d31dafe22561aac714fbaa99d3b9a56474d8dda0c9aee0",
        "ea0e2cb729f7d833cff1ffc444ccbf2aa9857ca928384b090da1d8a500b9ee5e",
        "e16725edf5174c8f12d5be87c50b157c571a220bebcaa93a1c59fef649606f2f",
        "48dba885464c82b6a215ee10e3f87b68aba8476e2612e6de8df0ffa8268bc943",
        "13311526cd27b895a88e15de06d1e5ab2c2d9777d72f8123f481c0a424451e32",
        "0a6dcadb2c8ec717a24d34c08ce5686ed52d6c2cfa42c3ba03a9a1137c824d45",
        "498555c0d2a402fb8fd60a856533e2fde94d75a5dcf90fb443cb7cca0fde115d",
        "741828f045423de1007abec3d238bdbda84eecb1698c46bb78f5d9bff0ef59d5",
        "e53a2911ed092282db81a5e40c5f650b2b52baa28afad912662f2d6d7b3c59b3",
        "61d752b316638f983d1a4dd734a5d6a7b3ed05b518947ce3480a2aaec6f511b9",
        "abfa0b48d68642a429d33f05e6483cd72736c69d1511126bd9a2ecdc9ab79316",
        "a0f4134ac227be87162f215b39847cb460173696b53c33bd6e6df032095c9f3d",
    ],
];

/// commonware-storage's `Proof::digests` for three locations of the 11-leaf MMR (size 19):
/// ForwardFold `[prefix fold?, peaks after..., siblings]`, BackwardFold
/// `[peaks before..., suffix fold?, siblings]`, the siblings in left-first DFS order, i.e. in
/// increasing position (src/merkle/proof.rs, `Blueprint::build_proof`, `collect_siblings`), each with the height of the leaf's mountain (peaks of heights
/// 3, 1 and 0).
const COMMONWARE_PROOFS: [[(u64, usize, &[&str]); 3]; 2] = [
    [
        (
            0,
            3,
            &[
                "ce6f24af7f41ae9fabb25580a7415f6507a52f4ef9003d9043bf34b7099b6a82",
                "5bd4e595f5a2c4d1cc369613a2694676c3f0ffdd079e775877a18565c378818b",
                "bd87b2cda99df5b642ac9c0a97d3bc76f9921e2cce16058faa44bc954dbb065f",
                "62b2b045850953fc945d54f673e36a4746ba61d42a1a9754cba8ad1bb1b2d2c4",
                "715affd543f56423f1da394fdc04a83804ca6dd2122811d4bec05684230ea9f6",
            ],
        ),
        (
            4,
            3,
            &[
                "ce6f24af7f41ae9fabb25580a7415f6507a52f4ef9003d9043bf34b7099b6a82",
                "5bd4e595f5a2c4d1cc369613a2694676c3f0ffdd079e775877a18565c378818b",
                "0ef74ed75bd51c5137cc76a1c5c5decffdb09f876460416eccfbd57d794e0001",
                "cc89ba04cdcdaf35dd58f81247fca1d2cd117323f90afacf775d31325f4a9860",
                "07b775c0cfa90b2caffe626b7f10e8a1c924e1d311754fc4190c393a890b31c4",
            ],
        ),
        (
            8,
            1,
            &[
                "fe7fa122d6eaeabee97b5d966dd3ffcec1ec680cfa9eefe7aea41188068ecd74",
                "5bd4e595f5a2c4d1cc369613a2694676c3f0ffdd079e775877a18565c378818b",
                "b055bfe50826f23f7e58da5a75172d6672362cb9341cb1556827c34a6aaa17da",
            ],
        ),
    ],
    [
        (
            0,
            3,
            &[
                "66b87bd803f463ce34f316793b7699f9f5a57dac10465da1b4b5eb263362a3d3",
                "bd87b2cda99df5b642ac9c0a97d3bc76f9921e2cce16058faa44bc954dbb065f",
                "62b2b045850953fc945d54f673e36a4746ba61d42a1a9754cba8ad1bb1b2d2c4",
                "715affd543f56423f1da394fdc04a83804ca6dd2122811d4bec05684230ea9f6",
            ],
        ),
        (
            7,
            3,
            &[
                "66b87bd803f463ce34f316793b7699f9f5a57dac10465da1b4b5eb263362a3d3",
                "0ef74ed75bd51c5137cc76a1c5c5decffdb09f876460416eccfbd57d794e0001",
                "bb5eb4de1abcdd5579c9648fe1fe3231212bd752d0ae52a40ed3172fabe8032b",
                "84526e4364bf2ede4e3e7d54fadaa1d74c2a969743746a5ba438cf5ab7c5ca5d",
            ],
        ),
        (
            10,
            0,
            &[
                "fe7fa122d6eaeabee97b5d966dd3ffcec1ec680cfa9eefe7aea41188068ecd74",
                "ce6f24af7f41ae9fabb25580a7415f6507a52f4ef9003d9043bf34b7099b6a82",
            ],
        ),
    ],
];

/// D13 from commonware's layout, without loss: its siblings, in increasing position, are
/// the left-side siblings top down, then the right-side ones bottom up, so the mountain part
/// (bottom up) takes them back in that split; the bagging part is its peak digests in order
/// (ForwardFold: the prefix fold, then the peaks after) or reversed (BackwardFold: the suffix
/// fold, then the peaks before, nearest first). The sides are those D13 prescribes, taken
/// from `ours`; a digest count that does not fit is an error.
pub(crate) fn commonware_to_d13(
    ours: &Proof,
    mountain: usize,
    digests: &[&str],
    forward: bool,
) -> Result<Proof, String> {
    if digests.len() != ours.path.len() || mountain > digests.len() {
        return Err(format!(
            "commonware proof of {} digests for a D13 path of {}",
            digests.len(),
            ours.path.len()
        ));
    }
    let (bag, siblings) = digests.split_at(digests.len() - mountain);
    let sides = ours.path.iter().take(mountain).map(|s| s.side);
    let lefts = sides.clone().filter(|s| *s == mmr_spec::Side::Left).count();
    let (mut left_top_down, mut right_bottom_up) =
        (siblings[..lefts].iter().rev(), siblings[lefts..].iter());
    let mut order: Vec<&str> = Vec::with_capacity(digests.len());
    for side in sides {
        let next = match side {
            mmr_spec::Side::Left => left_top_down.next(),
            mmr_spec::Side::Right => right_bottom_up.next(),
        };
        order.extend(next.copied());
    }
    if forward {
        order.extend(bag.iter().copied());
    } else {
        order.extend(bag.iter().rev().copied());
    }
    let mut path = Vec::with_capacity(order.len());
    for (step, hex) in ours.path.iter().zip(order) {
        let hash = Hash::from_hex(hex).map_err(|e| format!("commonware digest {hex}: {e}"))?;
        path.push(mmr_spec::Step {
            side: step.side,
            node: Node::new(hash, 0),
        });
    }
    Ok(Proof {
        size: ours.size,
        pos: ours.pos,
        path,
    })
}

fn commonware_published(c: &mut Cases, forward: bool) -> Result<(), String> {
    let which = usize::from(!forward);
    let name = if forward {
        "ForwardFold"
    } else {
        "BackwardFold"
    };
    let src = "commonware-storage 2026.10.0 (crates.io) merkle::mmr::mem::Mmr with Standard<Sha256>, run by vectors/adapters/commonware; src/merkle/hasher.rs root_with_folded_peaks, src/merkle/proof.rs Blueprint::build_proof; vectors/tests/profiles.rs";
    let mut b = c.session();
    let got = b.root(At::Current).hash.to_hex();
    if got != COMMONWARE_ROOTS[which][0] {
        return Err(format!(
            "published commonware {name} empty root: the reference gives {got}"
        ));
    }
    b.state(cur());
    for i in 0..11u64 {
        b.append(&[i as u8], 0);
        let got = b.root(At::Current).hash.to_hex();
        let want = COMMONWARE_ROOTS[which][i as usize + 1];
        if got != want {
            return Err(format!(
                "published commonware {name} root after {} leaves: the reference gives {got}, commonware {want}",
                i + 1
            ));
        }
        b.state(cur());
    }
    let root = b.root(At::Current);
    for (loc, height, digests) in COMMONWARE_PROOFS[which] {
        let ours = b.proof(At::Current, loc);
        let theirs = commonware_to_d13(&ours, height, digests, forward)?;
        if theirs != ours {
            return Err(format!(
                "published commonware {name} proof of location {loc}: the reference's D13 proof differs from commonware's digests"
            ));
        }
        b.run(VOp::Prove {
            at: cur(),
            index: u(loc),
        });
        b.run(VOp::Verify {
            root: vn(root),
            proof: enc(&theirs),
            data: h(&[loc as u8]),
            value: u(0),
        });
    }
    c.add_source(
        b,
        &format!("published-commonware-{}-11-leaves", if forward { "forward" } else { "backward" }),
        &format!("D11 fold-{} with the root template (commonware-storage {name}): the empty root and the root after each of 11 leaves (element i the byte i) as commonware-storage computes them; the proofs of locations {} as its Proof::digests list them, converted to D13 (siblings bottom up, the bagging part in D13's order), verify.", if forward { "left" } else { "right" }, if forward { "0, 4 and 8" } else { "0, 7 and 10" }),
        &[],
        Some(src),
    );
    Ok(())
}

/// The roots checkpointed-local-log 0.7.0 (PyPI, `cll/checkpoint/core.py`) computes for
/// 0..=11 leaves, leaf i with body digest the 32 bytes i (`add_leaf(leaf_hash(body))`, then
/// `root_from_peaks(peaks(size))`).
const CLL_ROOTS: [&str; 12] = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "7f9c9e31ac8256ca2f258583df262dbc7d6f68f2a03043d5c99a4ae5a7396ce9",
    "8fbeb9d1df74edf91bb36ff85b158d57cfa8731075fe919f8d05e3eaa7237609",
    "cfdd47f58628e8ab27e6a908c18af2a0be23ed94f282a903044b0667daf21213",
    "bae8aacf16bd8161d7f8e601db4dcee37384a549fa72426a68ab082846246922",
    "3055421d9c9039a097f0a71191c45a98ccb0bbe71a71d9af5de4cd81a81b3501",
    "392dcf8d55d7c0b94c888ca3ef0f5443fa56832a9f46a77fcaf033f67d3a5757",
    "04284cc613c26c24f8d563e19546be8bc8a4ced17f2f169440b946c4d0ece1e1",
    "bf67471e1179f35b0a71fce03f633c40b3b23d279e1446ad6b2133d6b8e93dfc",
    "09d4c3cc4866589df7eaacd892e4246d733f7ed02c7b26e3445a157e43597740",
    "646b29167a249e246d760271ffc771efd9d23b30f812abc24036db5904f60e7a",
    "ef22107fc9a598b89ca8ac5ae35d5ba19359a8abb3f17c3311828059a353534d",
];

/// checkpointed-local-log's `inclusion_proof` of leaves 0 and 8 of the 11-leaf MMR:
/// (`witness` bottom up, `peaks_left`, `peaks_right`).
type CllProof = (
    u64,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);
const CLL_PROOFS: [CllProof; 2] = [
    (
        0,
        &[
            "dcffe786ded16d283c663846ad0c4ff26558fccde36ca9d30b2ea19eade9fc0e",
            "721e7817f255082e091a4051007ba971c95bc1d368d55783f616018d59010c0c",
            "788f57109a68ab2afd623701b9b400204b1d1e87bb5a9346c4090842d02952a3",
        ],
        &[],
        &[
            "a3f28fd4b14c42278731bdf44835e6c01a99d532919cba172e66c71f31fa8962",
            "572383880e23274ccc61701636519d99fed9c46233b0a60559b121d0fca8b5dc",
        ],
    ),
    (
        8,
        &["49880d6431c9a27f2be4f15a2f46bdecca4ffba7931c63fae61f4964f231e27a"],
        &["bf67471e1179f35b0a71fce03f633c40b3b23d279e1446ad6b2133d6b8e93dfc"],
        &["572383880e23274ccc61701636519d99fed9c46233b0a60559b121d0fca8b5dc"],
    ),
];

/// D13 per-peak from checkpointed-local-log's proof, without loss: the witness is the
/// mountain part, `peaks_left` the left steps, `peaks_right` the right steps. The
/// mountain sides are those D13 prescribes, taken from `ours`.
fn cll_to_d13(ours: &Proof, (_, witness, left, right): &CllProof) -> Result<Proof, String> {
    let total = witness.len() + left.len() + right.len();
    if total != ours.path.len() {
        return Err(format!(
            "checkpointed-local-log proof of {total} digests for a D13 path of {}",
            ours.path.len()
        ));
    }
    let sides = ours
        .path
        .iter()
        .take(witness.len())
        .map(|s| s.side)
        .chain(left.iter().map(|_| mmr_spec::Side::Left))
        .chain(right.iter().map(|_| mmr_spec::Side::Right));
    let hexes = witness.iter().chain(left.iter()).chain(right.iter());
    let mut path = Vec::with_capacity(total);
    for (side, hex) in sides.zip(hexes) {
        let hash = Hash::from_hex(hex).map_err(|e| format!("cll digest {hex}: {e}"))?;
        path.push(mmr_spec::Step {
            side,
            node: Node::new(hash, 0),
        });
    }
    Ok(Proof {
        size: ours.size,
        pos: ours.pos,
        path,
    })
}

fn cll_published(c: &mut Cases) -> Result<(), String> {
    let mut b = c.session();
    b.state(cur());
    for (i, want) in CLL_ROOTS.iter().enumerate() {
        if i > 0 {
            b.append(&[i as u8 - 1; 32], 0);
            b.state(cur());
        }
        let got = b.root(At::Current).hash.to_hex();
        if got != *want {
            return Err(format!(
                "published checkpointed-local-log root after {i} leaves: the reference gives {got}, cll {want}"
            ));
        }
    }
    let root = b.root(At::Current);
    for theirs in &CLL_PROOFS {
        let ours = b.proof(At::Current, theirs.0);
        let converted = cll_to_d13(&ours, theirs)?;
        if converted != ours {
            return Err(format!(
                "published checkpointed-local-log proof of leaf {}: the reference's per-peak D13 proof differs",
                theirs.0
            ));
        }
        b.run(VOp::Prove {
            at: cur(),
            index: u(theirs.0),
        });
        b.run(VOp::Verify {
            root: vn(root),
            proof: enc(&converted),
            data: h(&[theirs.0 as u8; 32]),
            value: u(0),
        });
    }
    c.add_source(
        b,
        "published-cll-11-leaves-per-peak",
        "D11 fold-right and D13 per-peak proofs (checkpointed-local-log): the root after each of 11 leaves (leaf i: body digest the 32 bytes i, leaf hash sha256(0x00 || body)) as checkpointed-local-log computes it; its inclusion proofs of leaves 0 (two peaks on the right) and 8 (one on each side), converted to D13 (witness, then the left peaks, then the right peaks), verify.",
        &[],
        Some("checkpointed-local-log 0.7.0 (PyPI) cll/checkpoint/core.py add_leaf, root_from_peaks, inclusion_proof; vectors/tests/profiles.rs"),
    );
    Ok(())
}
