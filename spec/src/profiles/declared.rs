//! Declarative profiles (SPEC.md D10): a dialect described as data, a hash function from a
//! fixed set and a preimage template per hash kind, so that an MMR with another hash or node
//! layout can be checked without Rust code. The shipped profiles are expressible this way
//! (`vectors/profiles/*.yaml`; a test compares their roots), and so are MMRIVER-style
//! layouts (`vectors/profiles/mmriver-sha256.yaml`).
//!
//! A template is a sequence of [`Field`]s whose encodings are concatenated and hashed once.
//! Which fields a template may use depends on what it hashes ([`Kind`]);
//! [`Declared::new`] refuses anything else, with the template and field named, so a profile
//! that loads is total: every hash it computes is defined.

use crate::profiles::grin::fold_right;
use crate::profiles::minima::put_mini_number;
use crate::profiles::mweb::compact_size;
use crate::{Bagging, Hash, Node, Profile, ProofShape};
use core::fmt;

/// The hash functions a declared profile may use: all 32-byte digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashFn {
    /// FIPS-202 SHA3-256.
    Sha3_256,
    /// The original Keccak-256 (pre-FIPS padding), as Ethereum and Minima's `KeccakDigest`.
    Keccak256,
    /// FIPS 180-4 SHA-256.
    Sha256,
    /// BLAKE2b with a 32-byte output, no key, no personalization.
    Blake2b256,
    /// BLAKE3 with its default 32-byte output.
    Blake3,
}

impl HashFn {
    /// Every hash function, with the name profile files use.
    pub const ALL: [(HashFn, &'static str); 5] = [
        (HashFn::Sha3_256, "sha3-256"),
        (HashFn::Keccak256, "keccak-256"),
        (HashFn::Sha256, "sha-256"),
        (HashFn::Blake2b256, "blake2b-256"),
        (HashFn::Blake3, "blake3"),
    ];

    /// The function with this name.
    pub fn by_name(name: &str) -> Option<HashFn> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(h, _)| *h)
    }

    /// The digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> Hash {
        use sha3::Digest as _;
        match self {
            HashFn::Sha3_256 => Hash(sha3::Sha3_256::digest(bytes).into()),
            HashFn::Keccak256 => Hash(sha3::Keccak256::digest(bytes).into()),
            HashFn::Sha256 => Hash(sha2::Sha256::digest(bytes).into()),
            HashFn::Blake2b256 => {
                Hash(blake2::Blake2b::<blake2::digest::consts::U32>::digest(bytes).into())
            }
            HashFn::Blake3 => Hash(*blake3::hash(bytes).as_bytes()),
        }
    }
}

/// How an integer field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntEnc {
    /// 8 bytes, big-endian.
    U64Be,
    /// 8 bytes, little-endian.
    U64Le,
    /// Bitcoin's CompactSize (MWEB's length prefix).
    CompactSize,
    /// Minima's MiniNumber stream form of an integer (scale 0, length, minimal two's
    /// complement), as `profiles::minima::mini_number`.
    MiniNumber,
}

impl IntEnc {
    /// Every encoding, with the name profile files use.
    pub const ALL: [(IntEnc, &'static str); 4] = [
        (IntEnc::U64Be, "u64be"),
        (IntEnc::U64Le, "u64le"),
        (IntEnc::CompactSize, "compact-size"),
        (IntEnc::MiniNumber, "mini-number"),
    ];

    /// The encoding with this name.
    pub fn by_name(name: &str) -> Option<IntEnc> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(e, _)| *e)
    }

    fn put(self, out: &mut Vec<u8>, v: u64) {
        match self {
            IntEnc::U64Be => out.extend_from_slice(&v.to_be_bytes()),
            IntEnc::U64Le => out.extend_from_slice(&v.to_le_bytes()),
            IntEnc::CompactSize => out.extend_from_slice(&compact_size(v)),
            IntEnc::MiniNumber => put_mini_number(out, v),
        }
    }
}

