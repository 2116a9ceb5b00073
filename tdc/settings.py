"""Settings for TDC Integrations, read once from the environment (and `.env`) by django-environ.

Every variable is documented in `.env.example` and in the settings table of docs/operations.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Values in the environment win over the file. ENV_FILE="" reads none: the test settings do so,
# so that a developer's .env (scripts/run.sh writes one) never changes what the tests see.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if "ENV_FILE" in os.environ and ENV_FILE and not Path(ENV_FILE).is_file():
    raise ImproperlyConfigured(f"ENV_FILE names {ENV_FILE}, which is not a file.")
if ENV_FILE and Path(ENV_FILE).is_file():
    env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment or in .env "
            "(DEBUG is off, so no development key is used). "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "development-only-insecure-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # sign-in lockouts: its admin pages and `axes_reset_*` commands
    "csp",
    "django_q",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "events",
    "integrations",
    "integrations.google_calendar",
    "integrations.facebook",
    "patreon_sync",
    "integrations.notices",  # after the integrations: it tells staff about them
    "sl_api",
    "tdc",  # last: its admin composes the others' admin pieces
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "tdc.urls"
WSGI_APPLICATION = "tdc.wsgi.application"

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
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for an inline <script>/<style>
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default, so a newcomer needs no server; production sets a mysql:// URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    # An empty value (as in .env.example) means the default, like an unset one.
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'tdc.sqlite3'}"
    ),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; NORMAL syncs less per commit.
    # IMMEDIATE: a transaction takes the write lock when it begins, so it waits its turn (up to
    # `timeout` seconds) instead of failing with "database is locked" when it reads, then writes.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    sqlite_options.setdefault("timeout", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # utf8mb4 everywhere: titles carry emoji and Italian accents.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}
    )
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task queue ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-q2: a task is killed after `timeout` and only then may be re-delivered after `retry`
# (timeout < retry, or a slow task runs twice in parallel); attempts are bounded and a worker
# that was down does not replay every missed schedule run when it comes back.
Q_CLUSTER = {
    "name": "tdc",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 1000,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Auth, i18n, time ----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
# django-axes refuses password sign-ins after LOGIN_FAILURE_LIMIT failures for one username from
# one address, for LOGIN_LOCKOUT_MINUTES. Patreon sign-in logs users in without a password, so
# the lockout never applies to it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tdc.login_guard.client_address"
AXES_LOCKOUT_CALLABLE = "tdc.login_guard.locked_out_response"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: "example.org" means https

LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["tdc.formats"]
LANGUAGES = [("en", "English"), ("it", "Italiano")]
# The browser's language (LocaleMiddleware), or the one chosen with the switch (a cookie kept
# for a year); any other language gets English (LANGUAGE_CODE). Catalogue: see docs/architecture.md.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Rome")
USE_I18N = True
USE_TZ = True
SECOND_LIFE_TIME_ZONE = "America/Los_Angeles"  # SLT, the in-world clock
# How far ahead a series creates its dates; the daily task moves the horizon on.
SERIES_HORIZON_WEEKS = max(1, env.int("SERIES_HORIZON_WEEKS", default=8))

STATIC_URL = "static/"
# Empty means the default: an empty path would otherwise be the project folder itself.
STATIC_ROOT = env.str("STATIC_ROOT", default="") or str(BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default="") or str(VAR_DIR / "media")

# --- HTTPS -------------------------------------------------------------------------------------
# Production answers over HTTPS only; development (DEBUG) runs on plain http://127.0.0.1.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# HSTS is sticky in browsers for its whole duration, so it is switched on deliberately.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind nginx, Django sees plain HTTP; the proxy says in this header whether the visitor used
# HTTPS (and appends the visitor's address to X-Forwarded-For). Empty: no proxy is trusted.
_proxy_ssl_header = env.str(
    "SECURE_PROXY_SSL_HEADER", default="" if DEBUG else "X-Forwarded-Proto"
).strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)

# --- Content-Security-Policy (django-csp) --------------------------------------------------------
# Scripts, styles and images only from this site (inline script or style only with this
# response's nonce, `{{ CSP_NONCE }}`); no framing. The API docs page adds data: images for
# Swagger UI's icons (tdc/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Outbound HTTP (integrations/http.py) --------------------------------------------------------
INTEGRATION_HTTP_TIMEOUT = env.float("INTEGRATION_HTTP_TIMEOUT", default=10.0)
INTEGRATION_HTTP_ATTEMPTS = env.int("INTEGRATION_HTTP_ATTEMPTS", default=3)
INTEGRATION_HTTP_BACKOFF = env.float("INTEGRATION_HTTP_BACKOFF", default=1.0)
INTEGRATION_HTTP_MAX_WAIT = env.float("INTEGRATION_HTTP_MAX_WAIT", default=30.0)
INTEGRATION_LOG_RETENTION_DAYS = env.int("INTEGRATION_LOG_RETENTION_DAYS", default=30)

# --- Google Calendar -----------------------------------------------------------------------------
GOOGLE_CALENDAR_CREDENTIALS_PATH = env.str("GOOGLE_CALENDAR_CREDENTIALS_PATH", default="")
GOOGLE_CALENDAR_INTERNAL_ID = env.str("GOOGLE_CALENDAR_INTERNAL_ID", default="")
GOOGLE_CALENDAR_PUBLIC_ID = env.str("GOOGLE_CALENDAR_PUBLIC_ID", default="")
GOOGLE_CALENDAR_API_ENDPOINT = env.str("GOOGLE_CALENDAR_API_ENDPOINT", default="")

# --- Facebook ------------------------------------------------------------------------------------
FACEBOOK_PAGE_ACCESS_TOKEN = env.str("FACEBOOK_PAGE_ACCESS_TOKEN", default="")
FACEBOOK_PAGE_ID = env.str("FACEBOOK_PAGE_ID", default="")
FACEBOOK_GROUP_ID = env.str("FACEBOOK_GROUP_ID", default="")
FACEBOOK_APP_ID = env.str("FACEBOOK_APP_ID", default="")
FACEBOOK_APP_SECRET = env.str("FACEBOOK_APP_SECRET", default="")
FACEBOOK_GRAPH_VERSION = env.str("FACEBOOK_GRAPH_VERSION", default="v26.0")
FACEBOOK_GRAPH_URL = env.str("FACEBOOK_GRAPH_URL", default="https://graph.facebook.com").rstrip("/")
# A scheduled Page post found later than this after its moment (the worker was down) is missed.
FACEBOOK_SCHEDULE_GRACE_MINUTES = env.int("FACEBOOK_SCHEDULE_GRACE_MINUTES", default=60)

# --- Patreon -------------------------------------------------------------------------------------
PATREON_CLIENT_ID = env.str("PATREON_CLIENT_ID", default="")
PATREON_CLIENT_SECRET = env.str("PATREON_CLIENT_SECRET", default="")
PATREON_CREATOR_ACCESS_TOKEN = env.str("PATREON_CREATOR_ACCESS_TOKEN", default="")
PATREON_CREATOR_REFRESH_TOKEN = env.str("PATREON_CREATOR_REFRESH_TOKEN", default="")
PATREON_WEBHOOK_SECRET = env.str("PATREON_WEBHOOK_SECRET", default="")
PATREON_CAMPAIGN_ID = env.str("PATREON_CAMPAIGN_ID", default="")
PATREON_API_URL = env.str("PATREON_API_URL", default="https://www.patreon.com").rstrip("/")
PATREON_DECLINE_GRACE_DAYS = env.int("PATREON_DECLINE_GRACE_DAYS", default=7)
# Supporters' downloads: served only by a gated view, so never inside MEDIA_ROOT/STATIC_ROOT.
# (An empty value means the default, not the working directory.)
EXCLUSIVE_FILES_ROOT = env.str("EXCLUSIVE_FILES_ROOT", default="") or str(VAR_DIR / "exclusive")

# --- Staff notices (integrations/notices) --------------------------------------------------------
# Mail for the notices, as a URL: consolemail:// (default: printed by the process that sends,
# usually the task worker), filemail:////var/tdc/mail (four slashes: an absolute folder),
# smtp+tls://USER:PASSWORD@HOST:587, smtp+ssl://USER:PASSWORD@HOST:465.
_email = {
    key: value
    for key, value in env.email_url("EMAIL_URL", default="consolemail://").items()
    if value is not None
}
if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend") and not _email["EMAIL_FILE_PATH"]:
    _email["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TDC Integrations <webmaster@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A Discord-compatible incoming webhook (JSON {"content": ...}); a secret: anyone with it posts.
STAFF_CHAT_WEBHOOK_URL = env.str("STAFF_CHAT_WEBHOOK_URL", default="")
STAFF_CHAT_LANGUAGE = env.str("STAFF_CHAT_LANGUAGE", default="it")
# At most one notice per integration in this many minutes: a flapping service is summarised.
STAFF_NOTICE_INTERVAL_MINUTES = max(0, env.int("STAFF_NOTICE_INTERVAL_MINUTES", default=60))
# The daily digest goes out at this hour of the venue's zone (TIME_ZONE), if anything is wrong.
STAFF_DIGEST_HOUR = min(23, max(0, env.int("STAFF_DIGEST_HOUR", default=9)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
