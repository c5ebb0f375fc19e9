"""Settings for Common Good.

One file, read from environment variables. Development needs nothing set: SQLite, a
filesystem broker and email written to files, all under ``var/``. Production is a matter
of setting ``DEBUG=false``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``,
``REDIS_URL``, ``EMAIL_URL`` and ``SITE_URL``; ``manage.py check --deploy`` says what is missing.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import dj_email_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key() -> str:
    """A key generated once per checkout and kept under var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY") or development_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
# A refused form gets the site's own page with a way back, not Django's technical one.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "csp",
    "pgtrigger",
    "pghistory",
    "modeltrans",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "campaigns",
    "partners",
    "demands",
    "actions",
    "bargaining",
    "reach",
    "audit",
    "broadcasts",
    "surveys",
    "api",
    "seeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AccountLanguageMiddleware",
    "campaigns.middleware.LocalTimeMiddleware",
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.enqueue.WaitingWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
# Every form's free-text fields say dir="auto" (config/forms.py).
FORM_RENDERER = "config.forms.FormRenderer"
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
                "accounts.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise. Connections to PostgreSQL
# are kept open with health checks: opening one per request halves throughput here.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The audit trail's triggers (django-pghistory) are installed after every migrate rather than
# written into each app's migrations, so the tracked apps' migrations stay database-neutral.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

REDIS_URL = env_str("REDIS_URL")
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
# Every test clears the cache, and clearing a Redis cache flushes its whole database, so each
# pytest-xdist worker (gw0, gw1, ...) gets a database of its own after the configured one.
_TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if CACHE_URL and _TEST_WORKER.startswith("gw"):
    _url = urlsplit(CACHE_URL)
    _db = int(_url.path.strip("/") or 0) + int(_TEST_WORKER[2:])
    CACHE_URL = urlunsplit(_url._replace(path=f"/{_db}"))
# Everything in the cache can be recomputed, so while Redis is down the cache behaves as an
# empty one and pages come from the database (config/cache.py); short timeouts keep a Redis
# that does not answer from holding requests.
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "cg"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, nobody signs up on their own (people join by invitation).
ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins lock the account being guessed (5 in 5 minutes), while a whole school behind
# one address can still get its typos wrong: 100 failures in 5 minutes per address. The public
# RSVP form's limits live here too, so that they count through allauth's rate limiter.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "100/5m/ip,5/5m/key",
    "login": "120/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # Keyed by a hash of the client's address or the email (reach/views/public.py,
    # accounts/ratelimits.py), never the address or the email itself.
    "public_rsvp": "10/h/key",
    "public_rsvp_email": "3/h/key",
    "petition_sign": "10/h/key",
    "petition_sign_email": "3/h/key",
    "public_survey": "10/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Common Good"

# Email: EMAIL_URL (smtp://user:pass@host:587/?tls=True) in production; files under var/mail/
# in development so that every message can be read.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
if env_str("EMAIL_BACKEND"):
    EMAIL_BACKEND = env_str("EMAIL_BACKEND")
