#!/usr/bin/env bash
# Times every hostile input of crates/codeguard/tests/adversarial.rs through a release build
# of `codeguard check FILE` and prints wall time and peak memory per input. The budget the
# guardrail promises is 2 s and 300 MB per input; rows over it are marked.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release -q -p codeguard
CODEGUARD_ADVERSARIAL_DUMP="$out" cargo test -q -p codeguard --test adversarial >/dev/null
bin=target/release/codeguard
printf '%-45s %8s %8s %s\n' input seconds MB outcome
for input in "$out"/*; do
  name=$(basename "$input")
  dir=$(mktemp -d)
  cp "$input" "$dir/${name#*-}"
  set +e
  /usr/bin/time -f '%e %M' -o "$dir/time" "$bin" check --no-cache --format json \
    --max-file-size 64000000 "$dir/${name#*-}" >"$dir/report.json" 2>/dev/null
  code=$?
  set -e
  read -r seconds kb < <(tail -n 1 "$dir/time")
  mb=$((kb / 1024))
  over=""
  if awk "BEGIN{exit !($seconds > 2.0)}" || [ "$mb" -gt 300 ]; then over=" OVER BUDGET"; fi
  case $code in
    0) what="exit 0" ;; 1) what="exit 1, findings" ;; 2) what="exit 2, not fully scanned" ;; *) what="exit $code" ;;
  esac
  printf '%-45s %8s %8s %s%s\n' "$name" "$seconds" "$mb" "$what" "$over"
  rm -rf "$dir"
done
