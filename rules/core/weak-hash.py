import hashlib
import hmac
from hashlib import sha1
from cryptography.hazmat.primitives import hashes

# ruleid: CG-CORE001
digest = hashlib.md5(weights).hexdigest()
# ruleid: CG-CORE001
h = sha1(token.encode())
# ruleid: CG-CORE001
h = hashlib.new("md5", data)
# ruleid: CG-CORE001
mac = hmac.new(key, msg, digestmod="sha1")
# ruleid: CG-CORE001
algo = hashes.SHA1()

# ok: CG-CORE001
digest = hashlib.sha256(weights).hexdigest()
# ok: CG-CORE001
etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
# ok: CG-CORE001
h = hashlib.new("sha256", data)
# ok: CG-CORE001
mac = hmac.new(key, msg, digestmod="sha256")
