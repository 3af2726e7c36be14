import re

from fastapi import FastAPI

api = FastAPI()


@api.get("/search")
def search(q: str):
    # An endpoint parameter, in a handler that names neither its framework nor what it receives.
    # ruleid: CG-CORE036
    return {"match": bool(re.search(q, "alpha"))}


@api.get("/escaped")
def escaped(q: str):
    # ok: CG-CORE036
    return {"match": bool(re.search(re.escape(q), "alpha"))}


def grep(lines, pattern):
    # ok: CG-CORE036
    return [line for line in lines if re.search(pattern, line)]
