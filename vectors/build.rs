//! Embeds every vector file (`<dir>/<name>.yaml` in the immediate subdirectories of this
//! crate, as `files::list` finds them) and every profile file (`profiles/*.yaml`) into the
//! library, so an installed `mmr` binary carries the suite it runs.

use std::fmt::Write as _;
use std::path::Path;

/// Subdirectories that hold no vector files.
const NOT_VECTORS: &[&str] = &["adapters", "profiles", "src", "tests", "target"];

fn yaml_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut subdirs: Vec<String> = std::fs::read_dir(root)
        .expect("the crate directory is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    subdirs.sort();
    let mut vectors = String::new();
    // The whole crate directory: a new vector directory or file must re-run this script.
    println!("cargo:rerun-if-changed=.");
    for sub in &subdirs {
        if NOT_VECTORS.contains(&sub.as_str()) {
            continue;
        }
        for f in yaml_files(&root.join(sub)) {
            let path = root.join(sub).join(&f);
            writeln!(
                vectors,
                "    ({:?}, include_str!({:?})),",
                format!("{sub}/{f}"),
                path
            )
            .expect("writing to a String");
        }
    }
    let mut profiles = String::new();
    for f in yaml_files(&root.join("profiles")) {
        let path = root.join("profiles").join(&f);
        writeln!(profiles, "    ({:?}, include_str!({:?})),", f, path)
            .expect("writing to a String");
    }
    let code = format!(
        "/// Every vector file: (path relative to the vectors directory, text).\n\
         pub static VECTOR_FILES: &[(&str, &str)] = &[\n{vectors}];\n\
         /// Every shipped profile file: (file name, text).\n\
         pub static PROFILE_FILES: &[(&str, &str)] = &[\n{profiles}];\n"
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("embedded.rs"), code).expect("OUT_DIR is writable");
}
