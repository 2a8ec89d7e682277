//! `mmr`: vectors, conformance, and queries for Merkle Mountain Ranges.
//!
//! Exit codes: 0 success; 1 a verification failed or test cases failed; 2 usage or input
//! errors. Errors go to stderr with the reason; `--json` puts machine-readable output on
//! stdout.

use clap::{Args, Parser, Subcommand};
use mmr_spec::{Leaf, Profile};
use mmr_vectors::exec::arith_reference;
use mmr_vectors::files;
use mmr_vectors::model::{Query, VOut};
use mmr_vectors::num::U64;
use query::QueryError;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mmr",
    version,
    about = "Merkle Mountain Range vectors, conformance testing and queries (spec/SPEC.md)"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate or check the YAML test vectors.
    #[command(subcommand)]
    Vectors(VectorsCmd),
    /// Run the vectors (and optionally random sessions) on an implementation:
    /// `mmr conform --builtin` or `mmr conform -- python3 adapter.py`.
    Conform(conform_cmd::ConformArgs),
    /// Print the root of the MMR of the given leaves (HEX[:VALUE] arguments or stdin lines).
    Root(LeavesArgs),
    /// Print the peaks (position, hash, value) of the MMR of the given leaves.
    Peaks(LeavesArgs),
    /// Print the proof (D13) of one leaf, or the batch proof (D15) of several.
    Prove(ProveArgs),
    /// Verify a proof (or batch proof) against a root; exit 1 if it is rejected.
    Verify(VerifyArgs),
    /// Index arithmetic (D2-D7): `mmr pos height 6`, `mmr pos peaks 11`, ...
    Pos(PosArgs),
    /// A file-backed MMR (mmr-storage): init, append, commit, prove, verify, rewind,
    /// compact, inspect.
    #[command(subcommand)]
    Store(store_cmd::StoreCmd),
}

#[derive(Subcommand)]
enum VectorsCmd {
    /// Write every vector file from the reference (deterministic): the shipped profiles'
    /// and those of `DIR/profiles/*.yaml`, or with --profile-file only that profile's.
    Generate {
        /// The vectors directory (default: the `vectors/` directory of the source tree `mmr`
        /// was built from, where it still exists; with --profile-file, the current
        /// directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Generate only this profile file's dialect, every topic, into DIR/<profile>/
        /// (repeatable; SCHEMA.md "Profile files").
        #[arg(long = "profile-file", value_name = "FILE")]
        profile_files: Vec<PathBuf>,
        /// Write nothing; exit 1 if regenerating would change a file.
        #[arg(long)]
        check: bool,
    },
    /// Run vector files on both built-in implementations, case by case.
    Check {
        /// Files, or directories of them, to run (default: every file under --dir, or the
        /// embedded ones).
        files: Vec<PathBuf>,
        /// Read the vectors from this directory instead of the copy built into `mmr`.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Only this implementation: reference or optimized.
        #[arg(long = "impl")]
        implementation: Option<String>,
        #[command(flatten)]
        out: OutArgs,
    },
}

