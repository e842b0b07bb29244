"""Settings for `make bench`: production-like (no DEBUG, no query logging), its own database, no throttling."""

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING, REST_FRAMEWORK, STORAGES, VAR_DIR

DEBUG = False
SECRET_KEY = "bench-only-not-secret-binplp-5b0e8d1c3a7f4e2b9d6c"  # noqa: S105 - never used outside the benchmark
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No throttling: the load test sends thousands of anonymous finder requests a second from one address, which the
# finder's production limit (60 a minute) would refuse. Production settings keep it.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
ROOT_URLCONF = "bench.urls"  # the site's URLs plus a trivial API view (the HTTP baseline)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STORAGES["default"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": VAR_DIR / "bench-media"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "email"]}}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
