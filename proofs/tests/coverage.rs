//! Every public function of `mmr-index` has at least one Kani harness.
//!
//! Parses `optimized/index/src/*.rs` for `pub const fn` / `pub fn` names (methods as
//! `Type::name`, trait methods of `impl Trait for Type` blocks included as allowed names)
//! and `src/harnesses.rs` for `#[kani::proof]` functions, and compares both with
//! `mmr_proofs::COVERAGE`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `(public functions that need a harness, every function name that may be listed)`.
fn index_functions() -> (BTreeSet<String>, BTreeSet<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../optimized/index/src");
    let mut public = BTreeSet::new();
    let mut all = BTreeSet::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("optimized/index/src exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        // The impl block we are in: (indentation of its `impl` line, type name).
        let mut imp: Option<(usize, String)> = None;
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if let Some((i, _)) = &imp {
                if indent == *i && t == "}" {
                    imp = None;
                    continue;
                }
            }
            if t.starts_with("impl ") && t.ends_with('{') {
                let head = t.trim_end_matches('{').trim();
                let ty = head.rsplit(' ').next().expect("a type").to_string();
                imp = Some((indent, ty));
                continue;
            }
            let (is_pub, rest) = if let Some(r) = t.strip_prefix("pub const fn ") {
                (true, r)
            } else if let Some(r) = t.strip_prefix("pub fn ") {
                (true, r)
            } else if let Some(r) = t.strip_prefix("fn ") {
                (false, r)
            } else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let full = match &imp {
                Some((_, ty)) => format!("{ty}::{name}"),
                None => name,
            };
            if is_pub {
                public.insert(full.clone());
            }
            if is_pub || imp.is_some() {
                all.insert(full);
            }
        }
    }
    (public, all)
}

/// Names of the `#[kani::proof]` functions in `src/harnesses.rs`.
fn harnesses() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/harnesses.rs");
    let text = std::fs::read_to_string(path).expect("src/harnesses.rs exists");
    let mut out = BTreeSet::new();
    let mut armed = false;
    for line in text.lines() {
        let t = line.trim();
        if t == "#[kani::proof]" || t.starts_with("#[kani::proof_for_contract(") {
            armed = true;
        } else if let Some(rest) = t.strip_prefix("fn ") {
            if armed {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                assert!(out.insert(name.clone()), "duplicate harness {name}");
            }
            armed = false;
        }
    }
    out
}

#[test]
fn every_public_function_has_a_harness() {
    let (public, all) = index_functions();
    let harnesses = harnesses();
    let listed: BTreeMap<&str, &[&str]> = mmr_proofs::COVERAGE.iter().copied().collect();
    assert!(
        public.len() >= 30,
        "parser found too few functions: {public:?}"
    );
    for f in &public {
        let hs = listed
            .get(f.as_str())
            .unwrap_or_else(|| panic!("public function `{f}` of mmr-index has no harness"));
        assert!(!hs.is_empty(), "`{f}` lists no harness");
    }
    let mut used = BTreeSet::new();
    for (f, hs) in mmr_proofs::COVERAGE {
        assert!(
            all.contains(*f),
            "COVERAGE lists `{f}`, not a function of mmr-index"
        );
        for h in *hs {
            assert!(harnesses.contains(*h), "`{f}` lists `{h}`, not a harness");
            used.insert(h.to_string());
        }
    }
    for h in &harnesses {
        assert!(used.contains(h), "harness `{h}` is listed for no function");
    }
}

#[test]
fn parser_sees_the_known_functions() {
    let (public, all) = index_functions();
    for f in [
        "leaf_to_pos",
        "peak_of",
        "Peaks::get",
        "Peaks::height",
        "leaf_set_len",
    ] {
        assert!(public.contains(f), "{f}");
    }
    assert!(all.contains("Peaks::next") && all.contains("Peaks::next_back"));
    // Private helpers are not required.
    assert!(!public.contains("peel") && !public.contains("perfect_size"));
    assert!(harnesses().contains("check_leaf_to_pos"));
}
