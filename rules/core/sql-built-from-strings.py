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


class Store:
    SCHEMA = "main"

    def __init__(self, conn, table_name):
        self.conn = conn
        self.table_name = table_name

    def rows(self, session_id, ids, order):
        # Identifiers the code defines (its own table name, model metadata, constants,
        # quoted names) and placeholder lists are not injection.
        # ok: CG-CORE006
        self.conn.execute(f"SELECT * FROM {self.table_name} WHERE session_id = ?", (session_id,))
        # ok: CG-CORE006
        self.conn.execute(f"DROP TABLE IF EXISTS {self.SCHEMA}.{model._meta.db_table}")
        placeholders = ", ".join("?" for _ in ids)
        # ok: CG-CORE006
        self.conn.execute(f"DELETE FROM {self.table_name} WHERE id IN ({placeholders})", ids)
        marks = ",".join(["%s"] * len(ids))
        # ok: CG-CORE006
        self.conn.execute("SELECT * FROM t WHERE id IN (%s)" % marks, ids)
        # ok: CG-CORE006
        self.conn.execute("CREATE DATABASE %s" % connection.ops.quote_name(self.table_name))
        # ok: CG-CORE006
        self.conn.execute(f"PRAGMA busy_timeout = {len(ids)}")
        # A value that is not an identifier, even beside one, still is.
        # ruleid: CG-CORE006
        self.conn.execute(f"SELECT * FROM {self.table_name} ORDER BY {order}")
        query = "SELECT * FROM {} WHERE owner = '{}'".format(self.table_name, session_id)
        # ruleid: CG-CORE006
        self.conn.execute(query)
        # ruleid: CG-CORE006
        self.conn.execute(f"MERGE (e:{node.type} {{id: $id}})")

    def more(self, request, table_name, use_tz):
        # ok: CG-CORE006
        self.conn.execute("SET TIME ZONE" + (" 'UTC'" if use_tz else " 'local'"))
        # ok: CG-CORE006
        self.conn.execute("SELECT 1" + connection.features.bare_select_suffix)
        # ok: CG-CORE006
        self.conn.execute(f"DROP TABLE {table_name}")
        # ok: CG-CORE006
        self.conn.execute(f"DROP SEQUENCE {self.ops.sequence_name(table_name)}")
        # A name that sounds like an identifier but is bound to request data still is.
        columns = request.args["columns"]
        # ruleid: CG-CORE006
        self.conn.execute(f"SELECT {columns} FROM t")


class Backend:
    # Class-level tables and counters the code defines, read through `self`.
    operators = {"contains": "LIKE %s", "exact": "= %s"}
    counter = 1

    def probe(self, cursor, params):
        # ok: CG-CORE006
        cursor.execute("SELECT 1 FROM DUAL WHERE DUMMY %s" % self.operators["contains"], ["X"])
        self.counter += 1
        # ok: CG-CORE006
        cursor.execute("SELECT * FROM t WHERE ROWNUM < {}".format(self.counter))
        # ok: CG-CORE006
        cursor.execute("SELECT " + ", ".join(["QUOTE(?)"] * len(params)), params)

    def filtered(self, cursor, request):
        self.where = request.args["where"]
        # An attribute the file assigns request data to still is.
        # ruleid: CG-CORE006
        cursor.execute("SELECT * FROM t WHERE %s" % self.where)
        # ruleid: CG-CORE006
        cursor.execute("SELECT * FROM t WHERE %s" % self.operators[request.args["op"]] + request.args["v"])

    def _server_function(self, cursor, func):
        # A private helper whose every caller in the file passes a constant.
        # ok: CG-CORE006
        cursor.execute("SELECT %s()" % func)
        return cursor.fetchone()[0]

    def version(self, cursor):
        return self._server_function(cursor, "postgis_lib_version")

    def full_version(self, cursor):
        return self._server_function(cursor, func="postgis_full_version")

    def _count(self, cursor, expression):
        # A private helper one caller passes its own (outside) value to.
        # ruleid: CG-CORE006
        cursor.execute("SELECT count(%s) FROM t" % expression)

    def count(self, cursor, expression):
        return self._count(cursor, "id") + self._count(cursor, expression)


class VectorTable:
    def __init__(self, conn, table_name, text_key, vector_key, api_key, distance):
        self._table_name = table_name
        self._text_key = text_key
        self._vector_key = vector_key
        self._api_key = api_key
        self._distance = distance
        self.conn = conn

    def _op_class(self):
        if self._distance == "l2":
            return "dist_l2sq_ops"
        return "dist_cos_ops"

    def create(self):
        # Column keys and a method returning constants are code-defined.
        # ok: CG-CORE006
        self.conn.execute(f"CREATE TABLE {self._table_name} ({self._text_key} TEXT, {self._vector_key} REAL[])")
        # ok: CG-CORE006
        self.conn.execute("CREATE INDEX ON {} USING hnsw (embedding {})".format(self._table_name, self._op_class()))
        # A credential spliced as a value still is.
        # ruleid: CG-CORE006
        self.conn.execute(f"SELECT * FROM accounts WHERE key = '{self._api_key}'")


