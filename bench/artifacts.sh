#!/usr/bin/env bash
# Model-file inspection: codeguard on a ~1 GB synthetic PyTorch checkpoint (target: under 2 s
# and 100 MB of memory), and side by side with picklescan on the same checkpoint and on the
# model-file fixtures. Prints figures; it is not a test. Needs PyPI once (picklescan, in a
# virtualenv under target/); without it, only codeguard's figures are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$TARGET/bench-artifacts
SIZE_MB=${SIZE_MB:-1024}
mkdir -p "$WORK"

cargo build --release -p codeguard --quiet
CG=$TARGET/release/codeguard

for kind in clean poisoned; do
    ckpt=$WORK/checkpoint-$kind.pt
    if [ ! -f "$ckpt" ]; then
        flag=""; [ $kind = poisoned ] && flag=--poisoned
        python3 bench/make_checkpoint.py "$ckpt" --size-mb "$SIZE_MB" $flag
    fi
done

if [ ! -x "$TARGET/bench-venv/bin/picklescan" ] || ! "$TARGET/bench-venv/bin/python" -c "import numpy" 2>/dev/null; then
    python3 -m venv "$TARGET/bench-venv" && "$TARGET/bench-venv/bin/pip" install --quiet picklescan numpy \
        || echo "picklescan could not be installed: codeguard's figures only"
fi
PS=$TARGET/bench-venv/bin/picklescan

# Runs a command under /usr/bin/time -v; prints wall seconds and peak RSS in MB.
measure() {
    local log=$WORK/time.log
    /usr/bin/time -v "$@" >"$WORK/out.txt" 2>"$log" || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    echo "$wall s wall, $rss MB peak"
}

cg_findings() {
    { "$CG" check --isolated --no-cache --format json "$1" 2>/dev/null || true; } |
        python3 -c 'import json,sys; f=json.load(sys.stdin)["findings"]; print(len(f), " ".join(sorted({x["rule_id"]+":"+(x.get("artifact") or {}).get("global","-") for x in f})) or "-")'
}

ps_findings() {
    { "$PS" --path "$1" 2>&1 || true; } | awk '
        /^ERROR/ {err = " (parse error)"}
        /dangerous import/ && match($0, /\x27[^\x27]*\x27/) {g = g " " substr($0, RSTART + 1, RLENGTH - 2)}
        /Dangerous globals:/ {d = $3}
        /Suspicious globals:/ {s = $3}
        END {printf "dangerous=%s suspicious=%s%s%s\n", d, s, (g == "" ? "" : " [" substr(g, 2) "]"), err}'
}

echo "== 1 GB checkpoints ($SIZE_MB MB, 256 tensors, data.pkl + stored members)"
for kind in clean poisoned; do
    ckpt=$WORK/checkpoint-$kind.pt
    # Once to warm the page cache, then measured.
    "$CG" check --isolated --no-cache "$ckpt" >/dev/null 2>&1 || true
    echo "codeguard  $kind: $(measure "$CG" check --isolated --no-cache "$ckpt"); findings: $(cg_findings "$ckpt")"
    if [ -x "$PS" ]; then
        echo "picklescan $kind: $(measure "$PS" --path "$ckpt"); $(ps_findings "$ckpt")"
    fi
done

echo
echo "== fixtures (crates/codeguard_artifacts/tests/fixtures)"
printf '%-30s | %-60s | %s\n' file "codeguard (findings rule:global)" "picklescan"
for f in crates/codeguard_artifacts/tests/fixtures/*; do
    case $f in *.py) continue ;; esac
    ps="-"
    [ -x "$PS" ] && ps=$(ps_findings "$f")
    printf '%-30s | %-60s | %s\n' "$(basename "$f")" "$(cg_findings "$f")" "$ps"
done
