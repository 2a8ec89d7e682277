#!/usr/bin/env bash
# Runs the Kani harnesses of mmr-proofs one at a time, each under a time limit, and writes a
# Markdown table (harness, result, seconds) headed by the Kani and CBMC versions and the
# solver. Then, unless --no-mutants, plants each bug of proofs/mutants/kani/*.patch in a
# scratch copy of the tree and runs the harness the patch names: each must FAIL.
#
#   bash proofs/kani.sh [--limit SECONDS] [--jobs N] [--out FILE] [--no-mutants] [--mutants-only] [HARNESS...]
#
# --jobs N runs N harnesses at once (each in a target dir of its own); the table keeps the
# harnesses' file order.
#
# Needs `cargo kani` on the PATH (../shared/tools/kani/README.md builds it). Exit status 0
# only if every harness run is SUCCESSFUL and every planted bug FAILS its harness.
# Environment: KANI_TARGET_DIR (default target/kani; never the target dir of ordinary cargo
# builds: cargo kani re-links every harness there), KANI_FLAGS (extra `cargo kani` flags).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

limit=600
jobs=1
out=proofs/kani-results.md
mutants=1
harness_runs=1
want=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --limit) limit=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --no-mutants) mutants=0; shift ;;
        --mutants-only) harness_runs=0; shift ;;
        *) want+=("$1"); shift ;;
    esac
done

command -v cargo-kani >/dev/null || { echo "kani.sh: cargo kani not on PATH" >&2; exit 2; }
target=${KANI_TARGET_DIR:-$root/target/kani}
logs=$(mktemp -d /tmp/mmr-kani-logs.XXXXXX)

# Every harness, in file order.
mapfile -t all < <(grep -E -A4 '#\[kani::proof(\]|_for_contract)' proofs/src/harnesses.rs | sed -n 's/^fn \(check_[a-z0-9_]*\)().*/\1/p')
named=1
if [[ ${#want[@]} -eq 0 ]]; then want=("${all[@]}"); named=0; fi

kani_version=$(cargo kani --version 2>/dev/null | head -1)
cbmc_version=$(cbmc --version 2>/dev/null | head -1)
# Kani 0.60.0 runs CBMC with CaDiCaL unless a harness says otherwise (#[kani::solver]).
solver="cadical (Kani's default; no harness overrides it)"

# run_one DIR TARGET HARNESS LOG: prints "RESULT SECONDS".
run_one() {
    local dir=$1 tdir=$2 h=$3 log=$4 start end rc result
    start=$(date +%s.%N)
    # -Z function-contracts: `decompose`'s contract is proved by check_decompose and used in
    # place of its body by the harnesses marked stub_verified.
    (cd "$dir" && timeout "$limit" cargo kani -p mmr-proofs --target-dir "$tdir" -Z function-contracts \
        ${KANI_FLAGS:-} --exact --harness "harnesses::$h") >"$log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    if grep -q '^VERIFICATION:- SUCCESSFUL' "$log"; then
        result=SUCCESSFUL
    elif grep -q '^VERIFICATION:- FAILED' "$log"; then
        result=FAILED
    elif [[ $rc -eq 124 ]]; then
        result="TIMEOUT(${limit}s)"
    else
        result="ERROR(rc=$rc)"
    fi
    printf '%s %.1f\n' "$result" "$(echo "$end - $start" | bc)"
}

status=0
{
    echo "Kani run of mmr-proofs: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, per-harness limit ${limit} s."
    echo
    echo "- Kani: ${kani_version:-?}"
    echo "- CBMC: ${cbmc_version:-?}"
    echo "- solver: $solver"
    echo "- flags: cargo kani -p mmr-proofs -Z function-contracts --exact --harness harnesses::NAME ${KANI_FLAGS:-}"
    echo
} >"$out"

if [[ $harness_runs -eq 1 ]]; then
    {
        echo "| harness | result | seconds |"
        echo "| --- | --- | --- |"
    } >>"$out"
    # Up to $jobs harnesses at once, slot k in its own target dir "$target-jk" (never two
    # cargo kani in one); each writes "RESULT SECONDS" to $logs/NAME.result, gathered in
    # file order afterwards.
    slots=()
    for h in "${want[@]}"; do
        while :; do
            free=-1
            for ((k = 0; k < jobs; k++)); do
                if [[ -z ${slots[k]:-} ]] || ! kill -0 "${slots[k]}" 2>/dev/null; then free=$k; break; fi
            done
            [[ $free -ge 0 ]] && break
            wait -n || true
        done
        (
            run_one "$root" "$target-j$free" "$h" "$logs/$h.log" >"$logs/$h.result"
            echo "$h: $(cat "$logs/$h.result") s" >&2
        ) &
        slots[free]=$!
    done
    wait
    for h in "${want[@]}"; do
        read -r result secs <"$logs/$h.result"
        echo "| \`$h\` | $result | $secs |" >>"$out"
        [[ $result == SUCCESSFUL ]] || status=1
    done
    echo >>"$out"
fi

if [[ $mutants -eq 1 ]]; then
    # Planted bugs: each patch names, in a line `# harness: NAME`, a harness that must FAIL.
    scratch=$(mktemp -d /tmp/mmr-kani-mutant.XXXXXX)
    {
        echo "Planted bugs (proofs/mutants/kani/), each in a scratch copy of the tree:"
        echo
        echo "| planted bug | harness | result | seconds |"
        echo "| --- | --- | --- | --- |"
    } >>"$out"
    for patch in proofs/mutants/kani/*.patch; do
        name=$(basename "$patch" .patch)
        h=$(sed -n 's/^# harness: //p' "$patch" | head -1)
        # With harnesses named on the command line, only the patches aimed at them.
        if [[ $named -eq 1 && " ${want[*]} " != *" $h "* ]]; then continue; fi
        rm -rf "$scratch/src" && mkdir -p "$scratch/src"
        git ls-files -z --cached --others --exclude-standard | \
            (tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$scratch/src"
        if ! (cd "$scratch/src" && patch -s -p1 <"$root/$patch"); then
            echo "| $name | \`$h\` | patch does not apply | - |" >>"$out"
            status=1
            continue
        fi
        read -r result secs < <(run_one "$scratch/src" "$target-mutant" "$h" "$logs/mutant-$name.log")
        echo "| $name | \`$h\` | $result | $secs |" >>"$out"
        echo "mutant $name / $h: $result in $secs s" >&2
        [[ $result == FAILED ]] || status=1
    done
    rm -rf "$scratch"
fi

echo "kani.sh: table in $out, logs in $logs" >&2
exit $status
