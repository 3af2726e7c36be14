from django.http import HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, redirect, request, url_for

app = Flask(__name__)
api = FastAPI()


@app.route("/login", methods=["POST"])
def login():
    next_url = request.args.get("next", "/")
    # ruleid: CG-CORE023
    return redirect(next_url)


def logout(request):
    # ruleid: CG-CORE023
    return HttpResponseRedirect(request.GET["next"])


def done(request):
    target = request.POST.get("return_to")
    # ruleid: CG-CORE023
    return django_redirect(target)


@api.get("/go")
async def go(to: str):
    # ruleid: CG-CORE023
    return RedirectResponse(to)


def checked(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # ok: CG-CORE023
    return HttpResponseRedirect(target)


@app.route("/profile")
def profile():
    name = request.args["name"]
    # ok: CG-CORE023
    return redirect(url_for("user", name=name))


@app.route("/docs")
def docs():
    page = request.args["page"]
    # ok: CG-CORE023
    return redirect(f"https://docs.example.com/{page}")


@app.route("/home")
def home():
    # ok: CG-CORE023
    return redirect("/dashboard")


def enable(request):
    redirect_to = request.POST.get("next", None)
    if redirect_to and url_has_allowed_host_and_scheme(url=redirect_to, allowed_hosts={request.get_host()}):
        # ok: CG-CORE023
        return HttpResponseRedirect(redirect_to)
    return HttpResponseRedirect("/")


def next_or_home(request):
    next_url = request.POST.get("next") or request.GET.get("next")
    if not next_url or not url_has_allowed_host_and_scheme(url=next_url, allowed_hosts=None):
        return HttpResponseRedirect("/")
    # ok: CG-CORE023
    return HttpResponseRedirect(next_url)


def either(request):
    next_url = request.POST.get("next")
    # A check on one side of `or` holds on neither.
    if next_url or url_has_allowed_host_and_scheme(url=next_url, allowed_hosts=None):
        # ruleid: CG-CORE023
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect("/")


def detail(request):
    url = reverse("detail")
    query = request.GET.copy()
    # Request data after the `?` of a URL the code built changes the query, not the host.
    # ok: CG-CORE023
    return HttpResponseRedirect(f"{url}?{query.urlencode()}")


def user_page(request):
    # ok: CG-CORE023
    return HttpResponseRedirect("/users/" + request.GET["name"])


def after_slash(request):
    # `/` + `/evil.example` is `//evil.example`, another host.
    # ruleid: CG-CORE023
    return HttpResponseRedirect("/" + request.GET["next"])
