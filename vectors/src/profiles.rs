//! Profile files (SPEC.md D10, `vectors/SCHEMA.md` "Profile files"): a dialect declared in
//! YAML, read into `mmr_spec::profiles::declared::Declared` and registered with
//! `mmr_spec::profiles`, so vector files, sessions and adapters can name it. The files
//! shipped in `vectors/profiles/` are embedded and registered on first use.
//!
//! ```yaml
//! profile: mmriver-sha256
//! description: MMRIVER-style layout
//! hash: sha-256            # sha3-256 | keccak-256 | sha-256 | blake2b-256 | blake3
//! values: false            # the templates write no values
//! leaf: [data]
//! parent: [{int: pos-plus-one, enc: u64be}, left, right]
//! bagging: fold-right      # flat | fold-right | fold-left | peak-tree
//! bag: [right, left]       # fold-right, fold-left and peak-tree; flat takes `root`
//! # root: [...]            # flat: the commitment; others: optional, around the bagged peaks
//! empty_root: zero         # zero | none | commit (flat only) | template (others, with root)
//! proof: bagged            # bagged (default) | per-peak: how a proof lists the other peaks
//! ```

use mmr_spec::profiles::declared::{
    DeclError, Declared, EmptyRoot, Field, HashFn, Int, IntEnc, Parts, Template,
};
use mmr_spec::{Bagging, Profile, ProofShape};
use serde_json::Value;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// Profile files larger than this are refused before parsing.
pub const MAX_PROFILE_BYTES: usize = 1 << 20;

fn err(msg: impl Into<String>) -> DeclError {
    DeclError(msg.into())
}

