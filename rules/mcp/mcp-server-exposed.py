import uvicorn
from mcp.server.fastmcp import FastMCP

# ruleid: CG-MCP005
mcp = FastMCP("notes", host="0.0.0.0", port=8000)
# ruleid: CG-MCP005
uvicorn.run(mcp.streamable_http_app(), host="0.0.0.0", port=8000)

# ok: CG-MCP005
local = FastMCP("notes", host="127.0.0.1", port=8000)
# ok: CG-MCP005
local.run(transport="stdio")
