"""Settings, all from environment variables (see docs/deploy.md for the full list).

CONSILIUM_ENV selects the profile: ``development`` (the default: DEBUG on, SQLite under var/,
e-mail to the console), ``test`` (set by the test suite) or ``production`` (refuses to start
without a real SECRET_KEY and ALLOWED_HOSTS).
"""

import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Django's classes that the stubs make generic (ModelAdmin[Course], ModelForm[User],
# ModelChoiceField[Institution], Field[...]) accept those subscripts at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONSILIUM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("CONSILIUM_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("CONSILIUM_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")

_INSECURE_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)
# Previous secret keys, still accepted for signatures (sessions, password-reset links) and
# for opening what was encrypted under them; docs/deploy.md, "Key rotation".
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
# A dedicated secret for the certificates' signing keys, so SECRET_KEY can change without
# touching them (certificates/keys.py); empty: SECRET_KEY is used.
CERTIFICATES_KEY = os.environ.get("CERTIFICATES_KEY", "")
CERTIFICATES_KEY_FALLBACKS = env_list("CERTIFICATES_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY == _INSECURE_KEY or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")
    if not os.environ.get("SITE_URL"):
        raise ImproperlyConfigured(
            "SITE_URL must be set in production: links in e-mails are built from it"
        )

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "consilium.core",
    "consilium.accounts",
    "consilium.institutions",
    "consilium.actions",
    "consilium.partnerships",
    "consilium.courses",
    "consilium.certificates",
    "consilium.notifications",
    "consilium.demo",
]

MIDDLEWARE = [
    "consilium.core.middleware.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "consilium.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "consilium.core.middleware.NulQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "consilium.core.middleware.PrivateNoStoreMiddleware",
    "consilium.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "consilium.urls"
WSGI_APPLICATION = "consilium.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "consilium" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consilium.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'consilium.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    if ENVIRONMENT == "test":
        # A file, not Django's shared-cache in-memory database: with shared cache SQLite locks
        # tables and answers "table is locked" at once instead of waiting, so tests of
        # concurrent transactions (several threads, transaction=True) could not run. Nothing
        # is fsynced: the file is thrown away after the run. pytest-xdist adds a per-worker
        # suffix; the process id keeps two runs on one machine apart.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"consilium-test-{os.getpid()}.sqlite3")
        }
        DATABASES["default"]["OPTIONS"]["init_command"] += "PRAGMA synchronous=OFF;"
# A persistent connection is checked before a request reuses it, so a database restart costs
# one reconnection instead of an error on every worker's next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Rate limits, counted in the database (core/throttle.py; docs/deploy.md, "Throttling").
# Failed sign-ins per window of LOGIN_RATE_WINDOW seconds: per account and client address
# pair, per account from any address (distributed guessing) and per client address for any
# accounts (a password spray; high, since a campus may share one address).
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_LIMIT_PER_ACCOUNT = int(os.environ.get("LOGIN_RATE_LIMIT_PER_ACCOUNT", "20"))
LOGIN_RATE_LIMIT_PER_IP = int(os.environ.get("LOGIN_RATE_LIMIT_PER_IP", "100"))
LOGIN_RATE_WINDOW = int(os.environ.get("LOGIN_RATE_WINDOW", "900"))
# Failed sign-ups per client address in LOGIN_RATE_WINDOW (a successful one does not count).
SIGNUP_RATE_LIMIT = int(os.environ.get("SIGNUP_RATE_LIMIT", "20"))
# Password-reset requests per e-mail address and per client address in the window (seconds).
PASSWORD_RESET_RATE_LIMIT = int(os.environ.get("PASSWORD_RESET_RATE_LIMIT", "3"))
PASSWORD_RESET_RATE_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_RATE_LIMIT_PER_IP", "20"))
PASSWORD_RESET_RATE_WINDOW = int(os.environ.get("PASSWORD_RESET_RATE_WINDOW", "3600"))
for _name, _seconds in [
    ("LOGIN_RATE_WINDOW", LOGIN_RATE_WINDOW),
    ("PASSWORD_RESET_RATE_WINDOW", PASSWORD_RESET_RATE_WINDOW),
]:
    if not 0 < _seconds <= 7 * 24 * 3600:  # core.throttle.KEEP: counters are kept a week
        raise ImproperlyConfigured(f"{_name} must be between 1 second and 7 days")
INVITATION_DAYS = 14

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("kk", _("Kazakh")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "consilium_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
FORMAT_MODULE_PATH = ["consilium.formats"]
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru", "uk", "kk")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "ru", "kk", "uk"),
    "kk": ("kk", "ru", "en", "uk"),
    "uk": ("uk", "en", "ru", "kk"),
    "ru": ("ru", "en", "kk", "uk"),
}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "consilium" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Consilium <no-reply@consilium.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# /health/ answers 503 when the oldest queued task has waited longer than this: no worker.
HEALTH_TASK_STALL_SECONDS = int(os.environ.get("HEALTH_TASK_STALL_SECONDS", "600"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASK_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.backend.DatabaseBackend",
        )
    }
}

# With a shared cache (CACHE_URL), sessions are read from it and kept in the database too: a
# signed-in page served from a cache then needs no session query. Never with each worker's own
# memory: a sign-out in one worker would leave the session alive in the others' copies.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL.startswith("redis://")
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
# Headers (docs/deploy.md, "Headers"; docs/security.md). HTTPS everywhere in production: the
# redirect, HSTS for a year with subdomains and preload, cookies only over HTTPS; each can be
# turned off from the environment (SECURE_HSTS_SECONDS=300 for a first deployment, say).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer's health probe comes over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# X-Forwarded-Proto says a request reached the proxy over HTTPS. It is believed only from the
# TRUSTED_PROXIES (core.middleware.ForwardedProtoMiddleware drops it from anyone else).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Video lessons are embedded only from these hosts (and their subdomains); the
# Content-Security-Policy's frame-src lists their players (core.html.video_players).
VIDEO_HOSTS = [
    host.lower().removeprefix("www.")
    for host in env_list("VIDEO_HOSTS", "youtube.com,youtu.be,youtube-nocookie.com,vimeo.com")
]
# Content-Security-Policy of every answer (core.middleware.SecurityHeadersMiddleware): no
# inline script or style anywhere; frame-src is added from VIDEO_HOSTS. Images may come from
# any https address (lesson text may show them) and data: (QR codes, icons in CSS).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Report-Only instead of enforcing, to try a change of policy on a live site first.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# The reverse proxies (IP addresses or networks) whose X-Forwarded-For is believed: a
# request from one of them is from the right-most forwarded address not among them
# (core.http.client_ip). Empty: every request is from REMOTE_ADDR and the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is neither an IP address nor a network"
        ) from None

PAGE_SIZE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if ENVIRONMENT == "test":
    TEMPLATES[0]["DIRS"].append(BASE_DIR / "consilium" / "core" / "tests" / "templates")  # type: ignore[attr-defined]
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
