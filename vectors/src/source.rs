//! What the crate reads before anything is parsed: the files built into it (vector files
//! and shipped profile files) and text files from disk, size-checked. A leaf module, so
//! that the profile registry and the vector-file reader both use it without importing each
//! other.

use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Vector files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

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

/// Reads a text file of at most [`MAX_FILE_BYTES`]; the error names the file.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: {} bytes is more than the {MAX_FILE_BYTES} a vector, profile or known-list file may have",
            path.display(),
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8 text: {e}", path.display()))
}

/// The `*.yaml` files directly in `dir` (vector or profile files), sorted by path.
pub fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    out.sort();
    Ok(out)
}
