import anthropic
import streamlit as st
from fastapi import FastAPI
from flask import Flask, request
from langchain_core.messages import HumanMessage, SystemMessage
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
claude = anthropic.Anthropic()
client = OpenAI()
SYSTEM_PROMPT = "You are a support assistant. Company data follows in the user turn."


@app.post("/ask")
def ask():
    body = request.json
    return claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=500,
        # ruleid: CG-LLM010
        system=f"You are the assistant for {body['company']}. Follow their rules: {body['rules']}",
        # ok: CG-LLM010
        messages=[{"role": "user", "content": body["question"]}],
    )


@app.post("/ask-safely")
def ask_safely():
    body = request.json
    return claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=500,
        # ok: CG-LLM010
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": f"<data>{body['rules']}</data>\n{body['question']}"}],
    )


@api.post("/chat")
def chat(persona: str, question: str):
    messages = [
        # ruleid: CG-LLM010
        {"role": "system", "content": "Act as " + persona},
        # ok: CG-LLM010
        {"role": "user", "content": question},
    ]
    return client.chat.completions.create(model="gpt-4o", messages=messages)


def streamlit_page(llm):
    tone = st.text_input("Tone")
    question = st.chat_input("Ask")
    # ruleid: CG-LLM010
    prompt = [SystemMessage(content=f"Answer in a {tone} tone."), HumanMessage(content=question)]
    return llm.invoke(prompt)


def fixed_tone(llm, question):
    # ok: CG-LLM010
    return llm.invoke([("system", "Answer briefly."), ("human", question)])
