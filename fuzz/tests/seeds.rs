//! The committed seed corpora (`fuzz/corpus/<target>/`), written by
//! `cargo test --release --test seeds -- --ignored write_seeds` and checked by the other
//! tests here (every seed runs through its target's oracle without a finding).
//!
//! - `proof_decode`: honest encodings (coin proofs of SPEC.md's examples, the empty path,
//!   batch proofs), so mutations start next to the accepting paths.
//! - `proof_forgery`: hand-written inputs (honest proofs, a structured tamper in three
//!   dialects, value moved to the leaf), named after what they decode to.
//! - `differential`: short scripted sessions (blocks, compaction and un-pruning, a
//!   following client, rewind), encoded for `arbitrary` and decoded back to check.
//! - `vectors_parse`: the first case of some checked-in vector files.

use arbitrary::{Arbitrary, Unstructured};
use mmr_fuzz::World;
use mmr_fuzz::inputs::{DifferentialInput, ForgeryInput};
use mmr_harness::Pair;
use mmr_harness::observe::Limits;
use mmr_spec::ops::Op;
use mmr_spec::{Config, ProofDb, profiles};
use std::path::PathBuf;

fn dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target)
}

fn decode<'a, T: Arbitrary<'a>>(b: &'a [u8]) -> Option<T> {
    T::arbitrary_take_rest(Unstructured::new(b)).ok()
}

/// Runs a differential input like the target (all profiles), returning the final pair.
fn run(input: &DifferentialInput) -> Option<Pair> {
    let all = profiles::all();
    let p = all[usize::from(input.profile) % all.len()];
    let limits = Limits {
        nodes: 96,
        leaves: 24,
    };
    let mut pair = Pair::new(
        p,
        Config {
            retain: u64::from(input.retain % 9),
        },
    )
    .with_limits(limits);
    pair.check().ok()?;
    for op in input.ops.iter().take(64) {
        let _ = pair.step_generated(op).ok()?;
    }
    Some(pair)
}

/// Writes the bytes `arbitrary` 1.x decodes into a given value (ints little-endian, enum
/// tags as u32 scaled by the variant count, `Vec`s as continue-flag + element, ended by 0).
/// Each seed is decoded back and compared, so a layout mistake cannot go unnoticed.
#[derive(Default)]
struct Enc(Vec<u8>);
impl Enc {
    fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn tag(&mut self, variant: u64, count: u64) -> &mut Self {
        let v = (variant << 32).div_ceil(count) as u32;
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn more(&mut self) -> &mut Self {
        self.u8(1)
    }
    fn end(&mut self) -> &mut Self {
        self.u8(0)
    }
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        for x in b {
            self.more().u8(*x);
        }
        self.end()
    }
}

/// Variant counts of the op model's enums (checked by the decode-back comparison).
const OPS: u64 = 31;
const TAMPERS: u64 = 12;
const BATCH_TAMPERS: u64 = 13;
const SET_TAMPERS: u64 = 10;
const BLOCK_OPS: u64 = 3;
const EDITS: u64 = 9;
const BATCH_EDITS: u64 = 11;

