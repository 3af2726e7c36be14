import ast
from openai import OpenAI

client = OpenAI()


def ask(messages):
    return client.chat.completions.create(model="gpt-4o-mini", messages=messages)


def run_generated(question):
    resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
    code = resp.choices[0].message.content
    cleaned = code.strip().removeprefix("```python")
    # ruleid: CG-LLM001
    exec(cleaned)


def via_helper(question):
    answer = ask([{"role": "user", "content": question}]).choices[0].message.content
    # ruleid: CG-LLM001
    return eval(answer)


def langchain(llm, q):
    out = llm.invoke(q)
    # ruleid: CG-LLM001
    eval(f"{out.content}")


def safe_uses(question, user_code):
    resp = client.chat.completions.create(model="gpt-4o-mini", messages=[])
    text = resp.choices[0].message.content
    # ok: CG-LLM001
    value = ast.literal_eval(text)
    # ok: CG-LLM001
    exec("print('ready')")
    # ok: CG-LLM001
    eval(user_code)
    text = "1 + 1"
    # ok: CG-LLM001
    eval(text)
