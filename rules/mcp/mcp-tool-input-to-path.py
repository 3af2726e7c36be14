import os
import re
import shutil

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("notes")


@mcp.tool()
def read_note(name: str) -> str:
    # ruleid: CG-MCP002
    return open(f"notes/{name}").read()


@mcp.tool()
def delete_folder(folder: str) -> str:
    # ruleid: CG-MCP002
    shutil.rmtree(folder)
    return "ok"


@mcp.tool()
def read_safely(name: str) -> str:
    # ok: CG-MCP002
    return open(os.path.join("notes", os.path.basename(name))).read()


@mcp.tool()
def fixed() -> str:
    # ok: CG-MCP002
    return open("notes/index.md").read()


def helper(name):
    # ok: CG-MCP002
    return open(name).read()


@mcp.tool()
def read_named(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise ValueError("bad note name")
    # ok: CG-MCP002
    return open(f"notes/{name}.md").read()


@mcp.tool()
def read_loosely(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        print("odd name", name)
    # ruleid: CG-MCP002
    return open(f"notes/{name}.md").read()
