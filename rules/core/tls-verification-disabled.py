import ssl
import httpx
import requests
from openai import OpenAI

# ruleid: CG-CORE005
r = requests.get(url, verify=False)
# ruleid: CG-CORE005
client = OpenAI(http_client=httpx.Client(verify=False))
session = requests.Session()
# ruleid: CG-CORE005
r = session.post(url, json=payload, verify=False)
ctx = ssl.create_default_context()
# ruleid: CG-CORE005
ctx.check_hostname = False
# ruleid: CG-CORE005
ctx.verify_mode = ssl.CERT_NONE
# ruleid: CG-CORE005
ctx = ssl._create_unverified_context()
# ruleid: CG-CORE005
session.verify = False

# ok: CG-CORE005
r = requests.get(url, verify="/etc/ssl/corp-ca.pem")
# ok: CG-CORE005
r = requests.get(url, timeout=10)
# ok: CG-CORE005
ctx.check_hostname = True
# ok: CG-CORE005
result = validator.check(data, verify=False)

# `ssl.wrap_socket` verifies nothing unless told to.
# ruleid: CG-CORE005
tls = ssl.wrap_socket(sock)
# ruleid: CG-CORE005
tls = ssl.wrap_socket(sock, ca_certs="ca.pem", cert_reqs=ssl.CERT_NONE)
# ok: CG-CORE005
tls = ssl.wrap_socket(sock, ca_certs="ca.pem", cert_reqs=ssl.CERT_REQUIRED)
# ok: CG-CORE005
tls = ssl.wrap_socket(conn, keyfile="k.pem", certfile="c.pem", server_side=True)
# ok: CG-CORE005
tls = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
