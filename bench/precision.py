"""Real-code precision benchmark: findings per rule and per folder kind on pinned releases.

Usage: bench/precision.sh [--groups ml web llm rust rust-web js] [--sample N --seed S] [--verdicts FILE]

Downloads source distributions (PyPI sdists, crates.io crates, npm tarballs) of real projects into
bench/corpus/precision/GROUP/ once, scans each group with the release build, and prints:
- findings per rule and group, and per folder kind (src, tests, examples, scripts, docs);
- with --verdicts: the precision per rule over the findings that still fire and have a recorded
  verdict (TP, TP-low, FP; see ../shared/design/precision.md), and how many are unread;
- with --sample N: N findings drawn at random (seeded) that have no verdict yet, as CSV lines to
  triage by hand and append to the verdicts file.
It prints figures; it is not a test.
"""

import argparse
import collections
import csv
import json
import random
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BINARY = ROOT / "target" / "release" / "codeguard"
CORPUS = HERE / "corpus" / "precision"

GROUPS = {
    # An ML library pair.
    "ml": {"pypi": ["diffusers==0.42.1", "transformers==5.24.0"]},
    # A web framework and applications built on Django and Flask.
    "web": {"pypi": ["django==5.2.19", "wagtail==8.0.1", "flask-appbuilder==5.3.0", "mlflow-skinny==3.17.2"]},
    # LLM application frameworks, agent SDKs and the MCP SDK.
    "llm": {
        "pypi": [
            "autogen-agentchat==0.7.5",
            "crewai==1.15.30",
            "langchain-community==0.4.2",
            "langchain-core==1.8.4",
            "langchain-experimental==0.4.2",
            "llama-index-core==0.14.25",
            "mcp==2.3.0",
            "openai-agents==0.24.0",
        ]
    },
    # A Rust ML framework's library crates and the hub client.
    "rust": {
        "crates": [
            "candle-core==0.9.1",
            "candle-nn==0.9.1",
            "candle-transformers==0.9.1",
            "hf-hub==0.4.3",
            "tokenizers==0.22.1",
            "safetensors==0.6.2",
        ]
    },
    # Rust web and database code: the frameworks, drivers and TLS stacks themselves (their
    # tests and examples use the APIs the Rust rules model) and applications published on
    # crates.io with real axum / actix-web / hyper handlers (file servers, pastebins, a SQL
    # site builder, a sync server). `bench/rust_crates.sh` scans this group.
    "rust-web": {
        "crates": [
            "axum==0.8.9",
            "actix-web==4.18.1",
            "sqlx-core==0.9.0",
            "sqlx-postgres==0.9.0",
            "reqwest==0.13.5",
            "rustls==0.23.46",
            "openssl==0.10.82",
            "native-tls==0.2.18",
            "rusqlite==0.43.0",
            "tokio-postgres==0.7.18",
            "sea-orm==2.0.4",
            "diesel==2.3.14",
            "jsonwebtoken==12.0.0",
            "cookie==0.18.2",
            "miniserve==0.35.0",
            "dufs==0.47.0",
            "microbin==2.1.4",
            "rustypaste==0.18.1",
            "sqlpage==0.47.0",
            "pict-rs==0.5.25",
            "atuin-server==18.24.4",
            "atuin-server-postgres==18.20.1",
        ]
    },
    # JavaScript/TypeScript: the MCP TypeScript SDK and servers built on it, the model
    # providers' SDKs, the Vercel AI SDK, LangChain.js, and web packages (npm tarballs hold
    # the published sources or builds).
    "js": {
        "npm": [
            "@modelcontextprotocol/sdk@1.32.2",
            "@modelcontextprotocol/server-filesystem@2026.8.31",
            "@modelcontextprotocol/server-everything@2026.8.31",
            "@modelcontextprotocol/server-memory@2026.8.31",
            "mcp-remote@0.15.1",
            "@playwright/mcp@0.0.83",
            "firecrawl-mcp@3.22.2",
            "mcp-server-commands@0.5.0",
            "@wonderwhy-er/desktop-commander@0.2.52",
            "mcp-server-kubernetes@4.1.7",
            "mcp-server-sqlite-npx@0.8.0",
            "@executeautomation/playwright-mcp-server@1.0.12",
            "@modelcontextprotocol/server-puppeteer@2025.5.12",
            "@modelcontextprotocol/server-postgres@0.6.2",
            "openai@6.49.0",
            "@anthropic-ai/sdk@1.14.0",
            "ai@6.0.326",
            "langchain@1.5.14",
            "@langchain/core@1.4.0",
            "express@5.3.0",
            "next-auth@4.24.15",
        ]
    },
}

FOLDER_KINDS = [
    ("tests", ("tests", "test", "testing", "conftest.py", "__tests__")),
    ("examples", ("examples", "example", "cookbook", "notebooks")),
    ("scripts", ("scripts", "utils_scripts", "benchmarks", "bench", "benches")),
    ("docs", ("docs", "doc")),
]


