"""Developer and demo settings: `make demo` runs with these."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-binplp-0c9f2d7e51a84b3f9e6d"
BINPLP_DEMO_MODE = env_bool("BINPLP_DEMO_MODE", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
