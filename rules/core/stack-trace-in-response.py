import logging
import traceback

from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from flask import Flask, jsonify, make_response

app = Flask(__name__)
api = FastAPI()
log = logging.getLogger(__name__)


@app.route("/run")
def run():
    try:
        return do_work()
    except Exception:
        # ruleid: CG-CORE037
        return jsonify(error=traceback.format_exc()), 500


@app.route("/report")
def report():
    try:
        return do_work()
    except Exception:
        trace = traceback.format_exc()
        # ruleid: CG-CORE037
        return make_response(f"<pre>{trace}</pre>", 500)


@app.errorhandler(500)
def on_error(exc):
    # ruleid: CG-CORE037
    return "".join(traceback.format_exception(exc)), 500


@api.get("/items")
async def items():
    try:
        return load_items()
    except Exception as exc:
        # ruleid: CG-CORE037
        raise HTTPException(status_code=500, detail=traceback.format_exc()) from exc


def django_view(request):
    try:
        return HttpResponse(do_work())
    except Exception:
        # ruleid: CG-CORE037
        return JsonResponse({"error": "failed", "trace": traceback.format_exc()}, status=500)


@app.route("/quiet")
def quiet():
    try:
        return do_work()
    except Exception:
        # Logged on the server; the client gets a generic message.
        log.error("failed: %s", traceback.format_exc())
        # ok: CG-CORE037
        return jsonify(error="internal error"), 500


@api.get("/safe")
async def safe():
    try:
        return load_items()
    except Exception:
        trace = traceback.format_exc()
        log.error(trace)
        # ok: CG-CORE037
        return JSONResponse({"error": "internal error"}, status_code=500)


def last_chance(request, settings):
    try:
        return do_work()
    except Exception:
        # Only in the developer's debug mode.
        # ok: CG-CORE037
        return HttpResponse(traceback.format_exc() if settings.DEBUG else "Internal Server Error", status=500)


@app.route("/debug-only")
def debug_only():
    try:
        return do_work()
    except Exception:
        # ok: CG-CORE037
        return (traceback.format_exc() if app.debug else "internal error"), 500


def cli_main():
    try:
        do_work()
    except Exception:
        # A command-line tool printing its own trace.
        # ok: CG-CORE037
        print(traceback.format_exc())
        # ok: CG-CORE037
        return traceback.format_exc()
