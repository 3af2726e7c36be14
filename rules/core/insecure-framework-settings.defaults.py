"""A framework's table of defaults (like Django's global_settings.py), not a project's settings."""

INSTALLED_APPS = []
ALLOWED_HOSTS = []
WSGI_APPLICATION = None
# ok: CG-CORE031
DEBUG = True
