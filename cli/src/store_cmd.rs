//! `mmr store`: a file-backed MMR (`mmr-storage`, optimized/storage/STORAGE.md) from the
//! command line. Each subcommand opens the store, makes one call into `PersistentDb`, and
//! closes it; every change is durable when the command returns.
//!
//! A process holds nothing between commands, so `append` commits its leaves as one block
//! (all or nothing, D16 `apply_block`): uncommitted leaves would be lost at exit. `commit`
//! commits a block with no changes.
//!
//! Exit codes as elsewhere: 0 success; 1 the store or the database refused (`mmr: KIND:
//! message` on stderr, KIND the stable error kind, `storage` for the files' failures) or a
//! proof was rejected; 2 usage or input errors.

use crate::query::{self, QueryError};
use crate::{read_leaves, usage};
use clap::Subcommand;
use mmr_spec::{At, Block, BlockOp, Config, Node, Profile, Proof, ProofDb, profiles};
use mmr_storage::{PersistentDb, StorageError, store_profile};
use mmr_vectors::num::U64;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub(crate) enum StoreCmd {
    /// Create an empty store in DIR (created if missing).
    Init {
        /// The store directory.
        dir: PathBuf,
        /// Hash profile (dialect).
        #[arg(long, default_value = "default")]
        profile: String,
        /// Blocks whose states stay readable and rewindable (D19).
        #[arg(long, default_value_t = Config::default().retain)]
        retain: u64,
    },
    /// Append leaves (HEX[:VALUE] arguments, or stdin lines) and commit them as one block.
    Append {
        /// The store directory.
        dir: PathBuf,
        /// Leaves as HEX[:VALUE]; read one per line from stdin if none are given.
        leaves: Vec<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Commit a block with no changes.
    Commit {
        /// The store directory.
        dir: PathBuf,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Print the proof (D13, hex) of a leaf in the current or a retained state.
    Prove {
        /// The store directory.
        dir: PathBuf,
        /// The leaf index.
        #[arg(long, short)]
        index: u64,
        /// A retained block height (default: the current state).
        #[arg(long)]
        height: Option<u64>,
        /// JSON output (with the root).
        #[arg(long)]
        json: bool,
    },
    /// Verify a proof of a leaf against the store's root (current or at --height); exit 1
    /// if it is rejected.
    Verify {
        /// The store directory.
        dir: PathBuf,
        /// The proof's bytes in hex (D13).
        #[arg(long)]
        proof: String,
        /// A retained block height (default: the current state).
        #[arg(long)]
        height: Option<u64>,
        /// The leaf, HEX[:VALUE].
        leaf: String,
    },
    /// Rewind to a retained block height (D19).
    Rewind {
        /// The store directory.
        dir: PathBuf,
        /// The height to return to.
        height: u64,
    },
    /// Compact up to a horizon height (D21) and report the disk use before and after.
    Compact {
        /// The store directory.
        dir: PathBuf,
        /// The new horizon.
        horizon: u64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Print a leaf's data as appended (hex), from the leaf-data file.
    Data {
        /// The store directory.
        dir: PathBuf,
        /// The leaf index.
        index: u64,
    },
    /// Print the store's committed state and disk use; --check also recomputes every
    /// checksum and internal node (exit 1 on corruption).
    Inspect {
        /// The store directory.
        dir: PathBuf,
        /// Verify every checksum, every stored internal node and the root.
        #[arg(long)]
        check: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

type Db = PersistentDb<&'static dyn Profile>;

/// A refusal of the store or the database: exit 1 with the error's kind.
fn failed(e: StorageError) -> ExitCode {
    let e = e.into_spec();
    eprintln!("mmr: {}: {e}", e.kind());
    ExitCode::from(1)
}

fn open(dir: &Path) -> Result<Db, ExitCode> {
    let name = store_profile(dir).map_err(failed)?;
    let p = profiles::by_name(&name)
        .ok_or_else(|| usage(format!("the store uses unknown profile {name:?}")))?;
    PersistentDb::open(dir, p).map_err(failed)
}

fn node_text(n: &Node) -> String {
    format!("{}:{}", n.hash, n.value)
}

fn block_json(i: &mmr_spec::BlockInfo) -> serde_json::Value {
    serde_json::json!({
        "height": U64(i.height),
        "size": U64(i.size),
        "leaf_count": U64(i.leaf_count),
        "root": query::json_node(i.root),
    })
}

fn at(height: Option<u64>) -> At {
    height.map_or(At::Current, At::Block)
}

pub(crate) fn run(cmd: StoreCmd) -> ExitCode {
    match run_inner(cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(c) => c,
    }
}

fn run_inner(cmd: StoreCmd) -> Result<(), ExitCode> {
    match cmd {
        StoreCmd::Init {
            dir,
            profile,
            retain,
        } => {
            let p = crate::profile_named(&profile)?;
            PersistentDb::create(&dir, p, Config { retain }).map_err(failed)?;
            say!(
                "created {} (profile {}, retain {retain})",
                dir.display(),
                p.name()
            );
        }
        StoreCmd::Append { dir, leaves, json } => {
            let leaves = read_leaves(&leaves).map_err(crate::query_failed)?;
            if leaves.is_empty() {
                return Err(usage("append needs at least one leaf"));
            }
            let mut db = open(&dir)?;
            let first = db.db().leaf_count();
            let block = Block {
                ops: leaves
                    .into_iter()
                    .map(|l| BlockOp::Append {
                        data: l.data,
                        value: l.value,
                    })
                    .collect(),
            };
            let info = db.apply_block(&block).map_err(failed)?;
            if json {
                let mut v = block_json(&info);
                v["first_index"] = serde_json::json!(U64(first));
                say!("{v}");
            } else {
                say!(
                    "block {}: leaves {first}..{}, size {}, root {}",
                    info.height,
                    info.leaf_count,
                    info.size,
                    node_text(&info.root)
                );
            }
        }
        StoreCmd::Commit { dir, json } => {
            let mut db = open(&dir)?;
            let info = db.commit().map_err(failed)?;
            if json {
                say!("{}", block_json(&info));
            } else {
                say!(
                    "block {}: size {}, root {}",
                    info.height,
                    info.size,
                    node_text(&info.root)
                );
            }
        }
        StoreCmd::Prove {
            dir,
            index,
            height,
            json,
        } => {
            let db = open(&dir)?;
            let at = at(height);
            let fail = |e: mmr_spec::Error| failed(StorageError::Db(e));
            let proof = db.prove(at, index).map_err(fail)?;
            let bytes = proof.encode().map_err(fail)?;
            if json {
                let root = db.root(at).map_err(fail)?;
                say!(
                    "{}",
                    serde_json::json!({
                        "proof": mmr_spec::to_hex(&bytes),
                        "root": query::json_node(root),
                    })
                );
            } else {
                say!("{}", mmr_spec::to_hex(&bytes));
            }
        }
        StoreCmd::Verify {
            dir,
            proof,
            height,
            leaf,
        } => {
            let parsed = (|| {
                let leaf = query::parse_leaf(&leaf)?;
                let bytes = query::parse_bytes("--proof", &proof)?;
                Ok::<_, QueryError>((leaf, bytes))
            })();
            let (leaf, bytes) = parsed.map_err(crate::query_failed)?;
            let db = open(&dir)?;
            let root = db
                .root(at(height))
                .map_err(|e| failed(StorageError::Db(e)))?;
            let r = Proof::decode(&bytes)
                .and_then(|p| ProofDb::verify(&db, &root, &p, &leaf.data, leaf.value));
            match r {
                Ok(()) => say!("ok"),
                Err(e) => {
                    eprintln!("mmr: invalid: {}: {e}", e.kind());
                    return Err(ExitCode::from(1));
                }
            }
        }
        StoreCmd::Rewind { dir, height } => {
            let mut db = open(&dir)?;
            db.rewind(height).map_err(failed)?;
            say!("height {}, size {}", db.db().height(), db.db().size());
        }
        StoreCmd::Compact { dir, horizon, json } => {
            let mut db = open(&dir)?;
            let o = db.compact(horizon).map_err(failed)?;
            if json {
                say!(
                    "{}",
                    serde_json::json!({
                        "horizon": U64(o.report.horizon),
                        "dropped": U64(o.report.dropped),
                        "total_dropped": U64(o.report.total_dropped),
                        "bytes_before": U64(o.before.total()),
                        "bytes_after": U64(o.after.total()),
                    })
                );
            } else {
                say!(
                    "horizon {}: dropped {} positions ({} in all); {} -> {} bytes",
                    o.report.horizon,
                    o.report.dropped,
                    o.report.total_dropped,
                    o.before.total(),
                    o.after.total()
                );
            }
        }
        StoreCmd::Data { dir, index } => {
            let db = open(&dir)?;
            let d = db.leaf_data(index).map_err(failed)?;
            say!(
                "{}",
                d.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
        }
        StoreCmd::Inspect { dir, check, json } => {
            let db = open(&dir)?;
            let report = if check {
                Some(db.verify().map_err(failed)?)
            } else {
                None
            };
            let d = db.db();
            let root = d.root(At::Current);
            let u = db.disk_usage();
            if json {
                let mut v = serde_json::json!({
                    "profile": d.profile_ref().name(),
                    "retain": U64(d.config().retain),
                    "height": U64(d.height()),
                    "oldest": U64(d.oldest()),
                    "horizon": U64(d.horizon()),
                    "size": U64(d.size()),
                    "leaf_count": U64(d.leaf_count()),
                    "root": root.as_ref().ok().map(|r| query::json_node(*r)),
                    "seq": U64(db.seq()),
                    "generation": U64(db.generation()),
                    "bytes": {
                        "hash": U64(u.hash), "leaf_set": U64(u.leaf_set),
                        "prune_list": U64(u.prune_list), "blocks": U64(u.blocks),
                        "leaf_data": U64(u.leaf_data), "meta": U64(u.meta),
                        "total": U64(u.total()),
                    },
                });
                if let Some(r) = report {
                    v["checked"] = serde_json::json!({
                        "positions": U64(r.positions),
                        "parents": U64(r.parents_checked),
                        "bytes": U64(r.bytes_checked),
                    });
                }
                say!("{v}");
            } else {
                say!(
                    "profile     {} (retain {})",
                    d.profile_ref().name(),
                    d.config().retain
                );
                say!(
                    "height      {} (oldest retained {}, horizon {})",
                    d.height(),
                    d.oldest(),
                    d.horizon()
                );
                say!("size        {} ({} leaves)", d.size(), d.leaf_count());
                match &root {
                    Ok(r) => say!("root        {}", node_text(r)),
                    Err(e) => say!("root        none ({})", e.kind()),
                }
                say!(
                    "commits     {} (hash file generation {})",
                    db.seq(),
                    db.generation()
                );
                say!(
                    "disk        {} bytes (hash {}, leaf set {}, prune list {}, blocks {}, leaf data {}, meta {})",
                    u.total(),
                    u.hash,
                    u.leaf_set,
                    u.prune_list,
                    u.blocks,
                    u.leaf_data,
                    u.meta
                );
                if let Some(r) = report {
                    say!(
                        "check       ok: {} positions, {} parents re-hashed, {} bytes checksummed",
                        r.positions,
                        r.parents_checked,
                        r.bytes_checked
                    );
                }
            }
        }
    }
    Ok(())
}
