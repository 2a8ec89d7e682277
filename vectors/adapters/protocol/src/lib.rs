//! The side of vectors/PROTOCOL.md every Rust adapter around an outside library shares:
//! reading request fields (decimal-string u64s, lowercase hex, hash-sum nodes), the answer
//! of a rejection (a SPEC.md section 9 kind) or of a request the adapter cannot handle
//! (`fatal`), and the loop that serves a session on stdin/stdout without ever panicking.
//! What differs per library (the ops, the library's calls, how its errors are named) is
//! the adapter's [`Session`].
//!
//! ```no_run
//! use mmr_adapter_protocol::{Res, Session, fatal, serve};
//! use serde_json::{Value, json};
//!
//! #[derive(Default)]
//! struct Nothing;
//!
//! impl Session for Nothing {
//!     fn handle(&mut self, op: &str, _req: &Value) -> Res<Value> {
//!         fatal(format!("op {op:?} is not implemented by this adapter"))
//!     }
//! }
//!
//! serve::<Nothing>(json!({"protocol": "mmr-conformance", "version": "2",
//!     "name": "nothing", "profiles": ["default"], "ops": []}));
//! ```

#![forbid(unsafe_code)]

use mmr_spec::{Hash, Node};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// How a request fails: a rejection with a SPEC.md section 9 kind, or a request the
/// adapter cannot handle at all (reported as `fatal`).
#[derive(Debug, PartialEq, Eq)]
pub enum Fail {
    /// `{"error": KIND}`: the library (or the adapter's own glue) rejected the input.
    Kind(&'static str),
    /// `{"fatal": MESSAGE}`: a malformed request or a bug; the runner reports the adapter.
    Fatal(String),
}

/// The outcome of one request.
pub type Res<T> = Result<T, Fail>;

/// A `fatal` answer.
pub fn fatal<T>(msg: impl Into<String>) -> Res<T> {
    Err(Fail::Fatal(msg.into()))
}

/// One adapter session: everything between two `reset`s, `reset` included.
pub trait Session: Default {
    /// Answers one request `op` (its tag) with the request's other fields in `req`.
    fn handle(&mut self, op: &str, req: &Value) -> Res<Value>;
}

/// The field `name` of a request.
pub fn field<'a>(req: &'a Value, name: &str) -> Res<&'a Value> {
    req.get(name)
        .ok_or_else(|| Fail::Fatal(format!("missing field {name:?}")))
}

/// A canonical decimal-string u64 (SCHEMA.md: no sign, no leading zero).
pub fn u64_of(v: &Value, what: &str) -> Res<u64> {
    let s = v
        .as_str()
        .ok_or_else(|| Fail::Fatal(format!("{what}: expected a decimal string")))?;
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    match s.parse::<u64>() {
        Ok(n) if canonical => Ok(n),
        _ => fatal(format!("{what}: {s:?} is not a u64 decimal string")),
    }
}

/// [`u64_of`] of the field `name`.
pub fn u64_field(req: &Value, name: &str) -> Res<u64> {
    u64_of(field(req, name)?, name)
}

/// Lowercase hex bytes.
pub fn hex_of(v: &Value, what: &str) -> Res<Vec<u8>> {
    let s = v
        .as_str()
        .ok_or_else(|| Fail::Fatal(format!("{what}: expected a hex string")))?;
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        return fatal(format!("{what}: uppercase hex"));
    }
    mmr_spec::from_hex(s).map_err(|e| Fail::Fatal(format!("{what}: {e}")))
}

/// [`hex_of`] of the field `name`.
pub fn hex_field(req: &Value, name: &str) -> Res<Vec<u8>> {
    hex_of(field(req, name)?, name)
}

/// A node `{"hash": HEX64, "value": DECIMAL}`.
pub fn node_of(v: &Value, what: &str) -> Res<Node> {
    let bytes = hex_of(field(v, "hash")?, what)?;
    let hash: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Fail::Fatal(format!("{what}: a hash has 64 hex digits")))?;
    Ok(Node::new(Hash(hash), u64_of(field(v, "value")?, what)?))
}

/// The list field `name`.
pub fn list<'a>(req: &'a Value, name: &str) -> Res<&'a Vec<Value>> {
    field(req, name)?
        .as_array()
        .ok_or_else(|| Fail::Fatal(format!("{name}: expected a list")))
}

/// A node as answers carry it.
pub fn node_out(n: &Node) -> Value {
    json!({"hash": n.hash.to_hex(), "value": n.value.to_string()})
}

/// A decoding by mmr-spec (D13, D15): its error is the rejection's kind.
pub fn decode<T>(r: Result<T, mmr_spec::Error>) -> Res<T> {
    r.map_err(|e| Fail::Kind(e.kind().name()))
}

/// `reset` for an adapter of one profile and no blocks: checks the profile and reads
/// `retain` (for validity; without blocks it has no effect), then starts a fresh session.
pub fn reset_one_profile<S: Default>(session: &mut S, req: &Value, profile: &str) -> Res<Value> {
    let given = field(req, "profile")?;
    if given.as_str() != Some(profile) {
        return fatal(format!(
            "profile {given}: this adapter implements {profile} only"
        ));
    }
    u64_field(req, "retain")?;
    *session = S::default();
    Ok(json!("unit"))
}

