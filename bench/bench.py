"""Side-by-side figures for codeguard, ruff (--select S) and bandit on one corpus.

Usage: bench/run.sh [--packages diffusers transformers django] [--snippet-runs 200]
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CODEGUARD = ROOT / "target" / "release" / "codeguard"
VENV_BIN = HERE / ".venv" / "bin"

SNIPPET = '''import os
import subprocess
import torch
import yaml
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = "acme/coder-7b"


def load_model(path):
    state = torch.load(path, weights_only=False)
    model = AutoModelForCausalLM.from_pretrained(MODEL, trust_remote_code=True)
    model.load_state_dict(state)
    return model


def read_config(fh):
    return yaml.load(fh)


def run_tool(name, arg):
    cmd = f"{name} --input {arg}"
    return subprocess.run(cmd, shell=True, capture_output=True)


def tokenizer():
    return AutoTokenizer.from_pretrained(MODEL)


def answer(client, question):
    key = os.environ["OPENAI_API_KEY"]
    reply = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content


if __name__ == "__main__":
    print(answer(None, "hello"))
'''


def build_corpus(packages):
    corpus = HERE / "corpus"
    src = corpus / "src"
    marker = corpus / ("ready-" + "-".join(packages))
    if marker.exists():
        return src
    dist = corpus / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(VENV_BIN / "pip"), "download", "--quiet", "--no-binary", ":all:", "--no-deps", "-d", str(dist), *packages],
        check=True,
    )
    src.mkdir(parents=True, exist_ok=True)
    for archive in dist.glob("*.tar.gz"):
        with tarfile.open(archive) as tar:
            tar.extractall(src, filter="data")
    marker.touch()
    return src


def corpus_stats(src):
    files = list(src.rglob("*.py"))
    size = sum(f.stat().st_size for f in files)
    lines = 0
    for f in files:
        with open(f, "rb") as fh:
            lines += fh.read().count(b"\n")
    return len(files), lines, size


def timed(cmd, cwd):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS MB, stdout)."""
    out_file = HERE / ".time.txt"
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(out_file), *cmd],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    peak_kb = int(out_file.read_text().strip().splitlines()[-1])
    return wall, peak_kb / 1024, proc.stdout


def count_codeguard(out):
    return json.loads(out)["summary"]["findings"]


def count_ruff(out):
    return len(json.loads(out or b"[]"))


def count_bandit(out):
    return len(json.loads(out)["results"])


def snippet_ms(cmd, runs):
    best = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, input=SNIPPET.encode(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best.append(time.perf_counter() - start)
    best.sort()
    return best[len(best) // 2] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packages", nargs="+", default=["diffusers", "transformers", "django"])
    parser.add_argument("--snippet-runs", type=int, default=200)
    parser.add_argument("--skip-bandit", action="store_true")
    args = parser.parse_args()

    src = build_corpus(args.packages)
    files, lines, size = corpus_stats(src)
    print(f"corpus: {', '.join(args.packages)}: {files} Python files, {lines:,} lines, {size / 1e6:.1f} MB")
    print(f"cores: {os.cpu_count()}\n")

    tools = [
        ("codeguard", [str(CODEGUARD), "check", ".", "--format", "json", "--exit-zero", "--allow-skipped", "--no-cache"], count_codeguard),
        ("ruff --select S", [str(VENV_BIN / "ruff"), "check", "--select", "S", "--no-cache", "--isolated",
                             "--output-format", "json", "--exit-zero", "."], count_ruff),
    ]
    if not args.skip_bandit:
        tools.append(("bandit", [str(VENV_BIN / "bandit"), "-r", ".", "-f", "json", "-q", "--exit-zero"], count_bandit))

    print(f"{'tool':<16} {'files':>6} {'lines':>10} {'wall s':>8} {'MB/s':>7} {'peak MB':>8} {'findings':>9}")
    results = {}
    for name, cmd, count in tools:
        wall, peak, out = timed(cmd, src)
        findings = count(out)
        results[name] = wall
        print(f"{name:<16} {files:>6} {lines:>10,} {wall:>8.2f} {size / 1e6 / wall:>7.1f} {peak:>8.1f} {findings:>9}")

    if "bandit" in results:
        print(f"\ncodeguard vs ruff: {results['codeguard'] / results['ruff --select S']:.2f}x ruff's wall time; "
              f"{results['bandit'] / results['codeguard']:.0f}x faster than bandit")

    cg = snippet_ms([str(CODEGUARD), "check", "--stdin", "--stdin-filename", "snippet.py", "--format", "json"], args.snippet_runs)
    rf = snippet_ms([str(VENV_BIN / "ruff"), "check", "--select", "S", "--isolated", "--no-cache",
                     "--stdin-filename", "snippet.py", "-"], args.snippet_runs)
    print(f"\n{len(SNIPPET.splitlines())}-line snippet through stdin, whole process, median of {args.snippet_runs}: "
          f"codeguard {cg:.2f} ms, ruff {rf:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
