//! Checking the vectors' leniency flags against a real library (`mmr conform --check-flags
//! SYSTEM@VERSION`): a flag `lenient-in:SYSTEM<range>` (vectors/SCHEMA.md, "Flags") is a
//! claim that the versions in the range accept the case. Run on an adapter of that system
//! at that version, every flagged case must fail (reported as known, with the flag) and
//! every other case must pass; a flagged case the library rejects as the spec does is a
//! false flag and fails the run. So a flag removed from a case the library fails, or left
//! on a case it no longer fails, is caught.

use crate::report::{CaseReport, Status};
use std::cmp::Ordering;
use std::fmt;

/// A dotted version of numbers, e.g. `0.8.3`; missing components compare as 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version(Vec<u64>);

impl Version {
    /// Parses `1`, `0.6.1`, `5.5.2`; anything else is an error naming the text.
    pub fn parse(s: &str) -> Result<Version, String> {
        let parts: Result<Vec<u64>, _> = s.split('.').map(str::parse::<u64>).collect();
        match parts {
            Ok(p) if !s.is_empty() => Ok(Version(p)),
            _ => Err(format!(
                "{s:?} is not a version (numbers separated by dots, e.g. 0.8.3)"
            )),
        }
    }

    fn cmp_to(&self, other: &Version) -> Ordering {
        let n = self.0.len().max(other.0.len());
        let at = |v: &Version, i: usize| v.0.get(i).copied().unwrap_or(0);
        (0..n)
            .map(|i| at(self, i).cmp(&at(other, i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u64::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// The part of a flag after `lenient-in:`: a system and an optional version range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leniency {
    /// The system, e.g. `ckb`.
    pub system: String,
    /// The comparison and the bound; `None` means every version examined.
    pub range: Option<(Ordering, bool, Version)>,
}

impl Leniency {
    /// Parses `ckb<=0.6.1`, `ckb<0.8.3`, `grin>=5`, `mmr-py=0.0.4` or `minima`.
    pub fn parse(s: &str) -> Result<Leniency, String> {
        let Some(i) = s.find(['<', '>', '=']) else {
            return Ok(Leniency {
                system: s.into(),
                range: None,
            });
        };
        let (system, rest) = s.split_at(i);
        let (ord, inclusive, bound) = if let Some(v) = rest.strip_prefix("<=") {
            (Ordering::Less, true, v)
        } else if let Some(v) = rest.strip_prefix(">=") {
            (Ordering::Greater, true, v)
        } else if let Some(v) = rest.strip_prefix('<') {
            (Ordering::Less, false, v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (Ordering::Greater, false, v)
        } else if let Some(v) = rest.strip_prefix('=') {
            (Ordering::Equal, true, v)
        } else {
            return Err(format!("{s:?}: a range is <=V, <V, >=V, >V or =V"));
        };
        if system.is_empty() {
            return Err(format!("{s:?}: no system before the range"));
        }
        let v = Version::parse(bound).map_err(|e| format!("lenient-in:{s}: {e}"))?;
        Ok(Leniency {
            system: system.into(),
            range: Some((ord, inclusive, v)),
        })
    }

    /// Whether this leniency claims `version` of `system`.
    pub fn covers(&self, system: &str, version: &Version) -> bool {
        if self.system != system {
            return false;
        }
        match &self.range {
            None => true,
            Some((ord, inclusive, bound)) => {
                let c = version.cmp_to(bound);
                c == *ord || (*inclusive && c == Ordering::Equal)
            }
        }
    }
}

/// `--check-flags SYSTEM@VERSION`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagCheck {
    /// The system the flags name, e.g. `ckb`.
    pub system: String,
    /// The version of the library under test.
    pub version: Version,
}

impl FlagCheck {
    /// Parses `ckb@0.8.3`.
    pub fn parse(s: &str) -> Result<FlagCheck, String> {
        let Some((system, version)) = s.split_once('@') else {
            return Err(format!(
                "--check-flags {s:?}: give SYSTEM@VERSION, e.g. ckb@0.8.3"
            ));
        };
        if system.is_empty() || system.contains(['<', '>', '=']) {
            return Err(format!(
                "--check-flags {s:?}: {system:?} is not a system name"
            ));
        }
        Ok(FlagCheck {
            system: system.into(),
            version: Version::parse(version).map_err(|e| format!("--check-flags {s:?}: {e}"))?,
        })
    }

    /// The first flag of `flags` that claims this library, as written.
    pub fn claim<'a>(&self, flags: &'a [String]) -> Option<&'a str> {
        flags.iter().map(String::as_str).find(|f| {
            f.strip_prefix("lenient-in:")
                .and_then(|l| Leniency::parse(l).ok())
                .is_some_and(|l| l.covers(&self.system, &self.version))
        })
    }

    /// Judges a vector case's report by its flags: a flagged failure is known, a flagged
    /// pass is a false flag (a failure); unflagged cases keep their status.
    pub fn apply(&self, r: &mut CaseReport) {
        let Some(flag) = self.claim(&r.flags) else {
            return;
        };
        match r.status {
            Status::Fail => {
                r.status = Status::Known;
                r.reason = format!(
                    "{} [flagged {flag}: {}@{} accepts it, as the flag says]",
                    r.reason, self.system, self.version
                );
            }
            Status::Pass => {
                r.status = Status::Fail;
                r.reason = format!(
                    "flagged {flag}, but {}@{} answers as the spec does: the flag is false for this version (narrow its range or drop it)",
                    self.system, self.version
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn ranges_cover_the_versions_they_name() {
        let l = |s: &str| Leniency::parse(s).unwrap();
        assert!(l("ckb<=0.6.1").covers("ckb", &v("0.6.1")));
        assert!(l("ckb<=0.6.1").covers("ckb", &v("0.6")));
        assert!(!l("ckb<=0.6.1").covers("ckb", &v("0.8.3")));
        assert!(l("ckb<0.8.3").covers("ckb", &v("0.6.1")));
        assert!(!l("ckb<0.8.3").covers("ckb", &v("0.8.3")));
        assert!(l("ckb>=0.8.3").covers("ckb", &v("0.8.3")));
        assert!(!l("ckb>0.8.3").covers("ckb", &v("0.8.3")));
        assert!(l("grin=5.5.2").covers("grin", &v("5.5.2")));
        assert!(!l("grin=5.5.2").covers("grin", &v("5.5.10")));
        assert!(l("minima").covers("minima", &v("1.0.45")));
        assert!(!l("minima").covers("grin", &v("1")));
        assert!(l("mmr-py<=0.0.4").covers("mmr-py", &v("0.0.4")));
        assert!(v("0.10.0").cmp_to(&v("0.9.9")).is_gt());
    }

    #[test]
    fn malformed_flags_and_arguments_are_named() {
        assert!(
            Leniency::parse("ckb<=x")
                .unwrap_err()
                .contains("not a version")
        );
        assert!(Leniency::parse("<=1").unwrap_err().contains("no system"));
        assert!(
            FlagCheck::parse("ckb")
                .unwrap_err()
                .contains("SYSTEM@VERSION")
        );
        assert!(
            FlagCheck::parse("ckb@")
                .unwrap_err()
                .contains("not a version")
        );
        assert!(FlagCheck::parse("c<b@1").is_err());
        assert_eq!(
            FlagCheck::parse("mmr-py@0.0.4").unwrap(),
            FlagCheck {
                system: "mmr-py".into(),
                version: v("0.0.4")
            }
        );
    }

    #[test]
    fn flagged_failures_are_known_and_flagged_passes_fail() {
        let check = FlagCheck::parse("ckb@0.8.3").unwrap();
        let flags = vec!["invalid-size".to_string(), "lenient-in:ckb<=0.8.3".into()];
        let mut r = CaseReport::new("t", "f.yaml", "c", &flags);
        r.status = Status::Fail;
        check.apply(&mut r);
        assert_eq!(r.status, Status::Known);
        assert!(r.reason.contains("flagged lenient-in:ckb<=0.8.3"));

        let mut r = CaseReport::new("t", "f.yaml", "c", &flags);
        check.apply(&mut r);
        assert_eq!(r.status, Status::Fail);
        assert!(r.reason.contains("the flag is false"), "{}", r.reason);

        // Out of range: judged as any unflagged case.
        let old = vec!["lenient-in:ckb<=0.6.1".to_string()];
        let mut r = CaseReport::new("t", "f.yaml", "c", &old);
        r.status = Status::Fail;
        check.apply(&mut r);
        assert_eq!(r.status, Status::Fail);
        let mut r = CaseReport::new("t", "f.yaml", "c", &old);
        check.apply(&mut r);
        assert_eq!(r.status, Status::Pass);
    }
}
