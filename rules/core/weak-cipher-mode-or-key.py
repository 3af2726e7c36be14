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
