//! The conformance protocol (vectors/PROTOCOL.md): JSON lines over the adapter's stdin and
//! stdout. The adapter speaks first with a [`Hello`]; then each request is one line with an
//! `id` and an `op` (a [`VOp`], `reset`, `arith` or, for adapters taking hashed leaves,
//! `append_hash`), and each response one line with the same `id` and a `result` (a [`VOut`],
//! errors as `{"error": "<kind>"}`, or `{"error": "rejected"}` where the handshake says
//! `errors: "any"`), or `fatal` when the adapter itself cannot go on.
//!
//! Version 1 handshakes keep working: they mean `errors: "exact"`, `leaves: "data"`,
//! `values: true`, every proof encoding, and `arith` in `ops` for every function.

use mmr_vectors::model::{ARITH_NAMES, OP_NAMES, Query, VOp, VOut};
use mmr_vectors::num::{Hex, U64};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The protocol's name, first field of the handshake.
pub const PROTOCOL: &str = "mmr-conformance";
/// The newest protocol version this runner speaks (it also speaks version 1).
pub const VERSION: u64 = 2;

/// The proof encodings of SPEC.md: D13 single proofs and D15 batch proofs.
pub const ENCODINGS: &[&str] = &["d13", "d15"];

/// How an adapter reports rejections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Errors {
    /// With the exact kind of SPEC.md section 9.
    #[default]
    Exact,
    /// Possibly as `{"error":"rejected"}`, which passes wherever a vector expects any error.
    Any,
}

/// What an adapter's `append` takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leaves {
    /// Leaf data and value (`append`).
    #[default]
    Data,
    /// A leaf hash and value (`append_hash`): the runner hashes the data with the profile.
    Hashed,
}

/// The adapter's first line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hello {
    /// Always `mmr-conformance`.
    pub protocol: String,
    /// "1" or "2".
    pub version: U64,
    /// The implementation's name, for reports.
    pub name: String,
    /// The profiles it implements.
    pub profiles: Vec<String>,
    /// The ops it implements (names of SCHEMA.md, plus `arith` for index arithmetic).
    pub ops: Vec<String>,
    /// Version 2: the arithmetic functions it implements (`fn` names of SCHEMA.md); absent:
    /// all of them if `ops` lists `arith`, none otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arith: Option<Vec<String>>,
    /// Version 2: how rejections are reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Errors>,
    /// Version 2: whether `append` takes data or a leaf hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaves: Option<Leaves>,
    /// Version 2: false for libraries without value sums (every value is compared as 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<bool>,
    /// Version 2: the proof encodings it reads and writes (of [`ENCODINGS`]); absent: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proofs: Option<Vec<String>>,
    /// Version 2: the library and version under test (e.g. `ckb-merkle-mountain-range
    /// 0.6.1`), shown in reports next to the vectors' leniency flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
}

/// What a target can run, from its handshake (or everything, for the built-ins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caps {
    /// Profiles.
    pub profiles: BTreeSet<String>,
    /// Ops (without `arith`).
    pub ops: BTreeSet<String>,
    /// Arithmetic functions.
    pub arith: BTreeSet<String>,
    /// How rejections are reported.
    pub errors: Errors,
    /// What `append` takes.
    pub leaves: Leaves,
    /// Whether values are tracked.
    pub values: bool,
    /// Proof encodings.
    pub proofs: BTreeSet<String>,
    /// The library under test, if named.
    pub library: Option<String>,
}

impl Caps {
    /// Everything: the built-in implementations.
    pub fn all(profiles: impl IntoIterator<Item = String>) -> Caps {
        Caps {
            profiles: profiles.into_iter().collect(),
            ops: OP_NAMES.iter().map(|s| s.to_string()).collect(),
            arith: ARITH_NAMES.iter().map(|s| s.to_string()).collect(),
            errors: Errors::Exact,
            leaves: Leaves::Data,
            values: true,
            proofs: ENCODINGS.iter().map(|s| s.to_string()).collect(),
            library: None,
        }
    }

    /// Whether the target implements this op (`arith`: any arithmetic function).
    pub fn has_op(&self, op: &str) -> bool {
        if op == "arith" {
            !self.arith.is_empty()
        } else {
            self.ops.contains(op)
        }
    }

