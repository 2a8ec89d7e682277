#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each, one after the other, and exits non-zero if
# any of them crashed (a finding), failed to build, or could not run.
#
#   fuzz/run-all.sh 60                      # what CI runs
#   FUZZ_TARGETS="proof_decode" fuzz/run-all.sh 600
#   FUZZ_SANITIZER=address fuzz/run-all.sh 60   # ASan (needs RUSTC_BOOTSTRAP=1, set here)
#
# Inputs libFuzzer finds go to fuzz/target/corpus/<target>/ (gitignored); the committed
# seeds in fuzz/corpus/<target>/ are read, never written. A crash leaves its input in
# fuzz/artifacts/<target>/ and prints how to reproduce and minimize it (fuzz/README.md).
# Environment passed through to the targets: MMR_FUZZ_PROFILES, MMR_FUZZ_KNOWN (README).
set -euo pipefail

usage() { echo "usage: $0 SECONDS   (env: FUZZ_TARGETS, FUZZ_SANITIZER=none|address)" >&2; exit 2; }
[[ $# -eq 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
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
for t in $targets; do
    if ! grep -qx "$t" <<<"$all_targets"; then
        echo "== unknown target $t (known: $(echo $all_targets))" >&2
        failed+=("$t (unknown)")
        continue
    fi
    work=target/corpus/$t
    mkdir -p "$work" "corpus/$t"
    echo "== $t: ${seconds}s"
    if cargo fuzz run "${flags[@]}" "$t" "$work" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=60 -print_final_stats=1; then
        echo "== $t: no crash in ${seconds}s"
    else
        echo "== $t: FAILED (exit $?); the input is in fuzz/artifacts/$t/" >&2
        failed+=("$t")
    fi
done

if ((${#failed[@]})); then
    echo "== FUZZING FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "== all targets ran ${seconds}s without a crash"
