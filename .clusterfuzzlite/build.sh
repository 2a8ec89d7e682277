#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script: builds every cargo-fuzz target of fuzz/ and puts
# each binary, with its committed seed corpus as <target>_seed_corpus.zip, into $OUT.
#
# In the ClusterFuzzLite/OSS-Fuzz image (Dockerfile here) $SRC, $OUT and $SANITIZER are
# set by the builder. Outside Docker it runs the same way with them set by hand:
#   OUT=/tmp/cfl-out SRC=/tmp bash .clusterfuzzlite/build.sh
# ($SANITIZER unset or anything but address/memory builds without a sanitizer, on stable.)
root=$(cd "$(dirname "$0")/.." && pwd)
: "${OUT:?set OUT to the output directory}"
: "${SRC:?set SRC (the source directory of the builder; unused outside Docker)}"
mkdir -p "$OUT"
cd "$root/fuzz"

case "${SANITIZER:-none}" in
    address | memory) sanitizer=$SANITIZER ;;
    *) sanitizer=none ;;
esac
if [[ $sanitizer != none ]]; then
    # -Zsanitizer on a stable toolchain (the OSS-Fuzz image's is nightly: harmless there).
    export RUSTC_BOOTSTRAP=1
fi

# -O: optimized, with the debug assertions and overflow checks of fuzz/Cargo.toml's profile.
cargo fuzz build -O --sanitizer "$sanitizer"

triple=$(rustc -vV | sed -n 's/^host: //p')
for t in $(cargo fuzz list); do
    cp "target/$triple/release/$t" "$OUT/$t"
    if [[ -d corpus/$t ]] && compgen -G "corpus/$t/*" >/dev/null; then
        rm -f "$OUT/${t}_seed_corpus.zip"
        (cd "corpus/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
    fi
    echo "built $OUT/$t"
done
