import hmac
import logging.config
from logging import config as logconfig

KEY = b"rotate-me"


def check_signature(data):
    signature, payload = data[:32], data[32:]
    expected = hmac.new(KEY, payload, "sha256").digest()
    return payload if hmac.compare_digest(signature, expected) else None


# ruleid: CG-CORE032
server = logging.config.listen(9999)
# ruleid: CG-CORE032
other = logconfig.listen(port=9030)
# ruleid: CG-CORE032
unchecked = logging.config.listen(9031, verify=None)

# ok: CG-CORE032
checked = logging.config.listen(9999, verify=check_signature)
# ok: CG-CORE032
positional = logconfig.listen(9032, check_signature)
# ok: CG-CORE032
logging.config.dictConfig({"version": 1})
# ok: CG-CORE032
logging.config.stopListening()
