//! Finding, reading and writing vector files.

use crate::generate::{generate_all, render};
use crate::model::{VectorFile, parse};
use std::path::{Path, PathBuf};

/// Vector files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The vectors directory of this source tree (the crate's own directory).
pub fn default_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.yaml` file in the immediate subdirectories of `dir` (`any/`, `default/`, ...),
/// sorted by path.
pub fn list(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        let Ok(rd) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

/// Reads and parses one vector file; the error names the file.
pub fn load(path: &Path) -> Result<VectorFile, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: {} bytes is more than the {MAX_FILE_BYTES} a vector file may have",
            path.display(),
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8 text: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A display name for a vector file: its path relative to `dir` when inside it.
pub fn display_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Every generated file as (relative path, YAML text).
pub fn rendered() -> Result<Vec<(String, String)>, String> {
    generate_all()?
        .iter()
        .map(|g| Ok((g.path.clone(), render(g)?)))
        .collect()
}

/// Writes every generated file under `dir`; returns the paths whose content changed.
pub fn write_all(dir: &Path) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for (rel, text) in rendered()? {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() != Some(text.as_str()) {
            std::fs::write(&path, &text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            changed.push(rel);
        }
    }
    Ok(changed)
}
