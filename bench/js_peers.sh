#!/usr/bin/env bash
# JavaScript/TypeScript side by side: codeguard and eslint-plugin-security (with the
# typescript-eslint parser, so TypeScript and JSX parse) on the `js` group of the precision
# corpus (pinned npm tarballs, downloaded by precision.sh). Prints time and findings per rule;
# it is not a test. Needs npm once (eslint is installed under bench/.npm, gitignored).
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release -p codeguard --quiet --manifest-path ../Cargo.toml
python3 precision.py --groups js > /dev/null
CORPUS="$PWD/corpus/precision/js"
TOOLS="$PWD/.npm"
if [ ! -x "$TOOLS/node_modules/.bin/eslint" ]; then
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && npm install --silent --no-audit --no-fund eslint@9 eslint-plugin-security@3 typescript-eslint@8)
fi
cat > "$TOOLS/eslint.config.mjs" <<'CONFIG'
import security from "eslint-plugin-security";
import tseslint from "typescript-eslint";
export default [
  {
    files: ["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"],
    ignores: ["**/*.d.ts", "**/*.d.mts", "**/*.d.cts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { security },
    rules: security.configs.recommended.rules,
  },
];
CONFIG
cd "$CORPUS"
python3 - "$TOOLS" <<'PY'
import collections, json, subprocess, sys, time
tools = sys.argv[1]

def timed(cmd):
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    return out, time.perf_counter() - start

out, seconds = timed(["../../../../target/release/codeguard", "check", "--no-cache", "--format", "json",
                      "--allow-skipped", "--exit-zero", "."])
findings = json.loads(out.stdout)["findings"]
rules = collections.Counter(f["rule_id"] for f in findings)
print(f"codeguard: {len(findings)} findings in {seconds:.1f} s")
for rule, n in rules.most_common():
    print(f"  {rule:<40} {n}")

out, seconds = timed([f"{tools}/node_modules/.bin/eslint", "--no-config-lookup", "-c",
                      f"{tools}/eslint.config.mjs", "-f", "json", "."])
report = json.loads(out.stdout or "[]")
rules = collections.Counter()
unparsed = 0
for file in report:
    for message in file["messages"]:
        if message.get("fatal"):
            unparsed += 1
        else:
            rules[message.get("ruleId")] += 1
print(f"eslint-plugin-security: {sum(rules.values())} findings in {seconds:.1f} s "
      f"({len(report)} files, {unparsed} not parsed)")
for rule, n in rules.most_common():
    print(f"  {rule:<40} {n}")
PY
