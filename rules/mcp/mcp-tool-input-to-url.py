from urllib.parse import urlparse

import httpx
import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("web")
ALLOWED_HOSTS = {"docs.python.org"}


def ensure_allowed_url(url: str) -> str:
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        raise ValueError("host not allowed")
    return url


@mcp.tool()
def fetch_page(url: str) -> str:
    # ruleid: CG-MCP003
    return httpx.get(url, timeout=10).text


@mcp.tool()
def fetch_api(path: str) -> dict:
    # ruleid: CG-MCP003
    return requests.get(f"http://{path}/status", timeout=5).json()


@mcp.tool()
async def fetch_async(target: str) -> str:
    async with httpx.AsyncClient() as client:
        # ruleid: CG-MCP003
        response = await client.get(target)
    return response.text


@mcp.tool()
def fetch_checked(url: str) -> str:
    # ok: CG-MCP003
    return httpx.get(ensure_allowed_url(url), timeout=10).text


@mcp.tool()
def fetch_status(service: str) -> dict:
    # ok: CG-MCP003
    return requests.get("https://status.example.com/api", params={"service": service}, timeout=5).json()


def helper(url: str) -> str:
    # ok: CG-MCP003
    return httpx.get(url).text
