//! Known-failure lists (`mmr conform --known FILE`): the cases and random difference
//! classes a library is known to fail, each with the reason and the library version, so a
//! run of a lenient library as it is exits 0 and still says what it accepts. A listed case
//! that passes is reported as fixed.
//!
//! ```yaml
//! library: ckb-merkle-mountain-range 0.6.1
//! known:
//!   - case: ckb/proofs.yaml#verify-invalid-size
//!     reason: verify_node accepts a proof for a size that is no MMR size
//!   - class: "prove_batch: expected error duplicate-index, got bytes"
//!     reason: gen_proof deduplicates repeated indices
//! ```

use crate::report::{CaseReport, Status};
use serde::Deserialize;
use std::path::Path;

/// One known failure.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A vector case, `file#id`: the file as the report names it, or its last components
    /// (`ckb/proofs.yaml` for `vectors/ckb/proofs.yaml`).
    #[serde(default)]
    pub case: Option<String>,
    /// A random difference class, as the report names it.
    #[serde(default)]
    pub class: Option<String>,
    /// Why it fails (the leniency, with its flag).
    pub reason: String,
}

/// A known-failure list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// The library and version the list is about.
    pub library: String,
    /// The entries.
    pub known: Vec<Entry>,
}

impl Known {
    /// Parses a list; each entry names exactly one of `case` and `class`.
    pub fn parse(text: &str) -> Result<Known, String> {
        let k: Known = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        for (i, e) in k.known.iter().enumerate() {
            if e.case.is_some() == e.class.is_some() {
                return Err(format!(
                    "entry {}: give exactly one of `case` and `class`",
                    i + 1
                ));
            }
            if let Some(c) = &e.case
                && !c.contains('#')
            {
                return Err(format!(
                    "entry {}: case {c:?} is `file#id`, e.g. ckb/proofs.yaml#verify-invalid-size",
                    i + 1
                ));
            }
        }
        Ok(k)
    }

    /// Reads a list from a file; the error names the file.
    pub fn load(path: &Path) -> Result<Known, String> {
        let text = mmr_vectors::files::read_text(path)?;
        Known::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The entry of a vector case: its `file#id` key, or a key ending in `/` and the
    /// entry's (the file given from another directory: `vectors/ckb/proofs.yaml#c` is
    /// listed as `ckb/proofs.yaml#c`).
    fn entry_for_case(&self, key: &str) -> Option<&Entry> {
        self.known.iter().find(|e| {
            e.case.as_deref().is_some_and(|case| {
                key == case || key.strip_suffix(case).is_some_and(|dir| dir.ends_with('/'))
            })
        })
    }

    /// The entry of a random difference class.
    pub fn entry_for_class(&self, class: &str) -> Option<&Entry> {
        self.known
            .iter()
            .find(|e| e.class.as_deref() == Some(class))
    }

    /// Applies the list to a vector case's report: a listed failure becomes known, a listed
    /// pass becomes fixed.
    pub fn apply(&self, r: &mut CaseReport) {
        let Some(e) = self.entry_for_case(&r.key()) else {
            return;
        };
        match r.status {
            Status::Fail => {
                r.status = Status::Known;
                r.reason = format!("{} [known in {}: {}]", r.reason, self.library, e.reason);
            }
            Status::Pass => {
                r.status = Status::Fixed;
                r.reason = format!(
                    "listed as known in {} ({}) but passes: remove it from the list",
                    self.library, e.reason
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_and_apply() {
        let k = Known::parse(
            "library: lib 1.0\nknown:\n  - case: a/b.yaml#c\n    reason: lenient\n  - class: \"x: expected unit, got bytes\"\n    reason: r\n",
        )
        .unwrap();
        let mut r = CaseReport::new("t", "a/b.yaml", "c", &[]);
        r.status = Status::Fail;
        k.apply(&mut r);
        assert_eq!(r.status, Status::Known);
        assert!(r.reason.contains("known in lib 1.0: lenient"));
        let mut r = CaseReport::new("t", "a/b.yaml", "c", &[]);
        k.apply(&mut r);
        assert_eq!(r.status, Status::Fixed);
        let mut r = CaseReport::new("t", "a/b.yaml", "other", &[]);
        r.status = Status::Fail;
        k.apply(&mut r);
        assert_eq!(r.status, Status::Fail);
        assert!(k.entry_for_class("x: expected unit, got bytes").is_some());
        assert!(
            Known::parse("library: l\nknown:\n  - reason: r\n")
                .unwrap_err()
                .contains("exactly one")
        );
        assert!(
            Known::parse("library: l\nknown:\n  - case: nohash\n    reason: r\n")
                .unwrap_err()
                .contains("file#id")
        );
        assert!(Known::parse("library: l\nknown: []\nextra: 1\n").is_err());
    }

    /// `ckb/proofs.yaml#c` names the case however the file was given (`vectors/ckb/...`,
    /// an absolute path), but not another directory's file of the same name.
    #[test]
    fn a_listed_case_matches_from_any_directory() {
        let k = Known::parse("library: l\nknown:\n  - case: ckb/proofs.yaml#c\n    reason: r\n")
            .unwrap();
        for file in [
            "ckb/proofs.yaml",
            "vectors/ckb/proofs.yaml",
            "/home/u/mmr/vectors/ckb/proofs.yaml",
        ] {
            let mut r = CaseReport::new("t", file, "c", &[]);
            r.status = Status::Fail;
            k.apply(&mut r);
            assert_eq!(r.status, Status::Known, "{file}");
        }
        for file in [
            "vectors/grin/proofs.yaml",
            "vectors/xckb/proofs.yaml",
            "proofs.yaml",
        ] {
            let mut r = CaseReport::new("t", file, "c", &[]);
            r.status = Status::Fail;
            k.apply(&mut r);
            assert_eq!(r.status, Status::Fail, "{file}");
        }
    }
}