/// An integer a template can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int {
    /// The node's 0-based postorder position (D1).
    Pos,
    /// The position plus one (MMRIVER's 1-based position).
    PosPlusOne,
    /// The node's height (D2): 0 for a leaf.
    Height,
    /// The MMR size (bagging and root templates).
    Size,
    /// The leaf count of the MMR size (root templates; commonware-storage's `leaves`).
    Leaves,
    /// The leaf's value.
    Value,
    /// The children's (or bagged nodes') value sum.
    Sum,
    /// The value sum of every peak (flat root template).
    Total,
    /// The length of the leaf data in bytes.
    DataLen,
    /// The left child's (or left bagged node's) value.
    LeftValue,
    /// The right child's (or right bagged node's) value.
    RightValue,
    /// The value of the peak being written (inside `peaks`).
    PeakValue,
}

impl Int {
    /// Every integer, with the name profile files use.
    pub const ALL: [(Int, &'static str); 12] = [
        (Int::Pos, "pos"),
        (Int::PosPlusOne, "pos-plus-one"),
        (Int::Height, "height"),
        (Int::Size, "size"),
        (Int::Leaves, "leaves"),
        (Int::Value, "value"),
        (Int::Sum, "sum"),
        (Int::Total, "total"),
        (Int::DataLen, "data-len"),
        (Int::LeftValue, "left-value"),
        (Int::RightValue, "right-value"),
        (Int::PeakValue, "peak-value"),
    ];

    /// The integer with this name.
    pub fn by_name(name: &str) -> Option<Int> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(i, _)| *i)
    }

    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(i, _)| *i == self)
            .map_or("?", |(_, n)| n)
    }

    fn is_value(self) -> bool {
        matches!(
            self,
            Int::Value | Int::Sum | Int::Total | Int::LeftValue | Int::RightValue | Int::PeakValue
        )
    }
}

/// One part of a preimage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// Literal bytes (a domain tag, a constant length prefix).
    Bytes(Vec<u8>),
    /// An integer in an encoding.
    Int(Int, IntEnc),
    /// The leaf data, as given.
    Data,
    /// The left child's (or left bagged node's) hash.
    Left,
    /// The right child's (or right bagged node's) hash.
    Right,
    /// For each peak, left to right, the inner fields (flat root template only).
    Peaks(Vec<Field>),
    /// The hash of the peak being written (inside `peaks`).
    Peak,
    /// The hash of the node the bagging produced (root template of a non-flat profile);
    /// nothing for the empty MMR (D11, templated empty root).
    Folded,
}

/// What a template hashes; it decides which fields are defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A leaf (D9).
    Leaf,
    /// An internal node (D9).
    Parent,
    /// One bagging step (D11, fold-right and peak-tree baggings).
    Bag,
    /// The flat root commitment (D11).
    Root,
    /// The root template around the bagged peaks of a non-flat profile (D11).
    Wrap,
    /// Inside the `peaks` field of a root template.
    EachPeak,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Leaf => "leaf",
            Kind::Parent => "parent",
            Kind::Bag => "bag",
            Kind::Root | Kind::Wrap => "root",
            Kind::EachPeak => "root.peaks",
        }
    }

    fn allows(self, f: &Field) -> bool {
        use Int as I;
        match (self, f) {
            (_, Field::Bytes(_)) => true,
            (Kind::Leaf, Field::Data) => true,
            (Kind::Leaf, Field::Int(i, _)) => {
                matches!(
                    i,
                    I::Pos | I::PosPlusOne | I::Height | I::Value | I::DataLen
                )
            }
            (Kind::Parent, Field::Left | Field::Right) => true,
            (Kind::Parent, Field::Int(i, _)) => matches!(
                i,
                I::Pos | I::PosPlusOne | I::Height | I::Sum | I::LeftValue | I::RightValue
            ),
            (Kind::Bag, Field::Left | Field::Right) => true,
            (Kind::Bag, Field::Int(i, _)) => {
                matches!(i, I::Size | I::Sum | I::LeftValue | I::RightValue)
            }
            (Kind::Root, Field::Peaks(_)) => true,
            (Kind::Root, Field::Int(i, _)) => matches!(i, I::Size | I::Leaves | I::Total),
            (Kind::Wrap, Field::Folded) => true,
            (Kind::Wrap, Field::Int(i, _)) => matches!(i, I::Size | I::Leaves | I::Total),
            (Kind::EachPeak, Field::Peak) => true,
            (Kind::EachPeak, Field::Int(i, _)) => matches!(i, I::PeakValue),
            _ => false,
        }
    }
}

