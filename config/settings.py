"""Settings of the register. Everything comes from the environment: see .env.example."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy

from config import env
from config.env import env_bool, env_int, env_list, env_str, is_production

# Lets the code write the generics that mypy --strict asks for (`admin.ModelAdmin[Person]`,
# `Paginator[Any]`) in class bases, which run: Django's classes are not subscriptable by themselves.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FRMR_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = is_production()
# Off unless asked for, in development too: the site's own error pages, never Django's technical pages
# (a 404 listing every URL pattern, a 500 with a trace) for a user of `make run` (decision 0003).
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", env.DEV_SECRET_KEY, required_in_production=True)
if PRODUCTION:
    env.refuse_weak_secret_key("DJANGO_SECRET_KEY", SECRET_KEY)

# Addresses of the development stand (scripts/devserver.py): the app and the ЕСИА emulator. The public
# URLs below default to them, so that moving the stand to other ports or hosts needs only these two.
RUN_ADDR = env_str("FRMR_RUN_ADDR", "127.0.0.1:8000")
ESIA_EMULATOR_ADDR = env_str("ESIA_EMULATOR_ADDR", "127.0.0.1:8001")
_RUN_HOST, _ = env.host_and_port(RUN_ADDR, default_port=8000)
# The demo stand's `admin` password (load_demo); empty: the development default of frmr/demo/accounts.py,
# which production refuses.
DEMO_ADMIN_PASSWORD = env_str("FRMR_DEMO_ADMIN_PASSWORD", "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", sorted({"127.0.0.1", "localhost", "testserver", _RUN_HOST}))
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Public address of the portal: used in links that leave the site (e-mails, the extract's QR code).
SITE_URL = env_str("FRMR_SITE_URL", env.origin_of(RUN_ADDR, default_port=8000), required_in_production=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_tasks",
    "frmr.core.tasks_app.TasksConfig",  # django_tasks_db, named in Russian
    "ninja",  # only for the Swagger UI files of /api/frmr/docs, served locally (no CDN)
    "frmr.core",
    "frmr.nsi",
    "frmr.registry",
    "frmr.audit",
    "frmr.changes",
    "frmr.accounts",
    "frmr.taskqueue",
    "frmr.documents",
    "frmr.notifications",
    "frmr.corrections",
    "frmr.accreditation",
    "frmr.integration",
    "frmr.imports",
    "frmr.webhooks",
    "frmr.demo",  # load_demo and generate_register; no models of its own
    "web.public",
    "web.auth",
    "web.lk",
    "web.fac",
    "web.mo",
]

MIDDLEWARE = [
    # First: the request id and the timing cover everything below (docs/deploy.md).
    "web.health.middleware.RequestContextMiddleware",
    "web.health.middleware.ReadRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "frmr.integration.api.core.EnvelopeFallbackMiddleware",
    # Both before anything that reads the session or the database (docs/security.md).
    "web.errors.middleware.RejectControlCharactersMiddleware",
    "web.errors.middleware.DatabaseUnavailableMiddleware",
    "web.errors.middleware.MethodNotAllowedPageMiddleware",
    "web.auth.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# /api/frmr/ is served by its own lean handler (frmr/integration/api/wsgi.py): bearer tokens, no cookies,
# so none of the session, CSRF, CSP, locale, authentication or messages middleware applies to it.
FRMR_API_URLCONF = "config.urls_api"
FRMR_API_MIDDLEWARE = [
    "web.health.middleware.RequestContextMiddleware",
    "web.health.middleware.ApiReadRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "frmr.integration.api.core.EnvelopeFallbackMiddleware",
    "web.errors.middleware.RejectControlCharactersMiddleware",
    # Both before anything that reads the session or the database (docs/security.md).
    "web.errors.middleware.RejectControlCharactersMiddleware",
    "web.errors.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
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
                "csp.context_processors.nonce",
                "web.lk.context_processors.notifications",
                "web.auth.context_processors.role_menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'frmr.sqlite3'}", required_in_production=True),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # With persistent connections: check a reused connection once per request (a `SELECT 1`), so a
        # database restart costs no failed request.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, the task worker and the tests read while another writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# Streaming replicas of the primary (docs/deploy.md, «Read replicas»): reads that tolerate a little lag
# go to them (frmr/core/replicas.py); without any, everything reads the primary and no router runs.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
    _alias = f"replica_{_number + 1}"
    DATABASES[_alias] = dj_database_url.parse(
        _url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
    if DATABASES[_alias]["ENGINE"] != "django.db.backends.postgresql":
        env.problem(f"DATABASE_REPLICA_URLS: {_url.split('@')[-1]!r} is not a PostgreSQL address.")
    # A replica that does not answer must cost a request little: its reads fall back to the primary.
    DATABASES[_alias].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "FRMR_REPLICA_CONNECT_TIMEOUT", 2
    )
    # Tests read the test database through the replica's alias.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["frmr.core.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
# A replica further behind than this is not read; its state is checked at most this often per process.
FRMR_REPLICA_MAX_LAG_SECONDS = env_int("FRMR_REPLICA_MAX_LAG_SECONDS", 10)
FRMR_REPLICA_CHECK_SECONDS = env_int("FRMR_REPLICA_CHECK_SECONDS", 5)
# After a request that wrote, the same browser reads the primary for this long (the frmr_primary cookie).
FRMR_REPLICA_STICKY_SECONDS = env_int("FRMR_REPLICA_STICKY_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
# The Django admin's own password login (docs/security.md): a lockout per account and per client
# address, counted in the database so that it holds across processes. Off switches the password form
# off altogether: administrators then come in through ЕСИА (their role makes them staff).
FRMR_ADMIN_PASSWORD_LOGIN = env_bool("FRMR_ADMIN_PASSWORD_LOGIN", True)
FRMR_ADMIN_LOGIN_MAX_FAILURES = env_int("FRMR_ADMIN_LOGIN_MAX_FAILURES", 5)
FRMR_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("FRMR_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
FRMR_ADMIN_LOGIN_WINDOW_SECONDS = env_int("FRMR_ADMIN_LOGIN_WINDOW_SECONDS", 15 * 60)
FRMR_ADMIN_LOGIN_LOCK_SECONDS = env_int("FRMR_ADMIN_LOGIN_LOCK_SECONDS", 15 * 60)
# The request header in which a trusted reverse proxy passes the client's address (e.g.
# HTTP_X_REAL_IP); empty: REMOTE_ADDR. Set it behind a proxy, or every client shares the proxy's address.
FRMR_CLIENT_IP_HEADER = env_str("FRMR_CLIENT_IP_HEADER", "")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", gettext_lazy("Русский"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("FRMR_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("FRMR_MEDIA_ROOT", str(VAR_DIR / "media")))
# Documents are private: there is no MEDIA_URL route; files are served only by permission-checked views.
# FRMR_STORAGE_BACKEND: "filesystem" (MEDIA_ROOT, the default of make run), "s3" (S3-compatible object
# storage, FRMR_S3_*; docs/uploads.md), or a storage class's dotted path.
STORAGES = {
    "default": env.storage_backend(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded documents (see docs/uploads.md): PDF only, at most FRMR_DOCUMENT_MAX_MB each, counted while
# the body streams; stored through the storage alias below under generated names.
DOCUMENT_MAX_BYTES = env_int("FRMR_DOCUMENT_MAX_MB", 25) * 1024 * 1024
DOCUMENT_STORAGE_ALIAS = env_str("FRMR_DOCUMENT_STORAGE", "default")
# A directory with DejaVuSans.ttf for the accreditation extract PDF, tried before the system and bundled
# copies (frmr/accreditation/extract.py).
PDF_FONT_DIR = env_str("FRMR_PDF_FONT_DIR", "")
# Checks of uploaded files (PDF, XLSX/CSV imports) run in a child process that may grow by at most
# this much memory (RLIMIT_AS) and is killed after the time limit (docs/uploads.md, docs/import.md).
FILE_CHECK_MEMORY_BYTES = env_int("FRMR_CHECK_MEMORY_MB", 512) * 1024 * 1024
DOCUMENT_CHECK_SECONDS = env_int("FRMR_DOCUMENT_CHECK_SECONDS", 5)
IMPORT_CHECK_SECONDS = env_int("FRMR_IMPORT_CHECK_SECONDS", 300)
# An XLSX import file may unpack to at most this much in all (a sheet of 20,000 employees: ~20 MB).
IMPORT_MAX_UNPACKED_BYTES = env_int("FRMR_IMPORT_MAX_UNPACKED_MB", 512) * 1024 * 1024
# Uploaded files above this size go to a temporary file instead of memory; the document views use
# temporary files for every size. Form fields other than files stay capped by Django's 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = env_str("FRMR_UPLOAD_TEMP_DIR", "") or None
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Sessions and cookies: see docs/architecture.md (security).
SESSION_COOKIE_AGE = env_int("FRMR_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is then an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("FRMR_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The centre's application page shows the applicant's PDFs in a frame of the site itself (web/fac): framing
# by the same origin only, never DENY. Django's deploy check would ask for DENY: silenced below for it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("FRMR_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FRMR_HSTS_INCLUDE_SUBDOMAINS", True)
    # Submitting the domain to the browsers' preload list is the domain owner's decision, hard to undo:
    # off unless asked for, and then Django's check that recommends it is answered by that decision.
    SECURE_HSTS_PRELOAD = env_bool("FRMR_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    SECURE_SSL_REDIRECT = env_bool("FRMR_SSL_REDIRECT", True)
# With SECURE_SSL_REDIRECT (production): the probes and the scrape come over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz", r"^readyz$", r"^metrics$"]

# Strict CSP: everything is served by the app itself, no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The ЕСИА origin is added per response by web.auth.csp.CSPMiddleware from ESIA_BASE_URL:
        # «Выход» is a form whose answer redirects to ЕСИА, and Chrome checks such redirects too.
        "form-action": env_list("FRMR_CSP_FORM_ACTION", [SELF]),
        "frame-ancestors": [SELF],
    }
}

# Background tasks: the database backend and `manage.py task_worker` (docs/tasks.md); tests use the
# immediate one.
TASKS = {
    "default": {
        "BACKEND": env_str("FRMR_TASKS_BACKEND", "frmr.taskqueue.backend.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A worker records a heartbeat this often; a task whose worker has not beaten for the lease is
# abandoned and run again (at most FRMR_TASK_MAX_ATTEMPTS times in all, then failed visibly).
FRMR_WORKER_HEARTBEAT_SECONDS = env_int("FRMR_WORKER_HEARTBEAT_SECONDS", 10)
FRMR_WORKER_LEASE_SECONDS = env_int("FRMR_WORKER_LEASE_SECONDS", 60)
# How often a worker looks for abandoned tasks, stalled imports and letters due (once per round
# across all workers: rows are taken with SKIP LOCKED).
FRMR_WORKER_SWEEP_SECONDS = env_int("FRMR_WORKER_SWEEP_SECONDS", 30)
FRMR_TASK_MAX_ATTEMPTS = env_int("FRMR_TASK_MAX_ATTEMPTS", 3)
# /healthz/tasks answers 503 when a task has waited longer than this.
FRMR_TASKS_MAX_AGE_SECONDS = env_int("FRMR_TASKS_MAX_AGE_SECONDS", 300)

# Accreditation (docs/accreditation.md): deadlines in working days, validity of a positive decision.
ACCREDITATION_CHECK_DAYS = env_int("ACCREDITATION_CHECK_DAYS", 20)
ACCREDITATION_COMMISSION_DAYS = env_int("ACCREDITATION_COMMISSION_DAYS", 15)
ACCREDITATION_VALIDITY_YEARS = env_int("ACCREDITATION_VALIDITY_YEARS", 5)
# The body a positive decision's register entry and its extract name as the issuer.
ACCREDITATION_COMMISSION_NAME = env_str(
    "ACCREDITATION_COMMISSION_NAME",
    "Аккредитационная комиссия Министерства здравоохранения Российской Федерации",  # i18n: stored issuer name
)
# Drafts never sent (docs/accreditation.md, «Abandoned drafts»): the owner is reminded after this many
# days without a change, and the draft is deleted with its files after the longer period — never sooner
# than FRMR_DRAFT_NOTICE_DAYS after the reminder, so that the reminder always leaves time to act.
FRMR_DRAFT_REMIND_DAYS = env_int("FRMR_DRAFT_REMIND_DAYS", 60)
FRMR_DRAFT_KEEP_DAYS = env_int("FRMR_DRAFT_KEEP_DAYS", 90)
FRMR_DRAFT_NOTICE_DAYS = 14
if FRMR_DRAFT_REMIND_DAYS < 1:
    env.problem(f"FRMR_DRAFT_REMIND_DAYS must be at least 1, got {FRMR_DRAFT_REMIND_DAYS}.")
if FRMR_DRAFT_KEEP_DAYS < FRMR_DRAFT_REMIND_DAYS + FRMR_DRAFT_NOTICE_DAYS:
    env.problem(
        f"FRMR_DRAFT_KEEP_DAYS ({FRMR_DRAFT_KEEP_DAYS}) must be at least FRMR_DRAFT_REMIND_DAYS "
        f"({FRMR_DRAFT_REMIND_DAYS}) + {FRMR_DRAFT_NOTICE_DAYS}: the owner needs time to act on the reminder."
    )

# Integration API (docs/api.md): requests per token per minute, counted in the database.
FRMR_API_RATE_PER_MINUTE = env_int("FRMR_API_RATE_PER_MINUTE", 600)
# How long a process remembers which token and organization a raw token is (revocation is still checked
# in the database on every request; only names in messages may be this old). 0 switches it off.
FRMR_API_TOKEN_CACHE_SECONDS = env_int("FRMR_API_TOKEN_CACHE_SECONDS", 30)
# Server-side prepared statements for the API's per-request statements (PostgreSQL with persistent
# connections). Off behind a transaction-pooling PgBouncer older than 1.21.
FRMR_API_PREPARED_STATEMENTS = env_bool("FRMR_API_PREPARED_STATEMENTS", True)

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "ФРМР <noreply@frmr.example>")  # i18n: mail header
# A silent SMTP server must not hold a letter's claim (below) longer than the claim lasts.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
# A sender claims a letter for this long; a letter whose sender vanished is sent again after it,
# with the same Message-ID (docs/notifications.md).
FRMR_EMAIL_CLAIM_SECONDS = env_int("FRMR_EMAIL_CLAIM_SECONDS", 300)

# Webhooks (docs/sync.md): private addresses and plain http only off production (tests use 127.0.0.1).
FRMR_WEBHOOKS_ALLOW_PRIVATE = env_bool("FRMR_WEBHOOKS_ALLOW_PRIVATE", False)
if PRODUCTION and FRMR_WEBHOOKS_ALLOW_PRIVATE:
    env.problem(
        "FRMR_WEBHOOKS_ALLOW_PRIVATE must be off in production: webhooks could reach the internal network."
    )
FRMR_WEBHOOKS_TIMEOUT_SECONDS = env_int("FRMR_WEBHOOKS_TIMEOUT_SECONDS", 10)

# ЕСИА (Gosuslugi) client: development defaults point at the built-in emulator; see docs/esia.md.
ESIA_BASE_URL = env_str(
    "ESIA_BASE_URL", env.origin_of(ESIA_EMULATOR_ADDR, default_port=8001), required_in_production=True
)
ESIA_CLIENT_ID = env_str("ESIA_CLIENT_ID", "FRMR01", required_in_production=True)
ESIA_REDIRECT_URI = env_str("ESIA_REDIRECT_URI", f"{SITE_URL}/login/esia/callback/")
ESIA_SCOPE = env_str("ESIA_SCOPE", "openid fullname birthdate gender snils email mobile")
# Organization scopes (e.g. "org_emps"); signed even when empty, as ЕСИА's peers do.
ESIA_SCOPE_ORG = env_str("ESIA_SCOPE_ORG", "")
ESIA_SIGNER = env_str("ESIA_SIGNER", "gostcrypto")
# The defaults are the emulator's public development keys, so production must name its own.
ESIA_KEY_PATH = env_str(
    "ESIA_KEY_PATH",
    str(BASE_DIR / "esia_emulator" / "data" / "client" / "client.key.pem"),
    required_in_production=True,
)
ESIA_CERT_PATH = env_str(
    "ESIA_CERT_PATH",
    str(BASE_DIR / "esia_emulator" / "data" / "client" / "client.cert.pem"),
    required_in_production=True,
)
ESIA_TIMEOUT_SECONDS = env_int("ESIA_TIMEOUT_SECONDS", 10)
# The certificate whose key signs ЕСИА's tokens (a file; the test and production stands publish theirs).
ESIA_VERIFY_CERT_PATH = env_str(
    "ESIA_VERIFY_CERT_PATH",
    str(BASE_DIR / "esia_emulator" / "data" / "esia" / "esia.cert.pem"),
    required_in_production=True,
)
# Expected `iss` of ЕСИА's tokens. "auto" means "the host of ESIA_BASE_URL over http or https", which is
# what the real stands write (http://esia.gosuslugi.ru/) and what the emulator writes by default.
ESIA_TOKEN_ISSUER = env_str("ESIA_TOKEN_ISSUER", "auto")
ESIA_TOKEN_LEEWAY_SECONDS = env_int("ESIA_TOKEN_LEEWAY_SECONDS", 60)
# How long a started login may take before its `state` is refused.
ESIA_STATE_LIFETIME_SECONDS = env_int("ESIA_STATE_LIFETIME_SECONDS", 10 * 60)
# «Выход» also ends the ЕСИА session (through /idp/ext/Logout) unless this is switched off.
ESIA_LOGOUT_ENABLED = env_bool("ESIA_LOGOUT_ENABLED", True)
# The OpenSSL binary for ESIA_SIGNER=openssl (needs the GOST engine, Debian libengine-gost-openssl).
ESIA_OPENSSL_BINARY = env_str("ESIA_OPENSSL_BINARY", "openssl")
if PRODUCTION:
    for _name, _path in (
        ("ESIA_KEY_PATH", ESIA_KEY_PATH),
        ("ESIA_CERT_PATH", ESIA_CERT_PATH),
        ("ESIA_VERIFY_CERT_PATH", ESIA_VERIFY_CERT_PATH),
    ):
        env.refuse_development_key_file(_name, _path, published_dir=BASE_DIR / "esia_emulator" / "data")

# Observability (docs/deploy.md): /metrics answers the addresses (or networks) below, or a request with
# `Authorization: Bearer <FRMR_METRICS_TOKEN>`; nobody else. The client address is read as the admin's
# lockout reads it (FRMR_CLIENT_IP_HEADER behind a proxy).
FRMR_METRICS_ALLOWED_IPS = env_list("FRMR_METRICS_ALLOWED_IPS", [] if PRODUCTION else ["127.0.0.1", "::1"])
FRMR_METRICS_TOKEN = env_str("FRMR_METRICS_TOKEN", "")
# One JSON object per log line (frmr.core.observability.logs.JsonFormatter), for a log collector; off for
# `make run`, where people read the lines. With it on, every request also writes one line (frmr.requests).
FRMR_LOG_JSON = env_bool("FRMR_LOG_JSON", False)
FRMR_LOG_REQUESTS = env_bool("FRMR_LOG_REQUESTS", FRMR_LOG_JSON)
# /readyz writes and removes a small file in the document storage to show it is writable.
FRMR_READYZ_CHECK_STORAGE = env_bool("FRMR_READYZ_CHECK_STORAGE", True)

# Every handler hides secrets in logged URLs (ЕСИА's code and state, tokens: frmr/core/redaction.py),
# runserver's request lines (django.server) included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "frmr.core.redaction.RedactSecretsFilter"},
        "request_id": {"()": "frmr.core.observability.logs.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "frmr.core.observability.logs.JsonFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_secrets", "request_id"],
            **({"formatter": "json"} if FRMR_LOG_JSON else {}),
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if FRMR_LOG_JSON else "django.server",
            "filters": ["redact_secrets", "request_id"],
        },
    },
    "loggers": {
        # Django's own console handler (DEBUG only) would print unfiltered: everything goes to the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("FRMR_LOG_LEVEL", "INFO")},
}

# Last: stop the start-up with every problem found above at once.
env.refuse_if_misconfigured()
