//! The vector files: embedded in this crate at build time (so an installed binary carries
//! them) or read from a directory. The generator writes them ([`crate::generate::disk`]).

use crate::model::{VectorFile, parse};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Vector files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Subdirectories of a vectors directory that hold no vector files (adapters, profile
/// files); the build script skips the same ones.
pub const NOT_VECTORS: &[&str] = &["adapters", "profiles", "src", "tests", "target"];

/// The vectors directory of the source tree this crate was built from. It may not exist
/// where an installed binary runs: reading uses [`embedded`] then.
pub fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every vector file as built into this crate: (path relative to the vectors directory,
/// text), sorted by path.
pub fn embedded() -> &'static [(&'static str, &'static str)] {
    embedded::VECTOR_FILES
}

/// Every profile file shipped in `vectors/profiles/`, as built into this crate: (file name,
/// text).
pub fn embedded_profiles() -> &'static [(&'static str, &'static str)] {
    embedded::PROFILE_FILES
}

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

/// Reads a text file of at most [`MAX_FILE_BYTES`]; the error names the file.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: {} bytes is more than the {MAX_FILE_BYTES} a vector file may have",
            path.display(),
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8 text: {e}", path.display()))
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