    /// One line for people: `profiles [...], ops [...], arith [...], errors any, ...`.
    pub fn describe(&self) -> String {
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
        let mut out = format!(
            "profiles [{}], ops [{}]",
            list(&self.profiles),
            list(&self.ops)
        );
        if self.arith.len() == ARITH_NAMES.len() {
            out.push_str(", arith [all]");
        } else if !self.arith.is_empty() {
            out.push_str(&format!(", arith [{}]", list(&self.arith)));
        }
        if self.errors == Errors::Any {
            out.push_str(", errors any");
        }
        if self.leaves == Leaves::Hashed {
            out.push_str(", leaves hashed");
        }
        if !self.values {
            out.push_str(", no values");
        }
        if self.proofs.len() != ENCODINGS.len() {
            out.push_str(&format!(", proofs [{}]", list(&self.proofs)));
        }
        if let Some(l) = &self.library {
            out.push_str(&format!(", library {l}"));
        }
        out
    }
}

impl Hello {
    /// Checks the protocol name, the version, every name listed, and that a version 1
    /// handshake has no version 2 field; returns the capabilities.
    pub fn validate(&self) -> Result<Caps, String> {
        if self.protocol != PROTOCOL {
            return Err(format!(
                "handshake names protocol {:?}, expected {PROTOCOL:?}",
                self.protocol
            ));
        }
        let v = self.version.0;
        if v != 1 && v != 2 {
            return Err(format!(
                "handshake names protocol version {v}, this runner speaks 1 and {VERSION}"
            ));
        }
        if v == 1 {
            let v2: Vec<&str> = [
                ("arith", self.arith.is_some()),
                ("errors", self.errors.is_some()),
                ("leaves", self.leaves.is_some()),
                ("values", self.values.is_some()),
                ("proofs", self.proofs.is_some()),
                ("library", self.library.is_some()),
            ]
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(n, _)| n)
            .collect();
            if !v2.is_empty() {
                return Err(format!(
                    "handshake version 1 has version 2 field(s) {}: declare \"version\":\"2\"",
                    v2.join(", ")
                ));
            }
        }
        let mut ops = BTreeSet::new();
        let mut all_arith = false;
        for op in &self.ops {
            if op == "arith" {
                all_arith = true;
            } else if OP_NAMES.contains(&op.as_str()) {
                ops.insert(op.clone());
            } else {
                return Err(format!(
                    "handshake names unknown op {op:?} (known: {}, arith)",
                    OP_NAMES.join(", ")
                ));
            }
        }
        let arith: BTreeSet<String> = match &self.arith {
            Some(list) => {
                for f in list {
                    if !ARITH_NAMES.contains(&f.as_str()) {
                        return Err(format!(
                            "handshake names unknown arith function {f:?} (known: {})",
                            ARITH_NAMES.join(", ")
                        ));
                    }
                }
                list.iter().cloned().collect()
            }
            None if all_arith => ARITH_NAMES.iter().map(|s| s.to_string()).collect(),
            None => BTreeSet::new(),
        };
        let proofs: BTreeSet<String> = match &self.proofs {
            Some(list) => {
                for e in list {
                    if !ENCODINGS.contains(&e.as_str()) {
                        return Err(format!(
                            "handshake names proof encoding {e:?}, which this runner cannot produce (known: {})",
                            ENCODINGS.join(", ")
                        ));
                    }
                }
                list.iter().cloned().collect()
            }
            None => ENCODINGS.iter().map(|s| s.to_string()).collect(),
        };
        Ok(Caps {
            profiles: self.profiles.iter().cloned().collect(),
            ops,
            arith,
            errors: self.errors.unwrap_or_default(),
            leaves: self.leaves.unwrap_or_default(),
            values: self.values.unwrap_or(true),
            proofs,
            library: self.library.clone(),
        })
    }
}