def by_id(cursor, request):
    # Request data read through an UPPER_CASE attribute is still request data.
    # ruleid: CG-CORE006
    cursor.execute("SELECT * FROM t WHERE id = %s" % request.GET["id"])


from django.db.models import F  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402


def django_views(request, Person, qs, name, order):
    # Django's raw SQL doors: `.raw(...)`, `RawSQL(...)` and `.extra(...)` pasting input.
    # ruleid: CG-CORE006
    Person.objects.raw(f"SELECT * FROM myapp_person WHERE last_name = '{name}'")
    # ruleid: CG-CORE006
    qs.annotate(val=RawSQL("data->>'%s'" % request.GET["key"], ()))
    # ruleid: CG-CORE006
    qs.extra(where=["headline = '%s'" % name])
    # ruleid: CG-CORE006
    qs.extra(select={"is_recent": f"pub_date > '{request.GET['since']}'"})
    # ruleid: CG-CORE006
    qs.extra(order_by=["-" + order, "id"])

    # Parameters passed separately, and SQL the code writes itself, are fine.
    # ok: CG-CORE006
    Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [name])
    # ok: CG-CORE006
    qs.annotate(val=RawSQL("SELECT col FROM sometable WHERE othercol = %s", (name,)))
    # ok: CG-CORE006
    qs.extra(where=["headline = %s"], params=[name])
    # ok: CG-CORE006
    qs.extra(select={"is_recent": "pub_date > '2006-01-01'"})
    COLUMN = "pub_date"
    # ok: CG-CORE006
    qs.extra(order_by=[f"-{COLUMN}"])
    # `extra` on something else, with data in a keyword that is not SQL.
    # ok: CG-CORE006
    logger.extra(tags=[f"user:{name}"])
    # ok: CG-CORE006
    qs.annotate(total=F("price") * 2)


class Compiler:
    def as_subquery(self, compiler, connection, params, request):
        # SQL a query compiler returned, composed into a bigger statement: judged where built.
        sql, sql_params = compiler.as_sql()
        # ok: CG-CORE006
        inner = RawSQL("SELECT * FROM (%s) subquery" % sql, sql_params)
        table, col = "t.c".split(".", 1)
        # ok: CG-CORE006
        order = RawSQL("%s.%s" % (connection.ops.quote_name(table), col), [])
        # ok: CG-CORE006
        connection.cursor().execute(f"EXPLAIN {sql}", sql_params)
        # A value the request chose is still a value, whatever its name.
        where_sql = request.GET["where"]
        # ruleid: CG-CORE006
        connection.cursor().execute(f"SELECT * FROM t WHERE {where_sql}")
        return inner, order


def appended_sql(cursor, name, limit, ordering):
    # `+=` appends to the SQL: what it appends counts.
    sql = "SELECT * FROM person WHERE last_name = "
    sql += name
    # ruleid: CG-CORE006
    cursor.execute(sql)
    query = "SELECT * FROM person"
    query += " WHERE active = 1"
    # ok: CG-CORE006
    cursor.execute(query)
    # Numeric conversions cannot carry SQL text.
    options = "LIMIT %d" % (limit * 2)
    # ok: CG-CORE006
    cursor.execute("SELECT * FROM person " + options)
    # ruleid: CG-CORE006
    cursor.execute("SELECT * FROM person ORDER BY %s" % ordering)


def rename_sequences(conn, name):
    # Names taken from a mapping the script spells out are the code's own.
    remap = {"seq_user_pk": "user_id_seq", "seq_role_pk": "role_id_seq"}
    for seq in remap.keys():
        # ok: CG-CORE006
        conn.execute("ALTER SEQUENCE %s RENAME TO %s;" % (seq, remap[seq]))
    columns = {"id": "id"}
    columns[name] = "'%s'" % name
    # A mapping that something outside filled is not.
    # ruleid: CG-CORE006
    conn.execute("INSERT INTO t (%s) SELECT 1" % ", ".join(columns.values()))
    fixed = {"id": "id"}
    fixed["name"] = "name"
    # ok: CG-CORE006
    conn.execute("INSERT INTO t (%s) SELECT 1" % ", ".join(fixed.values()))


def check_constraints(cursor, table_names):
    # A loop variable named for what it holds: a table name.
    for table_name in table_names:
        # ok: CG-CORE006
        cursor.execute("SELECT COUNT(*) FROM `%s`" % table_name)
    for value in table_names:
        # ruleid: CG-CORE006
        cursor.execute("SELECT * FROM t WHERE v = '%s'" % value)


def create_collation(schema_editor, name, provider, options):
    args = {"locale": schema_editor.quote_name(name)}
    if provider != "libc":
        args["provider"] = schema_editor.quote_name(provider)
    # Options and values from the code's own quoted mapping.
    # ok: CG-CORE006
    schema_editor.execute(
        "CREATE COLLATION %(name)s (%(args)s)"
        % {"name": schema_editor.quote_name(name), "args": ", ".join(f"{o}={v}" for o, v in args.items())}
    )
    # ruleid: CG-CORE006
    schema_editor.execute(
        "CREATE COLLATION c (%s)" % ", ".join(f"{o}={v}" for o, v in options.items())
    )
