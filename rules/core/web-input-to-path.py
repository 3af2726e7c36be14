import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from flask import Flask, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
UPLOADS = Path("/srv/uploads")


@app.route("/download")
def download():
    name = request.args.get("name")
    # ruleid: CG-CORE021
    return send_file(os.path.join("/srv/files", name))


@app.route("/report/<path:report>")
def report(report):
    # ruleid: CG-CORE021
    with open(f"/srv/reports/{report}") as fh:
        return fh.read()


@app.route("/upload", methods=["POST"])
def upload():
    upload = request.files["file"]
    # ruleid: CG-CORE021
    upload.save(os.path.join("/srv/uploads", upload.filename))
    # ok: CG-CORE021
    upload.save(os.path.join("/srv/uploads", secure_filename(upload.filename)))
    return "ok"


@api.get("/files/{name}")
async def get_file(name: str):
    # ruleid: CG-CORE021
    return FileResponse(UPLOADS / name)


@api.get("/notes/{name}")
async def note(name: str):
    # ruleid: CG-CORE021
    return (UPLOADS / name).read_text()


@app.route("/safe")
def safe():
    name = request.args["name"]
    # ok: CG-CORE021
    send_from_directory("/srv/files", name)
    # ok: CG-CORE021
    send_file(os.path.join("/srv/files", os.path.basename(name)))
    path = (UPLOADS / name).resolve()
    if not path.is_relative_to(UPLOADS):
        return "no", 400
    # ok: CG-CORE021
    return path.read_text()


@app.route("/static-report")
def static_report():
    kind = request.args.get("kind")
    # ok: CG-CORE021
    with open("/srv/reports/summary.txt") as fh:
        return fh.read() + kind


@api.get("/choice")
async def choice(lang: str):
    files = {"en": "/srv/en.txt", "de": "/srv/de.txt"}
    if lang not in files:
        return "unknown"
    # ok: CG-CORE021
    return FileResponse(files[lang])
