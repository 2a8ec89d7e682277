//! A dialect a user declares in a profile file, not shipped in the repository, gets the
//! whole suite without a rebuild (issue 30): `mmr vectors generate --profile-file` writes
//! every topic file, `--dir D` picks up `D/profiles/*.yaml`, `mmr conform --profile-file`
//! runs the dialect's vectors generated in memory, and the query commands take the file.
//!
//! The expected bytes are not the generator's word for itself: the user's file is the
//! shipped `mmriver-sha256` file under another name, so every generated file must equal the
//! shipped vectors of that dialect (which vectors/tests/profiles.rs checks against the
//! MMRIVER draft's published KAT39 nodes and checkpointed-local-log's roots), less the
//! `published-*` cases that belong to the shipped name.

mod common;

use common::*;
use std::path::Path;

const TOPICS: &[&str] = &["roots", "proofs", "updates", "blocks", "pruning", "client"];

/// The shipped MMRIVER-style profile file renamed `my-river`, written into `dir`.
fn river_file(dir: &Path) -> std::path::PathBuf {
    let shipped =
        std::fs::read_to_string(Path::new(DIR).join("profiles/mmriver-sha256.yaml")).unwrap();
    assert!(shipped.contains("\nprofile: mmriver-sha256\n"));
    let path = dir.join("river.yaml");
    std::fs::write(
        &path,
        shipped.replace("\nprofile: mmriver-sha256\n", "\nprofile: my-river\n"),
    )
    .unwrap();
    path
}

/// A vector file's text without its `published-*` cases (each case starts at `- id:`).
fn without_published(text: &str) -> String {
    let mut parts = text.split("\n- id: ");
    let mut out = parts.next().unwrap_or_default().to_string();
    for case in parts {
        if !case.starts_with("published-") {
            out.push_str("\n- id: ");
            out.push_str(case);
        }
    }
    out
}

/// Equal up to trailing white space; a failure shows the first differing line only.
fn same_text(a: &str, b: &str, what: &str) {
    let (a, b) = (a.trim_end(), b.trim_end());
    if a != b {
        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y);
        panic!(
            "{what}: differs at line {:?} ({} vs {} lines)",
            line.map(|l| l + 1),
            a.lines().count(),
            b.lines().count()
        );
    }
}

fn ids(text: &str) -> usize {
    text.matches("\n- id: ").count()
}

#[test]
fn generate_writes_every_topic_of_a_profile_file_as_the_shipped_dialect_has_it() {
    let dir = tmp_dir("own-generate");
    let file = river_file(&dir);
    let out = dir.join("out");
    let o = mmr_in(
        dir.to_str().unwrap(),
        &[
            "vectors",
            "generate",
            "--profile-file",
            file.to_str().unwrap(),
            "--dir",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("wrote 6 of 6 file(s)"),
        "{}",
        stdout(&o)
    );
    let mut cases = 0;
    for topic in TOPICS {
        let ours = std::fs::read_to_string(out.join(format!("my-river/{topic}.yaml"))).unwrap();
        let shipped =
            std::fs::read_to_string(Path::new(DIR).join(format!("mmriver-sha256/{topic}.yaml")))
                .unwrap();
        assert!(ids(&ours) > 0, "{topic}: no cases");
        cases += ids(&ours);
        same_text(
            &ours.replace("my-river", "mmriver-sha256"),
            &without_published(&shipped),
            topic,
        );
    }
    assert!(cases >= 100, "{cases} cases");
    // Nothing else is written: only the profile file's dialect.
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(written.len(), 1);

    // --check: up to date, then stale once a file is edited (exit 1 naming it).
    let check = |d: &Path| {
        mmr(&[
            "vectors",
            "generate",
            "--check",
            "--profile-file",
            file.to_str().unwrap(),
            "--dir",
            d.to_str().unwrap(),
        ])
    };
    let o = check(&out);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let edited = out.join("my-river/proofs.yaml");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen("valid", "invalid", 1)).unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("my-river/proofs.yaml"),
        "{}",
        stderr(&o)
    );
    // The default directory with --profile-file is the current one.
    let o = mmr_in(
        dir.to_str().unwrap(),
        &["vectors", "generate", "--profile-file", "river.yaml"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("my-river/client.yaml").is_file());
}