/// An op, as the differential input's element encoding.
fn op(e: &mut Enc, o: &Op) {
    use mmr_spec::ops::{BatchTamper, SetTamper, Tamper};
    use mmr_spec::{At, BlockOp};
    let at = |e: &mut Enc, a: &At| match a {
        At::Current => {
            e.tag(0, 2);
        }
        At::Block(h) => {
            e.tag(1, 2).u64(*h);
        }
    };
    e.more();
    match o {
        Op::Append { data, value } => e.tag(0, OPS).bytes(data).u64(*value),
        Op::Update { index, data, value } => e.tag(1, OPS).u64(*index).bytes(data).u64(*value),
        Op::Spend { index, data } => e.tag(2, OPS).u64(*index).bytes(data),
        Op::Commit => e.tag(3, OPS),
        Op::ApplyBlock { block } => {
            e.tag(4, OPS);
            for b in &block.ops {
                e.more();
                match b {
                    BlockOp::Append { data, value } => e.tag(0, BLOCK_OPS).bytes(data).u64(*value),
                    BlockOp::Update { index, data, value } => {
                        e.tag(1, BLOCK_OPS).u64(*index).bytes(data).u64(*value)
                    }
                    BlockOp::Spend { index, data } => e.tag(2, BLOCK_OPS).u64(*index).bytes(data),
                };
            }
            e.end()
        }
        Op::Rewind { height } => e.tag(5, OPS).u64(*height),
        Op::Compact { horizon } => e.tag(6, OPS).u64(*horizon),
        Op::Unprune { proof, leaf } => {
            e.tag(7, OPS).bytes(proof);
            e.0.extend_from_slice(&leaf.hash.0);
            e.u64(leaf.value)
        }
        Op::UnpruneFrom { height, index } => e.tag(8, OPS).u64(*height).u64(*index),
        Op::Info => e.tag(9, OPS),
        Op::PruneList => e.tag(14, OPS),
        Op::MmrSet { height } => e.tag(15, OPS).u64(*height),
        Op::ProveAndVerify {
            at: a,
            index,
            tamper: Tamper::None,
        } => {
            e.tag(20, OPS);
            at(e, a);
            e.u64(*index).tag(0, TAMPERS)
        }
        Op::ProveBatchAndVerify {
            at: a,
            indices,
            tamper: BatchTamper::None,
        } => {
            e.tag(21, OPS);
            at(e, a);
            for i in indices {
                e.more().u64(*i);
            }
            e.end().tag(0, BATCH_TAMPERS)
        }
        Op::ClientInit { height } => e.tag(22, OPS).u64(*height),
        Op::ClientFollow {
            tamper: SetTamper::None,
        } => e.tag(25, OPS).tag(0, SET_TAMPERS),
        Op::ClientTrack { index } => e.tag(26, OPS).u64(*index),
        Op::ClientProof { index } => e.tag(28, OPS).u64(*index),
        other => panic!("the seed encoder does not know {other:?}"),
    };
}

/// A differential input's bytes; decoded back and compared.
fn differential(profile: u8, retain: u8, ops: &[Op]) -> Vec<u8> {
    let mut e = Enc::default();
    e.u8(profile).u8(retain);
    for o in ops {
        op(&mut e, o);
    }
    let back = decode::<DifferentialInput>(&e.0).unwrap();
    assert_eq!(
        (back.profile, back.retain, back.ops.as_slice()),
        (profile, retain, ops)
    );
    e.0
}

fn append(i: u8, value: u64) -> Op {
    Op::Append {
        data: vec![i],
        value,
    }
}

