#!/usr/bin/env bash
# Creates vectors/adapters/mmrpy/.venv (gitignored) with the pinned mmr.py 0.0.4 from PyPI
# (requirements.txt: version and wheel hash). PYTHON picks the interpreter (python3).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -x .venv/bin/python ]]; then
    "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    --require-hashes -r requirements.txt
.venv/bin/python -c 'import importlib.metadata as m, mmr; v = m.version("mmr.py"); assert v == "0.0.4", v; print("mmr.py", v, "in", mmr.__file__)'
