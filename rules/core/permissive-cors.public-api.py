"""A public API without cookies: every origin may read it, credentials are not allowed."""

# ok: CG-CORE030
CORS_ALLOW_ALL_ORIGINS = True
# ok: CG-CORE030
CORS_ALLOW_CREDENTIALS = False
