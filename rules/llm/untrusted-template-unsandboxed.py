import jinja2
from flask import render_template_string
from jinja2.sandbox import ImmutableSandboxedEnvironment
from llama_cpp import Llama
from transformers import AutoTokenizer


def render_gguf(path, messages):
    llm = Llama(model_path=path)
    template = llm.metadata["tokenizer.chat_template"]
    # ruleid: CG-LLM007
    return jinja2.Template(template).render(messages=messages)


def render_hub(repo, messages):
    tokenizer = AutoTokenizer.from_pretrained(repo, revision="4f1b0c2e9d7a6b5c3e2f1a0b9c8d7e6f5a4b3c2d")
    env = jinja2.Environment(trim_blocks=True)
    # ruleid: CG-LLM007
    compiled = env.from_string(tokenizer.chat_template)
    # ok: CG-LLM007
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    return compiled.render(messages=messages), text


def render_config(config, messages):
    # ruleid: CG-LLM007
    return render_template_string(config.get("chat_template"), messages=messages)


def render_sandboxed(tokenizer, messages):
    env = ImmutableSandboxedEnvironment(trim_blocks=True)
    # ok: CG-LLM007
    return env.from_string(tokenizer.chat_template).render(messages=messages)


def render_own(messages):
    # ok: CG-LLM007
    return jinja2.Template("{% for m in messages %}{{ m.content }}\n{% endfor %}").render(messages=messages)
