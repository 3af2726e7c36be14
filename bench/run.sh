#!/usr/bin/env bash
# Benchmark codeguard against ruff (S rules) and bandit on a corpus of PyPI source
# distributions. Prints figures; it is not a test. Needs network access to PyPI once.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet ruff bandit
fi
cargo build --release -p codeguard --quiet --manifest-path ../Cargo.toml
exec .venv/bin/python bench.py "$@"
