"""Project settings and views of a small Django/Flask deployment."""
import os

from django.http import JsonResponse
from flask import Flask

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
]
ROOT_URLCONF = "shop.urls"

# ruleid: CG-CORE028
SESSION_COOKIE_SECURE = False
# ruleid: CG-CORE028
CSRF_COOKIE_SECURE = False
# ruleid: CG-CORE028
SESSION_COOKIE_HTTPONLY = False
# ok: CG-CORE028
CSRF_COOKIE_HTTPONLY = False
# ok: CG-CORE028
SESSION_COOKIE_SAMESITE = "Lax"
# ok: CG-CORE028
LANGUAGE_COOKIE_SECURE = os.environ.get("COOKIES_SECURE") == "1"


def login(request, session_id):
    response = JsonResponse({"ok": True})
    # ruleid: CG-CORE028
    response.set_cookie("session", session_id, secure=False)
    # ruleid: CG-CORE028
    response.set_cookie("session", session_id, secure=True, httponly=False)
    # ok: CG-CORE028
    response.set_cookie("session", session_id, secure=True, httponly=True, samesite="Lax")
    # ok: CG-CORE028
    response.set_cookie("theme", "dark", max_age=3600)
    return response


app = Flask(__name__)
# ruleid: CG-CORE028
app.config["SESSION_COOKIE_SECURE"] = False
# ruleid: CG-CORE028
app.config.update(SESSION_COOKIE_HTTPONLY=False, SESSION_COOKIE_SAMESITE="Lax")
# ok: CG-CORE028
app.config["SESSION_COOKIE_SECURE"] = True
# ok: CG-CORE028
app.config.update(SESSION_COOKIE_SECURE=True)
