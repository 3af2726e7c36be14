from mcp import StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client

# ruleid: CG-MCP010
jira = StdioServerParameters(command="npx", args=["-y", "@acme/mcp-jira"])
# ruleid: CG-MCP010
files = StdioServerParameters(command="npx", args=["-y", "@modelcontextprotocol/server-filesystem@latest", "/srv"])
# ruleid: CG-MCP010
git = StdioServerParameters(command="uvx", args=["mcp-server-git", "--repository", "."])
# ruleid: CG-MCP010
fetch = StdioServerParameters(command="pipx", args=["run", "mcp-server-fetch"])
# ruleid: CG-MCP010
image = StdioServerParameters(command="docker", args=["run", "-i", "--rm", "ghcr.io/acme/mcp:1.2"])

# ok: CG-MCP010
jira_pinned = StdioServerParameters(command="npx", args=["-y", "@acme/mcp-jira@2.3.1"])
# ok: CG-MCP010
git_pinned = StdioServerParameters(command="uvx", args=["--from", "mcp-server-git==2025.7.1", "mcp-server-git"])
# ok: CG-MCP010
image_pinned = StdioServerParameters(command="docker", args=["run", "-i", "--rm", "ghcr.io/acme/mcp@sha256:5f0e1c4b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"])
# ok: CG-MCP010
local = StdioServerParameters(command="python", args=["-m", "acme_mcp"])


async def connect():
    # ruleid: CG-MCP010
    async with streamablehttp_client("http://mcp.internal.example.com/mcp") as streams:
        pass
    # ok: CG-MCP010
    async with sse_client("http://127.0.0.1:8000/sse") as streams:
        pass
    # ok: CG-MCP010
    async with streamablehttp_client("https://mcp.example.com/mcp") as streams:
        return streams
