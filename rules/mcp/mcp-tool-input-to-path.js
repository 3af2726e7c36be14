import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const server = new McpServer({ name: "files", version: "1.0.0" });
const ROOT = "/srv/data";

server.tool("read_file", "Read a file", { path: z.string() }, async ({ path: file }) => {
  // ruleid: CG-MCP002
  const text = await fs.readFile(file, "utf-8");
  return { content: [{ type: "text", text }] };
});

server.tool("write_note", "Write a note", { name: z.string(), body: z.string() }, async (args) => {
  const target = path.join(ROOT, args.name);
  // ruleid: CG-MCP002
  await fs.writeFile(target, args.body);
  // ok: CG-MCP002
  await fs.writeFile(path.join(ROOT, "log.txt"), args.body);
  return { content: [] };
});

server.tool("read_safe", "Read inside the root", { name: z.string() }, async ({ name }) => {
  const safe = path.resolve(ROOT, name);
  if (!safe.startsWith(ROOT + path.sep)) {
    throw new Error("outside the root");
  }
  // ok: CG-MCP002
  const text = await fs.readFile(safe, "utf-8");
  // ok: CG-MCP002
  const other = await fs.readFile(path.join(ROOT, path.basename(name)), "utf-8");
  return { content: [{ type: "text", text: text + other }] };
});
