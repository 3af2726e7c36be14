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


class PythonREPL:
    """Stands in for langchain_experimental.utilities.PythonREPL."""


repl = PythonREPL()


class Solver:
    def __init__(self, llm, chain):
        self.llm = llm
        self.chain = chain

    def solve(self, task):
        code = self.llm.invoke(f"Write Python for: {task}").content
        # ruleid: CG-LLM001
        return repl.run(code)

    def solve_with_a_chain(self, task):
        code = self.chain.predict(task=task)
        # ruleid: CG-LLM001
        exec(code)

    def streamed(self, task):
        code = ""
        for chunk in self.llm.stream(task):
            code += chunk.content
        # ruleid: CG-LLM001
        exec(code)

    def look_alikes(self, model, features):
        # ok: CG-LLM001
        repl.run("print(1)")
        labels = model.predict(features)
        # ok: CG-LLM001
        eval(labels)
        reply = self.llm.invoke("pick 1 or 2").content
        # ok: CG-LLM001
        return int(reply)


async def agents_sdk(agent, task, runner):
    result = await runner.run(agent, task)
    # ruleid: CG-LLM001
    exec(result.final_output)
    steps = len(result.new_items)
    # ok: CG-LLM001
    exec(f"total = {steps}")


def _exec_chart(chart_code=None, namespace=None):
    exec(chart_code, namespace or {})


def _draw(plotly_code=None):
    return _exec_chart(chart_code=plotly_code)


def chart_for(question):
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
    plotly_code = reply.choices[0].message.content
    # Passed by keyword, through a helper of a helper.
    # ruleid: CG-LLM001
    _draw(plotly_code=plotly_code)
    # ok: CG-LLM001
    _draw(plotly_code="import plotly.express as px")


class CodeAgent:
    def __init__(self, model):
        self.model = model

    def step(self, memory):
        # smolagents-style: the model wrapper's answer is Python to run.
        message = self.model.generate(memory)
        # ruleid: CG-LLM001
        exec(message.content)
