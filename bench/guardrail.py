"""Guardrail latency: codeguard's MCP server and `check --stdin` against Meta's CodeShield.

Usage: bench/run.sh is not needed; run `bench/guardrail.sh`. Prints median milliseconds per
scan of the same ~50-line snippet.
"""

import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import CODEGUARD, SNIPPET  # noqa: E402

RUNS = 300


def median_ms(samples):
    return statistics.median(samples) * 1000


def mcp_server():
    proc = subprocess.Popen([str(CODEGUARD), "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def request(i, method, params):
        proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": i, "method": method, "params": params}) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    request(0, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}})
    samples, verdict = [], None
    for i in range(1, RUNS + 1):
        start = time.perf_counter()
        reply = request(i, "tools/call", {"name": "scan_code", "arguments": {"code": SNIPPET, "language": "python"}})
        samples.append(time.perf_counter() - start)
        verdict = reply["result"]["structuredContent"]
    proc.terminate()
    return median_ms(samples), verdict


def stdin_process():
    samples, out = [], None
    for _ in range(RUNS // 3):
        start = time.perf_counter()
        out = subprocess.run([str(CODEGUARD), "check", "--stdin", "--stdin-filename", "s.py", "--format", "json"],
                             input=SNIPPET.encode(), capture_output=True).stdout
        samples.append(time.perf_counter() - start)
    return median_ms(samples), json.loads(out)["verdict"]


def codeshield():
    try:
        from codeshield.cs import CodeShield
    except ImportError:
        return None, None

    async def run():
        samples, result = [], None
        for _ in range(30):
            start = time.perf_counter()
            result = await CodeShield.scan_code(SNIPPET)
            samples.append(time.perf_counter() - start)
        return median_ms(samples), result

    return asyncio.run(run())


def describe(verdict):
    issues = verdict["issues_found"]
    return f"{verdict['recommended_treatment']}, {len(issues)} issues ({', '.join(sorted({i['rule_id'] for i in issues}))})"


def main():
    mcp_ms, mcp_verdict = mcp_server()
    proc_ms, proc_verdict = stdin_process()
    print(f"snippet: {len(SNIPPET.splitlines())} lines")
    print(f"codeguard MCP server, per scan_code call:  {mcp_ms:7.2f} ms  -> {describe(mcp_verdict)}")
    print(f"codeguard check --stdin, whole process:   {proc_ms:7.2f} ms  -> {describe(proc_verdict)}")
    cs_ms, cs = codeshield()
    if cs_ms is None:
        print("CodeShield not installed (pip install codeshield)")
        return
    found = [f"{i.cwe_id} {i.pattern_id}" for i in (cs.issues_found or [])]
    print(f"CodeShield scan_code, in-process:         {cs_ms:7.2f} ms  -> {cs.recommended_treatment}, {len(found)} issues ({', '.join(found)})")
    print(f"ratios: CodeShield / codeguard MCP = {cs_ms / mcp_ms:.1f}x, CodeShield / codeguard process = {cs_ms / proc_ms:.1f}x")


if __name__ == "__main__":
    main()
