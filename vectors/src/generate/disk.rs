//! Generated files on disk: rendering, writing only what changed, and finding stale files.

use super::{Generated, generate_all, render};
use std::path::Path;

/// Each generated file as (path relative to the vectors directory, YAML text).
pub fn render_all(generated: &[Generated]) -> Result<Vec<(String, String)>, String> {
    generated
        .iter()
        .map(|g| Ok((g.path.clone(), render(g)?)))
        .collect()
}

/// Every file of [`generate_all`], rendered.
pub fn rendered() -> Result<Vec<(String, String)>, String> {
    render_all(&generate_all()?)
}

/// Writes the rendered files under `dir`, creating directories as needed; returns the
/// paths whose content changed (an up-to-date file is not touched).
pub fn write(dir: &Path, rendered: &[(String, String)]) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for (rel, text) in rendered {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            changed.push(rel.clone());
        }
    }
    Ok(changed)
}

/// The rendered files that differ from (or are missing in) `dir`.
pub fn stale(dir: &Path, rendered: &[(String, String)]) -> Vec<String> {
    rendered
        .iter()
        .filter(|(rel, text)| {
            std::fs::read_to_string(dir.join(rel)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(rel, _)| rel.clone())
        .collect()
}
