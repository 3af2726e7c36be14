import re

from django.http import JsonResponse
from flask import Flask, request

app = Flask(__name__)
TITLES = ["alpha", "beta"]
ALLOWED = {"digits": r"^\d+$", "word": r"^\w+$"}


@app.route("/search")
def search():
    q = request.args.get("q", "")
    # ruleid: CG-CORE036
    pattern = re.compile(q)
    # ruleid: CG-CORE036
    hits = [t for t in TITLES if re.search(f"^{q}", t)]
    # A variable named `regex` holding a compiled pattern: the request data is the text.
    for regex in (re.compile(r"^\d+$"), re.compile(r"^\w+$")):
        # ok: CG-CORE036
        parts = regex.match(request.args["sep"])

    # Escaped, or used as the text rather than the pattern.
    # ok: CG-CORE036
    literal = re.compile(re.escape(q), re.IGNORECASE)
    # ok: CG-CORE036
    prefix = re.match(r"^[a-z]+", q)
    # ok: CG-CORE036
    found = re.search("^" + re.escape(q) + "$", "alpha")
    return str((pattern, hits, parts, literal, prefix, found))


@app.route("/validate")
def validate():
    kind = request.args["kind"]
    if kind not in ALLOWED:
        return "bad kind", 400
    # An allow-listed choice picks one of the code's patterns.
    # ok: CG-CORE036
    return str(bool(re.fullmatch(ALLOWED[kind], request.args["value"])))


def django_filter(request):
    # ruleid: CG-CORE036
    names = [n for n in TITLES if re.match(request.GET["pattern"], n)]
    return JsonResponse({"names": names})


def grep(lines, pattern):
    # A helper's own parameter: not request data.
    # ok: CG-CORE036
    return [line for line in lines if re.search(pattern, line)]
