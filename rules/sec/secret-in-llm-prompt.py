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


def from_settings_and_files(question, settings, chain, chat_model, lambda_client):
    from pathlib import Path

    from dotenv import dotenv_values

    env_file = dotenv_values(".env")
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": f"Config: {env_file}"}])
    creds = Path(".env").read_text()
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": creds + question}])
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"pw {settings.DATABASE_PASSWORD}"}])
    environment = dict(os.environ)
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"debug {environment}"}])
    # Template variables go to the model with the template.
    # ruleid: CG-SEC003
    chain.invoke({"question": question, "key": os.environ["OPENAI_API_KEY"]})
    # ruleid: CG-SEC003
    chat_model.invoke(f"Use token {os.getenv('GITHUB_TOKEN')} to answer {question}")

    # A setting that is not a secret, a template file shipped with placeholders, and a
    # secret only tested for presence.
    # ok: CG-SEC003
    client.chat.completions.create(model="gpt-4o", max_tokens=settings.max_tokens, messages=[{"role": "user", "content": f"{settings.max_tokens} {question}"}])
    example = Path(".env.example").read_text()
    # ok: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Explain {example}"}])
    token = os.environ.get("GITHUB_TOKEN")
    status = "set" if token else "missing"
    # ok: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"token {status}: {question}"}])
    # Not a model: an AWS Lambda client's invoke.
    # ok: CG-SEC003
    lambda_client.invoke({"token": os.environ["SERVICE_TOKEN"]})


def from_vaults(vault, key_vault, question):
    stored = vault.secrets.kv.v2.read_secret_version(path="openai")["data"]["data"]["key"]
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"{stored} {question}"}])
    azure = key_vault.get_secret("db-password").value
    # ruleid: CG-SEC003
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"{azure} {question}"}])
