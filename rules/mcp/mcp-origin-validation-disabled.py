from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings

# ruleid: CG-MCP007
open_notes = FastMCP("notes", transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
# ruleid: CG-MCP007
any_host = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=["*"])
# ruleid: CG-MCP007
open_notes.settings.transport_security.enable_dns_rebinding_protection = False

# ok: CG-MCP007
notes = FastMCP("notes", transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=["127.0.0.1:*"], allowed_origins=["http://127.0.0.1:*"]))
# ok: CG-MCP007
notes.settings.transport_security.enable_dns_rebinding_protection = True

app = FastAPI()
# ruleid: CG-MCP007
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])
# ok: CG-MCP007
app.add_middleware(CORSMiddleware, allow_origins=["https://console.acme.example"])
app.mount("/mcp", notes.streamable_http_app())
