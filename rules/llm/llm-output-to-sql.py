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


class SQLDatabase:
    """Stands in for langchain_community.utilities.SQLDatabase."""

    @classmethod
    def from_uri(cls, uri):
        return cls()


db = SQLDatabase.from_uri("sqlite:///shop.db")


class SqlChain:
    def __init__(self, llm, db, graph):
        self.llm = llm
        self.db = db
        self.graph = graph

    def answer(self, question):
        sql = self.llm.invoke("SQL for: " + question).content
        # ruleid: CG-LLM003
        return self.db.run(sql)

    def cypher(self, question):
        query = self.llm.predict("Cypher for: " + question)
        # ruleid: CG-LLM003
        return self.graph.query(query)

    def module_db(self, question):
        sql = self.llm.invoke(question).content
        # ruleid: CG-LLM003
        return db.run_no_throw(sql)

    def parameterised(self, question):
        name = self.llm.invoke("a customer name for: " + question).content
        # ok: CG-LLM003
        self.graph.query("MATCH (c:Customer {name: $name}) RETURN c", params={"name": name})
        # ok: CG-LLM003
        return self.db.run("SELECT count(*) FROM orders")


class TextToSQLRetriever:
    """LlamaIndex-style: the model writes SQL, a helper cleans it, the database runs it."""

    def __init__(self, llm, sql_database):
        self._llm = llm
        self._sql_database = sql_database

    def _parse_response_to_sql(self, response):
        return response.split("SQLResult:")[0].strip().strip("```").strip()

    def retrieve(self, question):
        response_str = self._llm.predict(question)
        sql_query_str = self._parse_response_to_sql(response_str)
        # ruleid: CG-LLM003
        raw, metadata = self._sql_database.run_sql(sql_query_str)
        # ok: CG-LLM003
        self._sql_database.run_sql("SELECT name FROM sqlite_master")
        return raw


class VannaLike:
    def generate_and_run(self, question):
        sql = self.submit_prompt(question)
        # ruleid: CG-LLM003
        return self.run_sql(sql)
