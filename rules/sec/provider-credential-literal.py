import os
from anthropic import Anthropic
from openai import OpenAI

# ruleid: CG-SEC001
client = Anthropic(api_key="sk-ant-api03-ORS-6ilI8ihN5KXSc7Tvo-hBKqFYY-kv5ZJr3J1TWDtkwtDDb_xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8poAA")
# ruleid: CG-SEC001
openai_client = OpenAI(api_key="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")
# ruleid: CG-SEC001
HF = "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"
# ruleid: CG-SEC001
aws = {"aws_access_key_id": "AKIAWOVOMPZOM7WBBR6Q"}
# ruleid: CG-SEC001
headers = {"Authorization": f"token ghp_mSM9wCZ7Uw9xfogoEmvnEN5N1aE6PwZPf1Qh"}
# ruleid: CG-SEC001
# fallback key: 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
# ruleid: CG-SEC001
DB_URL = "postgresql://app:Zr8q2LmW7x@db.internal:5432/app"

# ok: CG-SEC001
client = Anthropic()
# ok: CG-SEC001
key = os.environ["OPENAI_API_KEY"]
# ok: CG-SEC001
EXAMPLE = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
# ok: CG-SEC001
HF_PLACEHOLDER = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
# ok: CG-SEC001
PROMPT = "Set <OPENAI_API_KEY> in your environment"
# ok: CG-SEC001
DB_URL = "postgresql://app@db.internal:5432/app"
# Connection URLs for a database on this machine, with stand-in or templated passwords, are
# examples and development set-ups.
# ok: CG-SEC001
DEV_URL = "postgresql://postgres:postgres@localhost:54320/memory_db"
# ok: CG-SEC001
DOC_URL = "postgres://username:password@host:port/database"
# ok: CG-SEC001
LOCAL_URL = "mongodb://langchain:langchain@localhost:6022/"
# ok: CG-SEC001
BUILT_URL = f"postgresql://{user}:{password}@{host}:{port}/{database}"
# ruleid: CG-SEC001
PROD_URL = "redis://default:Vq93kLp2Xz7Rt@cache.acme-prod.net:6379/0"


# ruleid: CG-SEC001
SIGNING_KEY = "-----BEGIN RSA PRIVATE KEY-----\nUvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaGglfIPk5VlDPk4C47bIkpr\nJIoekk6P0K4uGpSSozBfGIy2EJAPnjR/rohtxlB3lex0XEw/yy6yxz4Uk0yGfuBX\n-----END RSA PRIVATE KEY-----\n"
# A header alone, in documentation or a parser, holds no key.
# ok: CG-SEC001
PEM_MARKER = "-----BEGIN PRIVATE KEY-----"
# ok: CG-SEC001
EXAMPLE = "private_key: PEM text such as -----BEGIN PRIVATE KEY-----..."
