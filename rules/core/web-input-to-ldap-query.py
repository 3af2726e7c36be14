import ldap
import ldap3
from flask import Flask, request
from ldap.filter import escape_filter_chars, filter_format
from ldap3.utils.conv import escape_filter_chars as ldap3_escape

app = Flask(__name__)
BASE = "ou=people,dc=example,dc=org"


@app.route("/user")
def find_user():
    uid = request.args.get("uid")
    con = ldap.initialize("ldaps://ldap.example.org")
    # ruleid: CG-CORE034
    con.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={uid})")
    # ruleid: CG-CORE034
    con.search_s(BASE, ldap.SCOPE_SUBTREE, filterstr="(&(objectClass=person)(cn=" + uid + "))")
    # ruleid: CG-CORE034
    con.search("ou=" + request.args["ou"] + ",dc=example,dc=org", ldap.SCOPE_ONELEVEL, "(objectClass=*)")

    # ok: CG-CORE034
    con.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={escape_filter_chars(uid)})")
    # ok: CG-CORE034
    con.search_s(BASE, ldap.SCOPE_SUBTREE, filter_format("(uid=%s)", [uid]))
    # ok: CG-CORE034
    con.search_s(BASE, ldap.SCOPE_SUBTREE, "(objectClass=person)")
    return "ok"


@app.route("/member", methods=["POST"])
def member():
    name = request.form["name"]
    conn = ldap3.Connection(ldap3.Server("ldap.example.org"), auto_bind=True)
    # ruleid: CG-CORE034
    conn.search(BASE, "(cn=%s)" % name, attributes=["mail"])
    # ruleid: CG-CORE034
    conn.search(search_base=BASE, search_filter="(mail={})".format(request.form["mail"]))

    # ok: CG-CORE034
    conn.search(BASE, "(cn=%s)" % ldap3_escape(name), attributes=["mail"])
    # ok: CG-CORE034
    conn.search(BASE, "(objectClass=person)", attributes=[name])
    return "ok"


def directory_lookup(conn, uid):
    # Not request data: a helper's own parameter.
    # ok: CG-CORE034
    return conn.search(BASE, f"(uid={uid})")


@app.route("/grep")
def grep():
    import re

    # `search` of something that is not a directory.
    # ok: CG-CORE034
    return str(re.search("x", request.args["q"]))
