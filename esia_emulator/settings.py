"""Settings of the ЕСИА emulator: development defaults, each value overridable from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from esia_emulator.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("ESIA_EMULATOR_DATA_DIR", str(PACKAGE_DIR / "data")))
VAR_DIR = Path(env_str("ESIA_EMULATOR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("ESIA_EMULATOR_DEBUG", False)
# The emulator holds only demo data; the key merely signs its own cookies.
SECRET_KEY = env_str("ESIA_EMULATOR_SECRET_KEY", "esia-emulator-development-only-not-a-secret")
# The stand's addresses (scripts/devserver.py): the emulator answers to its own host, and sends the
# browser back to the register's, wherever the stand runs.
_OWN_HOST = env_str("ESIA_EMULATOR_ADDR", "127.0.0.1:8001").rpartition(":")[0].strip("[]")
_REGISTER_ORIGIN = env_str("FRMR_SITE_URL", "http://" + env_str("FRMR_RUN_ADDR", "127.0.0.1:8000"))
ALLOWED_HOSTS = env_list(
    "ESIA_EMULATOR_ALLOWED_HOSTS",
    sorted({"127.0.0.1", "localhost", "esia-emulator.local", "testserver", _OWN_HOST} - {"", "0.0.0.0"}),  # noqa: S104
)

INSTALLED_APPS = [
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "esia_emulator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "esia_emulator.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "esia_emulator.urls"
WSGI_APPLICATION = "esia_emulator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("ESIA_EMULATOR_DATABASE_URL", f"sqlite:///{VAR_DIR / 'esia_emulator.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Demo passwords only: a lighter PBKDF2 keeps seeding and the test suite fast.
PASSWORD_HASHERS = ["esia_emulator.hashers.DemoPBKDF2PasswordHasher"]

LANGUAGE_CODE = "ru"
TIME_ZONE = env_str("ESIA_EMULATOR_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "esia_emulator_static"

# The register runs on the same host (another port) and cookies ignore ports, so every cookie of the
# emulator has its own name to keep the two sites' sessions apart.
SESSION_COOKIE_NAME = "esia_emulator_session"
CSRF_COOKIE_NAME = "esia_emulator_csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Form submissions end in a redirect to the client system; Chromium applies form-action to that hop.
ESIA_EMULATOR_CSP_FORM_ACTION = env_list(
    "ESIA_EMULATOR_CSP_FORM_ACTION",
    ["'self'", "http://127.0.0.1:*", "http://localhost:*", _REGISTER_ORIGIN.rstrip("/")],
)

# Protocol knobs (see esia_emulator/README.md).
# Empty: the address the emulator is served on (scheme and host of the request, trailing slash).
ESIA_EMULATOR_ISSUER = env_str("ESIA_EMULATOR_ISSUER", "")
ESIA_EMULATOR_TIMESTAMP_WINDOW_SECONDS = env_int("ESIA_EMULATOR_TIMESTAMP_WINDOW_SECONDS", 300)
ESIA_EMULATOR_CODE_TTL_SECONDS = env_int("ESIA_EMULATOR_CODE_TTL_SECONDS", 60)
ESIA_EMULATOR_ACCESS_TOKEN_TTL_SECONDS = env_int("ESIA_EMULATOR_ACCESS_TOKEN_TTL_SECONDS", 3600)
ESIA_EMULATOR_REFRESH_TOKEN_TTL_SECONDS = env_int("ESIA_EMULATOR_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600)
ESIA_EMULATOR_REMEMBER_SECONDS = env_int("ESIA_EMULATOR_REMEMBER_SECONDS", 30 * 24 * 3600)
ESIA_EMULATOR_LOCKOUT_ATTEMPTS = env_int("ESIA_EMULATOR_LOCKOUT_ATTEMPTS", 5)
ESIA_EMULATOR_LOCKOUT_SECONDS = env_int("ESIA_EMULATOR_LOCKOUT_SECONDS", 15 * 60)
ESIA_EMULATOR_QR_TTL_SECONDS = env_int("ESIA_EMULATOR_QR_TTL_SECONDS", 5 * 60)
ESIA_EMULATOR_PENDING_TTL_SECONDS = env_int("ESIA_EMULATOR_PENDING_TTL_SECONDS", 30 * 60)
# The register's own address on this stand: the demo clients may also be sent back there (seed.py),
# so that a stand on another host needs no edit of clients.json.
ESIA_EMULATOR_REGISTER_ORIGIN = _REGISTER_ORIGIN.rstrip("/")
# Public address put into the QR code; empty means "the address the browser used".
ESIA_EMULATOR_PUBLIC_URL = env_str("ESIA_EMULATOR_PUBLIC_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ESIA_EMULATOR_LOG_LEVEL", "INFO")},
}
