"""Language-server latency: a 5,000-line Python file edited and re-diagnosed.

Usage: python3 bench/lsp_latency.py [--runs 50]  (builds nothing: run `cargo build --release` first)
Prints the median and worst time from `didChange` to the matching `publishDiagnostics`.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import CODEGUARD, SNIPPET  # noqa: E402


def synthetic_body():
    """Worst case on purpose: the 40-line snippet (LLM calls, env secrets, model loads) repeated
    to 5,000 lines gives ~625 findings and ~500 functions for the flow rules."""
    lines = SNIPPET.splitlines()
    return "\n".join((lines * (5000 // len(lines) + 1))[:5000]) + "\n"


def measure(body, runs):
    """Opens `body` in `codeguard lsp`, edits it `runs` times and returns the seconds from each
    `didChange` to the matching `publishDiagnostics`, and the findings of the first version."""
    proc = subprocess.Popen([str(CODEGUARD), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def send(message):
        data = json.dumps(message).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        proc.stdin.flush()

    def receive():
        length = None
        while True:
            line = proc.stdout.readline().strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(proc.stdout.read(length))

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    while receive().get("id") != 1:
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///tmp/bench_5000.py"
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": body}}})

    def wait_version(version):
        while True:
            message = receive()
            if message.get("method") == "client/registerCapability":
                send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
                return len(message["params"]["diagnostics"])

    found = wait_version(1)
    samples = []
    for version in range(2, runs + 2):
        text = body + f"x{version} = {version}\n"
        start = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})
        wait_version(version)
        samples.append(time.perf_counter() - start)
    proc.kill()
    return samples, found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--file", help="a real file to open instead of the repeated snippet")
    args = parser.parse_args()
    body = Path(args.file).read_text() if args.file else synthetic_body()
    samples, found = measure(body, args.runs)
    print(f"{len(body.splitlines()):,}-line file ({len(body) / 1024:.0f} KB, {found} findings): didChange -> publishDiagnostics "
          f"median {statistics.median(samples) * 1000:.1f} ms, worst {max(samples) * 1000:.1f} ms over {args.runs} edits")


if __name__ == "__main__":
    main()
