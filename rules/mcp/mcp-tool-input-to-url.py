from urllib.parse import urlparse

import httpx
import requests
from mcp.server.fastmcp import FastMCP
from pymemcache.client.base import Client as Memcached

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


WEATHER = "https://wttr.in"


@mcp.tool()
def weather(city: str) -> str:
    # The code picks the server; the argument only picks a path on it.
    # ok: CG-MCP003
    return requests.get(f"{WEATHER}/{city}", timeout=2).text


@mcp.tool()
def forecast(city: str) -> str:
    url = "https://api.weather.example/v1/forecast?city=" + city
    # ok: CG-MCP003
    return requests.get(url, timeout=2).text


@mcp.tool()
def fetch_on_host(host: str, path: str) -> str:
    # The argument picks the host: still a finding.
    # ruleid: CG-MCP003
    return requests.get(f"https://{host}/{path}", timeout=2).text


@mcp.tool()
def fetch_with_userinfo(target: str) -> str:
    # ruleid: CG-MCP003
    return requests.get(f"https://{target}@internal/", timeout=2).text


# The low-level server: one handler gets every tool call's `arguments`, often unpacked into a
# model first.
from mcp.server import Server
from pydantic import BaseModel

server = Server("fetch")


class FetchArgs(BaseModel):
    url: str


async def fetch_url(url: str) -> str:
    async with httpx.AsyncClient() as client:
        response = await client.get(url, follow_redirects=True)
    return response.text


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list:
    args = FetchArgs(**arguments)
    # ruleid: CG-MCP003
    return [await fetch_url(str(args.url))]


@server.call_tool()
async def call_tool_validated(name: str, arguments: dict) -> list:
    args = FetchArgs.model_validate(arguments)
    # ruleid: CG-MCP003
    return [httpx.get(args.url).text]


@mcp.tool()
async def fetch_with(url: str) -> str:
    async with httpx.AsyncClient() as c:
        # ruleid: CG-MCP003
        r = await c.get(url)
    return r.text


cache = Memcached(("localhost", 11211))


@mcp.tool()
def cached(key: str) -> str:
    # A cache client's `get` is not a request.
    # ok: CG-MCP003
    return cache.get(key)


@mcp.tool()
def from_session(key: str) -> str:
    session = {}
    # ok: CG-MCP003
    return session.get(key)
