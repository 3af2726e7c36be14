import os
import shlex
import subprocess

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("files")


@mcp.tool()
def grep(pattern: str, path: str) -> str:
    # ruleid: CG-MCP001
    return subprocess.run(f"grep -rn {pattern} {path}", shell=True, capture_output=True, text=True).stdout


@mcp.tool()
def disk_usage(directory: str) -> str:
    command = "du -sh " + directory
    # ruleid: CG-MCP001
    return os.popen(command).read()


@mcp.tool()
def calc(expression: str) -> str:
    # ruleid: CG-MCP001
    return str(eval(expression))


@mcp.tool()
def safe_grep(pattern: str, path: str) -> str:
    # ok: CG-MCP001
    out = subprocess.run(["grep", "-rn", "--", pattern, path], capture_output=True, text=True)
    # ok: CG-MCP001
    os.system("du -sh " + shlex.quote(path))
    return out.stdout


def not_a_tool(cmd):
    # ok: CG-MCP001
    return os.system(cmd)
