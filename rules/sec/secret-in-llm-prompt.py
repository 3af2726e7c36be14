import os

from anthropic import Anthropic
from langchain_core.messages import SystemMessage
from openai import OpenAI

API_KEY = os.environ["OPENAI_API_KEY"]
client = OpenAI(api_key=API_KEY)
claude = Anthropic(api_key=os.getenv("ANTHROPIC_API_KEY"))


def db_password():
    return os.environ["DB_PASSWORD"]


def answer(history, question):
    db_pw = os.environ["DB_PASSWORD"]
    reply = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=800,
        messages=history,
        # ruleid: CG-SEC003
        system=f"You answer analytics questions. Connect as analyst/{db_pw} if needed.",
    )
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question + API_KEY}])
    prompt = "Use this token: " + db_password()
    # ruleid: CG-SEC003
    msg = SystemMessage(prompt)

    # ok: CG-SEC003
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
    model_name = os.environ["OPENAI_MODEL"]
    # ok: CG-SEC003
    client.chat.completions.create(model=model_name, messages=[{"role": "system", "content": model_name}])
    # ok: CG-SEC003
    claude.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=history, system=f"key length {len(API_KEY)}")
    return reply


def hub_and_index(hf_client, index_llm, mcp):
    token = os.environ["SERVICE_TOKEN"]
    # ruleid: CG-SEC003
    hf_client.text_generation(f"Call the service with {token} and summarise")
    # ruleid: CG-SEC003
    index_llm.complete("Authenticate with " + token)

    # ruleid: CG-SEC003
    @mcp.tool(description=f"Looks up orders. Use bearer {token}.")
    def orders(order_id: str) -> str:
        return order_id

    # ok: CG-SEC003
    hf_client.text_generation("Summarise the release notes")
    return orders
