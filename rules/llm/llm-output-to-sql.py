import sqlite3

from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini")
conn = sqlite3.connect("app.db")


def text_to_sql(question):
    sql = llm.invoke(f"Write SQLite SQL for: {question}").content
    cur = conn.cursor()
    # ruleid: CG-LLM003
    rows = cur.execute(sql).fetchall()
    name = llm.invoke("pick a customer name").content.strip()
    # ok: CG-LLM003
    cur.execute("SELECT * FROM customers WHERE name = ?", (name,))
    # ruleid: CG-LLM003
    cur.execute(f"SELECT * FROM customers WHERE name = '{name}'")
    # ok: CG-LLM003
    cur.execute("SELECT count(*) FROM customers")
    return rows
