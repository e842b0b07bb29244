"""Settings for the test suite: same database choice (DATABASE_URL), fast hashing, tasks run in-process."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-binplp-7a1e4c0b9d2f4e6a8c3b"  # nosec B105  # test settings only; prod reads SECRET_KEY from the environment
BINPLP_DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run when enqueued, after the transaction commits, so tests see their effect deterministically.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "email"]}}
# E-mail goes through Django's real SMTP backend to the test suite's own SMTP server (core/testing/smtp.py).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("BINPLP_TEST_SMTP_PORT", "2525"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MAP_TILE_URL = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
WHITENOISE_USE_FINDERS = True
BINPLP_DEMO_NETWORKS_SCALE = 0.02
