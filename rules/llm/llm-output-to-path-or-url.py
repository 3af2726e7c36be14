import json
import os

import requests
from openai import OpenAI

client = OpenAI()


def browse(task):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": task}])
    plan = json.loads(reply.choices[0].message.content)
    # ruleid: CG-LLM006
    page = requests.get(plan["url"], timeout=10)
    # ruleid: CG-LLM006
    notes = open(plan["file"]).read()

    # ok: CG-LLM006
    local = open(os.path.join("notes", os.path.basename(plan["file"]))).read()
    # ok: CG-LLM006
    status = requests.get("https://status.example.com/health", timeout=5)
    # ok: CG-LLM006
    config = open("config.json").read()
    # The model picks a search term on a server the code chose.
    # ok: CG-LLM006
    search = requests.get(f"https://api.search.example/v1?q={plan['query']}", timeout=5)
    # ruleid: CG-LLM006
    other = requests.get(f"https://{plan['host']}/v1", timeout=5)
    return page, notes, local, status, config, search, other


class VisitWebpage(Tool):
    """smolagents tool: the model picks `url`."""

    name = "visit_webpage"

    def forward(self, url: str) -> str:
        # ruleid: CG-LLM006
        return requests.get(url, timeout=5).text


class Encoder(Module):
    def forward(self, path):
        # Not a tool: a network layer's forward.
        # ok: CG-LLM006
        return open(path).read()
