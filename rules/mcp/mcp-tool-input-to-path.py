import os
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
