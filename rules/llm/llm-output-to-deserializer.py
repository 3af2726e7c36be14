import base64
import pickle

import yaml
from openai import OpenAI

client = OpenAI()


def restore(prompt):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    text = reply.choices[0].message.content
    # ruleid: CG-LLM004
    config = yaml.load(text, Loader=yaml.Loader)
    # ruleid: CG-LLM004
    state = pickle.loads(base64.b64decode(text))
    # ok: CG-LLM004
    safe = yaml.safe_load(text)
    # ok: CG-LLM004
    also_safe = yaml.load(text, Loader=yaml.SafeLoader)
    # ok: CG-LLM004
    local = pickle.loads(open("cache.pkl", "rb").read())
    return config, state, safe, also_safe, local
