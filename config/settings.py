"""Liaison settings, read from the environment.

With no environment at all, Liaison runs on an embedded default meant for a laptop: DEBUG on,
SQLite under var/, Celery on kombu's filesystem transport under var/broker/, email written to
files under var/mail/. DATABASE_URL, REDIS_URL and EMAIL_URL (or EMAIL_HOST…) switch to real
services. With DEBUG off, a SECRET_KEY is required and cookies and redirects are strict.
"""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.storage import default_storage_from_url

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything Liaison writes on a laptop (database, mail, broker queue) lives here; git-ignored.
VAR_DIR = Path(env.str("LIAISON_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)

# A fixed development key is only acceptable while DEBUG is on.
_DEV_SECRET_KEY = "django-insecure-liaison-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base for links in emails (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "core.apps.LiaisonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    # django-csp: the Content-Security-Policy header (its app only adds its settings checks).
    "csp",
    # django-simple-history: field-level change history of partners and programs (core.history).
    "simple_history",
    # django-axes: locks a username at one address after repeated failed logins (AXES_… below).
    "axes",
    # Liaison's apps, lowest layer first (the README's Architecture section).
    "core",
    "partners",
    "documents",
    "mail",
    "outreach",
    "saved_views",
    "programs",
    "agreements",
    "updates",
    "inbox",
    "compose",
    "reviews",
    "playbooks",
    "health",
    "notifications",
    "reports",
    "transfer",
    "search",
    "bulk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session ends after LIAISON_SESSION_IDLE_HOURS without a request (core.sessions).
    "core.sessions.IdleSessionMiddleware",
    # Pages for a signed-in user are never stored by a browser or a proxy.
    "core.middleware.NoStoreForSignedInMiddleware",
    # The signed-in user becomes the "who" of every change history row written by the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A file refused at LIAISON_MAX_UPLOAD_BYTES reaches its form as a size error (core.uploads).
    "core.uploads.RefusedUploadMiddleware",
    "core.middleware.RejectNulCharactersMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# `make bench-pages` counts each page's SQL queries in a response header (core.querycount).
if env.bool("LIAISON_COUNT_QUERIES", default=False):
    MIDDLEWARE.insert(0, "core.querycount.QueryCountMiddleware")

# Content-Security-Policy, through django-csp (Django 5.2 has no built-in CSP). Nothing inline:
# no <script> or <style> blocks, no style="" or on…="" attributes, no hx-on (htmx runs it with
# eval); behaviour lives in static/js, looks in static/css, htmx's config in base.html's meta tag.
# An email's HTML is shown from its own URL with its own, stricter policy (mail.preview).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: because Bootstrap's CSS draws its small icons (select arrows, close buttons,
        # the menu toggler, form validation marks) as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "config.urls"

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
                "core.context_processors.roles",
                "core.context_processors.today",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'liaison.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# SQLite (the laptop default): each transaction takes the write lock as it begins, so two
# writers at once (web and worker, two email senders) take turns. In SQLite's default deferred
# mode, a transaction that has read and then writes fails at once with "database is locked"
# while another one writes (mail/tests/test_races.py).
LIAISON_SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **LIAISON_SQLITE_OPTIONS,
        **DATABASES["default"].get("OPTIONS", {}),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Liaison's queries are small and indexed: PostgreSQL's JIT compiler never pays for itself
    # here, and planning a JIT plan on a mis-estimated query took 150 ms and more. A prepared
    # query (core.prepared: the only server-side prepared statements; psycopg2 sends every
    # other query with its values written in) keeps one plan, made once per connection, even
    # where a list of ids would have it planned anew at every run (0.4 ms of a timeline's).
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off -c plan_cache_mode=force_generic_plan",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Members of the Admin group hold every permission (see core.backends).
    "core.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after LIAISON_LOGIN_FAILURE_LIMIT failed logins in a row, a
# username is locked at that address for LIAISON_LOGIN_COOLOFF_MINUTES (counted from the last
# attempt). Other addresses and other usernames are not affected, so an attacker cannot lock
# staff out everywhere. An admin unlocks sooner: Admin → Access attempts → delete the row, or
# `python manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = env.int("LIAISON_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LIAISON_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# No start-up banner on every manage.py command; lockouts are still logged as warnings.
AXES_VERBOSE = False
# Behind a proxy, the client's address is the one the proxy adds to X-Forwarded-For: set this to
# the number of proxies in front of gunicorn (1 for one nginx), or every request would seem to
# come from the proxy itself. Also used by the password reset throttle.
LIAISON_PROXY_COUNT = env.int("LIAISON_PROXY_COUNT", default=0)

# Password reset: at most this many requests an hour for one email address, and from one client
# address (counted in the cache), and the email is looked up and queued by a worker, never in
# the request (mail.password_reset).
LIAISON_PASSWORD_RESET_PER_EMAIL_HOUR = env.int("LIAISON_PASSWORD_RESET_PER_EMAIL_HOUR", default=5)
LIAISON_PASSWORD_RESET_PER_CLIENT_HOUR = env.int(
    "LIAISON_PASSWORD_RESET_PER_CLIENT_HOUR", default=20
)

# Sessions end after this many hours without a request (core.sessions saves the session at most
# once a minute, which moves its expiry on).
LIAISON_SESSION_IDLE_HOURS = env.float("LIAISON_SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = int(LIAISON_SESSION_IDLE_HOURS * 3600)
# Sessions are written to the database and read from the cache (Redis in production; each
# process's memory on a laptop, falling back to the database): no query per page to read one.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic target for production (whitenoise serves it); in DEBUG runserver serves static/.
STATIC_ROOT = None if DEBUG else env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    # Uploaded files: var/media/, or an S3-compatible service (config/storage.py).
    "default": default_storage_from_url(env.str("STORAGE_URL", default="")),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Records retention: years each kind is kept after it ends (an agreement after it ended, a
# document after it was archived, a touchpoint after it happened) before Reports → Records past
# retention lists it for a person to review. Nothing is deleted by itself.
LIAISON_RETAIN_AGREEMENTS_YEARS = env.int("LIAISON_RETAIN_AGREEMENTS_YEARS", default=7)
LIAISON_RETAIN_DOCUMENTS_YEARS = env.int("LIAISON_RETAIN_DOCUMENTS_YEARS", default=7)
LIAISON_RETAIN_TOUCHPOINTS_YEARS = env.int("LIAISON_RETAIN_TOUCHPOINTS_YEARS", default=10)
# Documents (the documents app) up to this size, checked while the upload is read.
LIAISON_DOCUMENT_MAX_BYTES = env.int("LIAISON_DOCUMENT_MAX_MB", default=25) * 1024 * 1024
# Uploads: the largest file any form accepts (survey results and imports take 5 MB, documents
# LIAISON_DOCUMENT_MAX_BYTES; a test in config holds this equal to the largest). core.uploads
# stops reading a request once a file passes it, before Django writes it to a temporary file.
LIAISON_MAX_UPLOAD_BYTES = max(5 * 1024 * 1024, LIAISON_DOCUMENT_MAX_BYTES)
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Everything in a request but its files: the longest form (meeting minutes, a program with 200
# sessions) is far below 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets through Jinja2 (Django ships the same widget templates for it; the admin's own go
# through the Django engine): several times faster on a form of ten fields. The field around
# each widget is crispy's bootstrap5/field.html, drawn in Python (core.bootstrap_fields).
FORM_RENDERER = "core.bootstrap_fields.WidgetRenderer"

# Email: EMAIL_URL (smtp://user:pass@host:587/?tls=True) or EMAIL_HOST and friends switch to
# SMTP; with neither, messages are written as files under var/mail/.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Liaison <liaison@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that a worker
# and beat run on a laptop with no server at all.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache holds short-lived things: throttle counters, sessions as they are read (written to
# the database too) and report figures. Redis when there is one, so that every gunicorn worker
# shares them; otherwise each process's memory.
_LOCAL_CACHE: dict[str, object] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
_REDIS_CACHE: dict[str, object] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": "liaison",
    "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
}
# (A broker-only URL such as memory://, which tests give Celery, keeps the cache in memory.)
_IS_REDIS = REDIS_URL.startswith(("redis://", "rediss://", "unix://"))
CACHES = {"default": _REDIS_CACHE if _IS_REDIS else _LOCAL_CACHE}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # A worker looks for new tasks four times a second (kombu's default is once): a task
        # starts at once, and Ctrl-C stops the worker sooner (honcho kills it after 5 s).
        "polling_interval": 0.25,
    }
    # kombu expects these folders to exist; the web process publishes into them too.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it has finished, so a worker that dies mid-task leaves it to
# be delivered again; every Liaison task is safe to run twice (the outbox makes sure of that).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The sender stops taking new emails well before the soft limit (LIAISON_SENDER_TIME_BUDGET).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# A web request must not hang on a broker that is down: publish fails fast, the beat catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if REDIS_URL:
    # Redis hands an unacknowledged task to another worker after this long: it must outlast
    # the longest task (CELERY_TASK_TIME_LIMIT), or a slow task would run twice at once.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat records a heartbeat row in the database, shown on the delivery log and the dashboard.
CELERY_BEAT_SCHEDULER = "mail.beat:HeartbeatScheduler"
# The database is the source of truth: these periodic tasks find what is due and queue it.
CELERY_BEAT_SCHEDULE = {
    "send-queued-email": {"task": "mail.send_emails", "schedule": 60.0},
    # Digests (08:00 local), meeting reminders (the afternoon before), the weekly manager summary.
    "queue-staff-email": {"task": "notifications.queue_staff_emails", "schedule": 60.0},
    # Partner progress updates: drafted (or sent) when a subscription's period has ended.
    "queue-progress-updates": {"task": "updates.queue_progress_updates", "schedule": 600.0},
    # Import previews abandoned for a week, and import files past LIAISON_IMPORT_FILE_DAYS.
    # Captured email: the capture mailbox (IMAP, or var/inbox/) read for new messages.
    "read-captured-email": {"task": "inbox.read_mailbox", "schedule": 60.0},
    "delete-old-import-files": {"task": "transfer.delete_old_import_files", "schedule": 86400.0},
    # Agreements past their end date become expired (idempotent: hourly keeps it within the day).
    "expire-agreements": {"task": "agreements.expire", "schedule": 3600.0},
    # Partnership health: every partnership's level kept current (days pass, follow-ups fall
    # overdue) before each digest, and each week's recorded once (the first run of the week).
    "refresh-partnership-health": {"task": "health.refresh", "schedule": 900.0},
    "record-weekly-health": {"task": "health.record_week", "schedule": 3600.0},
}

# The outbox (mail.outbox): a sender holds a claimed email for this long before another sender
# may take it over; failed attempts are retried after 1, 5, 25… times the base, up to 6 attempts.
LIAISON_EMAIL_LEASE_SECONDS = env.int("LIAISON_EMAIL_LEASE_SECONDS", default=300)
if LIAISON_EMAIL_LEASE_SECONDS <= 2 * EMAIL_TIMEOUT + 5:
    raise ImproperlyConfigured(
        "LIAISON_EMAIL_LEASE_SECONDS must be longer than twice EMAIL_TIMEOUT plus 5 seconds, "
        "or no sender could ever finish an email before its lease runs out."
    )
LIAISON_EMAIL_RETRY_BASE_SECONDS = env.int("LIAISON_EMAIL_RETRY_BASE_SECONDS", default=60)
LIAISON_EMAIL_MAX_ATTEMPTS = env.int("LIAISON_EMAIL_MAX_ATTEMPTS", default=6)
LIAISON_EMAIL_BATCH_SIZE = env.int("LIAISON_EMAIL_BATCH_SIZE", default=50)
# How long one sender task keeps taking batches before handing over to a fresh task.
LIAISON_SENDER_TIME_BUDGET = env.int("LIAISON_SENDER_TIME_BUDGET", default=150)
# The delivery log turns red when beat has not been heard from for this long.
LIAISON_BEAT_SILENT_MINUTES = env.int("LIAISON_BEAT_SILENT_MINUTES", default=15)

# Captured email (inbox): a mailbox the library owns, that staff BCC or forward partner email to.
# INBOUND_IMAP_URL is imaps://user:password@host[:993]/FOLDER (or imap://… with STARTTLS); with
# none, a Maildir under LIAISON_INBOX_DIR (var/inbox/) is read instead. INBOUND_IMAP_CA_FILE
# trusts a private certificate authority. LIAISON_CAPTURE_ADDRESS is the mailbox's own address,
# never taken for a partner's. A message over LIAISON_INBOUND_MAX_BYTES is left for a person.
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
INBOUND_IMAP_CA_FILE = env.str("INBOUND_IMAP_CA_FILE", default="")
LIAISON_INBOX_DIR = env.str("LIAISON_INBOX_DIR", default=str(VAR_DIR / "inbox"))
LIAISON_CAPTURE_ADDRESS = env.str("LIAISON_CAPTURE_ADDRESS", default="")
# The authserv-id of the library's own mail server, whose Authentication-Results header is
# trusted to say a sender is genuine (DMARC, else aligned DKIM or SPF): unverified email then
# waits in the unfiled list. Unset, every From line is taken as written.
LIAISON_CAPTURE_AUTHSERV_ID = env.str("LIAISON_CAPTURE_AUTHSERV_ID", default="")
LIAISON_INBOUND_MAX_BYTES = env.int("LIAISON_INBOUND_MAX_BYTES", default=15 * 1024 * 1024)

# The library's name as partners know it, in progress updates and on the unsubscribe page.
LIAISON_LIBRARY_NAME = env.str("LIAISON_LIBRARY_NAME", default="")

# Group email (compose): at most this many messages a minute leave for the library's mail
# server, and a librarian's group email to more people than this waits for a manager's approval.
LIAISON_GROUP_EMAIL_PER_MINUTE = env.int("LIAISON_GROUP_EMAIL_PER_MINUTE", default=60)
LIAISON_GROUP_EMAIL_APPROVAL_OVER = env.int("LIAISON_GROUP_EMAIL_APPROVAL_OVER", default=50)

# Partners not touched for this many days count as quiet (dashboard, reports).
LIAISON_QUIET_DAYS = env.int("LIAISON_QUIET_DAYS", default=60)
# Report pages keep their figures this long ("as of 10:42", with Refresh now); 0 computes them on
# every view. The CSV export is always computed afresh (reports.cache).
LIAISON_REPORT_CACHE_MINUTES = env.int("LIAISON_REPORT_CACHE_MINUTES", default=10)
# An import's uploaded file is deleted this many days after the import (a preview nobody
# confirmed loses it after 7). Undo has no time limit and does not need the file.
LIAISON_IMPORT_FILE_DAYS = env.int("LIAISON_IMPORT_FILE_DAYS", default=30)
# Demo users may be created outside DEBUG only when this is set.
LIAISON_DEMO = env.bool("LIAISON_DEMO", default=False)
# Demo data, benchmarks and the real-services harness: never part of a production install.
if DEBUG or LIAISON_DEMO:
    INSTALLED_APPS.append("demo")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a one-way commitment for the whole domain; the library's IT decides it.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Every process logs one way, Celery's: "[2026-03-02 09:15:04,221: INFO/MainProcess] …", in
# TIME_ZONE (Django sets each process's clock to it; `make run` gives honcho's clock the same).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "liaison": {"format": "[%(asctime)s: %(levelname)s/%(processName)s] %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "liaison"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs every login at INFO; its lockouts are warnings, and those matter.
        "axes": {"level": "WARNING"},
        # Django's own handlers would print its lines a second time beside the root's ("Watching
        # for file changes" twice) and runserver's requests in a format of their own.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
