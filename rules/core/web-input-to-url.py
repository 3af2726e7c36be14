import httpx
import requests
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED = {"https://api.example.com/a", "https://api.example.com/b"}


@app.route("/preview")
def preview():
    url = request.args["url"]
    # ruleid: CG-CORE022
    return requests.get(url, timeout=5).text


@app.route("/hook", methods=["POST"])
def hook():
    target = request.get_json()["callback"]
    # ruleid: CG-CORE022
    requests.post(target, json={"ok": True}, timeout=5)
    return "sent"


@api.get("/proxy")
async def proxy(url: str):
    async with httpx.AsyncClient() as client:
        # ruleid: CG-CORE022
        response = await client.get(url)
    return response.text


@app.route("/user/<name>")
def user(name):
    # ok: CG-CORE022
    return requests.get(f"https://api.example.com/users/{name}", timeout=5).json()


@app.route("/checked")
def checked():
    url = request.args["url"]
    if url not in ALLOWED:
        return "no", 400
    # ok: CG-CORE022
    return requests.get(url, timeout=5).text


@app.route("/validated")
def validated():
    url = request.args["url"]
    if not is_allowed_url(url):
        return "no", 400
    # ok: CG-CORE022
    return requests.get(url, timeout=5).text


@app.route("/fixed")
def fixed():
    lang = request.args.get("lang", "en")
    # ok: CG-CORE022
    return requests.get("https://api.example.com/status", params={"lang": lang}, timeout=5).text


@app.route("/proxy/<path:endpoint>")
async def passthrough(endpoint):
    # Only the path of the client's value is grafted onto the host the server configured.
    path = httpx.URL(endpoint).path
    url = httpx.URL("https://api.provider.example").copy_with(path=path)
    async with httpx.AsyncClient() as client:
        # ok: CG-CORE022
        response = await client.request("POST", url, timeout=5)
        # ruleid: CG-CORE022
        await client.get(endpoint, timeout=5)
    return response.text
