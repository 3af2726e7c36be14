import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { exec, execFile, spawn } from "node:child_process";
import { z } from "zod";

const server = new McpServer({ name: "shell", version: "1.0.0" });

server.tool("run", "Run a command", { command: z.string() }, async ({ command }) => {
  // ruleid: CG-MCP001
  exec(`bash -lc ${command}`);
  return { content: [{ type: "text", text: "ok" }] };
});

server.registerTool(
  "calc",
  { description: "Evaluate an expression", inputSchema: { expr: z.string() } },
  async (args) => {
    // ruleid: CG-MCP001
    const value = eval(args.expr);
    return { content: [{ type: "text", text: String(value) }] };
  },
);

server.tool("git_log", "Show the log", { branch: z.string() }, async ({ branch }, extra) => {
  // ok: CG-MCP001
  execFile("git", ["log", branch]);
  // ok: CG-MCP001
  exec(`echo ${extra.sessionId}`);
  // ok: CG-MCP001
  spawn("ls", ["-la"], { shell: false });
  return { content: [] };
});

server.tool("count", "Count", { n: z.string() }, async ({ n }) => {
  // ok: CG-MCP001
  exec(`seq ${Number(n)}`);
  return { content: [] };
});