#[test]
fn generate_dir_takes_the_directorys_own_profile_files() {
    let dir = tmp_dir("own-dir");
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    let file = river_file(&dir);
    std::fs::rename(&file, dir.join("profiles/river.yaml")).unwrap();
    let o = mmr(&["vectors", "generate", "--dir", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    for topic in TOPICS {
        assert!(
            dir.join(format!("my-river/{topic}.yaml")).is_file(),
            "{topic}"
        );
        assert!(
            dir.join(format!("default/{topic}.yaml")).is_file(),
            "{topic}"
        );
    }
    // conform --dir registers them too, and runs the written files.
    let o = mmr(&[
        "conform",
        "--builtin",
        "--dir",
        dir.to_str().unwrap(),
        "--profile",
        "my-river",
        "--json",
    ]);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    let ours = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["file"].as_str().unwrap().starts_with("my-river/"))
        .count();
    assert!(ours >= 100, "{ours}");
}

#[test]
fn conform_runs_a_profile_files_vectors_generated_in_memory() {
    let dir = tmp_dir("own-conform");
    let file = river_file(&dir);
    let conform = |json: bool| {
        let mut args = vec![
            "conform",
            "--builtin",
            "--profile-file",
            file.to_str().unwrap(),
            "--profile",
            "my-river",
        ];
        if json {
            args.push("--json");
        }
        mmr_in("/", &args)
    };
    let o = conform(true);
    let v = json(&o);
    assert!(o.status.success(), "{}", v["summary"]);
    let cases = v["cases"].as_array().unwrap();
    let ours: Vec<_> = cases
        .iter()
        .filter(|c| c["file"].as_str().unwrap().starts_with("my-river/"))
        .collect();
    assert!(ours.len() >= 100, "{}", ours.len());
    assert!(ours.iter().all(|c| c["status"] == "pass"));
    for topic in TOPICS {
        let f = format!("my-river/{topic}.yaml");
        assert!(ours.iter().any(|c| c["file"] == f.as_str()), "{topic}");
    }
    // The human report gives the dialect its own line.
    let o = conform(false);
    assert!(o.status.success());
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some("my-river")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn query_commands_take_a_profile_file() {
    let dir = tmp_dir("own-query");
    let file = river_file(&dir);
    let f = file.to_str().unwrap();
    // KAT39's first leaf is SHA-256(u64be(0)); a one-leaf MMR's root is that leaf
    // (the same value the shipped profile gives, conform_v2.rs).
    let o = mmr(&["root", "--profile-file", f, "0000000000000000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc"
    );
    let o = mmr(&["peaks", "--profile-file", f, "--json", "00", "01", "02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mmr(&["prove", "--profile-file", f, "-i", "1", "00", "01", "02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let proof = stdout(&o).trim().to_string();
    let root = mmr(&["root", "--profile-file", f, "00", "01", "02"]);
    let o = mmr(&[
        "verify",
        "--profile-file",
        f,
        "--root",
        stdout(&root).trim(),
        "--proof",
        &proof,
        "01",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    // pos takes the flag too (the arithmetic is the same for every dialect).
    let o = mmr(&["pos", "--profile-file", f, "height", "6"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "2");
    // A broken file is a usage error naming it.
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "profile: x\nhash: md5\n").unwrap();
    for cmd in ["root", "pos"] {
        let args = if cmd == "root" {
            vec![cmd, "--profile-file", bad.to_str().unwrap(), "00"]
        } else {
            vec![cmd, "--profile-file", bad.to_str().unwrap(), "height", "6"]
        };
        let o = mmr(&args);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(stderr(&o).contains("bad.yaml"), "{cmd}: {}", stderr(&o));
    }
}

#[test]
fn a_shipped_profile_file_given_as_profile_file_stands_for_the_shipped_profile() {
    // `--profile-file vectors/profiles/X.yaml` once failed with "a profile named X already
    // exists": the file is X itself, so each query command answers as `--profile X` does.
    for name in ["cll-sha256", "mmriver-sha256", "commonware-forward"] {
        let path = Path::new(DIR).join(format!("profiles/{name}.yaml"));
        let f = path.to_str().unwrap();
        for args in [
            vec!["root", "00", "01", "02"],
            vec!["peaks", "--json", "00", "01", "02"],
            vec!["prove", "-i", "1", "00", "01", "02"],
        ] {
            let by_file = mmr(&[&args[..1], &["--profile-file", f], &args[1..]].concat());
            assert!(
                by_file.status.success(),
                "{name} {args:?}: {}",
                stderr(&by_file)
            );
            let by_name = mmr(&[&args[..1], &["--profile", name], &args[1..]].concat());
            assert!(
                by_name.status.success(),
                "{name} {args:?}: {}",
                stderr(&by_name)
            );
            assert_eq!(stdout(&by_file), stdout(&by_name), "{name} {args:?}");
        }
    }
    // The same definition with other comments and layout is the same profile.
    let dir = tmp_dir("shipped-as-file");
    let shipped = std::fs::read_to_string(Path::new(DIR).join("profiles/cll-sha256.yaml")).unwrap();
    let bare: String = shipped
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(bare, shipped);
    let same = dir.join("same.yaml");
    std::fs::write(&same, &bare).unwrap();
    let o = mmr(&[
        "root",
        "--profile-file",
        same.to_str().unwrap(),
        "00",
        "01",
        "02",
    ]);
    let want = mmr(&["root", "--profile", "cll-sha256", "00", "01", "02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&want));
    // Another definition under the shipped name is refused, saying what to do.
    let other = dir.join("other.yaml");
    std::fs::write(&other, bare.replace("hash: sha-256", "hash: blake3")).unwrap();
    let o = mmr(&["root", "--profile-file", other.to_str().unwrap(), "00"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("other.yaml"), "{e}");
    assert!(e.contains("defines it differently"), "{e}");
    assert!(e.contains("another `profile:` name"), "{e}");
    // A built-in profile's name is refused too, with the way out.
    let builtin = dir.join("grin.yaml");
    std::fs::write(
        &builtin,
        bare.replace("profile: cll-sha256", "profile: grin"),
    )
    .unwrap();
    let o = mmr(&["root", "--profile-file", builtin.to_str().unwrap(), "00"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("built into mmr") && e.contains("--profile grin"),
        "{e}"
    );
}

#[test]
fn generate_writes_a_shipped_profile_file_given_as_profile_file() {
    // `vectors generate --profile-file vectors/profiles/cll-sha256.yaml` once wrote "0 of 0
    // file(s) (all up to date)": the user asked for that dialect's vectors, so every topic
    // file is written, byte for byte the shipped vectors of that profile.
    let dir = tmp_dir("generate-shipped-file");
    let file = Path::new(DIR).join("profiles/cll-sha256.yaml");
    let o = mmr(&[
        "vectors",
        "generate",
        "--profile-file",
        file.to_str().unwrap(),
        "--dir",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("wrote {} of {}", TOPICS.len(), TOPICS.len())),
        "{}",
        stdout(&o)
    );
    for topic in TOPICS {
        let got = std::fs::read_to_string(dir.join(format!("cll-sha256/{topic}.yaml")))
            .unwrap_or_else(|e| panic!("cll-sha256/{topic}.yaml: {e}"));
        let want = std::fs::read_to_string(Path::new(DIR).join(format!("cll-sha256/{topic}.yaml")))
            .unwrap();
        same_text(&got, &want, topic);
    }
}
