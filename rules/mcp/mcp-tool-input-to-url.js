import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import axios from "axios";
import { z } from "zod";

const server = new McpServer({ name: "web", version: "1.0.0" });

server.tool("fetch_url", "Fetch a page", { url: z.string() }, async ({ url }) => {
  // ruleid: CG-MCP003
  const response = await fetch(url);
  // ruleid: CG-MCP003
  const other = await axios.get(url);
  return { content: [{ type: "text", text: (await response.text()) + other.data }] };
});

server.tool("weather", "Weather for a city", { city: z.string() }, async ({ city }) => {
  // ok: CG-MCP003
  const response = await fetch(`https://api.weather.example.com/v1/current?city=${encodeURIComponent(city)}`);
  // ok: CG-MCP003
  const status = await fetch("https://status.example.com/health");
  return { content: [{ type: "text", text: await response.text() + status.ok }] };
});
