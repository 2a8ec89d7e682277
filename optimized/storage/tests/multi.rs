//! Several named MMRs in one store, key tables and leaf data (STORAGE.md sections 1-3):
//! checked against in-memory models (an `Optimized` over `MemStore` per MMR, which the
//! differential harness ties to the reference, plus plain maps for keys and data), across
//! reopens, rewinds, compactions and injected write faults.

mod common;

use common::{copy_dir, tmp};
use mmr_optimized::{Optimized, Sha3Default};
use mmr_spec::{At, Config, Error, ProofDb};
use mmr_storage::{Key, MmrSpec, MultiDb, PersistentDb, StorageError, VerifyReport};
use std::collections::HashMap;

type P = Sha3Default;
const CONFIG: Config = Config { retain: 3 };
const OUT: &str = "outputs";
const KER: &str = "kernels";

fn specs() -> [MmrSpec; 2] {
    [MmrSpec::keyed(OUT), MmrSpec::plain(KER)]
}

/// The models of both MMRs: databases, each leaf's data (None once dropped), and the
/// outputs' keys.
struct Model {
    out: Optimized<P, mmr_optimized::MemStore>,
    ker: Optimized<P, mmr_optimized::MemStore>,
    out_data: Vec<(Key, Vec<u8>)>,
    ker_data: Vec<Vec<u8>>,
    keys: HashMap<Key, u64>,
}

/// The model's keys and data of a committed state.
#[derive(Clone)]
struct Snap {
    out_data: Vec<(Key, Vec<u8>)>,
    ker_data: Vec<Vec<u8>>,
    keys: HashMap<Key, u64>,
}

impl Model {
    fn new() -> Model {
        Model {
            out: Optimized::with_profile(Sha3Default, CONFIG),
            ker: Optimized::with_profile(Sha3Default, CONFIG),
            out_data: Vec::new(),
            ker_data: Vec::new(),
            keys: HashMap::new(),
        }
    }

    fn snap(&self) -> Snap {
        Snap {
            out_data: self.out_data.clone(),
            ker_data: self.ker_data.clone(),
            keys: self.keys.clone(),
        }
    }

