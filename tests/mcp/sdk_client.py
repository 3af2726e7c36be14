"""End-to-end check of `codeguard mcp` with the official MCP Python SDK as the client: tools
and prompts.

Usage: python sdk_client.py CODEGUARD_BINARY WORKSPACE_ROOT
Prints one JSON line with what the client saw; exits non-zero on any failure.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

def attr(obj, snake, camel):
    """The SDK renamed fields to snake_case in 2.x; accept both spellings."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


INSECURE = 'import torch\nstate = torch.load(path, weights_only=False)\n'
CLEAN = 'import json\nconfig = json.loads(text)\n'


async def main(binary, root):
    params = StdioServerParameters(command=binary, args=["mcp", "--root", root])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
            insecure = await session.call_tool("scan_code", {"code": INSECURE, "language": "python"})
            clean = await session.call_tool("scan_code", {"code": CLEAN, "filename": "clean.py"})
            bad = await session.call_tool("scan_code", {"code": "x", "language": "cobol"})
            explain = await session.call_tool("explain_rule", {"rule": "CG-ML001"})
            prompts = await session.list_prompts()
            prompt = await session.get_prompt("model-loading", {"language": "python"})
            try:
                await session.get_prompt("no-such-prompt")
                unknown_prompt_code = None
            except Exception as err:  # the SDK's McpError / MCPError, by version
                unknown_prompt_code = getattr(getattr(err, "error", None), "code", None)
            capabilities = init.capabilities
            print(json.dumps({
                "server": attr(init, "server_info", "serverInfo").name,
                "protocol": attr(init, "protocol_version", "protocolVersion"),
                "tools": sorted(t.name for t in tools.tools),
                "insecure": attr(insecure, "structured_content", "structuredContent"),
                "insecure_is_error": attr(insecure, "is_error", "isError"),
                "clean": attr(clean, "structured_content", "structuredContent"),
                "bad_is_error": attr(bad, "is_error", "isError"),
                "bad_text": bad.content[0].text,
                "explain": explain.content[0].text[:200],
                "prompts_capability": capabilities.prompts is not None,
                "prompts": [p.name for p in prompts.prompts],
                "prompt_arguments": [a.name for a in (prompts.prompts[0].arguments or [])],
                "prompt_role": prompt.messages[0].role,
                "prompt_text": prompt.messages[0].content.text,
                "unknown_prompt_code": unknown_prompt_code,
            }))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
