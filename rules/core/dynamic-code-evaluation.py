import ast
import importlib


def handle(request, model, text):
    # ruleid: CG-CORE008
    limit = eval(request.args.get("limit", "10"))
    # ruleid: CG-CORE008
    exec(text)
    # ok: CG-CORE008
    mod = importlib.import_module(f"transformers.models.{model}")

    # ruleid: CG-CORE008
    exec(compile(text, "<input>", "exec"))
    # ok: CG-CORE008
    tree = compile(text, "<input>", "exec", ast.PyCF_ONLY_AST)
    # ok: CG-CORE008
    model.eval()
    # ok: CG-CORE008
    value = ast.literal_eval(text)
    # ok: CG-CORE008
    exec("print('hello')")
    # ok: CG-CORE008
    mod = importlib.import_module("json")
