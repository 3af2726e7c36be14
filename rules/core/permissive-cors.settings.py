"""django-cors-headers settings of a project."""

INSTALLED_APPS = ["corsheaders", "shop"]
# ruleid: CG-CORE030
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True
# ok: CG-CORE030
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
