import ssl

from OpenSSL import SSL

# ruleid: CG-CORE017
context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
# ruleid: CG-CORE017
legacy = ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)
# ruleid: CG-CORE017
old = SSL.Context(SSL.TLSv1_METHOD)
modern = ssl.create_default_context()
# ruleid: CG-CORE017
modern.minimum_version = ssl.TLSVersion.TLSv1_1

# ok: CG-CORE017
modern.minimum_version = ssl.TLSVersion.TLSv1_2
# ok: CG-CORE017
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
# ok: CG-CORE017
client = SSL.Context(SSL.TLS_METHOD)
