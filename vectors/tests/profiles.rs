//! Profile files (declarative profiles, SPEC.md D10): the built-in profiles are expressible
//! in them, the shipped MMRIVER-style file reproduces published values of that layout, and
//! malformed files are refused with the place named.

use mmr_optimized::Optimized;
use mmr_reference::Reference;
use mmr_spec::{At, Config, Hash, Node, Profile, ProofDb, profiles};
use mmr_vectors::profiles::{parse_profile, shipped};

fn builtin_file(name: &str) -> String {
    let path = format!(
        "{}/profiles/builtin/{name}.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every node and every root of an MMR of 0..n leaves with varied data and values.
fn trace<P: Profile>(p: P, n: u64) -> Vec<(u64, Result<Node, mmr_spec::ErrorKind>, Vec<Node>)> {
    let mut db = Reference::new(p, Config::default());
    let mut out = Vec::new();
    for i in 0..=n {
        let root = db.root(At::Current).map_err(|e| e.kind());
        let nodes = (0..db.size())
            .map(|pos| db.node(At::Current, pos).unwrap())
            .collect();
        out.push((db.size(), root, nodes));
        let data: Vec<u8> = (0..(i % 7) * 9).map(|k| (k * 31 + i) as u8).collect();
        db.append(&data, i * 1_000_003 % 977).unwrap();
    }
    out
}

#[test]
fn each_builtin_profile_file_gives_the_builtin_profiles_hashes_and_roots() {
    for name in ["default", "grin", "mweb", "ckb", "minima", "minima-legacy"] {
        let declared = parse_profile(&builtin_file(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let builtin = profiles::by_name(name).unwrap();
        assert_eq!(declared.name(), name);
        assert_eq!(declared.bagging(), builtin.bagging(), "{name}");
        assert_eq!(declared.empty_root(), builtin.empty_root(), "{name}");
        assert_eq!(
            trace(&declared, 40),
            trace(builtin, 40),
            "{name}: roots or nodes differ"
        );
        // The bagging primitives directly, on nodes with values.
        let a = Node::new(Hash([7; 32]), 5);
        let b = Node::new(Hash([9; 32]), 11);
        assert_eq!(
            declared.bag_hash(11, &a, &b, 16),
            builtin.bag_hash(11, &a, &b, 16),
            "{name}"
        );
        if builtin.bagging() == mmr_spec::Bagging::Flat {
            assert_eq!(
                declared.commit_hash(11, 16, &[a, b]),
                builtin.commit_hash(11, 16, &[a, b]),
                "{name}"
            );
        }
    }
}

/// The 39 nodes of the MMRIVER draft's KAT39 (leaf at position i = SHA-256(u64be(i))),
/// from datatrails/go-datatrails-merklelog `mmr/draft_kat39_test.go` (`KAT39Nodes`) at
/// 29710b0f4ada0c0b1e23e253c5f3ee910bb75af1.
const KAT39_NODES: [&str; 39] = [
    "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc",
    "cd2662154e6d76b2b2b92e70c0cac3ccf534f9b74eb5b89819ec509083d00a50",
    "ad104051c516812ea5874ca3ff06d0258303623d04307c41ec80a7a18b332ef8",
    "d5688a52d55a02ec4aea5ec1eadfffe1c9e0ee6a4ddbe2377f98326d42dfc975",
    "8005f02d43fa06e7d0585fb64c961d57e318b27a145c857bcd3a6bdb413ff7fc",
    "9a18d3bc0a7d505ef45f985992270914cc02b44c91ccabba448c546a4b70f0f0",
    "827f3213c1de0d4c6277caccc1eeca325e45dfe2c65adce1943774218db61f88",
    "a3eb8db89fc5123ccfd49585059f292bc40a1c0d550b860f24f84efb4760fbf2",
    "4c0e071832d527694adea57b50dd7b2164c2a47c02940dcf26fa07c44d6d222a",
    "b8faf5f748f149b04018491a51334499fd8b6060c42a835f361fa9665562d12d",
    "8d85f8467240628a94819b26bee26e3a9b2804334c63482deacec8d64ab4e1e7",
    "0b5000b73a53f0916c93c68f4b9b6ba8af5a10978634ae4f2237e1f3fbe324fa",
    "6f3360ad3e99ab4ba39f2cbaf13da56ead8c9e697b03b901532ced50f7030fea",
    "508326f17c5f2769338cb00105faba3bf7862ca1e5c9f63ba2287e1f3cf2807a",
    "78b2b4162eb2c58b229288bbcb5b7d97c7a1154eed3161905fb0f180eba6f112",
    "e66c57014a6156061ae669809ec5d735e484e8fcfd540e110c9b04f84c0b4504",
    "998e907bfbb34f71c66b6dc6c40fe98ca6d2d5a29755bc5a04824c36082a61d1",
    "f4a0db79de0fee128fbe95ecf3509646203909dc447ae911aa29416bf6fcba21",
    "5bc67471c189d78c76461dcab6141a733bdab3799d1d69e0c419119c92e82b3d",
    "1b8d0103e3a8d9ce8bda3bff71225be4b5bb18830466ae94f517321b7ecc6f94",
    "0a4d7e66c92de549b765d9e2191027ff2a4ea8a7bd3eb04b0ed8ee063bad1f70",
    "61b3ff808934301578c9ed7402e3dd7dfe98b630acdf26d1fd2698a3c4a22710",
    "7a42e3892368f826928202014a6ca95a3d8d846df25088da80018663edf96b1c",
    "aed2b8245fdc8acc45eda51abc7d07e612c25f05cadd1579f3474f0bf1f6bdc6",
    "dd7efba5f1824103f1fa820a5c9e6cd90a82cf123d88bd035c7e5da0aba8a9ae",
    "561f627b4213258dc8863498bb9b07c904c3c65a78c1a36bca329154d1ded213",
    "1209fe3bc3497e47376dfbd9df0600a17c63384c85f859671956d8289e5a0be8",
    "6b4a3bd095c63d1dffae1ac03eb8264fdce7d51d2ac26ad0ebf9847f5b9be230",
    "4459f4d6c764dbaa6ebad24b0a3df644d84c3527c961c64aab2e39c58e027eb1",
    "77651b3eec6774e62545ae04900c39a32841e2b4bac80e2ba93755115252aae1",
    "d4fb5649422ff2eaf7b1c0b851585a8cfd14fb08ce11addb30075a96309582a7",
    "1664a6e0ea12d234b4911d011800bb0f8c1101a0f9a49a91ee6e2493e34d8e7b",
    "707d56f1f282aee234577e650bea2e7b18bb6131a499582be18876aba99d4b60",
    "0c9f36783b5929d43c97fe4b170d12137e6950ef1b3a8bd254b15bbacbfdee7f",
    "4d75f61869104baa4ccff5be73311be9bdd6cc31779301dfc699479403c8a786",
    "0764c726a72f8e1d245f332a1d022fffdada0c4cb2a016886e4b33b66cb9a53f",
    "c861552e9e17c41447d375c37928f9fa5d387d1e8470678107781c20a97ebc8f",
    "6a169105dcc487dbbae5747a0fd9b1d33a40320cf91cf9a323579139e7ff72aa",
    "e9a5f5201eb3c3c856e0a224527af5ac7eb1767fb1aff9bd53ba41a60cde9785",
];

/// The bagged root after each of the 21 leaves of KAT39, computed with an independent
/// library: checkpointed-local-log 0.7.0 from PyPI, `cll/checkpoint/core.py` (`add_leaf`
/// with leaf hash SHA-256(u64be(pos)), then `root_from_peaks(peaks(size))`).
const CLL_ROOTS: [(u64, &str); 21] = [
    (
        1,
        "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc",
    ),
    (
        3,
        "ad104051c516812ea5874ca3ff06d0258303623d04307c41ec80a7a18b332ef8",
    ),
    (
        4,
        "929c068b8433d13f146470a0c580700bb6dd70c85188b2549558a874f8b4e708",
    ),
    (
        7,
        "827f3213c1de0d4c6277caccc1eeca325e45dfe2c65adce1943774218db61f88",
    ),
    (
        8,
        "eb0598e8341494c0fddd83b62a5c2804a68cef39efc6330256ab794185f291fd",
    ),
    (
        10,
        "a9eccd3b75c238c35f905068039d5a2df2b5452ce345d1dca0c3afa079302c6c",
    ),
    (
        11,
        "431b6169cbe353ae6dcdc43dd0ac3442794a48c159aa8b6837bb66cabc9fa55d",
    ),
    (
        15,
        "78b2b4162eb2c58b229288bbcb5b7d97c7a1154eed3161905fb0f180eba6f112",
    ),
    (
        16,
        "f7a7d81f44cc179f6ac5a9b19dc0fb56cd6fcd2df234d4fc157acdba6c4ff3f4",
    ),
    (
        18,
        "1c6ee322ef44282ad63d79dc7ec85d6cbb05ae7bf56cad05818af133841bb2d7",
    ),
    (
        19,
        "e4819a6197f68af5052033945a8d4390cdfc08556a7e5a96d205bc2e62544c1e",
    ),
    (
        22,
        "56d0e19ca82a99def9c5f1068e68e71b4465dd1763a7bb3cfa698fab56b9ff8d",
    ),
    (
        23,
        "d47823d372bd25e3e3265e9b3070608f4b7097ab42ae513338249307e2d57cab",
    ),
    (
        25,
        "bb9f2b10b3d27992d842e0cc2e518e652209009e4b3a413a696c89a1b85d5bc0",
    ),
    (
        26,
        "c5c65e1ecdc50a4c3e55992a6ce62a6cce991c955e80e78a41cc2c58d9916b4a",
    ),
    (
        31,
        "d4fb5649422ff2eaf7b1c0b851585a8cfd14fb08ce11addb30075a96309582a7",
    ),
    (
        32,
        "c36796c38e88d94124605c4dfb7afb548c3d42a92ac1100c5cf9ee85188d0fdc",
    ),
    (
        34,
        "20bf3e26a6375ced3beb2fb1731e773716f26b05cf01839589835a1eb7cbd3e9",
    ),
    (
        35,
        "dfe19b07494d487af5b3e98d68e029bbebebbbe444b1ef2a63665c2815e1e8b5",
    ),
    (
        38,
        "0b20281396fa9328a716c6b3a8a5d6e89db2a04f41704d2d5a58c358e3b8b82a",
    ),
    (
        39,
        "4db410784acb1bf53b14033e074c88164c225639df2dbfce5c86ec0614028fdd",
    ),
];

fn kat39_on(db: &mut dyn ProofDb) {
    assert_eq!(db.root(At::Current).unwrap().hash, Hash::ZERO, "empty root");
    let mut roots = Vec::new();
    for _ in 0..21 {
        let pos = db.size();
        db.append(&pos.to_be_bytes(), 0).unwrap();
        roots.push((db.size(), db.root(At::Current).unwrap().hash.to_hex()));
    }
    let nodes: Vec<String> = (0..39)
        .map(|pos| db.node(At::Current, pos).unwrap().hash.to_hex())
        .collect();
    assert_eq!(nodes, KAT39_NODES.map(String::from).to_vec(), "KAT39 nodes");
    let want: Vec<(u64, String)> = CLL_ROOTS.iter().map(|(s, h)| (*s, h.to_string())).collect();
    assert_eq!(roots, want, "roots against checkpointed-local-log");
}

#[test]
fn the_mmriver_profile_reproduces_kat39_and_checkpointed_local_log_on_both_implementations() {
    assert!(shipped().contains(&"mmriver-sha256"), "{:?}", shipped());
    let p = profiles::by_name("mmriver-sha256").unwrap();
    kat39_on(&mut Reference::new(p, Config::default()));
    kat39_on(&mut Optimized::with_profile(p, Config::default()));
}

/// The roots commonware-storage 2026.10.0 (crates.io) computes for 0..=11 leaves, element i
/// the byte i: `merkle::mmr::mem::Mmr` with `hasher::Standard<Sha256>`, `root(&hasher, 0)`,
/// ForwardFold then BackwardFold (printed by a program against the crate, the same calls
/// vectors/adapters/commonware makes).
const COMMONWARE_ROOTS: [(&str, [&str; 12]); 2] = [
    (
        "commonware-forward",
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
    ),
    (
        "commonware-backward",
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
    ),
];

/// commonware-storage's `Proof::digests` (`proof(&hasher, loc, 0)`) of two locations of the
/// 11-leaf MMR: ForwardFold location 4 `[prefix fold (none), peaks after, siblings]`,
/// BackwardFold location 7 `[peaks before (none), suffix fold, siblings]`.
const COMMONWARE_PROOFS: [(&str, u64, &[&str]); 2] = [
    (
        "commonware-forward",
        4,
        &[
            "ce6f24af7f41ae9fabb25580a7415f6507a52f4ef9003d9043bf34b7099b6a82",
            "5bd4e595f5a2c4d1cc369613a2694676c3f0ffdd079e775877a18565c378818b",
            "0ef74ed75bd51c5137cc76a1c5c5decffdb09f876460416eccfbd57d794e0001",
            "cc89ba04cdcdaf35dd58f81247fca1d2cd117323f90afacf775d31325f4a9860",
            "07b775c0cfa90b2caffe626b7f10e8a1c924e1d311754fc4190c393a890b31c4",
        ],
    ),
    (
        "commonware-backward",
        7,
        &[
            "66b87bd803f463ce34f316793b7699f9f5a57dac10465da1b4b5eb263362a3d3",
            "0ef74ed75bd51c5137cc76a1c5c5decffdb09f876460416eccfbd57d794e0001",
            "bb5eb4de1abcdd5579c9648fe1fe3231212bd752d0ae52a40ed3172fabe8032b",
            "84526e4364bf2ede4e3e7d54fadaa1d74c2a969743746a5ba438cf5ab7c5ca5d",
        ],
    ),
];

fn commonware_on(name: &str, db: &mut dyn ProofDb) {
    let (_, roots) = COMMONWARE_ROOTS.iter().find(|(n, _)| *n == name).unwrap();
    let mut got = vec![db.root(At::Current).unwrap().hash.to_hex()];
    for i in 0..11u8 {
        db.append(&[i], 0).unwrap();
        got.push(db.root(At::Current).unwrap().hash.to_hex());
    }
    assert_eq!(got, roots.map(String::from).to_vec(), "{name}: roots");
    // D13 holds what commonware's proof holds: the mountain siblings (commonware: in
    // increasing position) and the bagging part (ForwardFold: in D13's order; BackwardFold:
    // reversed).
    let (_, loc, digests) = COMMONWARE_PROOFS.iter().find(|(n, ..)| *n == name).unwrap();
    let proof = db.prove(At::Current, *loc).unwrap();
    let nodes: Vec<String> = (0..db.size())
        .map(|p| db.node(At::Current, p).unwrap().hash.to_hex())
        .collect();
    let mountain = 3; // leaves 4 and 7 sit in the 8-leaf mountain
    let (siblings, bag) = proof.path.split_at(mountain);
    let mut sibling_positions: Vec<usize> = siblings
        .iter()
        .map(|s| {
            nodes
                .iter()
                .position(|h| *h == s.node.hash.to_hex())
                .unwrap()
        })
        .collect();
    sibling_positions.sort_unstable();
    let theirs_siblings: Vec<String> = sibling_positions
        .iter()
        .map(|&p| nodes[p].clone())
        .collect();
    let mut bag: Vec<String> = bag.iter().map(|s| s.node.hash.to_hex()).collect();
    if name == "commonware-backward" {
        bag.reverse();
    }
    let want: Vec<String> = digests.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        [bag, theirs_siblings].concat(),
        want,
        "{name}: proof of {loc}"
    );
}

#[test]
fn the_commonware_profiles_reproduce_commonware_storage_on_both_implementations() {
    for name in ["commonware-forward", "commonware-backward"] {
        assert!(shipped().contains(&name), "{:?}", shipped());
        let p = profiles::by_name(name).unwrap();
        commonware_on(name, &mut Reference::new(p, Config::default()));
        commonware_on(name, &mut Optimized::with_profile(p, Config::default()));
    }
}

/// checkpointed-local-log 0.7.0 (PyPI, `cll/checkpoint/core.py`), run on leaf i with body
/// digest the 32 bytes i (`add_leaf(leaf_hash(body))`): the root after 11 leaves, and
/// `inclusion_proof` of leaf 0 (`witness`, `peaks_left` (none), `peaks_right`).
const CLL_ROOT_11: &str = "ef22107fc9a598b89ca8ac5ae35d5ba19359a8abb3f17c3311828059a353534d";
const CLL_PROOF_0: [&str; 5] = [
    "dcffe786ded16d283c663846ad0c4ff26558fccde36ca9d30b2ea19eade9fc0e",
    "721e7817f255082e091a4051007ba971c95bc1d368d55783f616018d59010c0c",
    "788f57109a68ab2afd623701b9b400204b1d1e87bb5a9346c4090842d02952a3",
    "a3f28fd4b14c42278731bdf44835e6c01a99d532919cba172e66c71f31fa8962",
    "572383880e23274ccc61701636519d99fed9c46233b0a60559b121d0fca8b5dc",
];

fn cll_on(db: &mut dyn ProofDb) {
    for i in 0..11u8 {
        db.append(&[i; 32], 0).unwrap();
    }
    assert_eq!(db.root(At::Current).unwrap().hash.to_hex(), CLL_ROOT_11);
    // Per-peak (D13): the witness, then each right peak on its own, two of them here.
    let proof = db.prove(At::Current, 0).unwrap();
    let got: Vec<String> = proof.path.iter().map(|s| s.node.hash.to_hex()).collect();
    assert_eq!(got, CLL_PROOF_0.map(String::from).to_vec());
    let sides: Vec<mmr_spec::Side> = proof.path.iter().map(|s| s.side).collect();
    assert_eq!(sides, [mmr_spec::Side::Right; 5]);
    let root = db.root(At::Current).unwrap();
    db.verify(&root, &proof, &[0; 32], 0).unwrap();
    // The bagged shape's proof (the right peaks as one bag) is refused: D14 rule 4.
    let mut bagged = proof.clone();
    bagged.path.pop();
    assert_eq!(
        db.verify(&root, &bagged, &[0; 32], 0).unwrap_err().kind(),
        mmr_spec::ErrorKind::PathLength
    );
}

#[test]
fn the_cll_profile_reproduces_checkpointed_local_log_per_peak_proofs_on_both_implementations() {
    assert!(shipped().contains(&"cll-sha256"), "{:?}", shipped());
    let p = profiles::by_name("cll-sha256").unwrap();
    assert_eq!(p.proof_shape(), mmr_spec::ProofShape::PerPeak);
    cll_on(&mut Reference::new(p, Config::default()));
    cll_on(&mut Optimized::with_profile(p, Config::default()));
}

#[test]
fn malformed_profile_files_name_the_place() {
    let good = builtin_file("grin");
    let err = |text: &str| parse_profile(text).unwrap_err().to_string();
    assert!(err("[1, 2]").contains("a YAML mapping"));
    assert!(err(&good.replace("blake2b-256", "md5")).contains("hash \"md5\" is not one of"));
    assert!(err(&good.replace("fold-right", "zigzag")).contains("bagging \"zigzag\""));
    assert!(
        err(&good.replace("leaf: [{int: pos", "leaf: [left, {int: pos"))
            .contains("template leaf: field 1 (left) is not defined there")
    );
    assert!(
        err(&good.replace("enc: u64be}, data]", "enc: u48}, data]"))
            .contains("leaf[1]: unknown encoding \"u48\"")
    );
    assert!(err(&format!("{good}colour: blue\n")).contains("unknown key \"colour\""));
    assert!(err(&good.replace("values: false", "values: 3")).contains("values is true or false"));
    assert!(err(&good.replace("bag: [", "root: [")).contains("need a `bag` template"));
    assert!(err("profile: x\n").contains("`hash` is required"));
    assert!(err(&format!("{good}proof: sideways\n")).contains("is not one of bagged, per-peak"));
    assert!(
        err(&good.replace("empty_root: zero", "empty_root: template"))
            .contains("needs a `root` template")
    );
    // A name that is taken cannot be registered again.
    let dir = std::env::temp_dir().join(format!("mmr-profile-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("grin.yaml");
    std::fs::write(&path, &good).unwrap();
    let e = mmr_vectors::profiles::load_file(&path).unwrap_err();
    assert!(e.contains("already exists"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
