import sqlite3

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("tickets")
db = sqlite3.connect("tickets.db")


@mcp.tool()
def tickets(owner: str) -> list:
    # ruleid: CG-MCP004
    return db.execute(f"SELECT * FROM tickets WHERE owner = '{owner}'").fetchall()


@mcp.tool()
def search(term: str) -> list:
    query = "SELECT id, title FROM tickets WHERE title LIKE '%" + term + "%'"
    cur = db.cursor()
    # ruleid: CG-MCP004
    cur.execute(query)
    return cur.fetchall()


@mcp.tool()
def tickets_bound(owner: str) -> list:
    # ok: CG-MCP004
    return db.execute("SELECT * FROM tickets WHERE owner = ?", (owner,)).fetchall()


@mcp.tool()
def ticket(ticket_id: str) -> list:
    # ok: CG-MCP004
    return db.execute(f"SELECT * FROM tickets WHERE id = {int(ticket_id)}").fetchall()


def report(owner: str) -> list:
    # ok: CG-MCP004
    return db.execute(f"SELECT * FROM tickets WHERE owner = '{owner}'").fetchall()
