"""A framework's table of defaults, like Django's global_settings.py: no project settings."""

INSTALLED_APPS = []
ALLOWED_HOSTS = []

# Whether the session cookie should be secure (https:// only).
# ok: CG-CORE028
SESSION_COOKIE_SECURE = False
# ok: CG-CORE028
CSRF_COOKIE_SECURE = False
