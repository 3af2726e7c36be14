#!/usr/bin/env bash
# Real-code precision benchmark: downloads pinned releases once (PyPI sdists, crates.io crates),
# scans them with the release build and prints findings per rule and folder kind, with the
# verdicts recorded in triage/verdicts.csv. Prints figures; it is not a test.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release -p codeguard --quiet --manifest-path ../Cargo.toml
exec python3 precision.py "$@"
