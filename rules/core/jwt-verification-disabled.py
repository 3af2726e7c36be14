import jwt
from jose import jwt as jose_jwt

SECRET = "change-me"


def current_user(token):
    # ruleid: CG-CORE027
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]


def legacy_user(token):
    # ruleid: CG-CORE027
    return jwt.decode(token, SECRET, verify=False)["sub"]


def accept_unsigned(token):
    # ruleid: CG-CORE027
    return jwt.decode(token, SECRET, algorithms=["HS256", "none"])


def jose_user(token):
    # ruleid: CG-CORE027
    return jose_jwt.decode(token, SECRET, options={"verify_signature": False, "verify_aud": False})


NO_CHECK = {"verify_signature": False}
# ruleid: CG-CORE027
payload = jwt.decode(request_token, options=NO_CHECK)

# ok: CG-CORE027
claims = jwt.decode(request_token, SECRET, algorithms=["HS256"])
# ok: CG-CORE027
claims = jwt.decode(request_token, SECRET, algorithms=["HS256"], options={"verify_aud": False})
# ok: CG-CORE027
claims = jwt.decode(request_token, SECRET, algorithms=["RS256"], options={"verify_signature": True})
# ok: CG-CORE027
header = jwt.get_unverified_header(request_token)
# ok: CG-CORE027
claims = jose_jwt.decode(request_token, SECRET, algorithms=["HS256"])


def validate(token, jwks, audience):
    # Read unverified only to name the key and the issuer; the next decode checks them.
    # ok: CG-CORE027
    unverified = jwt.decode(token, options={"verify_signature": False})
    key = jwks.get_signing_key_from_jwt(token)
    return unverified, jwt.decode(token, key.key, algorithms=["RS256"], audience=audience)


def trust_claims(token):
    # ruleid: CG-CORE027
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]
