import json
import operator

from openai import OpenAI

import actions

client = OpenAI()
TOOLS = {"get_weather": actions.get_weather}


def step(messages):
    resp = client.chat.completions.create(model="gpt-4o", messages=messages, tools=actions.SPECS)
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # ruleid: CG-LLM009
    out = getattr(actions, call.function.name)(**args)
    # ruleid: CG-LLM009
    handler = globals()[call.function.name]
    # ruleid: CG-LLM009
    runner = operator.methodcaller(call.function.name, args)
    # ok: CG-LLM009
    fn = TOOLS.get(call.function.name)
    # ok: CG-LLM009
    version = getattr(actions, "VERSION")
    # ok: CG-LLM009
    table = globals()["TOOLS"]
    return out, handler, runner, fn, version, table


def dispatch(name, payload):
    # ok: CG-LLM009
    return getattr(actions, name)(payload)
