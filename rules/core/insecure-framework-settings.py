"""Settings of a Django project."""
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ruleid: CG-CORE031
DEBUG = True

# ruleid: CG-CORE031
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "shop",
]
ROOT_URLCONF = "shop.urls"

if os.environ.get("CI"):
    # ok: CG-CORE031
    ALLOWED_HOSTS = ["testserver"]


def local_overrides(settings):
    # ok: CG-CORE031
    DEBUG = True
    # A local inside a function is no setting.
    # ok: CG-CORE031
    ALLOWED_HOSTS = ["*"]
    return settings, ALLOWED_HOSTS


# ok: CG-CORE031
TEMPLATE_DEBUG = True
# ok: CG-CORE031
ALLOWED_HOSTS = ["shop.example.com", ".shop.example.com"]
