from fastapi import FastAPI
from fastmcp.server.auth.providers.jwt import StaticTokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.fastmcp import FastMCP

from acme.auth import OrgJwtVerifier

ISSUER = "https://login.acme.example"

billing = FastMCP("billing")
app = FastAPI()
# ruleid: CG-MCP006
app.mount("/mcp", billing.streamable_http_app())

inventory = FastMCP("inventory", host="127.0.0.1")
# ok: CG-MCP006
inventory.run(transport="stdio")

reports = FastMCP(
    "reports",
    token_verifier=OrgJwtVerifier(ISSUER),
    auth=AuthSettings(issuer_url=ISSUER, resource_server_url="https://reports.acme.example", required_scopes=["reports:read"]),
)
# ok: CG-MCP006
reports.run(transport="streamable-http")

# ruleid: CG-MCP006
verifier = StaticTokenVerifier(tokens={"dev-token": {"client_id": "dev", "scopes": ["all"]}})


def main():
    # ruleid: CG-MCP006
    FastMCP("notes").run(transport="sse")