#[test]
#[ignore = "writes the seed corpora; run on purpose"]
fn write_seeds() {
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let d = dir(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    };

    // proof_decode: honest encodings, default and minima.
    for w in World::all(11)
        .iter()
        .filter(|w| ["default", "minima"].contains(&w.profile.name()))
    {
        let name = w.profile.name();
        let minima = name == "minima";
        for (n, i, what) in [
            (7, 4, "spec-d13-example"),
            (11, 10, "last-peak"),
            (1, 0, "empty-path"),
            (11, 0, "deepest"),
        ] {
            if minima && what != "spec-d13-example" {
                continue; // peak-tree bagging: one coin proof and one batch proof suffice
            }
            let p = &w.proofs[&(n, i)];
            write(
                "proof_decode",
                &format!("{name}-proof-leaf{i}-of-{n}-{what}"),
                &p.encode().unwrap(),
            );
        }
        for (n, idx, what) in [
            (4, vec![0, 3], "spec-d15-example"),
            (11, (0..11).collect(), "all"),
            (7, vec![6], "peak-items"),
        ] {
            if minima && what != "peak-items" {
                continue;
            }
            let b = w.honest_batch(n, &idx);
            write(
                "proof_decode",
                &format!("{name}-batch-{what}-of-{n}"),
                &b.encode(),
            );
        }
    }

    // proof_forgery: (profile index in profiles::all(), leaves - 1, leaf, edits, batch,
    // batch edits), each decoded back and compared with what its name says.
    let forgery = |name: &str,
                   head: [u8; 3],
                   edits: &dyn Fn(&mut Enc),
                   batch: &[u8],
                   batch_edits: &dyn Fn(&mut Enc),
                   expect: &str| {
        let mut e = Enc::default();
        e.u8(head[0]).u8(head[1]).u8(head[2]);
        edits(&mut e);
        e.end();
        for b in batch {
            e.more().u8(*b);
        }
        e.end();
        batch_edits(&mut e);
        let back = format!("{:?}", decode::<ForgeryInput>(&e.0).unwrap());
        assert_eq!(back, expect, "{name}");
        write("proof_forgery", name, &e.0);
    };
    forgery(
        "grin-honest-leaf4-of-7-and-batch-0-3-6",
        [1, 6, 4],
        &|_| {},
        &[0, 3, 6],
        &|_| {},
        "ForgeryInput { profile: 1, leaves: 6, leaf: 4, edits: [], batch: [0, 3, 6], batch_edits: [] }",
    );
    forgery(
        "minima-swap-steps-leaf2-of-11",
        [3, 10, 2],
        &|e| {
            e.more().tag(0, EDITS).tag(6, TAMPERS).u8(1);
        },
        &[],
        &|_| {},
        "ForgeryInput { profile: 3, leaves: 10, leaf: 2, edits: [Tamper(SwapSteps { step: 1 })], batch: [], batch_edits: [] }",
    );
    forgery(
        "ckb-set-pos-and-conflicting-item-of-8",
        [4, 7, 3],
        &|e| {
            e.more().tag(0, EDITS).tag(8, TAMPERS).u64(4);
        },
        &[1, 2],
        &|e| {
            e.more().tag(0, BATCH_EDITS).tag(5, BATCH_TAMPERS).u8(0);
        },
        "ForgeryInput { profile: 4, leaves: 7, leaf: 3, edits: [Tamper(SetPos(4))], batch: [1, 2], batch_edits: [Tamper(ConflictingItem { item: 0 })] }",
    );
    forgery(
        "default-value-to-leaf12-of-15",
        [0, 14, 12],
        &|e| {
            e.more().tag(5, EDITS).u8(1).u64(5);
        },
        &[12, 13],
        &|e| {
            e.more().tag(9, BATCH_EDITS).u8(0).u64(1);
        },
        "ForgeryInput { profile: 0, leaves: 14, leaf: 12, edits: [ShiftToLeaf { step: 1, delta: 5 }], batch: [12, 13], batch_edits: [LeafValue { leaf: 0, delta: 1 }] }",
    );

    // differential: short scripted sessions (profiles default, grin, mweb), each run
    // through the pair like the target.
    let spent = || b"spent".to_vec();
    let sessions: [(&str, u8, u8, Vec<Op>); 4] = [
        (
            "default-grows-over-blocks",
            0,
            4,
            vec![
                append(0, 5),
                append(1, 7),
                append(2, 11),
                Op::Commit,
                append(3, 13),
                append(4, 17),
                Op::Commit,
                Op::ProveAndVerify {
                    at: mmr_spec::At::Current,
                    index: 1,
                    tamper: mmr_spec::ops::Tamper::None,
                },
                Op::ProveBatchAndVerify {
                    at: mmr_spec::At::Block(1),
                    indices: vec![0, 2],
                    tamper: mmr_spec::ops::BatchTamper::None,
                },
                Op::Info,
            ],
        ),
        (
            "grin-compacts-and-unprunes",
            1,
            8,
            vec![
                append(0, 5),
                append(1, 7),
                append(2, 11),
                append(3, 13),
                Op::Commit,
                Op::Spend {
                    index: 0,
                    data: spent(),
                },
                Op::Spend {
                    index: 1,
                    data: spent(),
                },
                Op::Commit,
                Op::Compact { horizon: 2 },
                Op::PruneList,
                Op::Unprune {
                    proof: vec![],
                    leaf: mmr_spec::Node::default(),
                },
                Op::UnpruneFrom {
                    height: 2,
                    index: 2,
                },
                Op::PruneList,
            ],
        ),
        (
            "mweb-client-follows",
            2,
            4,
            vec![
                append(0, 5),
                append(1, 7),
                append(2, 11),
                Op::Commit,
                Op::ClientInit { height: 1 },
                Op::ClientTrack { index: 0 },
                append(3, 13),
                Op::Spend {
                    index: 1,
                    data: spent(),
                },
                Op::Commit,
                Op::ClientFollow {
                    tamper: mmr_spec::ops::SetTamper::None,
                },
                Op::ClientProof { index: 0 },
            ],
        ),
        (
            "default-blocks-and-rewind",
            0,
            2,
            vec![
                Op::ApplyBlock {
                    block: mmr_spec::Block {
                        ops: vec![
                            mmr_spec::BlockOp::Append {
                                data: vec![1],
                                value: 3,
                            },
                            mmr_spec::BlockOp::Append {
                                data: vec![2],
                                value: 4,
                            },
                        ],
                    },
                },
                Op::ApplyBlock {
                    block: mmr_spec::Block {
                        ops: vec![mmr_spec::BlockOp::Update {
                            index: 0,
                            data: vec![9],
                            value: 8,
                        }],
                    },
                },
                Op::Commit,
                Op::Rewind { height: 1 },
                Op::MmrSet { height: 1 },
                Op::Info,
            ],
        ),
    ];
    for (name, profile, retain, ops) in sessions {
        let b = differential(profile, retain, &ops);
        let pair = run(&decode::<DifferentialInput>(&b).unwrap()).expect(name);
        let db = &pair.reference.subject.db;
        assert!(db.leaf_count() >= 2, "{name}");
        write("differential", name, &b);
    }

    // vectors_parse: the first case of some vector files.
    let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    for (file, name) in [
        ("default/roots.yaml", "default-roots-first-case.yaml"),
        ("any/arith.yaml", "arith-first-case.yaml"),
        ("ckb/roots.yaml", "ckb-roots-first-case.yaml"),
    ] {
        let text = std::fs::read_to_string(vectors.join(file)).unwrap();
        let mut f = mmr_vectors::parse(&text).unwrap();
        match &mut f {
            mmr_vectors::VectorFile::Ops(o) => o.cases.truncate(1),
            mmr_vectors::VectorFile::Arith(a) => a.cases.truncate(2),
        }
        write(
            "vectors_parse",
            name,
            mmr_vectors::model::to_yaml(&f).unwrap().as_bytes(),
        );
    }
}

/// Every committed seed decodes as its target expects, and the structured ones are what
/// their names say.
#[test]
fn seeds_are_present_and_decode() {
    for t in [
        "differential",
        "proof_decode",
        "proof_forgery",
        "vectors_parse",
    ] {
        let files: Vec<_> = std::fs::read_dir(dir(t))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(
            !files.is_empty() && files.len() <= 16,
            "{t}: {} seeds",
            files.len()
        );
        for f in files {
            let b = std::fs::read(&f).unwrap();
            assert!(
                b.len() <= 4096,
                "{f:?} is larger than libFuzzer's default max_len"
            );
            match t {
                "differential" => assert!(decode::<DifferentialInput>(&b).is_some(), "{f:?}"),
                "proof_forgery" => assert!(decode::<ForgeryInput>(&b).is_some(), "{f:?}"),
                "proof_decode" => assert!(
                    mmr_spec::Proof::decode(&b).is_ok() || mmr_spec::BatchProof::decode(&b).is_ok(),
                    "{f:?}"
                ),
                _ => assert!(mmr_vectors::vectors_parse(&b).is_ok(), "{f:?}"),
            }
        }
    }
}
