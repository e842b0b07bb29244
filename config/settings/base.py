"""Settings shared by every environment. Values that differ per machine come from the environment."""

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xleaflet
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("BINPLP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Open data: member counts below this are suppressed (issue 6; dashboard/opendata_selectors.py).
BINPLP_OPEN_DATA_MIN_COUNT = int(os.environ.get("BINPLP_OPEN_DATA_MIN_COUNT", "10"))

# Shown in the banner and allows the seeded demo accounts to skip MFA. Production forces it off.
BINPLP_DEMO_MODE = env_bool("BINPLP_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "core",
    "geography",
    "accounts",
    "networks",
    "members",
    "practices",
    "messaging",
    "training",
    "committee",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'binplp.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions and cache live in the database by default so several web processes share them (DESIGN §6).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "binplp_cache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Languages -------------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
]
LANGUAGE_COOKIE_NAME = "binplp_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet comes from the XStatic-Leaflet package (no CDN, no npm): served under /static/leaflet/.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xleaflet.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- E-mail ----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "binplp <no-reply@binplp.be>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mails sent by the worker, which has no request to build them from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Background work -------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email"],
    }
}

# --- Authentication (allauth) ----------------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# allauth owns lockout: after 5 failed logins for one account (or 20 from one address) in 15 minutes
# further attempts are refused with a translated message. django-axes is not installed on purpose.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/15m/ip,5/15m/key",
    "login": "60/m/ip",
    "reset_password": "20/m/ip,5/m/key",  # nosec B105  # allauth rate-limit spec, not a password
    "reset_password_from_key": "20/m/ip",  # nosec B105  # allauth rate-limit spec, not a password
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "binplp"
MFA_RECOVERY_CODE_COUNT = 10

INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))

# --- API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api_auth.MFAEnrolledTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min", "finder": "60/min"},
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "binplp API",
    "DESCRIPTION": (
        "Register of Belgium's neighbourhood information networks (BIN / PLP) and its reference data. "
        "Authenticate with a token (`Authorization: Token …`) or a browser session. Messages come in the language "
        "of the Accept-Language header (nl, fr, de or en; Dutch otherwise)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "NetworkKindEnum": "networks.choices.NetworkKind",
        "NetworkStatusEnum": "networks.choices.NetworkStatus",
        "CharterStatusEnum": "networks.choices.CharterStatus",
        "LetterLanguageEnum": "networks.choices.LetterLanguage",
        "LanguageEnum": LANGUAGES,
        "ReportStatusEnum": "messaging.choices.ReportStatus",
        "AnnualReportStatusEnum": "dashboard.models.AnnualReportStatus",
    },
}

# --- Security headers ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Map tiles: OpenStreetMap in real use; empty in tests, which draw boundaries on a blank layer.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)


