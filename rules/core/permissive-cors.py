from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask
from flask_cors import CORS, cross_origin
from starlette.applications import Starlette
from starlette.middleware import Middleware

api = FastAPI()
# ruleid: CG-CORE030
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])
# ok: CG-CORE030
api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
# ok: CG-CORE030
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])

ANY = ["*"]
middleware = [
    # ruleid: CG-CORE030
    Middleware(CORSMiddleware, allow_origins=ANY, allow_credentials=True),
    # ok: CG-CORE030
    Middleware(CORSMiddleware, allow_origins=["https://admin.example.com"], allow_credentials=True),
]
site = Starlette(middleware=middleware)

app = Flask(__name__)
# ruleid: CG-CORE030
CORS(app, supports_credentials=True)
# ruleid: CG-CORE030
CORS(app, origins="*", supports_credentials=True)
# ok: CG-CORE030
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
# ok: CG-CORE030
CORS(app, resources={r"/api/*": {"origins": "https://app.example.com"}}, supports_credentials=True)
# ok: CG-CORE030
CORS(app)


@app.get("/me")
# ruleid: CG-CORE030
@cross_origin(supports_credentials=True)
def me():
    return {"name": "ada"}