def folder_kind(path):
    parts = Path(path).parts
    for kind, names in FOLDER_KINDS:
        if any(p in names or (p.startswith("test_") and p.endswith(".py")) for p in parts):
            return kind
    return "src"


def download(group, spec):
    target = CORPUS / group
    marker = target / ".ready"
    if marker.exists():
        return target
    dist = CORPUS / "dist" / group
    dist.mkdir(parents=True, exist_ok=True)
    if spec.get("pypi"):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:", "--no-deps",
             "-d", str(dist), *spec["pypi"]],
            check=True,
        )
    for package in spec.get("npm", []):
        subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(dist), package],
                       check=True, stdout=subprocess.DEVNULL)
    for crate in spec.get("crates", []):
        name, version = crate.split("==")
        archive = dist / f"{name}-{version}.crate"
        if not archive.exists():
            url = f"https://static.crates.io/crates/{name}/{name}-{version}.crate"
            with urllib.request.urlopen(url, timeout=60) as response:
                archive.write_bytes(response.read())
    target.mkdir(parents=True, exist_ok=True)
    for archive in sorted(dist.iterdir()):
        if archive.name.endswith((".tar.gz", ".crate")):
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
        elif archive.name.endswith(".tgz"):
            # npm tarballs all unpack into `package/`: one folder per tarball.
            with tarfile.open(archive) as tar:
                tar.extractall(target / archive.name[: -len(".tgz")], filter="data")
    marker.touch()
    return target


def scan(folder):
    started = time.perf_counter()
    out = subprocess.run(
        [str(BINARY), "check", "--no-cache", "--format", "json", "--allow-skipped", "--exit-zero", "."],
        cwd=folder, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    if out.returncode not in (0, 1):
        sys.exit(f"codeguard failed on {folder}: {out.stderr}")
    return json.loads(out.stdout)["findings"], elapsed


def key(group, finding):
    return (group, finding["rule_id"], finding["path"], str(finding["range"]["start"]["line"]))


def read_verdicts(path):
    verdicts = {}
    if path and Path(path).exists():
        with open(path, newline="") as fh:
            for row in csv.DictReader(fh):
                verdicts[(row["group"], row["rule"], row["path"], row["line"])] = row["verdict"]
    return verdicts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", nargs="+", default=list(GROUPS), choices=list(GROUPS))
    parser.add_argument("--verdicts", default=str(HERE / "triage" / "verdicts.csv"))
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    verdicts = read_verdicts(args.verdicts)
    everything = []
    for group in args.groups:
        folder = download(group, GROUPS[group])
        findings, elapsed = scan(folder)
        print(f"{group}: {len(findings)} finding(s) in {elapsed:.1f} s")
        everything += [(group, f) for f in findings]

    per_rule = collections.defaultdict(collections.Counter)
    per_kind = collections.defaultdict(collections.Counter)
    judged = collections.defaultdict(collections.Counter)
    for group, f in everything:
        per_rule[f["rule_id"]][group] += 1
        per_kind[group][folder_kind(f["path"])] += 1
        judged[f["rule_id"]][verdicts.get(key(group, f), "unread")] += 1

    print("\nfindings per rule (" + ", ".join(args.groups) + "), verdicts of those still reported:")
    for rule in sorted(per_rule):
        counts = " ".join(f"{g}={per_rule[rule][g]}" for g in args.groups if per_rule[rule][g])
        v = judged[rule]
        read = v["TP"] + v["TP-low"] + v["FP"]
        precision = f"{100 * (v['TP'] + v['TP-low']) / read:.0f}% not wrong" if read else "no verdicts"
        print(f"  {rule:<11} {counts:<40} TP={v['TP']} TP-low={v['TP-low']} FP={v['FP']} "
              f"unread={v['unread']}  {precision}")
    total = collections.Counter()
    for v in judged.values():
        total.update(v)
    read = total["TP"] + total["TP-low"] + total["FP"]
    if read:
        print(f"  all: {read} read, {total['FP']} wrong ({100 * total['FP'] / read:.0f}%), "
              f"{total['TP']} real, {total['unread']} unread")

    print("\nfindings per folder kind:")
    for group in args.groups:
        kinds = per_kind[group]
        print(f"  {group:<5} " + " ".join(f"{k}={kinds[k]}" for k in ["src", "tests", "examples", "scripts", "docs"]))

    if args.sample:
        unread = [(g, f) for g, f in everything if key(g, f) not in verdicts]
        random.Random(args.seed).shuffle(unread)
        print(f"\nsample of {min(args.sample, len(unread))} unread finding(s) (append with a verdict to {args.verdicts}):")
        writer = csv.writer(sys.stdout)
        for group, f in unread[: args.sample]:
            writer.writerow([group, f["rule_id"], f["path"], f["range"]["start"]["line"], "", f["message"][:90]])


if __name__ == "__main__":
    main()