#[derive(Args, Clone, Copy)]
pub(crate) struct OutArgs {
    /// Machine-readable JSON report on stdout (with the adapters' stderr tails).
    #[arg(long)]
    pub json: bool,
    /// List every case (passes and skips too) and the counts per file.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Args)]
struct LeavesArgs {
    /// Hash profile (dialect) [default: the profile file's, else `default`].
    #[arg(long)]
    profile: Option<String>,
    /// Load a declarative profile file (SCHEMA.md, "Profile files") and use its dialect.
    #[arg(long = "profile-file", value_name = "FILE")]
    profile_file: Option<PathBuf>,
    /// JSON output.
    #[arg(long)]
    json: bool,
    /// Leaves as HEX[:VALUE]; read one per line from stdin if none are given.
    leaves: Vec<String>,
}

#[derive(Args)]
struct ProveArgs {
    #[command(flatten)]
    leaves: LeavesArgs,
    /// Leaf index to prove (repeat, or comma-separate, for a batch proof).
    #[arg(long, short, value_delimiter = ',', required = true)]
    index: Vec<u64>,
}

#[derive(Args)]
struct VerifyArgs {
    #[command(flatten)]
    leaves: LeavesArgs,
    /// The trusted root, HASH[:VALUE].
    #[arg(long)]
    root: String,
    /// The proof's bytes in hex (D13, or D15 for a batch).
    #[arg(long)]
    proof: String,
    /// Decode the proof as a batch proof even for one leaf.
    #[arg(long)]
    batch: bool,
}

#[derive(Args)]
struct PosArgs {
    /// height POS | leaf-pos INDEX | leaf-index POS | size LEAVES | leaf-count SIZE |
    /// peaks SIZE | parent POS | sibling POS | children POS | row-entry POS | position ROW ENTRY
    function: String,
    /// The argument(s), decimal.
    args: Vec<String>,
    /// JSON output.
    #[arg(long)]
    json: bool,
    /// A profile file, checked and otherwise unused: the index arithmetic (D1-D8) is the
    /// same for every dialect, so scripts may pass the same flags to every query.
    #[arg(long = "profile-file", value_name = "FILE")]
    profile_file: Option<PathBuf>,
}

/// Prints a line on stdout; a closed pipe (`mmr ... | head`) ends the program quietly
/// instead of panicking.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($t)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod conform_cmd;
mod query;
mod store_cmd;

/// Exit code 2 with a message.
fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("mmr: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.cmd {
        Cmd::Vectors(VectorsCmd::Generate {
            dir,
            profile_files,
            check,
        }) => generate(dir, &profile_files, check),
        Cmd::Vectors(VectorsCmd::Check {
            files,
            dir,
            implementation,
            out,
        }) => conform_cmd::check(files, dir.as_deref(), implementation.as_deref(), out),
        Cmd::Conform(a) => conform_cmd::conform(a),
        Cmd::Root(a) => root(a),
        Cmd::Peaks(a) => peaks(a),
        Cmd::Prove(a) => prove(a),
        Cmd::Verify(a) => verify(a),
        Cmd::Pos(a) => pos(a),
        Cmd::Store(c) => store_cmd::run(c),
    }
}

