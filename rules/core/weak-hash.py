import hashlib
import hmac
from hashlib import sha1
from cryptography.hazmat.primitives import hashes


def verify_download(weights, expected):
    # ruleid: CG-CORE001
    digest = hashlib.md5(weights).hexdigest()
    return digest == expected


# ruleid: CG-CORE001
h = sha1(token.encode())
# ruleid: CG-CORE001
password_hash = hashlib.new("md5", salt + password)
# ruleid: CG-CORE001
signature_algorithm = hashes.SHA1()

# ok: CG-CORE001
digest = hashlib.sha256(weights).hexdigest()
# ok: CG-CORE001
etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
# ok: CG-CORE001
h = hashlib.new("sha256", data)
# HMAC does not rely on collision resistance: HMAC-SHA1 is not broken.
# ok: CG-CORE001
mac = hmac.new(key, msg, digestmod="sha1")
# Content ids, cache keys and fingerprints are not security uses.
# ok: CG-CORE001
doc_id = hashlib.md5(document.page_content.encode()).hexdigest()
# ok: CG-CORE001
ids = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]


def cache_key(prompt, llm_string):
    # ok: CG-CORE001
    return hashlib.md5((prompt + llm_string).encode()).hexdigest()
