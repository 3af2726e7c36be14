#!/usr/bin/env bash
# Guardrail latency against CodeShield (installed from PyPI into bench/.venv).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -c "import codeshield" 2>/dev/null || .venv/bin/pip install --quiet codeshield
cargo build --release -p codeguard --quiet --manifest-path ../Cargo.toml
exec .venv/bin/python guardrail.py "$@"
