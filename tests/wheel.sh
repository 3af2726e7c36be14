#!/usr/bin/env bash
# The Python wheel end to end: builds it with maturin (dev profile, reusing target/ as
# `cargo test` left it), checks that it holds the executable and nothing of the source tree,
# installs it into a fresh venv with no Rust toolchain on PATH, and runs `codeguard --version`
# and a scan of a copy of tests/fixtures/project from a folder outside the repository (the
# rules are compiled into the binary: nothing may be read from the source tree).
#
# Usage: tests/wheel.sh [MATURIN]   (default: target/ci-venv/bin/maturin, as .ci/run installs it)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
MATURIN="${1:-$ROOT/target/ci-venv/bin/maturin}"
PYTHON="${PYTHON:-python3}"

fail() {
    echo "wheel test: $*" >&2
    exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
[ -n "$version" ] || fail "no workspace version in Cargo.toml"

# `--strip false`: stripping (pyproject.toml) links the executable again, a second build of the
# CLI crate. Level 1: the dev binary carries debug info (about 170 MB); deflating it harder
# costs seconds and saves nothing that matters here.
t0=$(date +%s%N)
"$MATURIN" build --profile dev --strip false --compression-level 1 --out "$work/dist" 2>&1 | tail -n 2
t1=$(date +%s%N)
wheels=("$work"/dist/codeguard-"$version"-*.whl)
[ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || fail "expected one codeguard-$version wheel in $work/dist"
wheel="${wheels[0]}"

# The wheel holds the executable and its metadata only.
"$PYTHON" - "$wheel" "$version" <<'EOF' || fail "unexpected wheel contents"
import sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
extra = [n for n in names
         if n != f"codeguard-{version}.data/scripts/codeguard"
         and not n.startswith(f"codeguard-{version}.dist-info/")]
assert f"codeguard-{version}.data/scripts/codeguard" in names, names
assert not extra, extra
EOF

# A user's machine: Python and pip, no cargo or rustc on PATH, a folder far from the repo.
"$PYTHON" -m venv "$work/venv"
cp -R tests/fixtures/project "$work/project"
cd "$work"
export PATH="$work/venv/bin:/usr/local/bin:/usr/bin:/bin"
export CODEGUARD_CACHE_DIR="$work/cache"
unset CARGO_HOME RUSTUP_HOME
t2=$(date +%s%N)
pip install --quiet --no-index --disable-pip-version-check "$wheel"
[ "$(command -v codeguard)" = "$work/venv/bin/codeguard" ] || fail "codeguard is not the venv's: $(command -v codeguard)"
out="$(codeguard --version)"
[ "$out" = "codeguard $version" ] || fail "--version printed: $out"
set +e
codeguard check project >scan.txt 2>&1
status=$?
set -e
t3=$(date +%s%N)
[ "$status" -eq 1 ] || { cat scan.txt; fail "scan exited $status, expected 1 (findings)"; }
for expected in "project/app/train.py:10:13: CG-ML001" "project/src/main.rs:4:16: CG-CORE005"; do
    grep -qF "$expected" scan.txt || { cat scan.txt; fail "no finding $expected"; }
done
codeguard explain CG-ML001 >explain.txt
grep -q "weights_only" explain.txt || fail "explain has no rule docs"

ms() { echo "$((($2 - $1) / 1000000)) ms"; }
echo "wheel test: ok: $(basename "$wheel") ($(($(stat -c %s "$wheel") / 1000000)) MB); build $(ms "$t0" "$t1"); pip install to first scan done $(ms "$t2" "$t3")"
