//! The vector files: embedded in this crate at build time (so an installed binary carries
//! them) or read from a directory. The generator writes them ([`crate::generate::disk`]).

use crate::model::{VectorFile, parse};
pub use crate::source::{
    MAX_FILE_BYTES, embedded, embedded_profiles, read_text, source_dir, yaml_files,
};
use std::path::{Path, PathBuf};

/// Subdirectories of a vectors directory that hold no vector files (adapters, profile
/// files); the build script skips the same ones.
pub const NOT_VECTORS: &[&str] = &["adapters", "profiles", "src", "tests", "target"];

/// Parses every embedded vector file; the error names the file.
pub fn load_embedded() -> Result<Vec<(String, VectorFile)>, String> {
    embedded()
        .iter()
        .map(|(name, text)| {
            parse(text)
                .map(|f| (name.to_string(), f))
                .map_err(|e| format!("{name} (embedded): {e}"))
        })
        .collect()
}

/// Every `*.yaml` file in the immediate subdirectories of `dir` (`any/`, `default/`, ...),
/// sorted by path, leaving out [`NOT_VECTORS`].
pub fn list(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .filter(|p| {
            p.file_name()
                .is_none_or(|n| !NOT_VECTORS.contains(&n.to_string_lossy().as_ref()))
        })
        .collect();
    subdirs.sort();
    for sub in subdirs {
        // An unreadable subdirectory holds no vectors for this listing.
        out.extend(yaml_files(&sub).unwrap_or_default());
    }
    Ok(out)
}

/// The vector files of a directory given by a user: its own `*.yaml` files (a profile's
/// directory such as `vectors/ckb/`), then those of its subdirectories as [`list`] finds
/// them (a whole vectors directory), sorted by path.
pub fn list_any(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = yaml_files(dir)?;
    out.extend(list(dir)?);
    if out.is_empty() {
        return Err(format!("{}: no *.yaml vector files", dir.display()));
    }
    Ok(out)
}

/// Reads and parses one vector file; the error names the file.
pub fn load(path: &Path) -> Result<VectorFile, String> {
    let text = read_text(path)?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A display name for a vector file: its path relative to `dir` when inside it.
pub fn display_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
