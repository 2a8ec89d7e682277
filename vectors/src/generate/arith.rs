//! Index arithmetic (D2-D7): the reference's answers and the published tables of ckb and MWEB.

use super::*;

/// Index arithmetic that ckb and MWEB assert as literals in their own tests, each checked
/// against the reference (the same values as `spec/tests/published_ckb.rs` and
/// `spec/tests/published_mweb.rs`, which check them against `mmr-index`).
pub(super) fn published_arith(cases: &mut Vec<ArithCase>) -> Result<(), String> {
    let nums = |v: &[u64]| VOut::Numbers(v.iter().copied().map(u).collect());
    let mut add = |id: String, q: Query, want: VOut, what: String, src: &str| {
        let got = arith_reference(&q);
        if got != want {
            return Err(format!(
                "published {id}: the reference gives {got}, the source {want}"
            ));
        }
        // Ids are `published-<profile>-...`; the profile names the spec test file.
        let source = format!(
            "{src}; spec/tests/published_{}.rs",
            id.split('-').nth(1).unwrap_or_default()
        );
        cases.push(ArithCase {
            id,
            description: what,
            result: Verdict::Valid,
            flags: vec![],
            source: Some(source),
            query: q,
            expect: got,
        });
        Ok(())
    };

    const CKB: &str = "nervosnetwork/merkle-mountain-range src/tests/test_helper.rs";
    for (i, p) in [(0u64, 0u64), (1, 1), (2, 3)] {
        add(
            format!("published-ckb-leaf-index-to-pos-{i}"),
            Query::LeafPos { index: u(i) },
            VOut::Number(u(p)),
            format!("D3: ckb's test_leaf_index_to_pos: leaf {i} is at position {p}."),
            &format!("{CKB} (test_leaf_index_to_pos)"),
        )?;
    }
    for (i, s) in [(0u64, 1u64), (1, 3), (2, 4)] {
        add(
            format!("published-ckb-leaf-index-to-mmr-size-{i}"),
            Query::Size { leaves: u(i + 1) },
            VOut::Number(u(s)),
            format!(
                "D4: ckb's test_leaf_index_to_mmr_size: the MMR ending with leaf {i} has size {s}."
            ),
            &format!("{CKB} (test_leaf_index_to_mmr_size)"),
        )?;
    }
    for (p, h) in [(0u64, 0u64), (1, 0), (2, 1), (3, 0), (4, 0), (6, 2), (7, 0)] {
        add(
            format!("published-ckb-pos-height-in-tree-{p}"),
            Query::Height { pos: u(p) },
            VOut::Number(u(h)),
            format!("D2: ckb's test_pos_height_in_tree: position {p} has height {h}."),
            &format!("{CKB} (test_pos_height_in_tree)"),
        )?;
    }
    let ckb_peaks: [(u64, u64, &[u64]); 10] = [
        (0, 0b0, &[]),
        (1, 0b1, &[0]),
        (3, 0b10, &[2]),
        (4, 0b11, &[2, 3]),
        (7, 0b100, &[6]),
        (8, 0b101, &[6, 7]),
        (15, 0b1000, &[14]),
        (16, 0b1001, &[14, 15]),
        (18, 0b1010, &[14, 17]),
        (19, 0b1011, &[14, 17, 18]),
    ];
    for (size, map, peaks) in ckb_peaks {
        add(
            format!("published-ckb-get-peak-map-{size}"),
            Query::LeafCount { size: u(size) },
            VOut::Number(u(map)),
            format!(
                "D4, D6: ckb's test_get_peak_map: size {size} has the peak bitmap {map:#b}, which is its leaf count."
            ),
            &format!("{CKB} (test_get_peak_map)"),
        )?;
        add(
            format!("published-ckb-get-peaks-{size}"),
            Query::Peaks { size: u(size) },
            nums(peaks),
            format!("D6: ckb's test_get_peaks: the peaks of size {size} are {peaks:?}."),
            &format!("{CKB} (test_get_peaks)"),
        )?;
    }
    const CKB_README: &str =
        "nervosnetwork/merkle-mountain-range README.md (Construct, Merkle root)";
    add(
        "published-ckb-readme-leaf-11".into(),
        Query::LeafPos { index: u(11) },
        VOut::Number(u(19)),
        "D3: ckb's README: a 12th leaf pushed onto the 11-leaf MMR goes to position 19.".into(),
        CKB_README,
    )?;
    for (p, l, r) in [(20u64, 18u64, 19u64), (21, 17, 20)] {
        add(
            format!("published-ckb-readme-children-{p}"),
            Query::Children { pos: u(p) },
            nums(&[l, r]),
            format!("D7: ckb's README: pushing the 12th leaf merges {l} and {r} into {p}."),
            CKB_README,
        )?;
    }

    const MW: &str = "litecoin-project/litecoin src/libmw/test/tests/mmr";
    add(
        "published-mweb-calc-peak-indices-54".into(),
        Query::Peaks { size: u(54) },
        nums(&[30, 45, 52, 53]),
        "D6: MWEB's CalcPeakIndices test: an MMR of 54 nodes has the peaks 30, 45, 52, 53.".into(),
        &format!("{MW}/Test_MMRUtil.cpp (CalcPeakIndices)"),
    )?;
    const HEIGHT: [u64; 21] = [
        0, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 1, 2, 3, 0, 0, 1, 0, 0, 1,
    ];
    const PARENT: [u64; 21] = [
        2, 2, 6, 5, 5, 6, 14, 9, 9, 13, 12, 12, 13, 14, 30, 17, 17, 21, 20, 20, 21,
    ];
    const SIBLING: [u64; 21] = [
        1, 0, 5, 4, 3, 2, 13, 8, 7, 12, 11, 10, 9, 6, 29, 16, 15, 20, 19, 18, 17,
    ];
    for p in 0..=20u64 {
        let i = p as usize;
        add(
            format!("published-mweb-index-height-{p}"),
            Query::Height { pos: u(p) },
            VOut::Number(u(HEIGHT[i])),
            format!(
                "D2: MWEB's Index test GetHeight: position {p} has height {}.",
                HEIGHT[i]
            ),
            &format!("{MW}/Test_Index.cpp (GetHeight)"),
        )?;
        add(
            format!("published-mweb-index-parent-{p}"),
            Query::Parent { pos: u(p) },
            VOut::Number(u(PARENT[i])),
            format!(
                "D7: MWEB's Index test GetParent: the parent of {p} is {}.",
                PARENT[i]
            ),
            &format!("{MW}/Test_Index.cpp (GetParent)"),
        )?;
        add(
            format!("published-mweb-index-sibling-{p}"),
            Query::Sibling { pos: u(p) },
            VOut::Number(u(SIBLING[i])),
            format!(
                "D7: MWEB's Index test GetSibling: the sibling of {p} is {}.",
                SIBLING[i]
            ),
            &format!("{MW}/Test_Index.cpp (GetSibling)"),
        )?;
    }
    for (p, l, r) in [
        (2u64, 0u64, 1u64),
        (5, 3, 4),
        (6, 2, 5),
        (9, 7, 8),
        (12, 10, 11),
        (13, 9, 12),
        (14, 6, 13),
        (17, 15, 16),
        (20, 18, 19),
    ] {
        add(
            format!("published-mweb-index-children-{p}"),
            Query::Children { pos: u(p) },
            nums(&[l, r]),
            format!(
                "D7: MWEB's Index test GetLeftChild/GetRightChild: the children of {p} are {l} and {r}."
            ),
            &format!("{MW}/Test_Index.cpp (GetLeftChild, GetRightChild)"),
        )?;
    }
    const LEAF_POS: [u64; 21] = [
        0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22, 23, 25, 26, 31, 32, 34, 35, 38,
    ];
    for (i, &p) in LEAF_POS.iter().enumerate() {
        add(
            format!("published-mweb-leaf-index-position-{i}"),
            Query::LeafPos { index: u(i as u64) },
            VOut::Number(u(p)),
            format!("D3: MWEB's LeafIndex test GetPosition: leaf {i} is at position {p}."),
            &format!("{MW}/Test_LeafIndex.cpp (GetPosition, GetNodeIndex)"),
        )?;
        if p <= 19 {
            add(
                format!("published-mweb-index-leaf-index-{p}"),
                Query::LeafIndex { pos: u(p) },
                VOut::Number(u(i as u64)),
                format!("D3: MWEB's Index test GetLeafIndex: position {p} holds leaf {i}."),
                &format!("{MW}/Test_Index.cpp (GetLeafIndex)"),
            )?;
        }
    }
    let rows: [(u64, &[u64]); 3] = [
        (0, &[0, 1, 3, 4, 7, 8, 10, 11, 15, 16, 18, 19, 22]),
        (
            1,
            &[
                2, 5, 9, 12, 17, 20, 24, 27, 33, 36, 40, 43, 48, 51, 55, 58, 65, 68, 72, 75, 80, 83,
            ],
        ),
        (2, &[6, 13, 21, 28, 37, 44, 52, 59, 69, 76, 84, 91, 100]),
    ];
    for (row, positions) in rows {
        for (e, &p) in positions.iter().enumerate() {
            add(
                format!("published-mweb-sibling-iter-{row}-{e}"),
                Query::Position {
                    row: u(row),
                    entry: u(e as u64),
                },
                VOut::Number(u(p)),
                format!(
                    "D5: MWEB's SiblingIterTest: the node number {e} of height {row} is at position {p}."
                ),
                &format!("{MW}/Test_MMRUtil.cpp (SiblingIterTest)"),
            )?;
        }
    }
    Ok(())
}