/// A preimage template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template(pub Vec<Field>);

/// The root of the empty MMR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmptyRoot {
    /// 32 zero bytes.
    Zero,
    /// None: the root of the empty MMR is an `empty-root` error.
    Undefined,
    /// The flat root template over no peaks (flat profiles only).
    Commit,
    /// The root template around the bagged peaks applied to an empty fold: its `folded`
    /// field writes nothing (non-flat profiles with a `root` template; commonware-storage).
    Template,
}

/// Why a declared profile was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclError(pub String);

impl fmt::Display for DeclError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeclError {}

/// A profile described as data (SPEC.md D10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    name: &'static str,
    hash: HashFn,
    values: bool,
    leaf: Template,
    parent: Template,
    bagging: Bagging,
    bag: Template,
    /// Flat: the root commitment; the others: the root template around the bagged peaks,
    /// if any (D11).
    root: Option<Template>,
    empty_root: EmptyRoot,
    proof: ProofShape,
}

/// The parts of a declared profile, as a profile file gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    /// The profile's name (as `--profile` and vector files name it).
    pub name: String,
    /// The hash function.
    pub hash: HashFn,
    /// Whether the templates may write values (false: a library without sums).
    pub values: bool,
    /// The leaf template.
    pub leaf: Template,
    /// The parent template.
    pub parent: Template,
    /// The bagging shape.
    pub bagging: Bagging,
    /// The bagging step (fold-right, fold-left and peak-tree baggings).
    pub bag: Option<Template>,
    /// The root commitment (flat bagging), or the optional root template around the bagged
    /// peaks (the other baggings).
    pub root: Option<Template>,
    /// The root of the empty MMR.
    pub empty_root: EmptyRoot,
    /// How a coin proof lists the other peaks (D13).
    pub proof: ProofShape,
}

fn check(t: &Template, kind: Kind, values: bool) -> Result<(), DeclError> {
    for (k, f) in t.0.iter().enumerate() {
        if !kind.allows(f) {
            return Err(DeclError(format!(
                "template {}: field {} ({}) is not defined there",
                kind.name(),
                k + 1,
                field_name(f)
            )));
        }
        if let Field::Int(i, _) = f
            && i.is_value()
            && !values
        {
            return Err(DeclError(format!(
                "template {}: field {} writes {} but the profile declares values: false",
                kind.name(),
                k + 1,
                i.name()
            )));
        }
        if let Field::Peaks(inner) = f {
            check(&Template(inner.clone()), Kind::EachPeak, values)?;
        }
    }
    Ok(())
}

fn field_name(f: &Field) -> String {
    match f {
        Field::Bytes(_) => "bytes".into(),
        Field::Int(i, _) => i.name().into(),
        Field::Data => "data".into(),
        Field::Left => "left".into(),
        Field::Right => "right".into(),
        Field::Peaks(_) => "peaks".into(),
        Field::Peak => "peak".into(),
        Field::Folded => "folded".into(),
    }
}

/// The leaf count of an MMR of valid `size` (D4: the size after n leaves is
/// `2n - popcount(n)`), for the `leaves` field: the mountains of the size, largest first,
/// each of height h holding 2^h leaves. Some count for an invalid size (the remainder
/// ignored): a verifier rejects such sizes before any root is computed (D14 rule 1).
fn leaves_of(size: u64) -> u64 {
    let mut rest = size;
    let mut leaves = 0u64;
    for h in (0..64u32).rev() {
        // A mountain of height h has 2^(h+1) - 1 nodes; h = 63 gives u64::MAX.
        let nodes = if h == 63 {
            u64::MAX
        } else {
            (1u64 << (h + 1)) - 1
        };
        if rest >= nodes {
            rest -= nodes;
            leaves |= 1u64 << h;
        }
    }
    leaves
}

/// The height of the node at `pos` (D2), for the `height` field; 0 outside the domain.
fn height_of(pos: u64) -> u64 {
    let Some(mut p) = pos.checked_add(1) else {
        return 0;
    };
    // Jump left to the leftmost node of the same height until p is all ones (a perfect
    // tree's peak); its bit length minus one is the height.
    while p.count_ones() != 64 - p.leading_zeros() {
        let top = 1u64 << (63 - p.leading_zeros());
        p -= top - 1;
    }
    u64::from(63 - p.leading_zeros())
}

