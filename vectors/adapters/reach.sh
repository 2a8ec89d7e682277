#!/usr/bin/env bash
# Runs the suite on every real library with an adapter here and writes vectors/REACH.md.
#
#   bash vectors/adapters/reach.sh           # rewrite vectors/REACH.md
#   bash vectors/adapters/reach.sh --check   # write nothing; fail if REACH.md would change
#
# Each library runs three times: the vectors of its profile with `--check-flags
# SYSTEM@VERSION` (exit 0 only if every flagged case fails on it and every other case
# passes), the same vectors with its known list (exit 0 only if the list names exactly the
# cases it fails), then 200 random sessions with its known list. Any failed run fails this
# script, after showing the runner's report. Builds what it needs (the CLI, the ckb
# adapters, the grin and mwc adapters in their own workspace with their unit tests, the
# mmr.py and checkpointed-local-log virtual environments); CARGO_TARGET_DIR is honoured.
# Libraries run by hand (Minima, vectors/adapters/minima; litecoin's libmw,
# vectors/adapters/mweb) are not run here; reach.py copies their rows and sections from
# vectors/adapters/by-hand.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
check=0
case "${1:-}" in
    --check) check=1 ;;
    "") ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

target=${CARGO_TARGET_DIR:-$PWD/target}
echo "== building the CLI and the ckb adapters" >&2
cargo build --release -q -p mmr-cli -p mmr-adapter-ckb
mmr=$target/release/mmr
echo "== building and testing the grin and mwc adapters (grin_core 5.5.2, mwc_core 5.3.9, their own workspace)" >&2
grin_manifest=vectors/adapters/grin/Cargo.toml
cargo build --release -q --locked --manifest-path "$grin_manifest" --target-dir "$target"
cargo test --release -q --locked --manifest-path "$grin_manifest" --target-dir "$target" >&2
echo "== building and testing the commonware adapter (commonware-storage 2026.10.0, its own workspace)" >&2
cw_manifest=vectors/adapters/commonware/Cargo.toml
cargo build --release -q --locked --manifest-path "$cw_manifest" --target-dir "$target"
cargo test --release -q --locked --manifest-path "$cw_manifest" --target-dir "$target" >&2
echo "== the mmr.py virtual environment" >&2
bash vectors/adapters/mmrpy/setup.sh >&2
echo "== the checkpointed-local-log virtual environment" >&2
bash vectors/adapters/cll/setup.sh >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
args=()

# run NAME LIBRARY VERSION PROFILE SYSTEM KNOWN FLAG -- ADAPTER...
run() {
    local name=$1 library=$2 version=$3 profile=$4 system=$5 known=$6 flag=$7
    shift 8
    local vec=()
    for f in vectors/"$profile"/*.yaml; do vec+=(--vectors "$f"); done
    echo "== $library $version: vectors, --check-flags $system@$version" >&2
    if ! "$mmr" conform --json --check-flags "$system@$version" "${vec[@]}" -- "$@" \
        >"$work/$name.vectors.json"; then
        "$mmr" conform --check-flags "$system@$version" "${vec[@]}" -- "$@" | grep -v '^PASS\|^SKIP' >&2 || true
        echo "reach: $library $version fails the flag check" >&2
        failed=1
    fi
    echo "== $library $version: vectors, --known $known" >&2
    if ! "$mmr" conform --keep-going --known "$known" "${vec[@]}" -- "$@" >"$work/$name.known.txt"; then
        grep -v '^PASS\|^SKIP' "$work/$name.known.txt" >&2 || true
        echo "reach: $library $version: $known does not name exactly the cases it fails" >&2
        failed=1
    fi
    echo "== $library $version: 200 random sessions with $known" >&2
    if ! "$mmr" conform --json --no-vectors --random 200 --seed 1 --keep-going \
        --profile "$profile" --known "$known" -- "$@" >"$work/$name.random.json"; then
        "$mmr" conform --no-vectors --random 200 --seed 1 --keep-going \
            --profile "$profile" --known "$known" -- "$@" >&2 || true
        echo "reach: $library $version has random findings its known list lacks" >&2
        failed=1
    fi
    args+=("$library" "$version" "$profile" "$flag" "$work/$name.vectors.json" "$work/$name.random.json")
}

run grin-5.5.2 grin_core 5.5.2 grin grin vectors/adapters/grin/known.yaml \
    '`lenient-in:grin<=5.5.2`' -- "$target/release/mmr-adapter-grin"
run mwc-5.3.9 mwc_core 5.3.9 grin mwc vectors/adapters/grin/known-mwc.yaml \
    '`lenient-in:mwc<=5.3.9`' -- "$target/release/mmr-adapter-mwc"
run ckb-0.6.1 ckb-merkle-mountain-range 0.6.1 ckb ckb vectors/adapters/ckb/known.yaml \
    '`lenient-in:ckb<0.8.3`, `lenient-in:ckb<=0.8.3`' -- "$target/release/mmr-adapter-ckb"
run polkadot-ckb-0.8.3 polkadot-ckb-merkle-mountain-range 0.8.3 ckb ckb \
    vectors/adapters/ckb/known-0.8.3.yaml '`lenient-in:ckb<=0.8.3`' \
    -- "$target/release/mmr-adapter-polkadot-ckb"
run mmr-py-0.0.4 mmr.py 0.0.4 ckb mmr-py vectors/adapters/mmrpy/known.yaml \
    '`lenient-in:mmr-py<=0.0.4`' \
    -- vectors/adapters/mmrpy/.venv/bin/python vectors/adapters/mmrpy/adapter.py
run commonware-forward-2026.10.0 commonware-storage 2026.10.0 commonware-forward commonware \
    vectors/adapters/commonware/known-commonware-forward.yaml '(none)' \
    -- "$target/release/mmr-adapter-commonware"
run commonware-backward-2026.10.0 commonware-storage 2026.10.0 commonware-backward commonware \
    vectors/adapters/commonware/known-commonware-backward.yaml '(none)' \
    -- "$target/release/mmr-adapter-commonware"
run cll-0.7.0 checkpointed-local-log 0.7.0 cll-sha256 cll vectors/adapters/cll/known-cll.yaml \
    '(none)' -- vectors/adapters/cll/.venv/bin/python vectors/adapters/cll/adapter.py

if ((failed)); then
    echo "reach: some library run failed (above); REACH.md not written" >&2
    exit 1
fi
python3 vectors/adapters/reach.py "$work/REACH.md" "${args[@]}"
if ((check)); then
    if ! diff -u vectors/REACH.md "$work/REACH.md"; then
        echo "reach: vectors/REACH.md is stale: run bash vectors/adapters/reach.sh" >&2
        exit 1
    fi
    echo "reach: vectors/REACH.md is up to date" >&2
else
    cp "$work/REACH.md" vectors/REACH.md
    echo "reach: wrote vectors/REACH.md" >&2
fi
