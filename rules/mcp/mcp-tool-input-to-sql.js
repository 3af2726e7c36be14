import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import pg from "pg";
import { z } from "zod";

const pool = new pg.Pool();
const server = new McpServer({ name: "db", version: "1.0.0" });

server.tool("find_user", "Find a user", { name: z.string() }, async ({ name }) => {
  // ruleid: CG-MCP004
  const result = await pool.query(`SELECT * FROM users WHERE name = '${name}'`);
  // ok: CG-MCP004
  const safe = await pool.query("SELECT * FROM users WHERE name = $1", [name]);
  return { content: [{ type: "text", text: JSON.stringify([result.rows, safe.rows]) }] };
});