    fn dropped(db: &dyn ProofDb, leaf: u64) -> bool {
        let pos = mmr_optimized::index::leaf_to_pos(leaf).unwrap();
        matches!(db.node(At::Current, pos), Err(Error::Pruned { .. }))
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

fn key(k: u64) -> Key {
    let mut a = [0u8; 32];
    a[..8].copy_from_slice(&k.to_le_bytes());
    a[31] = 0xaa;
    a
}

/// Every observable the store and the model share.
fn check(db: &MultiDb<P>, m: &Model, keys_used: u64, ctx: &str) {
    for (name, model) in [(OUT, &m.out as &dyn ProofDb), (KER, &m.ker)] {
        let d = db.db(name).unwrap();
        assert_eq!(d.height(), model.height(), "{ctx}: {name} height");
        assert_eq!(d.size(), model.size(), "{ctx}: {name} size");
        for h in model.oldest()..=model.height() {
            assert_eq!(
                d.root(At::Block(h)),
                model.root(At::Block(h)),
                "{ctx}: {name} root {h}"
            );
            assert_eq!(
                d.leaf_set(At::Block(h)),
                model.leaf_set(At::Block(h)),
                "{ctx}: {name} leaf set {h}"
            );
        }
    }
    for (i, (k, data)) in m.out_data.iter().enumerate() {
        let i = i as u64;
        if Model::dropped(&m.out, i) {
            assert!(
                matches!(
                    db.leaf_data(OUT, i),
                    Err(StorageError::Db(Error::Pruned { .. }))
                ),
                "{ctx}: data of dropped output {i}"
            );
        } else {
            assert_eq!(&db.leaf_data(OUT, i).unwrap(), data, "{ctx}: output {i}");
            assert!(m.keys.get(k) == Some(&i), "{ctx}: model key of {i}");
        }
    }
    for (i, data) in m.ker_data.iter().enumerate() {
        let i = i as u64;
        if !Model::dropped(&m.ker, i) {
            assert_eq!(&db.leaf_data(KER, i).unwrap(), data, "{ctx}: kernel {i}");
        }
    }
    for k in 0..keys_used {
        let got = db.lookup(OUT, &key(k)).unwrap();
        let want = m
            .keys
            .get(&key(k))
            .map(|&leaf| (leaf, m.out.is_unspent(At::Current, leaf).unwrap()));
        assert_eq!(
            got.map(|e| (e.leaf, e.unspent)),
            want,
            "{ctx}: lookup of key {k}"
        );
    }
}

/// A random mix of keyed appends, spends by key, kernel appends, commits, rewinds,
/// compactions and reopens; after each op the store must equal the model.
fn run(seed: u64, ops: usize) {
    let dir = tmp(&format!("multi-{seed}"));
    let mut db = MultiDb::create(&dir, Sha3Default, CONFIG, &specs()).unwrap();
    let mut m = Model::new();
    // Committed model states by height (for rewinds and reopens).
    let mut states: Vec<Snap> = vec![m.snap()];
    let mut rng = Rng(seed | 1);
    let mut keys_used = 0u64;
    for op in 0..ops {
        let ctx = format!("seed {seed} op {op}");
        match rng.below(12) {
            0..=3 => {
                // A fresh key, or (one time in 5) a key in use: refused.
                let k = if keys_used > 0 && rng.below(5) == 0 {
                    rng.below(keys_used)
                } else {
                    keys_used += 1;
                    keys_used - 1
                };
                let data = format!("coin {k} {op}").into_bytes();
                let v = rng.below(100) + 1;
                let r = db.append_keyed(OUT, &key(k), &data, v);
                if let Some(&leaf) = m.keys.get(&key(k)) {
                    assert!(
                        matches!(&r, Err(StorageError::Key { what, .. }) if what.contains(&format!("leaf {leaf}"))),
                        "{ctx}: duplicate accepted: {r:?}"
                    );
                } else {
                    let i = m.out.append(&data, v).unwrap();
                    assert_eq!(r.unwrap(), i, "{ctx}");
                    m.out_data.push((key(k), data));
                    m.keys.insert(key(k), i);
                }
            }
            4 | 5 => {
                let k = rng.below(keys_used.max(1));
                let r = db.spend_key(OUT, &key(k), b"spent");
                match m.keys.get(&key(k)) {
                    Some(&leaf) => {
                        let want = m.out.spend(leaf, b"spent");
                        assert_eq!(r.map_err(|e| e.into_spec()), want.map(|_| leaf), "{ctx}");
                    }
                    None => assert!(matches!(r, Err(StorageError::Key { .. })), "{ctx}"),
                }
            }
            6 => {
                let data = format!("kernel {op}").into_bytes();
                let i = m.ker.append(&data, 0).unwrap();
                assert_eq!(db.append(KER, &data, 0).unwrap(), i);
                m.ker_data.push(data);
            }
            7 | 8 => {
                db.commit().unwrap();
                m.out.commit().unwrap();
                m.ker.commit().unwrap();
                states.push(m.snap());
            }
            9 => {
                let h = m.out.height();
                let to = h.saturating_sub(rng.below(3)).max(m.out.oldest());
                let r = db.rewind(to);
                if m.out.rewind(to).is_ok() {
                    r.unwrap();
                    m.ker.rewind(to).unwrap();
                    restore(&mut m, &states[to as usize]);
                    states.truncate(to as usize + 1);
                } else {
                    assert!(r.is_err(), "{ctx}: rewind to {to} accepted");
                }
            }
            10 => {
                // Committed first, so that the compaction is durable at once.
                db.commit().unwrap();
                m.out.commit().unwrap();
                m.ker.commit().unwrap();
                states.push(m.snap());
                let h = m.out.height();
                let to = h.saturating_sub(rng.below(2)).max(m.out.horizon());
                let r = db.compact(to);
                match (m.out.compact(to), m.ker.compact(to)) {
                    (Ok(_), Ok(_)) => {
                        r.unwrap();
                        drop_pruned(&mut m);
                    }
                    _ => assert!(r.is_err(), "{ctx}"),
                }
            }
            _ => {
                drop(db);
                db = MultiDb::open(&dir, Sha3Default).unwrap();
                // Uncommitted changes are gone (a rewind to the tip discards them).
                let h = m.out.height();
                m.out.rewind(h).unwrap();
                m.ker.rewind(h).unwrap();
                restore(&mut m, &states[h as usize]);
            }
        }
        check(&db, &m, keys_used, &ctx);
    }
    let r: VerifyReport = db.verify().unwrap();
    assert!(r.positions > 0);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Keys and data of the committed state `st` (the databases are already rewound), less
/// what compaction dropped since: every dropped leaf lies below the horizon, so it is dropped
/// in `st`'s continuation exactly if it is dropped now.
fn restore(m: &mut Model, st: &Snap) {
    m.out_data.clone_from(&st.out_data);
    m.ker_data.clone_from(&st.ker_data);
    m.keys.clone_from(&st.keys);
    drop_pruned(m);
}

/// Removes the keys of outputs whose leaf node the model's compaction dropped.
fn drop_pruned(m: &mut Model) {
    let out = &m.out;
    m.keys
        .retain(|_, leaf| *leaf < out.leaf_count() && !Model::dropped(out, *leaf));
}

#[test]
fn named_mmrs_keys_and_leaf_data_follow_the_model() {
    for seed in [1, 2, 3, 0x5eed, 0xdead_beef] {
        run(seed, 400);
    }
}

/// A deterministic step on both MMRs, ending with a commit (or a rewind, which is durable
/// too): what the fault-injection run repeats.
fn wstep(db: &mut MultiDb<P>, k: u64) -> Result<(), StorageError> {
    if k % 7 == 6 {
        let h = db.height();
        return db.rewind(h.saturating_sub(1).max(db.db(OUT)?.oldest()));
    }
    for j in 0..3 {
        db.append_keyed(OUT, &key(10 * k + j), &[k as u8, j as u8], j + 1)?;
    }
    db.append(KER, &[k as u8], 0)?;
    if k > 2 {
        let _ = db.spend_key(OUT, &key(10 * (k - 2)), b"s");
    }
    db.commit().map(|_| ())
}

/// What a reopened store shows: height, both roots, and every key's lookup.
fn snapshot(db: &MultiDb<P>, steps: u64) -> String {
    let mut s = format!(
        "h={} out={:?} ker={:?}",
        db.height(),
        db.db(OUT).unwrap().root(At::Current),
        db.db(KER).unwrap().root(At::Current)
    );
    for k in 0..10 * steps {
        if let Some(e) = db.lookup(OUT, &key(k)).unwrap() {
            s += &format!(" {k}:{}{}", e.leaf, if e.unspent { "u" } else { "s" });
        }
    }
    s
}

#[test]
fn a_failed_write_leaves_both_mmrs_and_the_key_table_at_one_commit() {
    use mmr_storage::{CheckpointPolicy, Fault, FaultKind};
    // Every other commit a checkpoint: faults land in log appends and in checkpoints.
    const EVERY_OTHER: CheckpointPolicy = CheckpointPolicy {
        every: 2,
        wal_bytes: 1 << 20,
        memory_bytes: 64 << 20,
    };
    let (warm, window) = (12u64, 4u64);
    let base = tmp("multi-faults-base");
    let mut expected = Vec::new();
    {
        let mut db = MultiDb::create(&base, Sha3Default, CONFIG, &specs()).unwrap();
        for k in 0..warm {
            wstep(&mut db, k).unwrap();
        }
    }
    let calls = {
        let dir = tmp("multi-faults-count");
        copy_dir(&base, &dir);
        let mut db = MultiDb::open(&dir, Sha3Default).unwrap();
        db.set_checkpoint_policy(EVERY_OTHER);
        expected.push(snapshot(&db, warm + window));
        for k in warm..warm + window {
            wstep(&mut db, k).unwrap();
            expected.push(snapshot(&db, warm + window));
        }
        db.io_calls()
    };
    let mut trials = 0;
    for kind in [FaultKind::Error, FaultKind::ShortWrite, FaultKind::NoSpace] {
        for at in 0..calls {
            let dir = tmp("multi-faults-run");
            copy_dir(&base, &dir);
            let mut db = MultiDb::open_with(&dir, Sha3Default, Some(Fault { at, kind })).unwrap();
            db.set_checkpoint_policy(EVERY_OTHER);
            let mut acked = 0usize;
            for k in warm..warm + window {
                if wstep(&mut db, k).is_err() || db.is_poisoned() {
                    break;
                }
                acked += 1;
            }
            drop(db);
            let db = MultiDb::open(&dir, Sha3Default)
                .unwrap_or_else(|e| panic!("{kind:?} at {at}: reopen failed: {e}"));
            let got = snapshot(&db, warm + window);
            assert!(
                got == expected[acked] || expected.get(acked + 1) == Some(&got),
                "{kind:?} at call {at}: {got}\nexpected {}\nor {:?}",
                expected[acked],
                expected.get(acked + 1)
            );
            db.verify().unwrap();
            trials += 1;
            drop(db);
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    eprintln!("multi fault injection: {trials} trials over {calls} write calls");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_flipped_key_table_is_reported_and_names_are_checked() {
    let dir = tmp("multi-keys-flip");
    {
        let mut db = MultiDb::create(&dir, Sha3Default, CONFIG, &specs()).unwrap();
        for k in 0..5 {
            wstep(&mut db, k).unwrap();
        }
        // The wrong kind of handle, and wrong appends, are refused by name.
        assert!(matches!(
            db.append(OUT, b"x", 1),
            Err(StorageError::Key { .. })
        ));
        assert!(matches!(
            db.append_keyed(KER, &key(999), b"x", 1),
            Err(StorageError::Key { .. })
        ));
        assert!(
            matches!(db.append("nope", b"x", 1), Err(StorageError::Key { mmr, .. }) if mmr == "nope")
        );
        db.verify().unwrap();
    }
    assert!(matches!(
        PersistentDb::open(&dir, Sha3Default),
        Err(StorageError::Key { .. })
    ));
    let path = dir.join("outputs.keys.bin");
    let mut b = std::fs::read(&path).unwrap();
    let at = b.len() - 3;
    b[at] ^= 1;
    std::fs::write(&path, b).unwrap();
    match MultiDb::open(&dir, Sha3Default) {
        Err(StorageError::Corrupt { file, .. }) => assert_eq!(file, "outputs.keys.bin"),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a flipped key table went unnoticed"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    for bad in [
        vec![],
        vec![MmrSpec::plain("a.b")],
        vec![MmrSpec::plain("x"), MmrSpec::keyed("x")],
    ] {
        let dir = tmp("multi-bad-names");
        assert!(matches!(
            MultiDb::create(&dir, Sha3Default, CONFIG, &bad),
            Err(StorageError::Key { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
    let dir = tmp("multi-single");
    drop(PersistentDb::create(&dir, Sha3Default, CONFIG).unwrap());
    assert!(matches!(
        MultiDb::open(&dir, Sha3Default),
        Err(StorageError::Key { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn leaf_data_of_a_single_mmr_follows_appends_blocks_rewinds_and_reopens() {
    use mmr_spec::{Block, BlockOp};
    let dir = tmp("single-data");
    let mut db = PersistentDb::create(&dir, Sha3Default, CONFIG).unwrap();
    let mut want: Vec<Vec<u8>> = Vec::new();
    let mut by_height = vec![0usize];
    for h in 0..20u64 {
        if h % 2 == 0 {
            for j in 0..3u64 {
                let d = vec![h as u8; (j + h) as usize];
                db.append(&d, 1).unwrap();
                want.push(d);
            }
            db.commit().unwrap();
        } else {
            let ops: Vec<BlockOp> = (0..2u8)
                .map(|j| BlockOp::Append {
                    data: vec![j, h as u8, 9],
                    value: 2,
                })
                .collect();
            // A failing block records nothing.
            let mut bad = ops.clone();
            bad.push(BlockOp::Spend {
                index: 1 << 40,
                data: vec![],
            });
            assert!(db.apply_block(&Block { ops: bad }).is_err());
            db.apply_block(&Block { ops: ops.clone() }).unwrap();
            for op in ops {
                if let BlockOp::Append { data, .. } = op {
                    want.push(data);
                }
            }
        }
        by_height.push(want.len());
        if h % 5 == 4 {
            drop(db);
            db = PersistentDb::open(&dir, Sha3Default).unwrap();
        }
        if h % 6 == 5 {
            let to = db.height() - 2;
            db.rewind(to).unwrap();
            by_height.truncate(to as usize + 1);
            want.truncate(by_height[to as usize]);
        }
        for (i, d) in want.iter().enumerate() {
            assert_eq!(&db.leaf_data(i as u64).unwrap(), d, "height {h} leaf {i}");
        }
        assert!(matches!(
            db.leaf_data(want.len() as u64),
            Err(StorageError::Db(Error::LeafIndexOutOfRange { .. }))
        ));
    }
    db.verify().unwrap();
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dead_prefix_of_the_block_records_is_reclaimed() {
    let dir = tmp("reclaim");
    let mut db = PersistentDb::create(&dir, Sha3Default, Config { retain: 2 }).unwrap();
    let mut mem = Optimized::with_profile(Sha3Default, Config { retain: 2 });
    let mut max_len = 0;
    for k in 0..600u64 {
        db.append(&k.to_le_bytes(), 1).unwrap();
        mem.append(&k.to_le_bytes(), 1).unwrap();
        if k > 3 {
            db.update(k - 3, b"u", 2).unwrap();
            mem.update(k - 3, b"u", 2).unwrap();
        }
        db.commit().unwrap();
        mem.commit().unwrap();
        max_len = max_len.max(std::fs::metadata(dir.join("blocks.log")).unwrap().len());
        if k % 150 == 149 {
            drop(db);
            db = PersistentDb::open(&dir, Sha3Default).unwrap();
        }
    }
    // Without reclaiming, 600 records of about 300 bytes would be kept.
    assert!(max_len < 40 * 1024, "blocks.log grew to {max_len} bytes");
    let h = db.height();
    for at in [h - 2, h - 1, h] {
        assert_eq!(db.db().root(At::Block(at)), mem.root(At::Block(at)));
        assert_eq!(db.db().mmr_set(at), mem.mmr_set(at));
    }
    db.rewind(h - 2).unwrap();
    mem.rewind(h - 2).unwrap();
    drop(db);
    let db = PersistentDb::open(&dir, Sha3Default).unwrap();
    assert_eq!(db.db().root(At::Current), mem.root(At::Current));
    db.verify().unwrap();
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A compaction made while a block is pending is kept by a rewind (D19), which discards the
/// key table's uncommitted changes: the keys the compaction removed must stay removed, or
/// the table would point at leaves whose records the next generation drops.
#[test]
fn a_rewind_after_a_pending_compaction_keeps_its_keys_removed() {
    let dir = tmp("multi-pending-compact");
    let mut db = MultiDb::create(&dir, Sha3Default, CONFIG, &specs()).unwrap();
    for k in 0..8u64 {
        db.append_keyed(OUT, &key(k), &[k as u8], 1).unwrap();
    }
    db.commit().unwrap();
    for k in 0..6u64 {
        db.spend_key(OUT, &key(k), b"s").unwrap();
    }
    db.commit().unwrap();
    db.commit().unwrap();
    // Pending: a new leaf; then compact at height 2 (not durable yet), rewind to 2.
    db.append_keyed(OUT, &key(100), b"new", 1).unwrap();
    let (_, _, _) = db.compact(2).unwrap();
    let dropped: Vec<u64> = (0..6)
        .filter(|&k| {
            let pos = mmr_optimized::index::leaf_to_pos(k).unwrap();
            matches!(
                db.db(OUT).unwrap().node(At::Current, pos),
                Err(Error::Pruned { .. })
            )
        })
        .collect();
    assert!(!dropped.is_empty(), "the compaction dropped no leaf");
    db.rewind(2).unwrap();
    for &k in &dropped {
        assert_eq!(db.lookup(OUT, &key(k)).unwrap(), None, "key {k} came back");
    }
    assert_eq!(db.lookup(OUT, &key(100)).unwrap(), None);
    db.verify().unwrap();
    // Enough keys to rebuild the table, which reads every live entry's key.
    for k in 200..260u64 {
        db.append_keyed(OUT, &key(k), &[k as u8], 1).unwrap();
    }
    db.commit().unwrap();
    drop(db);
    let db = MultiDb::open(&dir, Sha3Default).unwrap();
    db.verify().unwrap();
    assert_eq!(
        db.lookup(OUT, &key(7)).unwrap().map(|e| e.unspent),
        Some(true)
    );
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