/// A request line.
pub fn request(id: u64, body: &Body<'_>) -> String {
    let mut v = match body {
        Body::Reset { profile, retain } => serde_json::json!({
            "op": "reset",
            "profile": profile,
            "retain": U64(*retain),
        }),
        Body::Arith(q) => serde_json::json!({ "op": "arith", "query": q }),
        Body::AppendHash { hash, value } => serde_json::json!({
            "op": "append_hash",
            "hash": Hex(hash.to_vec()),
            "value": U64(*value),
        }),
        Body::Op(op) => serde_json::to_value(op).unwrap_or(serde_json::Value::Null),
    };
    if let Some(m) = v.as_object_mut() {
        m.insert("id".into(), serde_json::Value::from(id));
    }
    v.to_string()
}

/// What a request asks.
pub enum Body<'a> {
    /// Start a new session.
    Reset {
        /// Profile name.
        profile: &'a str,
        /// Retention.
        retain: u64,
    },
    /// An index-arithmetic query.
    Arith(&'a Query),
    /// Append a leaf given by its hash (adapters declaring `leaves: "hashed"`).
    AppendHash {
        /// The leaf hash under the session's profile.
        hash: [u8; 32],
        /// The leaf value.
        value: u64,
    },
    /// An op of the current session.
    Op(&'a VOp),
}

/// An adapter's answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Got {
    /// A result in the form of a vector's `expect`.
    Out(VOut),
    /// `{"error":"rejected"}`: a rejection without a kind.
    Rejected,
    /// `{"error":"unsupported"}` (optionally with `"reason"`): the library cannot represent
    /// this request (a proof shape it has no form for, say). Counted apart from a
    /// rejection, never as a pass (PROTOCOL.md, "Requests a library cannot represent").
    Unsupported(String),
    /// A response line for this request whose `result` is not a valid outcome (an unknown
    /// error kind, a number out of range, a wrong shape): a wrong answer, not a broken
    /// adapter.
    Unreadable(String),
}

impl std::fmt::Display for Got {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Got::Out(v) => write!(f, "{v}"),
            Got::Rejected => f.write_str("{\"error\":\"rejected\"}"),
            Got::Unsupported(why) if why.is_empty() => f.write_str("{\"error\":\"unsupported\"}"),
            Got::Unsupported(why) => write!(f, "{{\"error\":\"unsupported\"}} ({why})"),
            Got::Unreadable(raw) => write!(f, "{raw} (not a valid result: see SCHEMA.md)"),
        }
    }
}

/// A response line.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Response {
    id: u64,
    #[serde(default)]
    result: Option<serde_json::Value>,
    #[serde(default)]
    fatal: Option<String>,
}

