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
    return page, notes, local, status, config