/// `mmr vectors generate`: what to generate (every shipped profile plus the directory's
/// own profile files, or only the given profile files), then write or check it.
fn generate(dir: Option<PathBuf>, profile_files: &[PathBuf], check_only: bool) -> ExitCode {
    use mmr_vectors::generate::{Generated, disk, generate_all, generate_each, generate_named};
    let (dir, generated): (PathBuf, Result<Vec<Generated>, String>) = if profile_files.is_empty() {
        let dir = match dir {
            Some(d) => d,
            None if files::source_dir().is_dir() => files::source_dir(),
            None => {
                return usage(
                    "give --dir: the source tree this mmr was built from is not here (or --profile-file FILE for one dialect)",
                );
            }
        };
        let own = match mmr_vectors::profiles::load_dir(&dir) {
            Ok(names) => names,
            Err(e) => return usage(e),
        };
        let generated = generate_all().and_then(|mut all| {
            all.extend(generate_named(&own)?);
            Ok(all)
        });
        (dir, generated)
    } else {
        let mut names = Vec::new();
        for f in profile_files {
            match mmr_vectors::profiles::load_file(f) {
                Ok(n) => names.push(n),
                Err(e) => return usage(e),
            }
        }
        // Every file given, a shipped profile's too: the user asked for its vectors.
        (
            dir.unwrap_or_else(|| PathBuf::from(".")),
            generate_each(&names),
        )
    };
    let rendered = match generated.and_then(|g| disk::render_all(&g)) {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    if check_only {
        let stale = disk::stale(&dir, &rendered);
        if stale.is_empty() {
            say!(
                "vectors are up to date ({} file(s) under {})",
                rendered.len(),
                dir.display()
            );
            return ExitCode::SUCCESS;
        }
        eprintln!("mmr: regenerating would change: {}", stale.join(", "));
        return ExitCode::from(1);
    }
    match disk::write(&dir, &rendered) {
        Ok(changed) => {
            say!(
                "wrote {} of {} file(s) under {}{}",
                changed.len(),
                rendered.len(),
                dir.display(),
                if changed.is_empty() {
                    " (all up to date)"
                } else {
                    ""
                }
            );
            for c in changed {
                say!("  {c}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => usage(e),
    }
}

// ----- queries -----

/// A shipped, shipped-file or registered profile, or exit 2 naming the known ones.
fn profile_named(name: &str) -> Result<&'static dyn Profile, ExitCode> {
    mmr_vectors::model::profile_named(name).map_err(usage)
}

/// The profile of a leaves command: `--profile`, else the `--profile-file`'s, else
/// `default`; the file is loaded first, so `--profile` may name it.
fn leaves_profile(a: &LeavesArgs) -> Result<&'static dyn Profile, ExitCode> {
    let from_file = match &a.profile_file {
        Some(f) => Some(mmr_vectors::profiles::load_file(f).map_err(usage)?),
        None => None,
    };
    profile_named(a.profile.as_deref().or(from_file).unwrap_or("default"))
}

/// The leaves from the arguments, or from stdin (one per line; blank lines and `#`
/// comments skipped) when there are none and stdin is not a terminal.
fn read_leaves(args: &[String]) -> Result<Vec<Leaf>, QueryError> {
    read_leaf_args(args, query::parse_leaf)
}

/// The leaf arguments, or stdin's non-empty, non-comment lines, each parsed by `parse`.
fn read_leaf_args<T>(
    args: &[String],
    parse: impl Fn(&str) -> Result<T, QueryError>,
) -> Result<Vec<T>, QueryError> {
    if !args.is_empty() {
        return args.iter().map(|s| parse(s)).collect();
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| QueryError::Input(format!("stdin line {}: {e}", i + 1)))?;
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        out.push(parse(t).map_err(|e| QueryError::Input(format!("stdin line {}: {e}", i + 1)))?);
    }
    Ok(out)
}

fn query_failed(e: QueryError) -> ExitCode {
    match e {
        QueryError::Input(s) => usage(s),
        QueryError::Rejected(err) => {
            eprintln!("mmr: {}: {err}", err.kind());
            ExitCode::from(1)
        }
    }
}

fn json_line(v: serde_json::Value) {
    say!("{v}");
}

/// `mmr root --profile minima`: leaves `HEX[:DECIMAL]` with Minima's MiniNumber amounts
/// (`HEX:0.001`); prints the root hash and its value as Minima prints a MiniNumber. Values
/// of scale 0 go through `ProofDb` like every profile; decimals through
/// `profiles::minima::decimal_root` (SPEC.md D9, "Decimal values": not yet in the trait).
fn minima_root(p: &'static dyn mmr_spec::Profile, a: LeavesArgs) -> ExitCode {
    let leaves = match read_leaf_args(&a.leaves, query::parse_minima_leaf) {
        Ok(l) => l,
        Err(e) => return query_failed(e),
    };
    let (size, hash, value) = match query::minima_root(p, &leaves) {
        Ok(r) => r,
        Err(e) => return query_failed(e),
    };
    if a.json {
        json_line(serde_json::json!({
            "profile": p.name(),
            "size": U64(size),
            "leaf_count": U64(leaves.len() as u64),
            "root": {"hash": hash.to_hex(), "value": value.to_string()},
        }));
    } else {
        say!("{hash} {value}");
    }
    ExitCode::SUCCESS
}

fn root(a: LeavesArgs) -> ExitCode {
    let p = match leaves_profile(&a) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.name() == "minima" {
        return minima_root(p, a);
    }
    let leaves = match read_leaves(&a.leaves) {
        Ok(l) => l,
        Err(e) => return query_failed(e),
    };
    match query::root(p, &leaves) {
        Ok((size, r)) => {
            if a.json {
                json_line(serde_json::json!({
                    "profile": p.name(),
                    "size": U64(size),
                    "leaf_count": U64(leaves.len() as u64),
                    "root": query::json_node(r),
                }));
            } else {
                say!("{}", r.hash);
            }
            ExitCode::SUCCESS
        }
        Err(e) => query_failed(e),
    }
}

fn peaks(a: LeavesArgs) -> ExitCode {
    let p = match leaves_profile(&a) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let leaves = match read_leaves(&a.leaves) {
        Ok(l) => l,
        Err(e) => return query_failed(e),
    };
    match query::peaks(p, &leaves) {
        Ok(peaks) => {
            if a.json {
                let list: Vec<serde_json::Value> = peaks
                    .iter()
                    .map(|(pos, n)| serde_json::json!({"pos": U64(*pos), "hash": n.hash.to_hex(), "value": U64(n.value)}))
                    .collect();
                json_line(serde_json::Value::Array(list));
            } else {
                for (pos, n) in peaks {
                    say!("{pos} {} {}", n.hash, n.value);
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => query_failed(e),
    }
}

fn prove(a: ProveArgs) -> ExitCode {
    let p = match leaves_profile(&a.leaves) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let leaves = match read_leaves(&a.leaves.leaves) {
        Ok(l) => l,
        Err(e) => return query_failed(e),
    };
    match query::prove(p, &leaves, &a.index) {
        Ok((bytes, root)) => {
            if a.leaves.json {
                json_line(serde_json::json!({
                    "proof": mmr_spec::to_hex(&bytes),
                    "batch": a.index.len() != 1,
                    "root": query::json_node(root),
                }));
            } else {
                say!("{}", mmr_spec::to_hex(&bytes));
            }
            ExitCode::SUCCESS
        }
        Err(e) => query_failed(e),
    }
}

fn verify(a: VerifyArgs) -> ExitCode {
    let p = match leaves_profile(&a.leaves) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let parsed = (|| {
        let leaves = read_leaves(&a.leaves.leaves)?;
        let root = query::parse_node(&a.root)?;
        let proof = query::parse_bytes("--proof", &a.proof)?;
        Ok::<_, QueryError>((leaves, root, proof))
    })();
    let (leaves, root, proof) = match parsed {
        Ok(x) => x,
        Err(e) => return query_failed(e),
    };
    match query::verify(p, &root, &proof, &leaves, a.batch) {
        Ok(()) => {
            if a.leaves.json {
                json_line(serde_json::json!({"valid": true}));
            } else {
                say!("ok");
            }
            ExitCode::SUCCESS
        }
        Err(QueryError::Rejected(e)) => {
            if a.leaves.json {
                json_line(
                    serde_json::json!({"valid": false, "error": e.kind().name(), "message": e.to_string()}),
                );
            } else {
                eprintln!("mmr: invalid: {}: {e}", e.kind());
            }
            ExitCode::from(1)
        }
        Err(e) => query_failed(e),
    }
}

fn pos(a: PosArgs) -> ExitCode {
    if let Some(f) = &a.profile_file
        && let Err(e) = mmr_vectors::profiles::load_file(f)
    {
        return usage(e);
    }
    let nums: Result<Vec<U64>, String> = a
        .args
        .iter()
        .map(|s| mmr_vectors::num::parse_u64(s).map(U64))
        .collect();
    let nums = match nums {
        Ok(n) => n,
        Err(e) => return usage(e),
    };
    let one = |f: fn(U64) -> Query| -> Result<Query, String> {
        match nums.as_slice() {
            [x] => Ok(f(*x)),
            _ => Err(format!("`{}` takes one number", a.function)),
        }
    };
    let q = match a.function.as_str() {
        "height" => one(|pos| Query::Height { pos }),
        "leaf-pos" => one(|index| Query::LeafPos { index }),
        "leaf-index" => one(|pos| Query::LeafIndex { pos }),
        "size" => one(|leaves| Query::Size { leaves }),
        "leaf-count" => one(|size| Query::LeafCount { size }),
        "peaks" => one(|size| Query::Peaks { size }),
        "parent" => one(|pos| Query::Parent { pos }),
        "sibling" => one(|pos| Query::Sibling { pos }),
        "children" => one(|pos| Query::Children { pos }),
        "row-entry" => one(|pos| Query::RowEntry { pos }),
        "position" => match nums.as_slice() {
            [row, entry] => Ok(Query::Position {
                row: *row,
                entry: *entry,
            }),
            _ => Err("`position` takes ROW ENTRY".into()),
        },
        other => Err(format!(
            "unknown function {other:?}: height, leaf-pos, leaf-index, size, leaf-count, peaks, parent, sibling, children, row-entry, position"
        )),
    };
    let q = match q {
        Ok(q) => q,
        Err(e) => return usage(e),
    };
    let answer = arith_reference(&q);
    if a.json {
        say!("{}", answer.show());
    } else {
        match &answer {
            VOut::Number(n) => say!("{}", n.0),
            VOut::Numbers(v) => say!(
                "{}",
                v.iter()
                    .map(|n| n.0.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            VOut::RowEntry { row, entry } => say!("{} {}", row.0, entry.0),
            VOut::None => say!("none"),
            VOut::Error(k) => eprintln!("mmr: {}", k.0),
            other => say!("{other}"),
        }
    }
    if answer.error().is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
