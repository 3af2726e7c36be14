import sqlite3
from sqlalchemy import text


def find(conn, cur, name, uid):
    # ruleid: CG-CORE006
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: CG-CORE006
    cur.execute("DELETE FROM sessions WHERE user_id = " + uid)
    # ruleid: CG-CORE006
    cur.execute("UPDATE t SET a = %s" % name)
    query = "SELECT id FROM users WHERE name = '{}'".format(name)
    # ruleid: CG-CORE006
    cur.execute(query)
    # ruleid: CG-CORE006
    rows = conn.execute(text(f"SELECT * FROM items WHERE owner = {uid}"))

    # ok: CG-CORE006
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: CG-CORE006
    cur.execute("SELECT * FROM users WHERE name = %s", [name])
    TABLE = "users"
    # ok: CG-CORE006
    cur.execute(f"SELECT count(*) FROM {TABLE}")
    # ok: CG-CORE006
    runner.execute(f"build {name}")
