from langchain.agents import load_tools
from langchain_community.tools import ShellTool
from langchain_experimental.agents import create_pandas_dataframe_agent
from langchain_experimental.tools import PythonREPLTool


def build(llm, df):
    # ruleid: CG-LLM008
    tools = [PythonREPLTool(), WikipediaQueryRun()]
    # ruleid: CG-LLM008
    shell = ShellTool()
    # ruleid: CG-LLM008
    agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)
    # ruleid: CG-LLM008
    more = load_tools(["terminal", "llm-math"], llm=llm)

    # ok: CG-LLM008
    safe = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=False)
    # ok: CG-LLM008
    math = load_tools(["llm-math"], llm=llm)
    # ok: CG-LLM008
    passed = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=self.allow_dangerous_code)
    return tools, shell, agent, more, safe, math
