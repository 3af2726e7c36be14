const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { CallToolRequestSchema } = require("@modelcontextprotocol/sdk/types.js");
const { execSync } = require("child_process");

const server = new Server({ name: "ops", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args } = request.params;
  if (name === "restart") {
    // ruleid: CG-MCP001
    execSync("systemctl restart " + args.service);
  }
  // ok: CG-MCP001
  execSync("uptime");
  return { content: [] };
});
