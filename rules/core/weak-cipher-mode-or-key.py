from Crypto.Cipher import AES, DES, ARC4
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# ruleid: CG-CORE002
c = DES.new(key, DES.MODE_CBC, iv)
# ruleid: CG-CORE002
c = ARC4.new(key)
# ruleid: CG-CORE002
token = AES.new(key, AES.MODE_ECB).encrypt(data)
# ruleid: CG-CORE002
mode = modes.ECB()
# ruleid: CG-CORE002
priv = rsa.generate_private_key(public_exponent=65537, key_size=1024)

# ok: CG-CORE002
c = AES.new(key, AES.MODE_GCM)
# ok: CG-CORE002
aead = AESGCM(key)
# ok: CG-CORE002
priv = rsa.generate_private_key(public_exponent=65537, key_size=3072)
# ok: CG-CORE002
mode = modes.GCM(iv)

import ssl

import urllib3
from Crypto.PublicKey import DSA, ECC, RSA
from cryptography.hazmat.primitives.asymmetric import dsa, ec

KEY_BITS = 1024

# Short RSA/DSA keys and small curves.
# ruleid: CG-CORE002
priv = rsa.generate_private_key(65537, 2000)
# ruleid: CG-CORE002
priv = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
# ruleid: CG-CORE002
priv = dsa.generate_private_key(key_size=1024)
# ruleid: CG-CORE002
params = dsa.generate_parameters(1024)
# ruleid: CG-CORE002
priv = ec.generate_private_key(ec.SECP192R1())
# ruleid: CG-CORE002
priv = ec.derive_private_key(value, ec.SECT163K1())
# ruleid: CG-CORE002
key = RSA.generate(1024)
# ruleid: CG-CORE002
key = DSA.generate(bits=1024)
# ruleid: CG-CORE002
key = ECC.generate(curve="P-192")

# ok: CG-CORE002
priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
# ok: CG-CORE002
priv = dsa.generate_private_key(key_size=3072)
# ok: CG-CORE002
priv = ec.generate_private_key(ec.SECP256R1())
# ok: CG-CORE002
priv = ec.generate_private_key(ec.SECP384R1())
# ok: CG-CORE002
key = RSA.generate(4096)
# ok: CG-CORE002
key = RSA.generate(bits)
# ok: CG-CORE002
key = ECC.generate(curve="P-256")
# ok: CG-CORE002
key = ECC.generate(curve="ed25519")

# TLS cipher lists that switch weak suites on.
ctx = ssl.create_default_context()
# ruleid: CG-CORE002
ctx.set_ciphers("RC4-SHA:DES-CBC3-SHA")
# ruleid: CG-CORE002
ctx.set_ciphers("ALL:eNULL")
# ruleid: CG-CORE002
ctx.set_ciphers("DEFAULT:EXP-RC4-MD5")
# ruleid: CG-CORE002
ctx.set_ciphers("ADH-AES128-SHA")
# ruleid: CG-CORE002
ctx.set_ciphers("DEFAULT@SECLEVEL=0")
# ruleid: CG-CORE002
openssl_ctx.set_cipher_list(b"HIGH:NULL-SHA256")
# ruleid: CG-CORE002
ctx = urllib3.util.ssl_.create_urllib3_context(ciphers="DES-CBC3-SHA")

# Strong suites, and weak ones only named to exclude them.
# ok: CG-CORE002
ctx.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
# ok: CG-CORE002
ctx.set_ciphers("HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES:!DES:!EXPORT")
# ok: CG-CORE002
ctx.set_ciphers("ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:-LOW")
# ok: CG-CORE002
ctx.set_ciphers(DEFAULT_CIPHERS)
# ok: CG-CORE002
ctx.set_ciphers("DEFAULT@SECLEVEL=2")
