//! The differential harness's op sequences (`mmr_harness::strategy`) on the reference and
//! on the file-backed store, through the shared op executor; the store is closed and
//! reopened every few ops (after a commit, so nothing uncommitted is lost), and every
//! outcome and the whole committed observable state are compared.

mod common;

use common::{observe, tmp};
use mmr_harness::strategy::{Mix, ops};
use mmr_harness::subjects::RefSubject;
use mmr_spec::ops::{Executor, Op, Subject};
use mmr_spec::{Config, profiles};
use mmr_storage::PersistentSubject;
use proptest::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

static CASE: AtomicU64 = AtomicU64::new(0);

fn run(
    profile: &'static dyn mmr_spec::Profile,
    retain: u64,
    ops: &[Op],
    reopen_every: usize,
) -> Result<(), TestCaseError> {
    let config = Config { retain };
    let dir = tmp(&format!("diff-{}", CASE.fetch_add(1, Ordering::Relaxed)));
    let mut r = Executor::new(RefSubject::new(profile, config));
    let mut s = Executor::new(PersistentSubject::create(&dir, profile, config).unwrap());
    for (i, op) in ops.iter().enumerate() {
        let a = r.run(op);
        let b = s.run(op);
        prop_assert_eq!(&a, &b, "op {} {:?}", i, op);
        if i % reopen_every == reopen_every - 1 && !s.subject.db().has_pending() {
            s.subject.reopen().unwrap();
            s.client = None;
            r.client = None;
        }
        if i % 8 == 7 {
            prop_assert_eq!(
                observe(r.subject.db()),
                observe(s.subject.db()),
                "after op {}",
                i
            );
        }
    }
    prop_assert_eq!(observe(r.subject.db()), observe(s.subject.db()));
    s.subject.reopen().unwrap();
    if !r.subject.db().has_pending() {
        prop_assert_eq!(
            observe(r.subject.db()),
            observe(s.subject.db()),
            "after the final reopen"
        );
    }
    s.subject.store().verify().unwrap();
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

proptest! {
    // 48 cases in CI; a long run sets PROPTEST_CASES (STORAGE.md section 5).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn file_store_agrees_with_the_reference(
        seq in ops(Mix::BLOCK_HEAVY, 1..60),
        retain in 0u64..4,
        p in 0usize..5,
        reopen_every in 2usize..7,
    ) {
        // Every profile, including those without an empty root (ckb, minima: the manifest
        // and the undo records then record that the empty state has no root).
        let all = profiles::all();
        run(all[p % all.len()], retain, &seq, reopen_every)?;
    }
}
