import os
import requests

# ruleid: CG-SEC002
db_password = "hunter2-prod"
# ruleid: CG-SEC002
WEBHOOK_SECRET = "9c1f0e7a5d3b2e8f4a6c0d9b7e1f3a5c"


class Settings:
    def __init__(self):
        # ruleid: CG-SEC002
        self.apiKey = "Qm9vdHN0cmFwVG9rZW4xMjM0NTY3"


# ruleid: CG-SEC002
def connect(user, password="s3cr3t-Pa55"):
    pass


# ruleid: CG-SEC002
resp = requests.post(URL, json={"client_secret": "f81d4fae7dec11d0a76500a0c91e6bf6"})

# ok: CG-SEC002
max_tokens = "4096"
# ok: CG-SEC002
pad_token = "<|endoftext|>"
# ok: CG-SEC002
api_key = os.environ["OPENAI_API_KEY"]
# ok: CG-SEC002
password = "changeme"
# ok: CG-SEC002
token_url = "https://auth.example.com/oauth/token"
# ok: CG-SEC002
secret_name = "prod/openai/api-key-value-here"
# ok: CG-SEC002
api_key = "OPENAI_API_KEY"


# ok: CG-SEC002
def connect(username: str = "default", password: str = "default"):
    # Names of settings and classes are not secrets, and `default` is a stand-in.
    # ok: CG-SEC002
    deprecated = {"redis_password": "redis_url"}
    # ok: CG-SEC002
    token_classification_class = "ForTokenClassification"
    # ok: CG-SEC002
    demo_password = "demo_password"
    return deprecated, token_classification_class, demo_password


# Texts about a secret, pagination cursors and known-bad values kept to reject them.
# ok: CG-SEC002
password_description = "The user's password for authentication"
# ok: CG-SEC002
example = {"next_page_token": "eyJpbmRleCI6IDExfQ=="}
# ok: CG-SEC002
_LEGACY_DEFAULT_ADMIN_PASSWORD = "password1234"
# ruleid: CG-SEC002
ADMIN_PASSWORD = "Tr0ub4dor-x9Q"
# A provider's name alone names no key: a beta header, a dependency pin.
# ok: CG-SEC002
headers = {"anthropic-beta": "prompt-caching-2024-07-31"}
# ok: CG-SEC002
deps = {"hf-doc-builder": "hf-doc-builder>=0.3.0"}
# The length that counts is the literal's source text: escapes are two characters each, an
# f-string field the constant it folds to.
# ruleid: CG-SEC002
vault_password = "Tr\\0x"
V = "Zq8vLm2pKx7"
# ruleid: CG-SEC002
vault_db_password = f"{V}"
# ok: CG-SEC002
token = ""
# Names the prefilter's words begin but no secret's: the partial parse skips them.
# ok: CG-SEC002
tokenizer_class = "BertTokenizerFast"
# ok: CG-SEC002
meta = dict(author="Jane Doe", key="value")


# In a function (a large file parses only the definitions its hits are in): a harmless key
# first on the line, a secret's after it.
def auth_headers():
    # ruleid: CG-SEC002
    return {"x-token-type": "jwt", "Authorization": "Bearer 9f8a7b6c5d4e3f2a1b0cQ7xZkLmN"}


def model_settings(config):
    # ok: CG-SEC002
    config.tokenizer_class = "BertTokenizerFast"
    return config
