//! The adapter's own checks, compiled into both binaries, so each runs on its library
//! (grin_core, mwc_core); `vectors/adapters/reach.sh` runs every grin vector on both.

use crate::adapter::*;
use mmr_adapter_protocol::respond;
use serde_json::{Value, json};

fn ask(s: &mut Grin, req: Value) -> Value {
    respond(s, &req.to_string())
}

/// Seven leaves (data `[i]`, value `i + 1`), as vectors/grin/roots.yaml's
/// `seven-leaves-all-nodes`.
fn seven() -> Grin {
    let mut s = Grin::default();
    for i in 0..7u8 {
        let r = ask(
            &mut s,
            json!({"id": 1, "op": "append", "data": format!("{i:02x}"), "value": (u64::from(i) + 1).to_string()}),
        );
        assert_eq!(r["result"]["number"], i.to_string());
    }
    s
}

#[test]
fn grins_root_is_the_vectors_root() {
    let mut s = seven();
    let st = ask(&mut s, json!({"id": 2, "op": "state", "at": "current"}));
    let state = &st["result"]["state"];
    assert_eq!(state["size"], "11");
    assert_eq!(state["leaf_count"], "7");
    // vectors/grin/roots.yaml, seven-leaves-all-nodes.
    assert_eq!(
        state["root"],
        json!({"hash": "237ef315361540500a1119704a43cd5657c0672584aad004c18c5ccee79a2d83", "value": "28"})
    );
    assert_eq!(state["peaks"][0]["value"], "10");
    let empty = ask(&mut s, json!({"id": 3, "op": "state", "at": "0"}));
    assert_eq!(empty["result"]["state"]["root"]["hash"], "00".repeat(32));
}

#[test]
fn grins_proofs_verify_on_grin_and_values_are_checked() {
    let mut s = seven();
    let root =
        ask(&mut s, json!({"id": 1, "op": "state", "at": "current"}))["result"]["state"]["root"]
            .clone();
    for i in 0..7u8 {
        let p = ask(
            &mut s,
            json!({"id": 2, "op": "prove", "at": "current", "index": i.to_string()}),
        );
        let bytes = p["result"]["bytes"].as_str().expect("a proof").to_string();
        let verify = |value: u64| {
            json!({"id": 3, "op": "verify", "root": root, "proof": bytes,
                   "data": format!("{i:02x}"), "value": value.to_string()})
        };
        assert_eq!(
            ask(&mut s, verify(u64::from(i) + 1))["result"],
            "unit",
            "leaf {i}"
        );
        assert_eq!(
            ask(&mut s, verify(u64::from(i) + 2))["result"]["error"],
            "sum-mismatch",
            "leaf {i}"
        );
    }
    let beyond = ask(
        &mut s,
        json!({"id": 4, "op": "prove", "at": "current", "index": "7"}),
    );
    assert_eq!(beyond["result"]["error"], "leaf-index-out-of-range");
    let node = ask(
        &mut s,
        json!({"id": 5, "op": "node", "at": "current", "pos": "11"}),
    );
    assert_eq!(node["result"]["error"], "position-out-of-range");
}

#[test]
fn an_overflowing_append_leaves_grin_untouched() {
    let mut s = Grin::default();
    let max = u64::MAX.to_string();
    ask(
        &mut s,
        json!({"id": 1, "op": "append", "data": "00", "value": max}),
    );
    let r = ask(
        &mut s,
        json!({"id": 2, "op": "append", "data": "01", "value": "1"}),
    );
    assert_eq!(r["result"]["error"], "value-overflow");
    assert_eq!(s.backend.size(), 1);
    assert_eq!(s.size(), 1);
}

#[test]
fn requests_outside_the_adapter_are_fatal() {
    let mut s = Grin::default();
    for req in [
        json!({"id": 1, "op": "reset", "profile": "ckb", "retain": "1"}),
        json!({"id": 1, "op": "verify_node"}),
        json!({"id": 1, "op": "spend", "index": "0", "data": ""}),
        json!({"id": 1, "op": "state", "at": "yesterday"}),
    ] {
        assert!(ask(&mut s, req.clone()).get("fatal").is_some(), "{req}");
    }
    let far = ask(&mut s, json!({"id": 1, "op": "state", "at": "1"}));
    assert_eq!(far["result"]["error"], "future-height");
}