fn names<T>(all: &[(T, &'static str)]) -> String {
    all.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
}

fn field(v: &Value, at: &str) -> Result<Field, DeclError> {
    match v {
        Value::String(s) => match s.as_str() {
            "data" => Ok(Field::Data),
            "left" => Ok(Field::Left),
            "right" => Ok(Field::Right),
            "peak" => Ok(Field::Peak),
            "folded" => Ok(Field::Folded),
            other => Err(err(format!(
                "{at}: unknown field {other:?} (data, left, right, peak, folded, {{bytes: HEX}}, {{int: NAME, enc: ENC}}, {{peaks: [...]}})"
            ))),
        },
        Value::Object(m) => {
            if let Some(b) = m.get("bytes") {
                if m.len() != 1 {
                    return Err(err(format!("{at}: a bytes field has only `bytes`")));
                }
                let hex = b
                    .as_str()
                    .ok_or_else(|| err(format!("{at}: bytes is a hex string")))?;
                let bytes =
                    mmr_spec::from_hex(hex).map_err(|e| err(format!("{at}: bytes: {e}")))?;
                return Ok(Field::Bytes(bytes));
            }
            if let Some(p) = m.get("peaks") {
                if m.len() != 1 {
                    return Err(err(format!("{at}: a peaks field has only `peaks`")));
                }
                let list = p
                    .as_array()
                    .ok_or_else(|| err(format!("{at}: peaks is a list of fields")))?;
                return Ok(Field::Peaks(template_items(list, &format!("{at}.peaks"))?));
            }
            if let Some(i) = m.get("int") {
                let extra: Vec<&String> = m.keys().filter(|k| *k != "int" && *k != "enc").collect();
                if !extra.is_empty() {
                    return Err(err(format!(
                        "{at}: unknown key {:?} in an int field",
                        extra[0]
                    )));
                }
                let name = i.as_str().unwrap_or_default();
                let int = Int::by_name(name).ok_or_else(|| {
                    err(format!(
                        "{at}: unknown int {name:?} (known: {})",
                        names(&Int::ALL)
                    ))
                })?;
                let enc_name = m
                    .get("enc")
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(format!("{at}: an int field needs `enc`")))?;
                let enc = IntEnc::by_name(enc_name).ok_or_else(|| {
                    err(format!(
                        "{at}: unknown encoding {enc_name:?} (known: {})",
                        names(&IntEnc::ALL)
                    ))
                })?;
                return Ok(Field::Int(int, enc));
            }
            Err(err(format!(
                "{at}: a field map has `bytes`, `int` (with `enc`) or `peaks`"
            )))
        }
        _ => Err(err(format!("{at}: a field is a name or a map"))),
    }
}

fn template_items(list: &[Value], at: &str) -> Result<Vec<Field>, DeclError> {
    list.iter()
        .enumerate()
        .map(|(k, v)| field(v, &format!("{at}[{}]", k + 1)))
        .collect()
}

fn template(
    doc: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<Template>, DeclError> {
    match doc.get(key) {
        None => Ok(None),
        Some(Value::Array(list)) => Ok(Some(Template(template_items(list, key)?))),
        Some(_) => Err(err(format!("{key}: a template is a list of fields"))),
    }
}

const KEYS: &[&str] = &[
    "profile",
    "description",
    "source",
    "hash",
    "values",
    "leaf",
    "parent",
    "bagging",
    "bag",
    "root",
    "empty_root",
    "proof",
];

/// Reads a profile file's text into its parts (nothing is registered).
pub fn parse_parts(text: &str) -> Result<Parts, DeclError> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(err(format!(
            "{} bytes is more than the {MAX_PROFILE_BYTES} a profile file may have",
            text.len()
        )));
    }
    let v: Value = serde_saphyr::from_str(text).map_err(|e| err(format!("YAML: {e}")))?;
    let doc = v
        .as_object()
        .ok_or_else(|| err("a profile file is a YAML mapping"))?;
    if let Some(k) = doc.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(err(format!(
            "unknown key {k:?} (known: {})",
            KEYS.join(", ")
        )));
    }
    let text_of = |k: &str| -> Result<&str, DeclError> {
        doc.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| err(format!("`{k}` is required (a string)")))
    };
    let name = text_of("profile")?.to_string();
    let hash_name = text_of("hash")?;
    let hash = HashFn::by_name(hash_name).ok_or_else(|| {
        err(format!(
            "hash {hash_name:?} is not one of {}",
            names(&HashFn::ALL)
        ))
    })?;
    let values = match doc.get("values") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(err("values is true or false")),
    };
    let bagging = match text_of("bagging")? {
        "flat" => Bagging::Flat,
        "fold-right" => Bagging::FoldRight,
        "fold-left" => Bagging::FoldLeft,
        "peak-tree" => Bagging::PeakTree,
        other => {
            return Err(err(format!(
                "bagging {other:?} is not one of flat, fold-right, fold-left, peak-tree"
            )));
        }
    };
    let empty_root = match text_of("empty_root")? {
        "zero" => EmptyRoot::Zero,
        "none" => EmptyRoot::Undefined,
        "commit" => EmptyRoot::Commit,
        "template" => EmptyRoot::Template,
        other => {
            return Err(err(format!(
                "empty_root {other:?} is not one of zero, none, commit, template"
            )));
        }
    };
    let proof = match doc.get("proof") {
        None => ProofShape::Bagged,
        Some(Value::String(s)) if s == "bagged" => ProofShape::Bagged,
        Some(Value::String(s)) if s == "per-peak" => ProofShape::PerPeak,
        Some(other) => {
            return Err(err(format!("proof {other} is not one of bagged, per-peak")));
        }
    };
    Ok(Parts {
        name,
        hash,
        values,
        leaf: template(doc, "leaf")?.ok_or_else(|| err("`leaf` is required"))?,
        parent: template(doc, "parent")?.ok_or_else(|| err("`parent` is required"))?,
        bagging,
        bag: template(doc, "bag")?,
        root: template(doc, "root")?,
        empty_root,
        proof,
    })
}

