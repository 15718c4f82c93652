"""Settings for polyfon, read from the environment.

Every value has a safe default for a laptop (SQLite under var/, e-mail written to files
under var/mail). Production sets DEBUG=false and real values; `manage.py check --deploy`
is then clean. See README.md, "Configuration".
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="insecure-laptop-only-key-set-SECRET_KEY-in-production-0123456789abcdefghijklmnop",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- The cluster this deployment runs (one per deployment) --------------------------------
CLUSTER = {
    "name": env.str("CLUSTER_NAME", default="POLYFON"),
    "full_name": env.str("CLUSTER_FULL_NAME", default="POLYFON kunnskapsklynge for musikkterapi"),
    "coordinator": env.str(
        "CLUSTER_COORDINATOR",
        default="GAMUT – Griegakademiets senter for musikkterapiforsking, Universitetet i Bergen",
    ),
    "email": env.str("CLUSTER_EMAIL", default="polyfon@uib.no"),
    "phone": env.str("CLUSTER_PHONE", default="+47 97 16 97 46"),
    "address": env.str(
        "CLUSTER_ADDRESS",
        default="c/o Griegakademiet, Postboks 7805, 5020 Bergen",
    ),
    "visiting_address": env.str("CLUSTER_VISITING_ADDRESS", default="Nina Griegs gate 4, Bergen"),
}

# --- Applications ------------------------------------------------------------------------
INSTALLED_APPS = [
    "polyfon.core",
    "polyfon.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "polyfon.content",
    "polyfon.members",
    "polyfon.billing",
    "polyfon.funding",
    "polyfon.events",
    "polyfon.governance",
    "polyfon.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "polyfon.core.middleware.BokmalByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "polyfon.accounts.middleware.RequireStaffMFAMiddleware",
    "polyfon.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "polyfon.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
FORMS_URLFIELD_ASSUME_HTTPS = True
WSGI_APPLICATION = "polyfon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "polyfon" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polyfon.core.context_processors.cluster",
            ],
            "builtins": ["polyfon.core.templatetags.polyfon"],
        },
    }
]

# --- Database ----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'polyfon.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the worker and the scheduler share the file.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://polyfon")}

# --- Authentication ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_ADAPTER = "polyfon.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{CLUSTER['name']}] "
ACCOUNT_PREVENT_ENUMERATION = True
# Repeated failed logins: at most 5 per e-mail address per 5 minutes and 20 per IP per minute;
# after that the login is refused until the window has passed (allauth's rate limits).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="20/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = CLUSTER["name"]
# Coordinators must set up two-factor authentication before they reach /kontor/.
REQUIRE_STAFF_MFA = env.bool("REQUIRE_STAFF_MFA", default=True)

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Language, time and formats --------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "polyfon" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"
FORMAT_MODULE_PATH = ["polyfon.core.formats"]
LANGUAGE_COOKIE_NAME = "polyfon_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "polyfon" / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploaded documents are never served as static media: each download goes through a view
# that checks who asks. MEDIA_URL is therefore not routed.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env.bool("STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
# Documents (agreements, attachments): PDF only unless a form says otherwise, 10 MB at most.
MAX_DOCUMENT_UPLOAD_BYTES = env.int("MAX_DOCUMENT_UPLOAD_BYTES", default=10 * 1024 * 1024)
MAX_IMPORT_UPLOAD_BYTES = env.int("MAX_IMPORT_UPLOAD_BYTES", default=50 * 1024 * 1024)
# EHF invoices go to this outbox folder for the access point to pick up (or another sender class).
BILLING_EHF_OUTBOX = env.str("BILLING_EHF_OUTBOX", default=str(VAR_DIR / "ehf-outbox"))
BILLING_EHF_SENDER = env.str("BILLING_EHF_SENDER", default="polyfon.billing.outbox.FolderSender")

# --- E-mail ------------------------------------------------------------------------------------
# Laptop default: every message is written as a file under var/mail so it can be read.
# Production: EMAIL_URL=smtp+tls://user:password@smtp.example.org:587
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{CLUSTER['name']} <{CLUSTER['email']}>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Coordinators get a copy of notices (new letters of intent, ...) at this address as well as
# personally; empty means "only the coordinator accounts".
COORDINATOR_NOTICE_EMAIL = env.str("COORDINATOR_NOTICE_EMAIL", default=CLUSTER["email"])

# --- Background tasks and scheduled jobs --------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}
# Scheduled jobs, run by `manage.py run_scheduler`: name -> task path and cron fields in Oslo time.
# Apps add their own in `<app>/schedule.py` (JOBS = {...}).
SCHEDULED_JOBS = {
    "core.prune_task_results": {
        "task": "polyfon.core.tasks.prune_finished_task_results",
        "cron": {"hour": "3", "minute": "30"},
    },
}

# --- Security -------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by SecurityHeadersMiddleware: everything is served from this origin, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)

# --- Logging: no personal data; request paths carry no personal data by design ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

DEMO_MODE = env.bool("DEMO_MODE", default=False)

# Human-readable names used in templates that need the list of languages with a native label.
LANGUAGE_LABELS = {"nb": _("Norwegian Bokmål"), "nn": _("Norwegian Nynorsk"), "en": _("English")}

# Users log in by e-mail; its uniqueness is a case-insensitive constraint (accounts_user_email_ci_unique),
# which this check does not see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
