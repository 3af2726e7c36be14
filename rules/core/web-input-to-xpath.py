from fastapi import FastAPI
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
api = FastAPI()
USERS = etree.parse("users.xml")


@app.route("/email")
def email():
    name = request.args["name"]
    # ruleid: CG-CORE035
    found = USERS.xpath(f"//user[@name='{name}']/email/text()")
    # ruleid: CG-CORE035
    found = USERS.getroot().xpath("//user[@id=" + request.args["id"] + "]")
    query = "//role[@name='%s']" % request.args.get("role")
    # ruleid: CG-CORE035
    find_role = etree.XPath(query)

    # Variables are quoted by lxml.
    # ok: CG-CORE035
    found = USERS.xpath("//user[@name=$name]/email/text()", name=name)
    # ok: CG-CORE035
    found = etree.XPath("//user[@id=$id]")(USERS, id=request.args["id"])
    # ok: CG-CORE035
    found = USERS.xpath("//user/email/text()")
    return str(found)


@api.get("/items/{kind}")
async def items(kind: str):
    # ruleid: CG-CORE035
    return USERS.xpath("//item[@kind='" + kind + "']/@name")


def by_name(tree, name):
    # A helper's own parameter: not request data.
    # ok: CG-CORE035
    return tree.xpath(f"//user[@name='{name}']")
