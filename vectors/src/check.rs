//! Every case of a vector file on a built-in implementation (`mmr vectors check`, the
//! generator's tests). The conformance runner (`mmr-conform`) does the same for any target,
//! with skips, known lists and reports; this is the plain form the vectors need to check
//! themselves.

use crate::exec::{Builtin, Session, arith_optimized, arith_reference};
use crate::model::VectorFile;

/// The first difference of one case, or `None` when it passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseCheck {
    /// The case id.
    pub id: String,
    /// What differed, `None` on a pass.
    pub failure: Option<String>,
}

/// Runs every case of `file` on `which`.
pub fn check_file(which: Builtin, file: &VectorFile) -> Result<Vec<CaseCheck>, String> {
    let mut out = Vec::new();
    match file {
        VectorFile::Ops(f) => {
            let profile = crate::model::profile_named(&f.profile)?;
            for c in &f.cases {
                let mut s = Session::new(which, profile, c.retain.0);
                let failure = c.ops.iter().enumerate().find_map(|(i, step)| {
                    let got = s.run(&step.op);
                    (got != step.expect).then(|| {
                        format!(
                            "step {} ({}): expected {}, got {got}",
                            i + 1,
                            step.op.name(),
                            step.expect
                        )
                    })
                });
                out.push(CaseCheck {
                    id: c.id.clone(),
                    failure,
                });
            }
        }
        VectorFile::Arith(f) => {
            for c in &f.cases {
                let got = match which {
                    Builtin::Reference => arith_reference(&c.query),
                    Builtin::Optimized => arith_optimized(&c.query),
                };
                out.push(CaseCheck {
                    id: c.id.clone(),
                    failure: (got != c.expect).then(|| format!("expected {}, got {got}", c.expect)),
                });
            }
        }
    }
    Ok(out)
}