/// Parses a response line for request `id`. A line that is not a response for `id` is an
/// `Err` (the adapter is broken); a response whose result does not parse is
/// [`Got::Unreadable`].
pub fn parse_response(line: &str, id: u64) -> Result<Got, String> {
    let shown: String = line.chars().take(200).collect();
    let r: Response = serde_json::from_str(line)
        .map_err(|e| format!("garbage output (not a response line: {e}): {shown:?}"))?;
    if r.id != id {
        return Err(format!(
            "response for id {} while waiting for id {id}: {shown:?}",
            r.id
        ));
    }
    match (r.result, r.fatal) {
        (Some(v), None) => {
            if v == serde_json::json!({"error": "rejected"}) {
                return Ok(Got::Rejected);
            }
            if let Some(m) = v.as_object()
                && m.get("error") == Some(&serde_json::json!("unsupported"))
                && m.keys().all(|k| k == "error" || k == "reason")
            {
                let why = m.get("reason").and_then(|r| r.as_str()).unwrap_or_default();
                return Ok(Got::Unsupported(why.chars().take(200).collect()));
            }
            let raw: String = v.to_string().chars().take(300).collect();
            Ok(serde_json::from_value::<VOut>(v).map_or(Got::Unreadable(raw), Got::Out))
        }
        (None, Some(f)) => Err(format!("adapter reported a fatal error: {f}")),
        _ => Err(format!(
            "a response has exactly one of `result` and `fatal`: {shown:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(json: &str) -> Result<Caps, String> {
        serde_json::from_str::<Hello>(json)
            .map_err(|e| e.to_string())?
            .validate()
    }

    #[test]
    fn request_lines_carry_id_and_op() {
        let op = VOp::Append {
            data: Hex(vec![1, 2]),
            value: U64(u64::MAX),
        };
        let line = request(7, &Body::Op(&op));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["op"], "append");
        assert_eq!(v["value"], "18446744073709551615");
        assert_eq!(v["data"], "0102");
        let r = request(
            1,
            &Body::Reset {
                profile: "default",
                retain: 16,
            },
        );
        assert!(r.contains("\"retain\":\"16\""));
        let a = request(
            2,
            &Body::AppendHash {
                hash: [0xab; 32],
                value: 3,
            },
        );
        let v: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["op"], "append_hash");
        assert_eq!(v["hash"], "ab".repeat(32));
        assert_eq!(v["value"], "3");
    }

    #[test]
    fn responses_are_checked() {
        assert_eq!(
            parse_response(r#"{"id":3,"result":"unit"}"#, 3),
            Ok(Got::Out(VOut::Unit))
        );
        assert_eq!(
            parse_response(r#"{"id":3,"result":{"error":"rejected"}}"#, 3),
            Ok(Got::Rejected)
        );
        assert!(matches!(
            parse_response(r#"{"id":3,"result":{"error":"root-mismatch"}}"#, 3),
            Ok(Got::Out(VOut::Error(_)))
        ));
        assert!(parse_response("hello", 3).unwrap_err().contains("garbage"));
        assert!(parse_response(r#"{"id":4,"result":"unit"}"#, 3).is_err());
        // A wrong answer, not a broken adapter: reported as the step's result.
        for bad in [
            r#"{"id":3,"result":{"number":5}}"#,
            r#"{"id":3,"result":{"number":"18446744073709551616"}}"#,
            r#"{"id":3,"result":{"error":"no-such-kind"}}"#,
        ] {
            assert!(
                matches!(parse_response(bad, 3), Ok(Got::Unreadable(_))),
                "{bad}"
            );
        }
        assert!(
            parse_response(r#"{"id":3,"fatal":"boom"}"#, 3)
                .unwrap_err()
                .contains("boom")
        );
    }

    #[test]
    fn handshakes_of_both_versions() {
        let v1 = hello(
            r#"{"protocol":"mmr-conformance","version":"1","name":"a","profiles":["default"],"ops":["append","arith"]}"#,
        )
        .unwrap();
        assert_eq!(v1.arith.len(), ARITH_NAMES.len());
        assert_eq!(v1.errors, Errors::Exact);
        assert!(v1.values);
        let v2 = hello(
            r#"{"protocol":"mmr-conformance","version":"2","name":"a","profiles":["ckb"],"ops":["append"],
                "arith":["height","peaks"],"errors":"any","leaves":"hashed","values":false,"proofs":["d13"],"library":"x 1.0"}"#,
        )
        .unwrap();
        assert_eq!(v2.arith.len(), 2);
        assert!(v2.has_op("arith"));
        assert_eq!(v2.errors, Errors::Any);
        assert_eq!(v2.leaves, Leaves::Hashed);
        assert!(!v2.values);
        assert_eq!(v2.proofs.len(), 1);
        assert!(v2.describe().contains("arith [height, peaks]"));
        let e = hello(
            r#"{"protocol":"mmr-conformance","version":"1","name":"a","profiles":[],"ops":[],"errors":"any"}"#,
        )
        .unwrap_err();
        assert!(e.contains("version 2 field(s) errors"), "{e}");
        let e = hello(
            r#"{"protocol":"mmr-conformance","version":"2","name":"a","profiles":[],"ops":[],"arith":["cube"]}"#,
        )
        .unwrap_err();
        assert!(e.contains("unknown arith function \"cube\""), "{e}");
        let e = hello(
            r#"{"protocol":"mmr-conformance","version":"2","name":"a","profiles":[],"ops":[],"proofs":["grin"]}"#,
        )
        .unwrap_err();
        assert!(e.contains("proof encoding \"grin\""), "{e}");
        assert!(
            hello(
                r#"{"protocol":"mmr-conformance","version":"3","name":"a","profiles":[],"ops":[]}"#
            )
            .unwrap_err()
            .contains("speaks 1 and 2")
        );
        assert!(
            hello(r#"{"protocol":"mmr-conformance","version":"2","name":"a","profiles":[],"ops":[],"colour":1}"#)
                .is_err()
        );
    }
}
