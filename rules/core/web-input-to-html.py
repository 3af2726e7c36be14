import html

from django.http import HttpResponse
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, jsonify, make_response, render_template, render_template_string, request
from markupsafe import Markup, escape

app = Flask(__name__)
api = FastAPI()


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: CG-CORE024
    return make_response(f"<h1>Hello {name}</h1>")


@app.route("/page")
def page():
    title = request.args["title"]
    # ruleid: CG-CORE024
    return render_template_string("<title>" + title + "</title>")


def greet(request):
    who = request.GET.get("who")
    # ruleid: CG-CORE024
    return HttpResponse("<p>Hi %s</p>" % who)


def bio(request):
    # ruleid: CG-CORE024
    return render(request, "bio.html", {"bio": mark_safe(request.POST["bio"])})


@api.get("/search")
async def search(q: str):
    # ruleid: CG-CORE024
    return HTMLResponse(f"<p>Results for {q}</p>")


@app.route("/comment")
def comment():
    text = request.form["text"]
    # ruleid: CG-CORE024
    return render_template("comment.html", body=Markup(text))


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "")
    # ok: CG-CORE024
    return make_response(f"<h1>Hello {escape(name)}</h1>")


def greet_safe(request):
    who = request.GET.get("who")
    # ok: CG-CORE024
    return HttpResponse("<p>Hi %s</p>" % html.escape(who))


@app.route("/template")
def template():
    name = request.args.get("name", "")
    # ok: CG-CORE024
    return render_template("hello.html", name=name)


@app.route("/api")
def api_view():
    name = request.args.get("name", "")
    # ok: CG-CORE024
    return make_response(jsonify({"name": name}))