/// The size of the state the field `at` names for an adapter without blocks: `current`
/// (of size `current`), or height 0 (the empty genesis state; no block is ever
/// committed), later heights being in the future (`future-height`).
pub fn size_at(req: &Value, current: u64) -> Res<u64> {
    let at = field(req, "at")?;
    if at.as_str() == Some("current") {
        return Ok(current);
    }
    match u64_of(at, "at")? {
        0 => Ok(0),
        _ => Err(Fail::Kind("future-height")),
    }
}

/// One stderr line per rejected proof: who rejected it and the kind reported (stderr is
/// not protocol; the runner shows its tail when an adapter misbehaves).
pub fn trace(who: &str, kind: &Fail) {
    if let Fail::Kind(k) = kind {
        eprintln!("rejected by {who}; reported as {k}");
    }
}

/// One response line for one request line; never panics (a panic inside the library or
/// the adapter becomes a `fatal` response and a fresh session).
pub fn respond<S: Session>(session: &mut S, line: &str) -> Value {
    let req: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return json!({"id": null, "fatal": format!("not a JSON request line: {e}")}),
    };
    let id = match req.get("id").and_then(Value::as_u64) {
        Some(id) => Value::from(id),
        None => return json!({"id": null, "fatal": "request without an integer id"}),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let op = field(&req, "op")?
            .as_str()
            .ok_or_else(|| Fail::Fatal("op: expected a string".into()))?;
        session.handle(op, &req)
    }));
    match outcome {
        Ok(Ok(result)) => json!({"id": id, "result": result}),
        Ok(Err(Fail::Kind(kind))) => json!({"id": id, "result": {"error": kind}}),
        Ok(Err(Fail::Fatal(msg))) => json!({"id": id, "fatal": msg}),
        Err(_) => {
            *session = S::default();
            json!({"id": id, "fatal": "panic while handling the request (session reset)"})
        }
    }
}

/// Writes the handshake `hello`, then serves one session on stdin/stdout until stdin ends
/// (or stdout closes).
pub fn serve<S: Session>(hello: Value) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if writeln!(out, "{hello}").and_then(|()| out.flush()).is_err() {
        return;
    }
    let mut session = S::default();
    let stdin = std::io::stdin();
    for line in stdin.lock().split(b'\n') {
        let Ok(bytes) = line else { return };
        let text = String::from_utf8_lossy(&bytes);
        if text.trim().is_empty() {
            continue;
        }
        let resp = respond(&mut session, &text);
        if writeln!(out, "{resp}").and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers `ping` and panics on `boom`; counts requests since the last reset.
    #[derive(Default)]
    struct Probe(u32);

    impl Session for Probe {
        fn handle(&mut self, op: &str, req: &Value) -> Res<Value> {
            self.0 += 1;
            match op {
                "ping" => Ok(json!({"number": self.0.to_string()})),
                "boom" => panic!("boom"),
                "kind" => Err(Fail::Kind("root-mismatch")),
                "n" => Ok(json!({"number": u64_field(req, "n")?.to_string()})),
                other => fatal(format!("op {other:?}")),
            }
        }
    }

    #[test]
    fn answers_carry_the_id_and_the_outcome() {
        let mut s = Probe::default();
        assert_eq!(
            respond(&mut s, r#"{"id":7,"op":"ping"}"#),
            json!({"id": 7, "result": {"number": "1"}})
        );
        assert_eq!(
            respond(&mut s, r#"{"id":8,"op":"kind"}"#),
            json!({"id": 8, "result": {"error": "root-mismatch"}})
        );
        assert_eq!(
            respond(&mut s, r#"{"id":9,"op":"n","n":"18446744073709551615"}"#)["result"],
            json!({"number": "18446744073709551615"})
        );
    }

    #[test]
    fn malformed_requests_are_fatal_never_panics() {
        let mut s = Probe::default();
        for line in [
            "not json",
            "[]",
            "{}",
            r#"{"id":-1,"op":"ping"}"#,
            r#"{"id":1}"#,
            r#"{"id":1,"op":7}"#,
            r#"{"id":1,"op":"n"}"#,
            r#"{"id":1,"op":"n","n":"01"}"#,
            r#"{"id":1,"op":"n","n":"18446744073709551616"}"#,
            r#"{"id":1,"op":"n","n":5}"#,
            r#"{"id":1,"op":"other"}"#,
        ] {
            assert!(respond(&mut s, line).get("fatal").is_some(), "{line}");
        }
    }

    #[test]
    fn a_panic_resets_the_session() {
        let mut s = Probe::default();
        respond(&mut s, r#"{"id":1,"op":"ping"}"#);
        let r = respond(&mut s, r#"{"id":2,"op":"boom"}"#);
        assert_eq!(r["id"], 2);
        assert!(r["fatal"].as_str().unwrap().contains("session reset"));
        assert_eq!(s.0, 0);
    }

    #[test]
    fn fields_are_read_strictly() {
        let n = json!({"hash": "ab".repeat(32), "value": "3"});
        assert_eq!(node_of(&n, "n").unwrap().value, 3);
        assert!(node_of(&json!({"hash": "AB".repeat(32), "value": "3"}), "n").is_err());
        assert!(node_of(&json!({"hash": "ab", "value": "3"}), "n").is_err());
        assert_eq!(hex_of(&json!("00ff"), "x").unwrap(), vec![0, 0xff]);
        assert!(hex_of(&json!("0"), "x").is_err());
        assert!(list(&json!({"l": "x"}), "l").is_err());
    }
}
