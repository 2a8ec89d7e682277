//! Malformed vector files give clear errors, never panics.

use mmr_vectors::{parse, vectors_parse};

const GOOD: &str = r#"
type: ops
schema_version: "1"
generator: test
profile: default
description: d
cases:
- id: a
  description: d
  result: valid
  flags: []
  retain: "16"
  ops:
  - op: append
    data: "00"
    value: "18446744073709551615"
    expect:
      number: "0"
"#;

fn err(text: &str) -> String {
    match parse(text) {
        Ok(f) => panic!("accepted: {f:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_good_file_parses_and_keeps_u64_max() {
    let f = parse(GOOD).unwrap();
    let yaml = mmr_vectors::model::to_yaml(&f).unwrap();
    assert!(yaml.contains("\"18446744073709551615\""), "{yaml}");
    assert_eq!(parse(&yaml).unwrap(), f);
}

#[test]
fn each_malformation_is_named() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "\"18446744073709551615\"",
            "18446744073709551615",
            "quoted decimal",
        ),
        (
            "\"18446744073709551615\"",
            "\"18446744073709551616\"",
            "exceeds u64::MAX",
        ),
        ("\"18446744073709551615\"", "\"0x10\"", "decimal string"),
        ("data: \"00\"", "data: \"0G\"", "hex"),
        ("data: \"00\"", "data: \"AB\"", "lowercase"),
        // Unquoted hex that YAML reads as a number or a boolean: the error says to quote it.
        ("data: \"00\"", "data: 6e6577", "write it in double quotes"),
        ("data: \"00\"", "data: 1e10", "write it in double quotes"),
        ("data: \"00\"", "data: 10", "write it in double quotes"),
        ("data: \"00\"", "data: true", "write it in double quotes"),
        ("number: \"0\"", "error: no-such-kind", "unknown error kind"),
        ("op: append", "op: frobnicate", "frobnicate"),
        (
            "schema_version: \"1\"",
            "schema_version: \"2\"",
            "schema_version 2",
        ),
        ("profile: default", "profile: nope", "unknown profile"),
        ("result: valid", "result: invalid", "result is Invalid"),
        ("type: ops", "type: nonsense", "nonsense"),
        ("retain: \"16\"", "retian: \"16\"", "retian"),
    ];
    for (from, to, want) in cases {
        assert!(GOOD.contains(from), "{from}");
        let text = GOOD.replacen(from, to, 1);
        let e = err(&text);
        assert!(e.contains(want), "{to}: expected {want:?} in: {e}");
    }
    let dup = format!("{GOOD}{}", &GOOD[GOOD.find("- id: a").unwrap()..]);
    assert!(err(&dup).contains("appears twice"));
    assert!(
        vectors_parse(&[0xff, 0xfe, 0x00])
            .unwrap_err()
            .to_string()
            .contains("UTF-8")
    );
    assert!(!err("").is_empty());
    assert!(!err("[[[[").is_empty());
    assert!(!err(&"a: [".repeat(2000)).is_empty());
}

#[test]
fn truncations_and_byte_flips_of_a_real_file_never_panic() {
    let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/default/updates.yaml")).unwrap();
    let step = (text.len() / 60).max(1);
    for cut in (0..text.len()).step_by(step) {
        let _ = vectors_parse(&text[..cut]);
    }
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..120 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut t = text.clone();
        let i = (x % t.len() as u64) as usize;
        let alphabet: &[u8] = b"\"'-:[]{}#&*!|>% \n\t0aZ";
        t[i] = alphabet[(x >> 32) as usize % alphabet.len()];
        let _ = vectors_parse(&t);
    }
}