EMAIL_SENT_LOG = env_str("EMAIL_SENT_LOG", str(VAR_DIR / "sent.log"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Common Good <noreply@commongood.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where to report a vulnerability (/.well-known/security.txt, RFC 9116): a mailto: or https:
# address, comma-separated for several.
SECURITY_CONTACT = env_list("SECURITY_CONTACT", "mailto:security@commongood.local")

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/,
# which needs no server. The database, not the broker, is the record of what is due.
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
    # While Redis is down a request that queues work gives up quickly (0.3 s when connections
    # are refused, a few seconds when nothing answers) and leaves the work to the beat's sweep
    # (config/enqueue.py).
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    BROKER_DIR = VAR_DIR / "broker"
    # kombu's filesystem transport needs its folders to exist before a worker starts.
    for folder in ("queue", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.1,
    }
# The OSDI API (api/): HAL+JSON, a token per person, a rate limit per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.tokens.OsdiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.tokens.TokenAllows"],
    "DEFAULT_THROTTLE_CLASSES": ["api.tokens.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"osdi_token": env_str("API_RATE", "600/minute")},
    "DEFAULT_RENDERER_CLASSES": [
        "api.hal.HalJsonRenderer",
        "rest_framework.renderers.JSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["api.hal.HalJsonParser", "rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.hal.osdi_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Common Good OSDI API",
    "DESCRIPTION": "OSDI 1.1 (HAL+JSON): people, events and attendances of a local's campaign.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI's files come from drf-spectacular-sidecar, served by the app: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Webhook deliveries that are due (new, or retrying after a failure); the rows say what.
    "send-due-webhooks": {
        "task": "api.tasks.send_due_webhooks",
        "schedule": 60.0,
    },
    # Invitation emails are rows in the database too (accounts.InvitationEmail).
    "send-due-invitations": {
        "task": "campaigns.tasks.send_due_invitations",
        "schedule": 30.0,
    },
    "purge-expired-invitations": {
        "task": "accounts.tasks.purge_expired_invitations",
        "schedule": crontab(minute=17, hour=3),
    },
    # Hourly, so an abandoned roster upload (personal data) is gone within 25 hours.
    "purge-abandoned-roster-imports": {
        "task": "campaigns.tasks.purge_abandoned_imports",
        "schedule": crontab(minute=35),
    },
    "record-weekly-organizing-snapshots": {
        "task": "campaigns.tasks.record_weekly_snapshots",
        "schedule": crontab(minute=5, hour=4, day_of_week=1),
    },
    # Reminders are rows in the database; this only says "send whatever is due".
    "send-due-reminders": {
        "task": "actions.tasks.send_due_reminders",
        "schedule": 30.0,
    },
    # The PDF report is rendered after each public change; this catches up on any render
    # that could not be queued.
    "render-stale-public-reports": {
        "task": "bargaining.tasks.render_stale_public_reports",
        "schedule": 60.0,
    },
    # Broadcasts are rows too (broadcasts/sending.py): "send whatever deliveries are due".
    "send-due-broadcasts": {
        "task": "broadcasts.tasks.send_due_broadcasts",
        "schedule": 30.0,
    },
    # Decision requests live in demands, which cannot write reminder rows: this plans them.
    "plan-decision-reminders": {
        "task": "actions.tasks.plan_decision_reminders",
        "schedule": 300.0,
    },
    # A commitment that passes its due date undone is marked overdue on the public page and in
    # the report: nothing else would render them again.
    "note-overdue-commitments": {
        "task": "bargaining.tasks.note_overdue_commitments",
        "schedule": crontab(minute=7),
    },
    "plan-steward-digests": {
        "task": "actions.tasks.plan_steward_digests",
        "schedule": crontab(minute=2),
    },
}
# How long a worker owns the reminders it claimed before another may take them over, and how
# many it claims at a time (see actions/reminders.py).
REMINDER_LEASE_SECONDS = int(env_str("REMINDER_LEASE_SECONDS", "300"))
REMINDER_BATCH_SIZE = int(env_str("REMINDER_BATCH_SIZE", "200"))
# Broadcast deliveries claimed at a time (they share the reminders' lease), and the secret the
# mail provider signs its bounce and complaint webhook with (HMAC-SHA256 of the body).
BROADCAST_BATCH_SIZE = int(env_str("BROADCAST_BATCH_SIZE", "500"))
BROADCAST_WEBHOOK_SECRET = env_str("BROADCAST_WEBHOOK_SECRET", "")

# Internationalisation: English and Spanish. Each language is named in itself, as a menu of
# languages is read by someone who may not read the current one (README: adding a language).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The languages published content can be written in besides LANGUAGE_CODE, which the models'
# own columns hold (django-modeltrans keeps the others in each model's ``i18n`` field). A local
# turns on the ones it needs; their names are in campaigns/content.py.
MODELTRANS_AVAILABLE_LANGUAGES = (
    "es", "hmn", "vi", "zh-hans", "zh-hant", "tl", "ko", "ar", "ru", "uk",
    "fa", "pa", "so", "ht", "pt", "fr", "km", "lo", "am",
)  # fmt: skip
MODELTRANS_ADD_FIELD_HELP_TEXT = False
# The server's zone; people read times in their local's zone (campaigns/zones.py).
TIME_ZONE = "UTC"
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
# The country of phone numbers written without a country code (ISO 3166 code).
PHONE_REGION = env_str("PHONE_REGION", "US").upper()

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files: folders under var/ in development; an S3-compatible object store (AWS S3, Google Cloud
# Storage's XML API, Cloudflare R2, MinIO) once AWS_STORAGE_BUCKET_NAME is set, so that several
# machines share them (config/storages.py). Credentials come the way boto3 finds them:
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME")
# Every file is streamed by a view that checks access; the bucket never needs to be public.
# Should anything ask the reports' storage for a URL, it gets one signed for five minutes.
S3_OPTIONS = {
    "bucket_name": AWS_STORAGE_BUCKET_NAME,
    "endpoint_url": AWS_S3_ENDPOINT_URL or None,
    "region_name": AWS_S3_REGION_NAME or None,
    # Other S3-compatible servers than AWS mostly want the bucket in the path.
    "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE")
    or ("path" if AWS_S3_ENDPOINT_URL else None),
    "default_acl": None,
    "querystring_auth": True,
    "querystring_expire": 300,
    "file_overwrite": False,
}
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**S3_OPTIONS, "location": "media"},
    }
    _private_storage = {
        "BACKEND": "config.storages.PrivateObjectStorage",
        "OPTIONS": {**S3_OPTIONS, "location": "private"},
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # Personal data (uploaded rosters, partners' letters): outside MEDIA_ROOT, never under a URL.
    _private_storage = {"BACKEND": "config.storages.PrivateStorage"}
STORAGES = {
    "default": _default_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Client addresses. TRUSTED_PROXY_COUNT is how many reverse proxies of ours stand in front of
# the app (1 with docker-compose's Caddy). It alone decides the client's address everywhere:
# allauth's rate limits, the public RSVP limit and the audit trail all ask allauth's
# get_client_ip, which takes that many addresses from the right of X-Forwarded-For. With no
# proxy (0) the forwarded headers are whatever a client claims, so they are ignored.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0") or 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Security. Production (DEBUG off) is HTTPS-only; scripts come only from our own origin.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Field mode's service worker (/sw.js) and the web manifest, from the site itself.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
