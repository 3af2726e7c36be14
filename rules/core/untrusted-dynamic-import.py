import importlib

from flask import Flask, abort, request

app = Flask(__name__)
EXPORTERS = {"csv": "app.exporters.csv", "json": "app.exporters.json"}


@app.get("/export")
def export():
    fmt = request.args["format"]
    # ruleid: CG-CORE010
    exporter = importlib.import_module(fmt)
    # ruleid: CG-CORE010
    plugin = __import__("plugins." + request.args.get("plugin", "default"))
    module = EXPORTERS.get(fmt)
    if module is None:
        abort(400)
    # ok: CG-CORE010
    allowed = importlib.import_module(module)
    return exporter, plugin, allowed


def lazy_model_module(model_type):
    # ok: CG-CORE010
    return importlib.import_module(f"transformers.models.{model_type}")
