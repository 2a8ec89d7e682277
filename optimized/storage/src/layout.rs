//! The names and record size of a store's files (STORAGE.md section 1), in one module that
//! imports none of the others: the manifest checks (module `files`), the members and the
//! files' own modules all take them from here, so none of those needs another's.
#![forbid(unsafe_code)]

/// Bytes per hash-file record: hash, then the value as u64le.
pub const RECORD: u64 = 40;

/// The prefix of a member's file names: "" for the single MMR of a `PersistentDb`, else
/// the MMR's name and a dot.
pub(crate) fn prefix_of(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("{name}.")
    }
}

/// `{prefix}hash.{generation:06}.bin`.
pub(crate) fn hash_file_name(prefix: &str, generation: u64) -> String {
    format!("{prefix}hash.{generation:06}.bin")
}

/// `{prefix}data.{generation:06}.bin`: the leaf data.
pub(crate) fn data_file_name(prefix: &str, generation: u64) -> String {
    format!("{prefix}data.{generation:06}.bin")
}

/// `{prefix}dataidx.{generation:06}.bin`: the leaf-data index.
pub(crate) fn idx_file_name(prefix: &str, generation: u64) -> String {
    format!("{prefix}dataidx.{generation:06}.bin")
}

/// `{prefix}keys.bin`: the key table of a keyed MMR.
pub(crate) fn keys_file_name(prefix: &str) -> String {
    format!("{prefix}keys.bin")
}

/// `{prefix}leafset.bin`, `{prefix}prunelist.bin`, `{prefix}blocks.log`.
pub(crate) fn fixed_names(prefix: &str) -> [String; 3] {
    [
        format!("{prefix}leafset.bin"),
        format!("{prefix}prunelist.bin"),
        format!("{prefix}blocks.log"),
    ]
}

/// The file names a section must list, in order, for its generation.
pub(crate) fn section_file_names(prefix: &str, generation: u64, keyed: bool) -> Vec<String> {
    let [ls, pl, bl] = fixed_names(prefix);
    let mut v = vec![
        hash_file_name(prefix, generation),
        ls,
        pl,
        bl,
        data_file_name(prefix, generation),
        idx_file_name(prefix, generation),
    ];
    if keyed {
        v.push(keys_file_name(prefix));
    }
    v
}

/// Whether `file` is a generation file of the member with this prefix (`hash.`, `data.` or
/// `dataidx.` then six digits and `.bin`).
pub(crate) fn is_generation_file(prefix: &str, file: &str) -> bool {
    let Some(rest) = file.strip_prefix(prefix) else {
        return false;
    };
    ["hash.", "data.", "dataidx."].iter().any(|k| {
        rest.strip_prefix(k)
            .and_then(|r| r.strip_suffix(".bin"))
            .is_some_and(|d| d.len() >= 6 && d.bytes().all(|b| b.is_ascii_digit()))
    })
}
