"""Newsroom settings: everything comes from the environment.

Development defaults (an insecure key, local hosts, console mail) apply only when DEBUG is on;
with DEBUG off, a missing SECRET_KEY stops start-up instead of running with a guessable one.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG")
TESTING = env_bool("NEWSROOM_TESTING")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for development).")
    SECRET_KEY = "insecure-dev-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
if DEBUG or TESTING:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "axes",
    "accounts",
    "articles",
    "comments",
    "moderation",
    "profiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.NewsroomCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx
    "comments.middleware.TreeBusyMiddleware",
    # Last, so that a locked-out login is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.moderation",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL (psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # On, every request that touches the database first sends it a `SELECT 1`: one more
        # round trip each, to spare the first request after a database restart its 503 "please
        # try again" (comments.middleware). Off by default, as in Django, and behind PgBouncer
        # (whose client connections outlive server restarts) it is not needed.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with psycopg's C loader for timestamptz columns, and prepared statements
    # for the hot one-row reads (see its docstring): an anonymous page's thread version, the
    # signed-in user and session, a reply's parent, each parsed and planned once per connection.
    DATABASES["default"]["ENGINE"] = "newsroom.postgresql"
    # Django's own cursors bind client-side and never prepare, whatever the threshold. Behind
    # PgBouncer older than 1.21, or with its max_prepared_statements = 0, set
    # DATABASE_PREPARED_STATEMENTS=off.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so tree writes are serialized on SQLite too.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Django's cache framework: local memory by default, Redis (shared by every app server) with
# REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A Redis outage degrades to the database instead of answering 500.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Signed-in requests read the session from the shared cache instead of the database (writes go to
# both). Only with Redis: a per-process cache would keep a logged-out session alive elsewhere.
# Without it, Django's database engine with its read compiled once (accounts/sessions.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "accounts.sessions"
# Each app server's own copy of the anonymous thread pages it serves most (comments.thread_cache):
# their keys carry the thread version, so a local copy is never stale, and a hit costs no trip
# to Redis. Bounded: at most MAX_ENTRIES pages (mostly gzip-compressed, ~100 KB each).
# Rate limits must hold across every worker and server: a per-process cache would give each
# worker its own count. With Redis they share it; without, they share the database (a table
# made by `migrate`, see accounts/migrations), whose increments are atomic (newsroom.cache).
CACHES["ratelimits"] = (
    {**CACHES["default"], "KEY_PREFIX": "rl"}
    if REDIS_URL
    else {"BACKEND": "newsroom.cache.AtomicDatabaseCache", "LOCATION": "newsroom_cache"}
)
CACHES["local_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "local-pages",
    "TIMEOUT": 60,
    "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_PAGE_CACHE_ENTRIES", 200)},
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserBackend",  # ModelBackend, reading the moderator role with the user
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock an account+address pair after 10 failures, for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# A lockout answers 429 with Retry-After and the sign-in form still filled in (accounts.views).
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Readers sign in with their e-mail address or their username: failures count against the
# account, however it was named (any case of the address), not against each spelling.
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, usually on port 587
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # implicit TLS, usually on port 465
    # Sign-up confirmations and password resets that go nowhere while the page says they were
    # sent (nobody could finish signing up): refuse to start.
    if not TESTING and EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "dummy"}:
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND={EMAIL_BACKEND} delivers no mail; sign-up confirmations and "
            "password resets would go nowhere. "
            "Set an SMTP backend (EMAIL_BACKEND, EMAIL_HOST) or DEBUG=1 for development."
        )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# Mail is sent after the sign-up's transaction commits, still within the request: a relay that
# does not answer must not hold a worker for long (the failure is logged; the page is the same).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Security headers. Production (DEBUG off) gets HTTPS-only cookies and HSTS; development over
# plain http keeps them off so that `make run` works on 127.0.0.1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
SECURE_HSTS_SECONDS = 0 if (DEBUG or TESTING) else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front append to X-Forwarded-For: the client's address (for rate
# limits and login throttling) is then read from that header (newsroom.clientip). 0: REMOTE_ADDR.
NEWSROOM_TRUSTED_PROXY_COUNT = env_int("NEWSROOM_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "newsroom.clientip.client_address"

# Content-Security-Policy (django-csp): no inline script anywhere; scripts come from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The largest form Newsroom accepts is a comment of MAX_BODY_CHARS characters: 10,000 four-byte
# characters percent-encoded are 120 KB. Anything bigger is refused (400) before Django parses
# it, so an oversized body costs no parsing, detection or database work.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "newsroom.security": {"handlers": ["console"], "level": "WARNING"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        # Unhandled errors (500s) with their tracebacks, on stderr, DEBUG or not: Django's
        # default sends them only to the console with DEBUG on, and to mail_admins.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "newsroom.errors": {"handlers": ["console"], "level": "WARNING"},
    },
}

# --- Newsroom's own rules -------------------------------------------------------------------
# What a deleted account's comments show (profiles.services.account_delete): "keep" their text
# under "[deleted user]"; "hide" it ("[deleted]" to readers, the text kept for moderators);
# "scrub" it from the database too.
DELETED_ACCOUNT_COMMENTS_CHOICES = ("keep", "hide", "scrub")
_deleted_account_comments = (
    os.environ.get("NEWSROOM_DELETED_ACCOUNT_COMMENTS", "hide").strip().lower() or "hide"
)
if _deleted_account_comments not in DELETED_ACCOUNT_COMMENTS_CHOICES:
    raise ImproperlyConfigured(
        f"NEWSROOM_DELETED_ACCOUNT_COMMENTS={_deleted_account_comments!r}: "
        f"choose one of {', '.join(DELETED_ACCOUNT_COMMENTS_CHOICES)}."
    )

NEWSROOM: dict[str, Any] = {
    "EDIT_WINDOW_MINUTES": env_int("NEWSROOM_EDIT_WINDOW_MINUTES", 15),
    "MAX_BODY_CHARS": 10_000,
    "TOP_LEVEL_PAGE_SIZE": 20,
    "MAX_RENDER_DEPTH": 6,
    "AUTO_HIDE_FLAGS": env_int("NEWSROOM_AUTO_HIDE_FLAGS", 3),
    # Toward AUTO_HIDE_FLAGS, a report from an account younger than FLAG_MIN_ACCOUNT_HOURS
    # counts for nothing; from one younger than FLAG_FULL_WEIGHT_DAYS without a published
    # comment, half (moderation.policy.flag_weights).
    "FLAG_MIN_ACCOUNT_HOURS": env_int("NEWSROOM_FLAG_MIN_ACCOUNT_HOURS", 24),
    "FLAG_FULL_WEIGHT_DAYS": env_int("NEWSROOM_FLAG_FULL_WEIGHT_DAYS", 7),
    # How long a sign-up's confirmation link works.
    "CONFIRMATION_LINK_DAYS": env_int("NEWSROOM_CONFIRMATION_LINK_DAYS", 3),
    "PREMODERATE_FIRST_N": env_int("NEWSROOM_PREMODERATE_FIRST_N", 0),
    "TREE_LOCK_TIMEOUT_MS": env_int("NEWSROOM_TREE_LOCK_TIMEOUT_MS", 3000),
    "QUEUE_PAGE_SIZE": 25,
    # The one positive reaction a reader can give a comment, and the thread sort by it.
    "REACTION_LABEL": os.environ.get("NEWSROOM_REACTION_LABEL", "").strip() or "Respect",
    "REACTION_SORT_LABEL": os.environ.get("NEWSROOM_REACTION_SORT_LABEL", "").strip(),
    "DELETED_ACCOUNT_COMMENTS": _deleted_account_comments,
    "PROFILE_PAGE_SIZE": 20,
    # Live updates: how often an open thread page asks whether there are new comments (its
    # script waits up to six times as long while nothing changes or the tab is hidden); 0: off.
    "UPDATES_POLL_SECONDS": env_int("NEWSROOM_UPDATES_POLL_SECONDS", 10),
    # Backed by the shared cache. Off under NEWSROOM_TESTING unless a test turns them on.
    "RATE_LIMITS": {
        "ENABLED": env_bool("NEWSROOM_RATE_LIMITS", not TESTING),
        "COMMENT_SECONDS": env_int("NEWSROOM_COMMENT_SECONDS", 5),
        "NEW_ACCOUNT_COMMENT_SECONDS": 30,
        "DUPLICATE_SECONDS": 300,
        "FLAGS_PER_DAY": 20,
        "EDITS_PER_HOUR": 20,
        "REACTIONS_PER_MINUTE": env_int("NEWSROOM_REACTIONS_PER_MINUTE", 30),
        "SIGNUPS_PER_ADDRESS_PER_HOUR": 5,
        "CONFIRMATION_RESENDS_PER_ADDRESS_PER_HOUR": 5,
        # Sign-up and resend mails to one mailbox; past it they are dropped (the page is the same).
        "ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR": 5,
    },
}
