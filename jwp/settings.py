"""Settings for jwp, read from the environment.

With nothing set, the product runs on its embedded defaults: SQLite and
Celery's filesystem broker under ``var/``, e-mail printed to the console.
Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, HTTPS and
the e-mail variables (see README and ``deploy/env.example``).
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jwp.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("JWP_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)
HTTPS = env_bool("HTTPS", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 50 or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "SECRET_KEY is too weak: set it to a random string of at least 50 characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
            )
        return key
    if HTTPS:
        raise ImproperlyConfigured(
            "Set SECRET_KEY: a production deployment (HTTPS=true) shares one key between "
            "all web and worker processes."
        )
    # Embedded default: a random key kept under var/, so sessions survive restarts
    # of `make run` without anyone having to invent a secret.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jwp",
    "counties",
    "sectorplans",
    "workplans",
    "monitoring",
    "progress",
    "learning",
    "calendars",
    "notifications",
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jwp.bodylimit.RequestBodyLimitMiddleware",  # before CSRF, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "jwp.inputs.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jwp.account.sessions.SessionLimitsMiddleware",
    "jwp.account.gate.TwoFactorGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "jwp.tenancy.AdminCountyContextMiddleware",
    "jwp.constraints.ConstraintViolationMiddleware",
]

ROOT_URLCONF = "jwp.urls"
WSGI_APPLICATION = "jwp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jwp.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]


def _require_for_production(name: str, example: str) -> None:
    """The embedded defaults are per-machine: a real deployment must name its servers."""
    if HTTPS and not env_str(name):
        raise ImproperlyConfigured(
            f"Set {name} (e.g. {example}): with HTTPS=true jwp runs as a production "
            "deployment and does not fall back to the embedded SQLite/filesystem defaults."
        )


def _database() -> dict:
    _require_for_production("DATABASE_URL", "postgres://jwp_app:PASSWORD@db:5432/jwp")
    url = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jwp.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 60))
    except Exception as exc:
        raise ImproperlyConfigured(
            "DATABASE_URL is not a valid database URL: set it like "
            "postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////path/to/file.sqlite3 "
            f"({exc})."
        ) from exc
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must point to PostgreSQL or SQLite, not {engine or url!r}."
        )
    if engine.endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        # The embedded default has a web server, a worker and beat writing to one
        # file. WAL lets readers run beside a writer; IMMEDIATE transactions take
        # the write lock at BEGIN and wait for it (timeout), instead of failing at
        # once with "database is locked" when two transactions upgrade together.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    config["ATOMIC_REQUESTS"] = True
    config["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "jwp.User"
AUTHENTICATION_BACKENDS = [
    "jwp.auth_backends.ThrottledModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
JWP_INVITATION_DAYS = env_int("JWP_INVITATION_DAYS", 7)
# E-mail limits (L2): invitations per recipient address a day and per sender an hour;
# password-reset requests per client address an hour and e-mails per account an hour.
JWP_INVITATION_EMAILS_PER_ADDRESS = env_int("JWP_INVITATION_EMAILS_PER_ADDRESS", 3)
JWP_INVITATION_EMAILS_PER_SENDER = env_int("JWP_INVITATION_EMAILS_PER_SENDER", 30)
JWP_PASSWORD_RESETS_PER_ADDRESS = env_int("JWP_PASSWORD_RESETS_PER_ADDRESS", 10)
JWP_PASSWORD_RESETS_PER_ACCOUNT = env_int("JWP_PASSWORD_RESETS_PER_ACCOUNT", 3)

# Login throttling (jwp/login_throttle.py): never a lockout. Per client address, this
# many failures per period refuse that address until the period ends; per account,
# after the free failures each attempt waits 2 s, 4 s, 8 s ... (at most the max delay)
# after the last failure, except from a browser that has logged into the account.
JWP_LOGIN_ADDRESS_LIMIT = env_int("JWP_LOGIN_ADDRESS_LIMIT", 30)
JWP_LOGIN_ADDRESS_PERIOD = env_int("JWP_LOGIN_ADDRESS_PERIOD", 15 * 60)
JWP_LOGIN_FREE_FAILURES = env_int("JWP_LOGIN_FREE_FAILURES", 5)
JWP_LOGIN_MAX_DELAY = env_int("JWP_LOGIN_MAX_DELAY", 5 * 60)
JWP_LOGIN_ACCOUNT_MEMORY = 60 * 60  # an account's failures are forgotten after an hour
# Addresses or networks of the reverse proxies whose X-Forwarded-For is believed
# (jwp.ratelimit.client_ip). Empty: the client is REMOTE_ADDR, forwarded headers ignored.
JWP_TRUSTED_PROXIES = env_list("JWP_TRUSTED_PROXIES", [])
# Sessions (jwp/account/sessions.py): idle timeouts, shorter for the secretariat and
# the executive (jwp.roles.PRIVILEGED_ROLES), and an absolute limit from log-in.
JWP_SESSION_IDLE = env_int("JWP_SESSION_IDLE_MINUTES", 120) * 60
JWP_SESSION_IDLE_PRIVILEGED = env_int("JWP_SESSION_IDLE_PRIVILEGED_MINUTES", 30) * 60
JWP_SESSION_ABSOLUTE = env_int("JWP_SESSION_ABSOLUTE_HOURS", 12) * 60 * 60
SESSION_COOKIE_AGE = JWP_SESSION_ABSOLUTE
# Two-factor sign-in (django-otp, TOTP apps and backup codes).
OTP_TOTP_ISSUER = "jwp"
JWP_RATELIMIT_NAMESPACE = ""  # a prefix of the counters' cache keys (tests: one per test)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sw", _("Kiswahili"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Nairobi"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps of the vendored API-docs bundles are large and never needed compressed.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
]

# Security. HTTPS=true is for deployments behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load-balancer probes speak plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Background work. REDIS_URL switches the broker (and cache) to Redis; without
# it Celery uses kombu's filesystem transport under var/ so `make run` needs
# no server.
_require_for_production("REDIS_URL", "redis://redis:6379/0")
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must look like redis://HOST:6379/0 (got {REDIS_URL!r}).")
_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    for sub in ("queue", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# E-mail: printed to the console unless EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jwp <no-reply@jwp.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "jwp.drf.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "jwp.filters.CountyFilterBackend",
        "jwp.filters.DocumentedOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jwp.drf.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jwp API",
    "DESCRIPTION": "Joint Work Planning for Kenyan counties. Every county-owned resource lives "
    "under /api/v1/counties/{county_slug}/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several fields or named alike ("kind", "status") get one name.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "counties.models.Level",
        "MeetingKindEnum": "counties.models.MeetingKind",
        "StructureKindEnum": "counties.models.StructureKind",
        "ActionStatusEnum": "counties.models.ActionStatus",
        "ContributionKindEnum": "workplans.models.ContributionKind",
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Joint monitoring visit photos (learning.photos): larger uploads are refused.
PHOTO_UPLOAD_MAX_BYTES = env_int("PHOTO_UPLOAD_MAX_MB", 8) * 1024 * 1024
# Any request whose Content-Length is larger is refused (413) before it is read
# (jwp.bodylimit); the largest upload is a 20 MB document. Views may ask for less.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_MB", 21) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
