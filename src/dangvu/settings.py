"""Settings, read once from the environment.

DANGVU_ENV=production fails closed: it refuses to start without DANGVU_SECRET_KEY,
DANGVU_ALLOWED_HOSTS and DATABASE_URL. Anything else runs with safe local defaults on an
SQLite file under DANGVU_DATA_DIR (default: ./data).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("DANGVU_ENV", "development")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("DANGVU_DATA_DIR", Path.cwd() / "data")).resolve()


def _require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DANGVU_ENV=production")
    return value


def _local_secret_key() -> str:
    """A per-installation key kept in the data folder, so sessions survive restarts."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if PRODUCTION:
    SECRET_KEY = _require("DANGVU_SECRET_KEY")
    ALLOWED_HOSTS = _require("DANGVU_ALLOWED_HOSTS").split(",")
    DATABASE_URL = _require("DATABASE_URL")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("DANGVU_SECRET_KEY") or _local_secret_key()
    ALLOWED_HOSTS = os.environ.get("DANGVU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    DEBUG = os.environ.get("DANGVU_DEBUG", "") == "1"

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "dangvu.sqlite3",
            "OPTIONS": {
                # WAL lets readers and the single writer work side by side.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # a file, not memory, so that tests with several connections lock as production does
            "TEST": {"NAME": str(DATA_DIR / "test-dangvu.sqlite3")},
        }
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dangvu.core",
    "dangvu.access",
    "dangvu.organizations",
    "dangvu.members",
    "dangvu.planning",
    "dangvu.reports",
    "dangvu.exchange",
    "dangvu.quality",
    "dangvu.synth",
    "dangvu.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangvu.web.language.ChosenLanguageMiddleware",  # the footer switch, not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangvu.web.context_processors.layout",
            ],
        },
    },
]

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
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end code from the npm registry (htmx), copied here by scripts/install, never committed.
STATICFILES_DIRS = [("vendor", BASE_DIR / "web" / "vendor")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = os.environ.get("DANGVU_HTTPS", "1") == "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGVU_LOG_LEVEL", "WARNING")},
}

# Reports: the day named periods stop at (ngày chốt số liệu; None: the calendar) and the place
# printed beside the date of documents.
_cutoff = os.environ.get("DANGVU_PERIOD_CUTOFF_DAY", "").strip()
DANGVU_PERIOD_CUTOFF_DAY = int(_cutoff) if _cutoff else None
DANGVU_REPORT_PLACE = os.environ.get("DANGVU_REPORT_PLACE", "").strip()
# The statistics engine prepares its statements on PostgreSQL (statistics/compiled.py); set
# DANGVU_PREPARE_STATEMENTS=0 behind a connection pooler in transaction mode that cannot keep them.
DANGVU_PREPARE_STATEMENTS = os.environ.get("DANGVU_PREPARE_STATEMENTS", "1") != "0"
