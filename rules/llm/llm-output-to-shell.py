import json
import os
import shlex
import subprocess

import anthropic
from langchain_core.tools import BaseTool, tool

client = anthropic.Anthropic()
ALLOWED_COMMANDS = {"uptime", "df -h", "free -m"}


def agent_step(task):
    message = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[{"role": "user", "content": task}])
    plan = json.loads(message.content[0].text)
    # ruleid: CG-LLM002
    subprocess.run(plan["command"], shell=True)
    cmd = "ls " + plan["dir"]
    # ruleid: CG-LLM002
    os.system(cmd)
    # ruleid: CG-LLM002
    subprocess.run(plan["argv"].split())

    # ok: CG-LLM002
    os.system("ls " + shlex.quote(plan["dir"]))
    # ok: CG-LLM002
    subprocess.run(["ls", "--", plan["dir"]])
    # ok: CG-LLM002
    subprocess.run("uptime", shell=True)
    # ok: CG-LLM002
    os.system(task)


@tool
def run_diagnostic(command: str) -> str:
    """Run a diagnostic command on the build server."""
    # ruleid: CG-LLM002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


@tool("disk_usage")
def disk_usage(folder: str) -> str:
    """Show the disk usage of a folder."""
    # ok: CG-LLM002
    return subprocess.run(["du", "-sh", "--", folder], capture_output=True, text=True).stdout


def run_allowed(task):
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": task}])
    command = reply.content[0].text.strip()
    if command not in ALLOWED_COMMANDS:
        raise ValueError("command not allowed")
    # ok: CG-LLM002
    subprocess.run(command, shell=True)


def run_if_allowed(task):
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": task}])
    name = reply.content[0].text
    if name in ALLOWED_COMMANDS:
        # ok: CG-LLM002
        os.system(name)
    # ruleid: CG-LLM002
    os.system(name)


class DiagnosticTool(BaseTool):
    """A tool written as a class: `_run` receives what the model chose."""

    name: str = "diagnostic"
    description: str = "Run a diagnostic command"

    def __init__(self, shell_command: str):
        super().__init__()
        # ok: CG-LLM002
        subprocess.run(shell_command, shell=True)

    def _run(self, command: str) -> str:
        # ruleid: CG-LLM002
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout

    async def _arun(self, command: str) -> str:
        # ruleid: CG-LLM002
        return os.popen(command).read()


class Report(Base):
    def _run(self, command: str) -> str:
        # ok: CG-LLM002
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout
