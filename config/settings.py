"""Settings for kechuang, read from typed environment variables.

SQLite is the default so a newcomer needs nothing but `make run`; set DATABASE_URL for PostgreSQL.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.conf import locale as django_locale
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env_str(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env_str(name, str(default)))


DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules
DATA_DIR = Path(env_str("KECHUANG_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def local_secret_key(path: Path) -> str:
    """A random key made once for this machine's development data directory (never used in production)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


# No built-in key: production sets SECRET_KEY (or SECRET_KEY_FILE); development (DEBUG=1, the Makefile's targets
# with KECHUANG_DEV_KEY=1) and the test suite make a random key once in the data directory.
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING or env_bool("KECHUANG_DEV_KEY", False)):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs its own long random key: set SECRET_KEY or SECRET_KEY_FILE "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(64))' > /run/secrets/kechuang_key`). "
            "For local development run with DEBUG=1 or KECHUANG_DEV_KEY=1 (a random key kept in the data directory)."
        )
    SECRET_KEY = local_secret_key(DATA_DIR / "dev-secret-key")
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "kechuang.accounts",
    "kechuang.audit",
    "kechuang.jobs",
    "kechuang.registry",
    "kechuang.web",
    "kechuang.policy",
    "kechuang.techmarket",
    "kechuang.events",
    "kechuang.pledge",
    "kechuang.review",
    "kechuang.awards",
    "kechuang.projects",
    "kechuang.kpi",
    "kechuang.talent",
    "kechuang.platforms",
    "kechuang.fieldwork",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kechuang.web.middleware.SecurityHeadersMiddleware",
    "kechuang.web.middleware.BoundedPathIdsMiddleware",
    "kechuang.web.throttle.AnonymousPostThrottleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kechuang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kechuang.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    db_name = DATABASES["default"].get("NAME") or "kechuang"
    DATABASES["default"]["TEST"] = {"NAME": f"test_{db_name}"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "kechuang.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every login (the site's and the admin's) passes django-axes first: failures counted per normalised username and
# per client address; the address comes from X-Forwarded-For only when the request comes from a trusted proxy.
AUTHENTICATION_BACKENDS = [
    "kechuang.accounts.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_THROTTLE_MAX_FAILURES = env_int("LOGIN_THROTTLE_MAX_FAILURES", 5)
LOGIN_THROTTLE_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_THROTTLE_MAX_FAILURES_PER_ADDRESS", 20)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 900)
KECHUANG_TRUSTED_PROXIES = [
    p.strip() for p in env_str("KECHUANG_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# Anonymous POSTs (公示 objections, registration, the API's public objection) per client address, the address
# taken as for the login throttle (kechuang/web/throttle.py).
KECHUANG_ANON_POST_LIMIT = env_int("KECHUANG_ANON_POST_LIMIT", 30)
KECHUANG_ANON_POST_WINDOW_SECONDS = env_int("KECHUANG_ANON_POST_WINDOW_SECONDS", 900)
AXES_HANDLER = "kechuang.accounts.throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the handler relies on this order
AXES_FAILURE_LIMIT = "kechuang.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "kechuang.accounts.throttle.cool_off"
AXES_USERNAME_CALLABLE = "kechuang.accounts.throttle.normalised_username"
AXES_CLIENT_IP_CALLABLE = "kechuang.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "kechuang.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Officials' sessions are short; everyone else's last SESSION_COOKIE_AGE (default two weeks).
KECHUANG_OFFICIAL_SESSION_SECONDS = env_int("KECHUANG_OFFICIAL_SESSION_SECONDS", 2 * 3600)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
# API tokens expire: issued for KECHUANG_API_TOKEN_DAYS days unless the issuer chooses fewer (at most a year).
KECHUANG_API_TOKEN_DAYS = env_int("KECHUANG_API_TOKEN_DAYS", 90)

# Languages: Chinese first, then English and the ASEAN languages.
django_locale.LANG_INFO.update(
    {
        "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
        "lo": {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ພາສາລາວ"},
    }
)
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("简体中文")),
    ("en", _("English")),
    ("vi", _("Tiếng Việt")),
    ("th", _("ภาษาไทย")),
    ("id", _("Bahasa Indonesia")),
    ("ms", _("Bahasa Melayu")),
    ("fil", _("Filipino")),
    ("km", _("ភាសាខ្មែរ")),
    ("lo", _("ພາສາລາວ")),
    ("my", _("မြန်မာဘာသာ")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "kechuang" / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("KECHUANG_MANIFEST_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Uploads: large spreadsheets are streamed to disk, never held in memory.
KECHUANG_MAX_UPLOAD_BYTES = env_int("KECHUANG_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Spreadsheets are measured before they are parsed; past any of these limits an upload is refused with a message.
KECHUANG_SPREADSHEET_MAX_ROWS = env_int("KECHUANG_SPREADSHEET_MAX_ROWS", 200_000)
KECHUANG_SPREADSHEET_MAX_COLUMNS = env_int("KECHUANG_SPREADSHEET_MAX_COLUMNS", 100)
KECHUANG_SPREADSHEET_MAX_CELLS = env_int("KECHUANG_SPREADSHEET_MAX_CELLS", 3_000_000)
KECHUANG_SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env_int(
    "KECHUANG_SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 300 * 1024 * 1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers; production sets KECHUANG_HTTPS=1 behind its TLS-terminating proxy.
HTTPS = env_bool("KECHUANG_HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("KECHUANG_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs: the database-backed queue runs them in `manage.py run_jobs`.
KECHUANG_JOBS_POLL_SECONDS = float(env_str("KECHUANG_JOBS_POLL_SECONDS", "1.0"))
# A running job's lease; the worker's heartbeat renews it every quarter of it. A job whose lease expired (its
# worker died) is retried, up to its max_attempts, or failed.
KECHUANG_JOBS_LEASE_SECONDS = float(env_str("KECHUANG_JOBS_LEASE_SECONDS", "60"))
# KPI figures shown on a page are never older than this; a worker refreshes them at half this age.
KECHUANG_KPI_MAX_AGE_SECONDS = env_int("KECHUANG_KPI_MAX_AGE_SECONDS", 15 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
