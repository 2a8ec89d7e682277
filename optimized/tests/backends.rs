//! The SHA3-256 backends give identical outputs: the single-buffer default profiles on the
//! fast backend ([`Sha3Default`]) and on the `sha3` crate ([`PortableSha3Default`]) against
//! the spec's incremental `DEFAULT`, hash by hash (proptest over every input shape) and as
//! whole databases (nodes, roots and proofs after the same appends).

use mmr_optimized::hash::{Fast, Portable, Sha3Backend};
use mmr_optimized::{Optimized, PortableSha3Default, Sha3Default};
use mmr_spec::profiles::DEFAULT;
use mmr_spec::{At, Config, Hash, Node, Profile, ProofDb};
use proptest::prelude::*;

fn node() -> impl Strategy<Value = Node> {
    (any::<[u8; 32]>(), any::<u64>()).prop_map(|(h, v)| Node::new(Hash(h), v))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn digests_agree(bytes in proptest::collection::vec(any::<u8>(), 0..600), cut in any::<usize>()) {
        let want = Portable::digest(&bytes);
        prop_assert_eq!(Fast::digest(&bytes), want);
        let cut = cut % (bytes.len() + 1);
        prop_assert_eq!(Fast::digest_parts(&[&bytes[..cut], &bytes[cut..]]), want);
    }

    #[test]
    fn profile_hashes_agree(
        pos in any::<u64>(),
        value in any::<u64>(),
        data in proptest::collection::vec(any::<u8>(), 0..400),
        left in node(),
        right in node(),
        peaks in proptest::collection::vec(node(), 0..70),
    ) {
        for p in [&Sha3Default as &dyn Profile, &PortableSha3Default] {
            prop_assert_eq!(p.leaf_hash(pos, &data, value), DEFAULT.leaf_hash(pos, &data, value));
            prop_assert_eq!(
                p.parent_hash(pos, &left, &right, value),
                DEFAULT.parent_hash(pos, &left, &right, value)
            );
            prop_assert_eq!(
                p.bag_hash(pos, &left, &right, value),
                DEFAULT.bag_hash(pos, &left, &right, value)
            );
            prop_assert_eq!(
                p.commit_hash(pos, value, &peaks),
                DEFAULT.commit_hash(pos, value, &peaks)
            );
        }
    }

    #[test]
    fn whole_databases_agree(
        leaves in proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..160), 0u64..1000), 1..80),
    ) {
        let config = Config { retain: 2 };
        let mut fast = Optimized::with_profile(Sha3Default, config);
        let mut portable = Optimized::with_profile(PortableSha3Default, config);
        let mut spec = Optimized::with_profile(DEFAULT, config);
        for (d, v) in &leaves {
            fast.append(d, *v).unwrap();
            portable.append(d, *v).unwrap();
            spec.append(d, *v).unwrap();
        }
        let root = spec.root(At::Current).unwrap();
        prop_assert_eq!(fast.root(At::Current).unwrap(), root);
        prop_assert_eq!(portable.root(At::Current).unwrap(), root);
        for pos in 0..spec.size() {
            let n = spec.node(At::Current, pos).unwrap();
            prop_assert_eq!(fast.node(At::Current, pos).unwrap(), n);
            prop_assert_eq!(portable.node(At::Current, pos).unwrap(), n);
        }
        for i in 0..leaves.len() as u64 {
            let proof = spec.prove(At::Current, i).unwrap();
            prop_assert_eq!(&fast.prove(At::Current, i).unwrap(), &proof);
            prop_assert_eq!(&portable.prove(At::Current, i).unwrap(), &proof);
            let (d, v) = &leaves[i as usize];
            prop_assert!(fast.verify(&root, &proof, d, *v).is_ok());
        }
    }
}