/// The values a template's fields read.
#[derive(Default)]
struct Env<'a> {
    pos: u64,
    size: u64,
    value: u64,
    sum: u64,
    total: u64,
    data: &'a [u8],
    left: Option<&'a Node>,
    right: Option<&'a Node>,
    peaks: &'a [Node],
    peak: Option<&'a Node>,
    folded: Option<&'a Node>,
}

impl Env<'_> {
    fn int(&self, i: Int) -> u64 {
        match i {
            Int::Pos => self.pos,
            Int::PosPlusOne => self.pos.wrapping_add(1),
            Int::Height => height_of(self.pos),
            Int::Size => self.size,
            Int::Leaves => leaves_of(self.size),
            Int::Value => self.value,
            Int::Sum => self.sum,
            Int::Total => self.total,
            Int::DataLen => self.data.len() as u64,
            Int::LeftValue => self.left.map_or(0, |n| n.value),
            Int::RightValue => self.right.map_or(0, |n| n.value),
            Int::PeakValue => self.peak.map_or(0, |n| n.value),
        }
    }

    fn write(&self, fields: &[Field], out: &mut Vec<u8>) {
        for f in fields {
            match f {
                Field::Bytes(b) => out.extend_from_slice(b),
                Field::Int(i, enc) => enc.put(out, self.int(*i)),
                Field::Data => out.extend_from_slice(self.data),
                Field::Left => {
                    out.extend_from_slice(self.left.map_or(&[0; 32], |n| n.hash.as_bytes()))
                }
                Field::Right => {
                    out.extend_from_slice(self.right.map_or(&[0; 32], |n| n.hash.as_bytes()))
                }
                Field::Peak => {
                    out.extend_from_slice(self.peak.map_or(&[0; 32], |n| n.hash.as_bytes()))
                }
                Field::Folded => {
                    if let Some(n) = self.folded {
                        out.extend_from_slice(n.hash.as_bytes());
                    }
                }
                Field::Peaks(inner) => {
                    for p in self.peaks {
                        let e = Env {
                            peak: Some(p),
                            ..Env::default()
                        };
                        e.write(inner, out);
                    }
                }
            }
        }
    }
}

impl Declared {
    /// Checks the parts and builds the profile. The name is leaked once: a profile lives for
    /// the rest of the process (it is registered, `profiles::register`).
    pub fn new(p: Parts) -> Result<Declared, DeclError> {
        if p.name.is_empty()
            || !p
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err(DeclError(format!(
                "profile name {:?}: use letters, digits, '-', '_' and '.'",
                p.name
            )));
        }
        check(&p.leaf, Kind::Leaf, p.values)?;
        check(&p.parent, Kind::Parent, p.values)?;
        let (bag, root) = match p.bagging {
            Bagging::Flat => {
                if p.bag.is_some() {
                    return Err(DeclError(
                        "bagging flat takes a `root` template, not `bag`".into(),
                    ));
                }
                let root = p
                    .root
                    .ok_or_else(|| DeclError("bagging flat needs a `root` template".into()))?;
                check(&root, Kind::Root, p.values)?;
                if p.empty_root == EmptyRoot::Template {
                    return Err(DeclError(
                        "empty_root template needs a bagging other than flat (use commit)".into(),
                    ));
                }
                (Template(vec![]), Some(root))
            }
            Bagging::FoldRight | Bagging::FoldLeft | Bagging::PeakTree => {
                let bag = p.bag.ok_or_else(|| {
                    DeclError(
                        "bagging fold-right, fold-left and peak-tree need a `bag` template".into(),
                    )
                })?;
                check(&bag, Kind::Bag, p.values)?;
                if let Some(root) = &p.root {
                    check(root, Kind::Wrap, p.values)?;
                }
                match p.empty_root {
                    EmptyRoot::Commit => {
                        return Err(DeclError(
                            "empty_root commit needs bagging flat (use zero, none or template)"
                                .into(),
                        ));
                    }
                    EmptyRoot::Template if p.root.is_none() => {
                        return Err(DeclError(
                            "empty_root template needs a `root` template around the bagged peaks"
                                .into(),
                        ));
                    }
                    _ => {}
                }
                (bag, p.root)
            }
        };
        Ok(Declared {
            name: Box::leak(p.name.into_boxed_str()),
            hash: p.hash,
            values: p.values,
            leaf: p.leaf,
            parent: p.parent,
            bagging: p.bagging,
            bag,
            root,
            empty_root: p.empty_root,
            proof: p.proof,
        })
    }

    /// Whether the templates write values.
    pub fn values(&self) -> bool {
        self.values
    }

    /// The hash function.
    pub fn hash_fn(&self) -> HashFn {
        self.hash
    }

    fn digest(&self, t: &Template, env: &Env<'_>) -> Hash {
        let mut buf = Vec::with_capacity(128 + env.data.len());
        env.write(&t.0, &mut buf);
        self.hash.digest(&buf)
    }
}

