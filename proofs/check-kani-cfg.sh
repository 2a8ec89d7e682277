#!/usr/bin/env bash
# Type-checks (and lints) the Kani harnesses without Kani: compiles mmr-proofs with
# `--cfg kani` and the `kani-stub` feature, which supplies pass-through `#[kani::proof]` /
# `#[kani::unwind]` attributes and `kani::any` / `kani::assume`. A typo in a harness fails
# here. Real Kani (`cargo kani -p mmr-proofs`) supplies the `kani` crate itself and must not
# enable the feature.
#
# Uses its own target subdirectory so the changed RUSTFLAGS don't invalidate normal builds.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}/kani-cfg"
export CARGO_TARGET_DIR="$target"
export RUSTFLAGS="${RUSTFLAGS:-} --cfg kani"
cargo check -p mmr-proofs --features kani-stub
cargo clippy -p mmr-proofs --features kani-stub -- -D warnings
echo "kani-cfg check: harnesses compile under --cfg kani"
