"""Production settings, extending the base ones."""
import os

from .base import *  # noqa: F403

# ruleid: CG-CORE031
ALLOWED_HOSTS = ("*",)
# ok: CG-CORE031
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
# ok: CG-CORE031
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "shop.example.com").split(",")