def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *_tile_origin(MAP_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# BINPLP_LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request id) for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("BINPLP_LOG_FORMAT", "plain") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of every PDF at INFO; only its warnings matter in the logs.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# /healthz answers 503 "degraded" when the oldest ready task or due delivery waited longer than this (seconds).
BINPLP_HEALTH_MAX_QUEUE_AGE = int(os.environ.get("BINPLP_HEALTH_MAX_QUEUE_AGE", "300"))

# Members (issue 4). Each can be set from the environment.
# Days after which declined, withdrawn and never-confirmed join requests (and their personal data) are purged.
BINPLP_JOIN_REQUEST_RETENTION_DAYS = int(os.environ.get("BINPLP_JOIN_REQUEST_RETENTION_DAYS", "30"))
# Hours a join confirmation link stays valid.
BINPLP_JOIN_CONFIRMATION_HOURS = int(os.environ.get("BINPLP_JOIN_CONFIRMATION_HOURS", "48"))
# Minutes an e-mailed sign-in link to the member portal stays valid (it works once).
BINPLP_MAGIC_LINK_MINUTES = int(os.environ.get("BINPLP_MAGIC_LINK_MINUTES", "20"))
# Join form submissions allowed per client address per hour (spam protection; the answer never tells more).
BINPLP_JOIN_RATE_PER_HOUR = int(os.environ.get("BINPLP_JOIN_RATE_PER_HOUR", "10"))
# Reports to the police one member may send in an hour (messaging/views_portal.py; more answer 429).
BINPLP_REPORT_RATE_PER_HOUR = int(os.environ.get("BINPLP_REPORT_RATE_PER_HOUR", "10"))

# Messaging (issue 5). Each can be set from the environment.
# SMS gateway: Kannel's smsbox (sendsms). Without a URL no SMS leaves: SMS deliveries fail and fall back to e-mail.
BINPLP_SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
BINPLP_SMS_GATEWAY_USERNAME = os.environ.get("SMS_GATEWAY_USERNAME", "")
BINPLP_SMS_GATEWAY_PASSWORD = os.environ.get("SMS_GATEWAY_PASSWORD", "")
BINPLP_SMS_SENDER = os.environ.get("SMS_SENDER", "BIN-PLP")
# Where Kannel posts delivery reports (defaults to SITE_URL); the path carries a signature.
BINPLP_SMS_CALLBACK_BASE_URL = os.environ.get("SMS_CALLBACK_BASE_URL", "")
BINPLP_SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS", "10"))
# Requests in flight to the SMS gateway per worker (each waits for the gateway's acknowledgement).
BINPLP_SMS_CONCURRENCY = int(os.environ.get("SMS_CONCURRENCY", "16"))
# Hand-over rate limits per worker process (messages a second; 0 = no limit).
BINPLP_SMS_RATE_PER_SECOND = float(os.environ.get("SMS_RATE_PER_SECOND", "0"))
BINPLP_EMAIL_RATE_PER_SECOND = float(os.environ.get("EMAIL_RATE_PER_SECOND", "0"))
# Price of one SMS segment in euro, for the estimate shown before sending.
BINPLP_SMS_COST_PER_SEGMENT = os.environ.get("SMS_COST_PER_SEGMENT", "0.07")
BINPLP_SMS_MAX_SEGMENTS = int(os.environ.get("SMS_MAX_SEGMENTS", "3"))
# Outbox: deliveries claimed per batch, how long a claim holds before another worker may take over the rows of a
# worker that died, attempts before a delivery fails for good, and dispatch tasks queued per channel after a send.
BINPLP_OUTBOX_BATCH = int(os.environ.get("OUTBOX_BATCH", "200"))
BINPLP_OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "120"))
BINPLP_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))
BINPLP_OUTBOX_PARALLEL = int(os.environ.get("OUTBOX_PARALLEL", "2"))
# Days a member's rating, reply and unsubscribe links stay valid.
BINPLP_MESSAGE_LINK_DAYS = int(os.environ.get("BINPLP_MESSAGE_LINK_DAYS", "60"))
# Hours the police have to send feedback after an urgent alert when the charter does not say, and between reminders.
BINPLP_FEEDBACK_DUE_HOURS = int(os.environ.get("BINPLP_FEEDBACK_DUE_HOURS", "24"))
BINPLP_FEEDBACK_REMINDER_HOURS = int(os.environ.get("BINPLP_FEEDBACK_REMINDER_HOURS", "12"))
# Above this many non-urgent messages in 7 days to one network, the sender is warned (overload drives members away).
BINPLP_WEEKLY_MESSAGE_WARNING = int(os.environ.get("BINPLP_WEEKLY_MESSAGE_WARNING", "3"))

# --- Training (the BIN course) ---------------------------------------------------------------------------------------
# Validity of the personal link in every e-mail to a participant (their sessions, certificates and evaluation form).
BINPLP_TRAINING_LINK_DAYS = int(os.environ.get("BINPLP_TRAINING_LINK_DAYS", "365"))
# Validity of the confirmation link of a participant's own request to enrol.
BINPLP_TRAINING_REQUEST_HOURS = int(os.environ.get("BINPLP_TRAINING_REQUEST_HOURS", "48"))
# Requests to enrol per client address per hour (the public form).
BINPLP_TRAINING_REQUEST_RATE_PER_HOUR = int(os.environ.get("BINPLP_TRAINING_REQUEST_RATE_PER_HOUR", "10"))
# Public certificate verifications per client address per hour.
BINPLP_TRAINING_VERIFY_RATE_PER_HOUR = int(os.environ.get("BINPLP_TRAINING_VERIFY_RATE_PER_HOUR", "30"))
# Days before a session when participants get a reminder.
BINPLP_TRAINING_REMINDER_DAYS = int(os.environ.get("BINPLP_TRAINING_REMINDER_DAYS", "3"))
# Largest course material file.
BINPLP_TRAINING_MATERIAL_MAX_MB = int(os.environ.get("BINPLP_TRAINING_MATERIAL_MAX_MB", "20"))
