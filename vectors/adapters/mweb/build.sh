#!/usr/bin/env bash
# Builds the MWEB adapter against a checkout of litecoin-project/litecoin (README.md).
#
#   bash vectors/adapters/mweb/build.sh LITECOIN_CHECKOUT [OUT_DIR]
#
# LITECOIN_CHECKOUT: a checkout (or `git archive` extract of src/) of
# litecoin-project/litecoin; the run in vectors/REACH.md used tag v0.21.5.5 (commit
# d8c8adc0b46cf96cc713455ba4aeb135efabac86). Compiles, unchanged, the libmw sources the
# in-memory MMR needs (src/libmw/src/mmr/{MemMMR,IMMR,MMRUtil,Index}.cpp, the BLAKE3
# Hasher src/libmw/src/crypto/Hasher.cpp, and src/util/strencodings.cpp for HexStr) with
# the adapter, with g++ (C++17). Needs the Boost and {fmt} headers (Debian: libboost-dev,
# libfmt-dev; litecoin's depends/ builds the same two). Prints the adapter's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 LITECOIN_CHECKOUT [OUT_DIR]" >&2
    exit 2
fi
ltc=$(cd "$1" && pwd)/src
out=${2:-$PWD/build/mweb-adapter}
mw=$ltc/libmw
if [[ ! -f "$mw/src/mmr/MemMMR.cpp" ]]; then
    echo "build.sh: $mw/src/mmr/MemMMR.cpp not found: not a litecoin checkout with libmw" >&2
    exit 1
fi
for h in boost/dynamic_bitset.hpp fmt/format.h; do
    if ! echo "#include <$h>" | g++ -std=c++17 -x c++ -fsyntax-only - 2>/dev/null; then
        echo "build.sh: header <$h> not found (Debian: apt-get install libboost-dev libfmt-dev)" >&2
        exit 1
    fi
done
mkdir -p "$out"
# -DFMT_HEADER_ONLY: libmw uses {fmt} through headers only here (no libfmt to link).
# -fno-devirtualize-speculatively: at -O2 g++ guesses PMMR behind IMMR's virtual calls and
# references its methods, which live in PMMR.cpp with its database and files (not built).
g++ -std=c++17 -O2 -fno-devirtualize-speculatively -DFMT_HEADER_ONLY \
    -I "$mw/include" -I "$ltc" \
    -I "$mw/deps/mio/include" -I "$mw/deps/ghc/include" -I "$mw/deps/caches/include" \
    "$here/MwebAdapter.cpp" \
    "$mw/src/mmr/MemMMR.cpp" "$mw/src/mmr/IMMR.cpp" "$mw/src/mmr/MMRUtil.cpp" \
    "$mw/src/mmr/Index.cpp" "$mw/src/crypto/Hasher.cpp" "$ltc/util/strencodings.cpp" \
    -o "$out/mmr-adapter-mweb" >&2
rev=$(git -C "$ltc" rev-parse HEAD 2>/dev/null || echo "unknown (not a git checkout)")
echo "build.sh: built against $ltc (revision $rev) into $out" >&2
echo "$out/mmr-adapter-mweb"
