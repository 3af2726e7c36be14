import os

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("ops")


@mcp.tool()
def debug_info() -> dict:
    # ruleid: CG-MCP008
    return {"region": os.environ["AWS_REGION"], "env": dict(os.environ)}


@mcp.tool()
def github_status() -> str:
    token = os.environ["GITHUB_TOKEN"]
    # ruleid: CG-MCP008
    return f"using token {token}"


@mcp.resource("config://settings")
def settings() -> dict:
    # ruleid: CG-MCP008
    return os.environ.copy()


@mcp.tool()
def token_configured() -> dict:
    token = os.environ.get("GITHUB_TOKEN")
    # ok: CG-MCP008
    return {"region": os.environ["AWS_REGION"], "token_configured": bool(token)}


def load_token() -> str:
    # ok: CG-MCP008
    return os.environ["GITHUB_TOKEN"]
