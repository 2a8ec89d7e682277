//! The conformance protocol (vectors/PROTOCOL.md): JSON lines over the adapter's stdin and
//! stdout. The adapter speaks first with a [`Hello`]; then each request is one line with an
//! `id` and an `op` (a [`VOp`], `reset` or `arith`), and each response one line with the same
//! `id` and a `result` (a [`VOut`], errors as `{"error": "<kind>"}`), or `fatal` when the
//! adapter itself cannot go on.

use mmr_vectors::model::{Query, VOp, VOut};
use mmr_vectors::num::U64;
use serde::{Deserialize, Serialize};

/// The protocol's name, first field of the handshake.
pub const PROTOCOL: &str = "mmr-conformance";
/// The protocol version this runner speaks.
pub const VERSION: u64 = 1;

/// The adapter's first line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Always `mmr-conformance`.
    pub protocol: String,
    /// Always "1".
    pub version: U64,
    /// The implementation's name, for reports.
    pub name: String,
    /// The profiles it implements.
    pub profiles: Vec<String>,
    /// The ops it implements (names of SCHEMA.md, plus `arith` for index arithmetic).
    pub ops: Vec<String>,
}

impl Hello {
    /// Checks the protocol name and version and that every op named is known.
    pub fn validate(&self) -> Result<(), String> {
        if self.protocol != PROTOCOL {
            return Err(format!(
                "handshake names protocol {:?}, expected {PROTOCOL:?}",
                self.protocol
            ));
        }
        if self.version.0 != VERSION {
            return Err(format!(
                "handshake names protocol version {}, this runner speaks {VERSION}",
                self.version.0
            ));
        }
        for op in &self.ops {
            if op != "arith" && !mmr_vectors::model::OP_NAMES.contains(&op.as_str()) {
                return Err(format!("handshake names unknown op {op:?}"));
            }
        }
        Ok(())
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
    /// An op of the current session.
    Op(&'a VOp),
}

/// A response line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The request's id.
    pub id: u64,
    /// The op's outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<VOut>,
    /// The adapter cannot handle the request (a bug or an unsupported request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatal: Option<String>,
}

/// Parses a response line for request `id`, with a readable error for anything else.
pub fn parse_response(line: &str, id: u64) -> Result<VOut, String> {
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
        (Some(v), None) => Ok(v),
        (None, Some(f)) => Err(format!("adapter reported a fatal error: {f}")),
        _ => Err(format!(
            "a response has exactly one of `result` and `fatal`: {shown:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmr_vectors::num::Hex;

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
    }

    #[test]
    fn responses_are_checked() {
        assert_eq!(
            parse_response(r#"{"id":3,"result":"unit"}"#, 3),
            Ok(VOut::Unit)
        );
        assert_eq!(
            parse_response(r#"{"id":3,"result":{"error":"root-mismatch"}}"#, 3)
                .unwrap()
                .error(),
            Some(mmr_spec::ErrorKind::RootMismatch)
        );
        assert!(parse_response("hello", 3).unwrap_err().contains("garbage"));
        assert!(parse_response(r#"{"id":4,"result":"unit"}"#, 3).is_err());
        assert!(parse_response(r#"{"id":3,"result":{"number":5}}"#, 3).is_err());
        assert!(parse_response(r#"{"id":3,"result":{"error":"no-such-kind"}}"#, 3).is_err());
        assert!(
            parse_response(r#"{"id":3,"fatal":"boom"}"#, 3)
                .unwrap_err()
                .contains("boom")
        );
    }
}
