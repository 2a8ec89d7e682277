#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each, WORKERS targets at a time (default 1: one
# after the other), and exits non-zero if any of them crashed (a finding), failed to
# build, or could not run.
#
#   fuzz/run-all.sh 60                      # what CI runs
#   fuzz/run-all.sh 600 4                   # four targets at once (one core each)
#   FUZZ_TARGETS="proof_decode" fuzz/run-all.sh 600
#   FUZZ_SANITIZER=address fuzz/run-all.sh 60   # ASan (needs RUSTC_BOOTSTRAP=1, set here)
#
# Inputs libFuzzer finds go to fuzz/target/corpus/<target>/ (gitignored); the committed
# seeds in fuzz/corpus/<target>/ are read, never written. A crash leaves its input in
# fuzz/artifacts/<target>/ and prints how to reproduce and minimize it (fuzz/README.md).
# Environment passed through to the targets: MMR_FUZZ_PROFILES, MMR_FUZZ_KNOWN (README).
set -euo pipefail

usage() { echo "usage: $0 SECONDS [WORKERS]   (env: FUZZ_TARGETS, FUZZ_SANITIZER=none|address)" >&2; exit 2; }
[[ ($# -eq 1 || $# -eq 2) && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
workers=${2:-1}
[[ $workers =~ ^[0-9]+$ && $workers -gt 0 ]] || usage
sanitizer=${FUZZ_SANITIZER:-none}

cd "$(dirname "$0")"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

flags=(--sanitizer "$sanitizer")
if [[ $sanitizer != none ]]; then
    # Sanitizers need -Zsanitizer; stable rustc accepts it with RUSTC_BOOTSTRAP.
    export RUSTC_BOOTSTRAP=1
fi

all_targets=$(cargo fuzz list)
targets=${FUZZ_TARGETS:-$all_targets}

echo "== building (sanitizer: $sanitizer)"
cargo fuzz build "${flags[@]}"

failed=()
mkdir -p target/logs
# One target: its working corpus target/corpus/<target> (new inputs of every run of that
# target merge there), the committed seeds read-only; output to target/logs/<target>.log.
run_one() {
    local t=$1 work=target/corpus/$1
    mkdir -p "$work" "corpus/$t"
    cargo fuzz run "${flags[@]}" "$t" "$work" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=60 -print_final_stats=1
}
declare -A pids=()
finish() { # waits for target $1 and reports it
    local t=$1
    if wait "${pids[$t]}"; then
        echo "== $t: no crash in ${seconds}s"
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "target/logs/$t.log" || true
    else
        echo "== $t: FAILED; the input is in fuzz/artifacts/$t/ (log: fuzz/target/logs/$t.log)" >&2
        tail -40 "target/logs/$t.log" >&2
        failed+=("$t")
    fi
    unset "pids[$t]"
}
order=()
for t in $targets; do
    if ! grep -qx "$t" <<<"$all_targets"; then
        echo "== unknown target $t (known: $(echo $all_targets))" >&2
        failed+=("$t (unknown)")
        continue
    fi
    while ((${#pids[@]} >= workers)); do
        finish "${order[0]}"
        order=("${order[@]:1}")
    done
    echo "== $t: ${seconds}s"
    run_one "$t" >"target/logs/$t.log" 2>&1 &
    pids[$t]=$!
    order+=("$t")
done
for t in "${order[@]}"; do
    finish "$t"
done

if ((${#failed[@]})); then
    echo "== FUZZING FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "== all targets ran ${seconds}s without a crash"
