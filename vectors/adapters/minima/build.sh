#!/usr/bin/env bash
# Builds the Minima adapter against a checkout of minima-global/Minima (README.md).
#
#   bash vectors/adapters/minima/build.sh MINIMA_CHECKOUT [OUT_DIR]
#
# MINIMA_CHECKOUT: a checkout (or `git archive` extract) of minima-global/Minima, v1.0.45
# (commit 6d282d7704ffc641c70b78c080126b49e2ad96fd) for the run in vectors/REACH.md. Its
# src/ is compiled unchanged: javac compiles the adapter with Minima's src/ as the source
# path, so exactly the classes the adapter reaches (MMR, MMRData, MMRProof, MiniNumber,
# MiniData and what they import) are built. Class path: the checkout's lib/*.jar where
# present, and bcprov (the checkout's lib/bcprov-jdk15on-169.jar is absent from the public
# repository's history we fetched; Debian's libbcprov-java, /usr/share/java/bcprov.jar,
# stands in; override with BCPROV=path). Needs javac and java 17 or newer.
#
# OUT_DIR (default: build/minima-adapter under the current directory) receives the
# classes; the script runs the stream checks (StreamChecks.java) and prints the adapter's
# command line on stdout, ready for `mmr conform ... -- $(bash build.sh ...)`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 MINIMA_CHECKOUT [OUT_DIR]" >&2
    exit 2
fi
minima=$(cd "$1" && pwd)
out=${2:-$PWD/build/minima-adapter}
if [[ ! -f "$minima/src/org/minima/database/mmr/MMR.java" ]]; then
    echo "build.sh: $minima/src/org/minima/database/mmr/MMR.java not found: not a Minima checkout" >&2
    exit 1
fi
bcprov=${BCPROV:-/usr/share/java/bcprov.jar}
if [[ ! -f "$bcprov" ]]; then
    echo "build.sh: bcprov jar $bcprov not found (apt-get install libbcprov-java, or set BCPROV)" >&2
    exit 1
fi
cp="$bcprov"
for j in "$minima"/lib/*.jar; do
    # The public history stores some jars as blobs it lacks; skip what is not a zip.
    if [[ -f "$j" ]] && head -c 2 "$j" | grep -q PK; then cp="$cp:$j"; fi
done
mkdir -p "$out"
# bcprov 1.71+ moved the two Winternitz classes Minima's objects/keys/Winternitz.java
# imports; bcshim/ gives them their bcprov 1.69 names (README.md), unless the bcprov jar
# has them itself.
shim=()
if ! unzip -l "$bcprov" | grep -q 'org/bouncycastle/pqc/crypto/gmss/util/WinternitzOTSignature.class'; then
    shim=("$here"/bcshim/org/bouncycastle/pqc/crypto/gmss/util/*.java)
fi
# Minima's sources are not all UTF-8 (whitepaper.java is windows-1252); -nowarn: its own
# warnings are not ours to fix.
javac -nowarn -encoding windows-1252 --release 17 \
    -cp "$cp" -sourcepath "$minima/src" -d "$out" \
    "$here/MinimaAdapter.java" "$here/StreamChecks.java" "${shim[@]}" >&2
rev=$(git -C "$minima" rev-parse HEAD 2>/dev/null || echo "unknown (not a git checkout)")
echo "build.sh: built against $minima (revision $rev) into $out" >&2
echo "build.sh: Minima's stream reader and MiniNumber parser on crafted inputs:" >&2
java -cp "$out:$cp" MinimaAdapter --stream-checks >&2
echo "java -cp $out:$cp MinimaAdapter"
