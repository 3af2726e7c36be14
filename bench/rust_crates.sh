#!/usr/bin/env bash
# Rust web and database crates: downloads the pinned `.crate` files of the `rust-web` group
# (frameworks, drivers, TLS stacks and applications with real axum / actix-web handlers, listed
# in precision.py) from crates.io once, scans them with the release build and prints findings
# per rule and folder kind with the verdicts of triage/verdicts.csv. Extra arguments go to
# precision.py (`--sample 20`). Prints figures; it is not a test.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release -p codeguard --quiet --manifest-path ../Cargo.toml
exec python3 precision.py --groups rust-web "$@"
