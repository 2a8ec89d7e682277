//! Exact scalar forms shared by the YAML vectors and the JSON protocol.
//!
//! Every u64 is written as a *decimal string* (`"18446744073709551615"`) so that readers in
//! every language keep it exact (JSON numbers above 2^53 lose precision in JavaScript, and
//! YAML readers differ on big integers). Bytes and hashes are lowercase hex strings.

use mmr_spec::{ErrorKind, Hash, Node};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A u64 written as a decimal string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct U64(pub u64);

/// Parses a canonical decimal u64: 1 to 20 ASCII digits, no sign, no leading zero (except
/// `"0"` itself), at most u64::MAX.
pub fn parse_u64(s: &str) -> Result<u64, String> {
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "expected a u64 as a decimal string of digits, found {s:?}"
        ));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(format!("a u64 has no leading zeros, found {s:?}"));
    }
    s.parse::<u64>()
        .map_err(|_| format!("{s:?} exceeds u64::MAX (18446744073709551615)"))
}

impl Serialize for U64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = U64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a u64 as a quoted decimal string, e.g. \"42\"")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<U64, E> {
        parse_u64(v).map(U64).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<U64, E> {
        Err(E::custom(format!(
            "u64 values must be quoted decimal strings (write \"{v}\"), so that every reader keeps them exact"
        )))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<U64, E> {
        Err(E::custom(format!(
            "u64 values must be quoted decimal strings, found the number {v}"
        )))
    }
}

impl<'de> Deserialize<'de> for U64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<U64, D::Error> {
        d.deserialize_str(U64Visitor)
    }
}

/// A byte string written as lowercase hex (possibly empty).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Hex(pub Vec<u8>);

/// Parses lowercase hex with an even number of digits.
pub fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    if let Some(i) = s.bytes().position(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "hex must be lowercase (character {i} of {:?})",
            short(s)
        ));
    }
    mmr_spec::from_hex(s).map_err(|e| format!("bad hex {:?}: {e}", short(s)))
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&mmr_spec::to_hex(&self.0))
    }
}

struct HexVisitor;

impl Visitor<'_> for HexVisitor {
    type Value = Hex;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "bytes as a quoted lowercase hex string (unquoted, YAML reads hex such as 10, 1e10 or true as a number or a boolean: write it in double quotes)",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Hex, E> {
        parse_hex(v).map(Hex).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Hex, E> {
        Err(E::custom(format!(
            "hex must be a quoted string (write \"{v}\")"
        )))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Hex, E> {
        Err(E::custom(format!(
            "hex must be a quoted string (write \"{v}\")"
        )))
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hex, D::Error> {
        d.deserialize_str(HexVisitor)
    }
}

/// A 32-byte hash as 64 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct HashHex(pub Hash);

impl Serialize for HashHex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_hex())
    }
}

impl<'de> Deserialize<'de> for HashHex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HashHex, D::Error> {
        let Hex(b) = Hex::deserialize(d)?;
        let arr: [u8; 32] = b.as_slice().try_into().map_err(|_| {
            de::Error::custom(format!(
                "a hash is 32 bytes (64 hex digits), found {} bytes",
                b.len()
            ))
        })?;
        Ok(HashHex(Hash(arr)))
    }
}

/// A node: its hash and value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VNode {
    /// The node's hash.
    pub hash: HashHex,
    /// The node's value.
    pub value: U64,
}

impl From<Node> for VNode {
    fn from(n: Node) -> Self {
        VNode {
            hash: HashHex(n.hash),
            value: U64(n.value),
        }
    }
}

impl From<VNode> for Node {
    fn from(n: VNode) -> Self {
        Node::new(n.hash.0, n.value.0)
    }
}

/// An error kind by its stable kebab-case name (SPEC.md section 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kind(pub ErrorKind);

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        ErrorKind::from_name(&s).map(Kind).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown error kind {s:?} (kinds are the kebab-case names of SPEC.md section 9)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings_are_strict() {
        assert_eq!(parse_u64("0"), Ok(0));
        assert_eq!(parse_u64("18446744073709551615"), Ok(u64::MAX));
        assert!(parse_u64("18446744073709551616").is_err());
        assert!(parse_u64("007").is_err());
        assert!(parse_u64("-1").is_err());
        assert!(parse_u64("").is_err());
        assert!(parse_u64("1e3").is_err());
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(parse_hex("00ff"), Ok(vec![0, 255]));
        assert!(parse_hex("00FF").is_err());
        assert!(parse_hex("0").is_err());
        assert_eq!(parse_hex(""), Ok(vec![]));
    }
}
