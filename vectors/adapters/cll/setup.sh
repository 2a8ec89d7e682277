#!/usr/bin/env bash
# Creates vectors/adapters/cll/.venv (gitignored) with the pinned checkpointed-local-log 0.7.0
# from PyPI (requirements.txt: version and wheel hash, no dependencies: the adapter loads only
# cll/checkpoint/core.py). PYTHON picks the interpreter (python3).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -x .venv/bin/python ]]; then
    "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    --require-hashes -r requirements.txt
.venv/bin/python adapter.py --which
.venv/bin/python adapter.py --self-test
