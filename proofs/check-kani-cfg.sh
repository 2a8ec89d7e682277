#!/usr/bin/env bash
# Type-checks (and lints) the Kani harnesses without Kani: compiles mmr-proofs with
# `--cfg kani` and the `kani-stub` feature, which supplies pass-through `#[kani::proof]` /
# `#[kani::unwind]` attributes and `kani::any` / `kani::assume`. A typo in a harness fails
# here. Real Kani (`cargo kani -p mmr-proofs`) supplies the `kani` crate itself and must not
# enable the feature.
#
# `--cfg kani` goes to mmr-proofs alone: under real Kani, mmr-index carries a
# `#[kani::ensures]` contract that only real Kani's `kani` crate resolves. Uses its own
# target subdirectory so that these builds don't invalidate normal ones.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}/kani-cfg"
export CARGO_TARGET_DIR="$target"
# Type-check and lint at once (clippy-driver as the workspace wrapper, as `cargo clippy`
# does; `cargo clippy -- ARGS` would hand `--cfg kani` to every crate).
RUSTC_WORKSPACE_WRAPPER=clippy-driver cargo rustc -q -p mmr-proofs --lib --features kani-stub \
    --profile check -- --cfg kani -D warnings
echo "kani-cfg check: harnesses compile under --cfg kani"