/// Reads a profile file's text into a profile (nothing is registered).
pub fn parse_profile(text: &str) -> Result<Declared, DeclError> {
    Declared::new(parse_parts(text)?)
}

/// Reads a profile file and registers it (`--profile-file`); returns its name. A file that
/// defines a profile already declared under its name (a shipped file such as
/// `vectors/profiles/cll-sha256.yaml`, or the same file loaded twice) stands for that
/// profile, whatever its comments and layout; a name taken by another definition or by a
/// built-in profile is refused, the error saying what to do.
pub fn load_file(path: &Path) -> Result<&'static str, String> {
    let text = crate::source::read_text(path)?;
    register_text(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Registers every `*.yaml` profile file in `dir/profiles/` (a vectors directory's own
/// dialects), in name order; returns their profile names. A file identical to a shipped
/// one stands for that profile; one whose name is taken by another profile is an error
/// naming the file. A directory without `profiles/` has none.
pub fn load_dir(dir: &Path) -> Result<Vec<&'static str>, String> {
    let sub = dir.join("profiles");
    if !sub.is_dir() {
        return Ok(Vec::new());
    }
    ensure_shipped();
    let mut out = Vec::new();
    for path in crate::source::yaml_files(&sub)? {
        let text = crate::source::read_text(&path)?;
        let shipped = crate::source::embedded_profiles()
            .iter()
            .find(|(_, t)| *t == text)
            .and_then(|_| parse_parts(&text).ok())
            .and_then(|p| mmr_spec::profiles::by_name(&p.name));
        match shipped {
            Some(p) => out.push(p.name()),
            None => out.push(register_text(&text).map_err(|e| format!("{}: {e}", path.display()))?),
        }
    }
    Ok(out)
}

/// Every profile this module declared and registered (shipped files, then loaded ones).
static DECLARED: Mutex<Vec<&'static Declared>> = Mutex::new(Vec::new());

fn declare(p: Declared) -> Result<&'static str, String> {
    let mut declared = DECLARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(same) = declared.iter().find(|d| ***d == p) {
        return Ok(same.name());
    }
    let name = p.name();
    if mmr_spec::profiles::by_name(name).is_some() {
        return Err(if declared.iter().any(|d| d.name() == name) {
            format!(
                "a profile named {name:?} already exists (a shipped profile file, or a file \
                 loaded before) and this file defines it differently: give this file another \
                 `profile:` name, or leave --profile-file out to use the existing {name:?}"
            )
        } else {
            format!(
                "a profile named {name:?} already exists (built into mmr, not a profile \
                 file): give this file another `profile:` name, or use --profile {name}"
            )
        });
    }
    let p: &'static Declared = Box::leak(Box::new(p));
    mmr_spec::profiles::register(p)?;
    declared.push(p);
    Ok(p.name())
}

fn register_text(text: &str) -> Result<&'static str, String> {
    ensure_shipped();
    let p = parse_profile(text).map_err(|e| e.to_string())?;
    declare(p)
}

/// The profiles of the files shipped in `vectors/profiles/`, registered once.
pub fn shipped() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut out = Vec::new();
        for (file, text) in crate::source::embedded_profiles() {
            match parse_profile(text) {
                Ok(p) => match declare(p) {
                    Ok(name) => out.push(name),
                    Err(e) => eprintln!("mmr: shipped profile file {file}: {e}"),
                },
                Err(e) => eprintln!("mmr: shipped profile file {file}: {e}"),
            }
        }
        out
    })
}

/// Registers every shipped profile file once.
pub fn ensure_shipped() {
    shipped();
}

/// Every profile vectors are generated for: the built-in ones, then the shipped files'.
pub fn all() -> Vec<&'static dyn Profile> {
    let mut out = mmr_spec::profiles::all();
    for name in shipped() {
        if let Some(p) = mmr_spec::profiles::by_name(name) {
            out.push(p);
        }
    }
    out
}
