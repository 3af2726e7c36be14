import html

import jinja2

import streamlit as st
from flask import render_template, render_template_string
from markupsafe import Markup
from openai import OpenAI

client = OpenAI()


def show(question):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
    answer = reply.choices[0].message.content
    # ruleid: CG-LLM005
    page = render_template_string(f"<div>{answer}</div>")
    # ruleid: CG-LLM005
    fragment = Markup(answer)
    # ruleid: CG-LLM005
    st.markdown(answer, unsafe_allow_html=True)

    # ok: CG-LLM005
    safe = Markup(html.escape(answer))
    # ok: CG-LLM005
    st.markdown(answer)
    # ok: CG-LLM005
    page2 = render_template("answer.html", answer=answer)
    # ok: CG-LLM005
    header = Markup("<h1>Answer</h1>")
    return page, fragment, safe, page2, header


def templated(question, jinja_env, env=jinja2.Environment()):
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}]).choices[0].message.content
    # ruleid: CG-LLM005
    env.from_string(answer).render()
    # ruleid: CG-LLM005
    jinja_env.from_string(answer).render()
    # A parser named like a template constructor: the answer is data here.
    # ok: CG-LLM005
    return Triple.from_string(answer)


def chat_page(chain, query_engine, crew):
    question = st.text_input("Ask")
    answer = chain.run(question)
    # ruleid: CG-LLM005
    st.markdown(answer, unsafe_allow_html=True)
    response = query_engine.query(question)
    # ruleid: CG-LLM005
    st.markdown(f"<div>{response}</div>", unsafe_allow_html=True)
    report = crew.kickoff(inputs={"topic": question})
    # ruleid: CG-LLM005
    st.write(report.raw, unsafe_allow_html=True)
    # ok: CG-LLM005
    st.markdown(html.escape(answer), unsafe_allow_html=True)
