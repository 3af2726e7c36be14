import os, subprocess
from flask import request

def f():
    q = request.args["q"]
    q = q + "x"
    if q not in ALLOWED:
        raise ValueError
    os.system(q)
    subprocess.run(f"ls {q}", shell=True)
    eval(input())
    cursor.execute("SELECT " + q)