/// Litecoin's libmw at v0.21.5.5 (`vectors/adapters/mweb`, run by hand: vectors/REACH.md).
const LIBMW: &str = "lenient-in:mweb<=0.21.5.5";

/// The rejected queries that libmw's `mmr::Index` and `mmr::LeafIndex`
/// (`src/libmw/src/mmr/Index.cpp`, `include/mw/mmr/LeafIndex.h`) answer with a number, as
/// its run shows: their arithmetic wraps at the top of u64 (`LeafIndex::At` of 2^63 and
/// above, every function at position u64::MAX) instead of refusing.
fn libmw_wraps(q: &Query) -> bool {
    const M: u64 = u64::MAX;
    match q {
        Query::LeafPos { index } => index.0 >= 1 << 63,
        Query::LeafIndex { pos }
        | Query::Height { pos }
        | Query::Parent { pos }
        | Query::Sibling { pos } => pos.0 == M,
        _ => false,
    }
}

pub(super) fn arith_file() -> Result<ArithFile, String> {
    let mut cases = Vec::new();
    let mut add = |q: Query, what: String| {
        let expect = arith_reference(&q);
        let invalid = expect.error().is_some();
        let flag = match expect.error() {
            Some(mmr_spec::ErrorKind::CapacityExceeded) => "capacity-exceeded",
            Some(mmr_spec::ErrorKind::InvalidSize) => "invalid-size",
            Some(mmr_spec::ErrorKind::LeafIndexOutOfRange) => "index-out-of-range",
            Some(mmr_spec::ErrorKind::NotALeaf) => "internal-node",
            Some(_) => "position-out-of-range",
            None => "",
        };
        let id = format!("{}-{}", q.name().replace('_', "-"), cases.len());
        cases.push(ArithCase {
            id,
            description: what,
            result: if invalid {
                Verdict::Invalid
            } else {
                Verdict::Valid
            },
            flags: if invalid {
                let mut f = vec![flag.to_string()];
                if libmw_wraps(&q) {
                    f.push(LIBMW.into());
                }
                f
            } else {
                vec![]
            },
            source: None,
            query: q,
            expect,
        });
    };
    const M: u64 = u64::MAX;
    const L: u64 = 1 << 63;
    for n in (0..=40).chain([L - 1, L, L + 1, M]) {
        add(
            Query::Size { leaves: u(n) },
            format!("D4: size of {n} leaves"),
        );
    }
    for s in (0..=40).chain([(1 << 32) - 1, 1 << 32, M - 64, M - 2, M - 1, M]) {
        add(
            Query::LeafCount { size: u(s) },
            format!("D4: leaf count of size {s} (or invalid)"),
        );
    }
    for i in (0..=32).chain([(1 << 32) - 1, 1 << 32, L - 2, L - 1, L, M]) {
        add(
            Query::LeafPos { index: u(i) },
            format!("D3: position of leaf {i}"),
        );
    }
    for p in (0..=40).chain([M - 65, M - 64, M - 3, M - 2, M - 1, M]) {
        add(
            Query::LeafIndex { pos: u(p) },
            format!("D3: leaf index at position {p}"),
        );
    }
    for p in (0..=40).chain([(1 << 32) - 2, M - 65, M - 64, M - 2, M - 1, M]) {
        add(
            Query::Height { pos: u(p) },
            format!("D2: height of position {p}"),
        );
    }
    for s in (0..=26).chain([M - 1, M, M - 64, (1 << 32) - 1]) {
        add(
            Query::Peaks { size: u(s) },
            format!("D6: peaks of size {s}"),
        );
    }
    for p in (0..=30).chain([M - 65, M - 64, M - 3, M - 2, M - 1, M]) {
        add(
            Query::Parent { pos: u(p) },
            format!("D7: parent of position {p}"),
        );
        add(
            Query::Sibling { pos: u(p) },
            format!("D7: sibling of position {p}"),
        );
        add(
            Query::Children { pos: u(p) },
            format!("D7: children of position {p}"),
        );
        add(
            Query::RowEntry { pos: u(p) },
            format!("D5: (row, entry) of position {p}"),
        );
    }
    for r in 0..=4u64 {
        for e in 0..=4u64 {
            add(
                Query::Position {
                    row: u(r),
                    entry: u(e),
                },
                format!("D5: position of ({r}, {e})"),
            );
        }
    }
    for (r, e) in [
        (63u64, 0u64),
        (63, 1),
        (62, 1),
        (62, 2),
        (0, L - 1),
        (0, L),
        (64, 0),
        (M, 0),
    ] {
        add(
            Query::Position {
                row: u(r),
                entry: u(e),
            },
            format!("D5, D8: position of ({r}, {e})"),
        );
    }
    published_arith(&mut cases)?;
    Ok(ArithFile {
        schema_version: U64(SCHEMA_VERSION),
        generator: GENERATOR.into(),
        profile: "any".into(),
        description: "Index arithmetic (D2-D8): tables for small values and the u64 extremes, computed by the reference's addr module. Errors name the rule: capacity-exceeded (more than 2^63 leaves), invalid-size, leaf-index-out-of-range, not-a-leaf, position-out-of-range; `none` where no such node exists.".into(),
        cases,
    })
}