impl Profile for Declared {
    fn name(&self) -> &'static str {
        self.name
    }

    fn leaf_hash(&self, pos: u64, data: &[u8], value: u64) -> Hash {
        self.digest(
            &self.leaf,
            &Env {
                pos,
                value,
                data,
                ..Env::default()
            },
        )
    }

    fn parent_hash(&self, pos: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        self.digest(
            &self.parent,
            &Env {
                pos,
                sum,
                left: Some(left),
                right: Some(right),
                ..Env::default()
            },
        )
    }

    fn bagging(&self) -> Bagging {
        self.bagging
    }

    fn bag_hash(&self, size: u64, left: &Node, right: &Node, sum: u64) -> Hash {
        if self.bagging == Bagging::Flat {
            return self.commit_hash(size, sum, &[*left, *right]);
        }
        self.digest(
            &self.bag,
            &Env {
                size,
                sum,
                left: Some(left),
                right: Some(right),
                ..Env::default()
            },
        )
    }

    fn commit_hash(&self, size: u64, total: u64, peaks: &[Node]) -> Hash {
        if self.bagging != Bagging::Flat {
            // Unused by these baggings; total like the shipped profiles' versions.
            return fold_right(peaks, |l, r| {
                self.bag_hash(size, l, r, l.value.saturating_add(r.value))
            })
            .unwrap_or(Hash::ZERO);
        }
        let Some(root) = &self.root else {
            return Hash::ZERO; // unreachable: Declared::new demands it for flat
        };
        self.digest(
            root,
            &Env {
                size,
                total,
                peaks,
                ..Env::default()
            },
        )
    }

    fn empty_root(&self) -> Option<Hash> {
        match self.empty_root {
            EmptyRoot::Zero => Some(Hash::ZERO),
            EmptyRoot::Undefined => None,
            EmptyRoot::Commit => Some(self.commit_hash(0, 0, &[])),
            EmptyRoot::Template => self.root.as_ref().map(|t| self.digest(t, &Env::default())),
        }
    }

    fn proof_shape(&self) -> ProofShape {
        self.proof
    }

    fn wrap_root(&self, size: u64, folded: &Node) -> Option<Hash> {
        if self.bagging == Bagging::Flat {
            return None;
        }
        let t = self.root.as_ref()?;
        Some(self.digest(
            t,
            &Env {
                size,
                total: folded.value,
                folded: Some(folded),
                ..Env::default()
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_follow_d2() {
        // 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14
        let want = [0, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 1, 2, 3];
        for (pos, h) in want.iter().enumerate() {
            assert_eq!(height_of(pos as u64), *h, "pos {pos}");
        }
        assert_eq!(height_of(u64::MAX - 1), 63);
        assert_eq!(height_of(u64::MAX), 0);
    }

    #[test]
    fn leaves_of_inverts_d4() {
        // Against the index crate's closed form (2n - popcount(n)), a dev-dependency.
        for n in 0..5000u64 {
            let size = mmr_index::size_for_leaves(n).unwrap();
            assert_eq!(leaves_of(size), n, "size {size}");
        }
        let top = (1u64 << 62) + 12_345;
        assert_eq!(leaves_of(mmr_index::size_for_leaves(top).unwrap()), top);
    }

    #[test]
    fn root_templates_are_checked() {
        // A root template around the bagged peaks: folded, leaves, size allowed.
        let mut p = parts();
        p.bagging = Bagging::FoldLeft;
        p.root = Some(Template(vec![
            Field::Bytes(vec![0, 0]),
            Field::Int(Int::Leaves, IntEnc::U64Be),
            Field::Folded,
        ]));
        p.empty_root = EmptyRoot::Template;
        let d = Declared::new(p.clone()).unwrap();
        // Empty root: the template without the fold, hashed once (SHA-256 of ten bytes).
        let mut pre = vec![0u8, 0];
        pre.extend_from_slice(&0u64.to_be_bytes());
        assert_eq!(d.empty_root(), Some(HashFn::Sha256.digest(&pre)));
        // Around a fold: the leaf count of size 4 is 3.
        let f = Node::new(Hash([7; 32]), 0);
        let mut pre = vec![0u8, 0];
        pre.extend_from_slice(&3u64.to_be_bytes());
        pre.extend_from_slice(&[7; 32]);
        assert_eq!(d.wrap_root(4, &f), Some(HashFn::Sha256.digest(&pre)));
        // `folded` belongs to root templates only; `peaks` to flat ones only.
        let mut q = p.clone();
        q.bag = Some(Template(vec![Field::Folded]));
        assert_eq!(
            Declared::new(q).unwrap_err().0,
            "template bag: field 1 (folded) is not defined there"
        );
        let mut q = p.clone();
        q.root = Some(Template(vec![Field::Peaks(vec![Field::Peak])]));
        assert!(
            Declared::new(q)
                .unwrap_err()
                .0
                .contains("(peaks) is not defined")
        );
        // `empty_root: template` needs a root template, and a non-flat bagging.
        let mut q = p.clone();
        q.root = None;
        assert!(
            Declared::new(q)
                .unwrap_err()
                .0
                .contains("needs a `root` template")
        );
        let mut q = p;
        q.bagging = Bagging::Flat;
        q.bag = None;
        q.root = Some(Template(vec![Field::Int(Int::Size, IntEnc::U64Be)]));
        assert!(Declared::new(q).unwrap_err().0.contains("other than flat"));
        // Without a root template the bagged node is the root.
        assert_eq!(Declared::new(parts()).unwrap().wrap_root(4, &f), None);
    }

    fn parts() -> Parts {
        Parts {
            name: "t".into(),
            hash: HashFn::Sha256,
            values: false,
            leaf: Template(vec![Field::Data]),
            parent: Template(vec![
                Field::Int(Int::PosPlusOne, IntEnc::U64Be),
                Field::Left,
                Field::Right,
            ]),
            bagging: Bagging::FoldRight,
            bag: Some(Template(vec![Field::Right, Field::Left])),
            root: None,
            empty_root: EmptyRoot::Zero,
            proof: ProofShape::Bagged,
        }
    }

    #[test]
    fn templates_are_checked_against_what_they_hash() {
        assert!(Declared::new(parts()).is_ok());
        let mut p = parts();
        p.leaf = Template(vec![Field::Left]);
        assert_eq!(
            Declared::new(p).unwrap_err().0,
            "template leaf: field 1 (left) is not defined there"
        );
        let mut p = parts();
        p.parent.0.push(Field::Int(Int::Sum, IntEnc::U64Be));
        assert!(Declared::new(p).unwrap_err().0.contains("values: false"));
        let mut p = parts();
        p.bag = None;
        assert!(Declared::new(p).unwrap_err().0.contains("need a `bag`"));
        let mut p = parts();
        p.name = "../x".into();
        assert!(Declared::new(p).is_err());
        let mut p = parts();
        p.empty_root = EmptyRoot::Commit;
        assert!(Declared::new(p).is_err());
    }

    #[test]
    fn hash_functions_are_the_named_ones() {
        // Digests of the empty string, from each function's specification.
        let empty = |h: HashFn| h.digest(b"").to_hex();
        assert_eq!(
            empty(HashFn::Sha256),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            empty(HashFn::Sha3_256),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
        assert_eq!(
            empty(HashFn::Keccak256),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
        assert_eq!(
            empty(HashFn::Blake3),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert_eq!(
            empty(HashFn::Blake2b256),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
        );
    }
}
