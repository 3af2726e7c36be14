import os
import re
import shutil
from pathlib import Path

from mcp.server.fastmcp import Context, FastMCP

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


ROOT = Path("/srv/notes").resolve()


@mcp.tool()
def read_path(path: str) -> str:
    # ruleid: CG-MCP002
    return Path(path).read_text()


@mcp.tool()
def read_joined(path: str) -> str:
    p = (ROOT / path).resolve()
    # ruleid: CG-MCP002
    return p.read_text()


@mcp.tool()
def read_confined(path: str) -> str:
    p = (ROOT / path).resolve()
    if not p.is_relative_to(ROOT):
        raise ValueError("outside the notes folder")
    # ok: CG-MCP002
    return p.read_text()


@mcp.tool()
def read_prefixed(path: str) -> str:
    p = (ROOT / path).resolve()
    if not str(p).startswith(str(ROOT)):
        return "denied"
    # ok: CG-MCP002
    return p.read_text()


@mcp.tool()
def name_of(path: str) -> str:
    # Naming a path is not a file operation.
    # ok: CG-MCP002
    return Path(path).name


@mcp.tool()
async def read_workspace_note(name: str, ctx: Context) -> str:
    # The server fills in `ctx`: its values are not the client's choice.
    # ok: CG-MCP002
    log = open(ctx.request_context.lifespan_context.log_path).read()
    # ruleid: CG-MCP002
    return open(name).read() + log


def ensure_in_notes_by_prefix(path):
    # A helper that raises unless the path is inside the notes folder guards its callers.
    if not str(path).startswith(str(ROOT)):
        raise ValueError("outside the notes folder")


def remember(path):
    print(path)


@mcp.tool()
def read_after_helper_check(path: str) -> str:
    ensure_in_notes_by_prefix(path)
    # ok: CG-MCP002
    return open(path).read()


@mcp.tool()
def read_after_unrelated_helper(path: str) -> str:
    remember(path)
    # ruleid: CG-MCP002
    return open(path).read()


@mcp.tool()
def delete_in_root(path: str) -> bool:
    # A resolved path whose folder equals the root the code chose stays inside it.
    if Path(path).resolve().parent != ROOT:
        raise ValueError("outside the root")
    # ok: CG-MCP002
    Path(path).unlink()
    return True


@mcp.tool()
def delete_by_length(path: str) -> bool:
    # A check of the length says nothing of where the path points.
    if len(path) != 12:
        raise ValueError("bad name")
    # ruleid: CG-MCP002
    Path(path).unlink()
    return True
