"""Settings of the Netrex customer portal.

Everything that differs between a developer's laptop and production is read from the environment
through the one ``env`` object below.  Without ``DJANGO_DEBUG=on`` this is production, which refuses
to start without its secrets.  With it (``make run``, the test settings) and nothing else the portal
runs embedded: SQLite, Celery on kombu's file-system transport, mail written to files under
``var/mail/`` and payments against the in-project Mollie simulator.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# Production unless told otherwise: `make run` and the test settings say DJANGO_DEBUG=on.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-never-used-in-production")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
        ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "Production (DJANGO_DEBUG off) needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS."
        ) from exc
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS may not be empty in production.")

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The site's name in e-mails and pages (allauth's "current site"), and its domain, which also ends every
# Message-ID (Django takes it from DNS_NAME, the machine's name by default: "…@localhost").
SITE_NAME = env.str("SITE_NAME", default="Netrex")
SITE_DOMAIN = env.str("SITE_DOMAIN", default="") or (SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    # allauth's apps, named apart from ours in the admin (netrex/allauth_apps.py).
    "netrex.allauth_apps.LoginConfig",
    "netrex.allauth_apps.SecondFactorConfig",
    "netrex.allauth_apps.LoginSessionsConfig",
    "phonenumber_field",
    "django_countries",
    "netrex",
    # The ground floor: the register, the declarations and the one erasure mechanism (imports no app).
    "privacy",
    # The kernel every app plugs into: activity log, navigation, dashboard panels, demo hooks, roles, mail.
    "portal",
    "accounts",
    "consent",
    "newsletter",
    "contact",
    "stats",
    "rights",
    "payments",
    "subscriptions",
    "orders",
    "credits",
    # Invoices and credit notes: the fiscal documents of every payment and refund (above orders and subscriptions).
    "billing",
    # The hosting app (package hosting/) keeps its first label, "services": tables, permissions and
    # migrations stay as they are on live databases.
    "hosting",
    # Keep retention last: its seed_demo hook ages the demo rows the other apps' hooks made.
    "retention",
]

MIDDLEWARE = [
    "netrex.request_id.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An address in the other language (/orders/shop/ on a Dutch page) redirects to the page's address.
    "netrex.i18n_urls.OtherLanguageAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stats.middleware.PageViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's session tracking, written at most once a minute per session (accounts/middleware.py).
    "accounts.middleware.UserSessionActivityMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.BreakGlassMiddleware",
    "accounts.middleware.PersonalDataNoStoreMiddleware",
]

ROOT_URLCONF = "netrex.urls"
WSGI_APPLICATION = "netrex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.navigation.context",
                "consent.context_processors.consent",
            ],
        },
    },
]

# Database: SQLite when no DATABASE_URL is given, PostgreSQL (psycopg 3, pooled) otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_POOL", default=True):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
# Every request is one transaction, so that a change and its activity-log row are written together.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_CACHE_URL (or REDIS_URL) is set, which allauth's rate limits need when
# more than one web process serves the portal; otherwise files under var/cache/, which the web server
# and the Celery worker of `make run` share (a change the worker makes renews the cached dashboard).
_redis_cache_url = env.str("REDIS_CACHE_URL", default=env.str("REDIS_URL", default=""))
# Every Redis client (the cache, the broker, a result backend) gives up after these many seconds to connect and to
# read an answer: a Redis that accepts connections but never answers costs a request at most that long, never a
# hung thread.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
if _redis_cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_cache_url,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="netrex"),
            "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Netrex] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's own defaults, sign-up tighter; they are on unless this is emptied.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    # A username must be unique, so sign-up tells whether one is taken: few tries per IP address.
    "signup": "5/m/ip,20/h/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Netrex"
USERSESSIONS_ADAPTER = "accounts.adapter.UserSessionsAdapter"
USERSESSIONS_TRACK_ACTIVITY = True
# The customer's dashboard panels are kept in the cache until their data changes, this long at most
# (portal/dashboard.py).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Customer pages kept as rendered copies until what they show changes, this long at most (portal/page_copies.py).
PAGE_COPY_SECONDS = env.int("PAGE_COPY_SECONDS", default=300)

# Internationalisation: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# Dates per language from netrex/formats/<lang>/formats.py: "29 nov. 2026" in Dutch, "29 Nov 2026" in English.
FORMAT_MODULE_PATH = ["netrex.formats"]
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "NL"
PHONENUMBER_DB_FORMAT = "E164"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files before the CSP and X-Frame-Options middleware: it adds them itself.
from netrex.static_headers import static_security_headers  # noqa: E402  (no settings read at import)

WHITENOISE_ADD_HEADERS_FUNCTION = static_security_headers
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Uploaded files are never served from a public URL: there is no MEDIA_URL route at all.
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/no-public-media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Profile photos
PROFILE_PHOTO_MAX_BYTES = env.int("PROFILE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
PROFILE_PHOTO_MAX_PIXELS = env.int("PROFILE_PHOTO_MAX_PIXELS", default=40_000_000)
PROFILE_PHOTO_MAX_SIDE = 1024

# Mail: files under var/mail/ by default, SMTP (EMAIL_URL) in production.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Netrex <noreply@netrex.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "")
    EMAIL_PORT = _email.get("EMAIL_PORT", 25)
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# Celery: Redis when CELERY_BROKER_URL is set, kombu's file-system transport otherwise.
# "localhost" names the (unused) host: without one kombu warns "No hostname was supplied" at every start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_QUEUE_DIR = Path(env.str("CELERY_QUEUE_DIR", default=str(VAR_DIR / "celery" / "queue")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "processed_folder": str(CELERY_QUEUE_DIR.parent / "processed"),
        # kombu's default is ./control, in whatever the working directory is.
        "control_folder": str(CELERY_QUEUE_DIR.parent / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
    }
# The same timeouts for a Redis result backend (results are ignored today; a backend added later inherits them).
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)
# allauth's limits per IP address count the client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # The container health check asks over plain http from inside; it must see the real answer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if NUM_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Logs (netrex/log.py): one JSON object a line in production (time, level, logger, message, request id), readable
# text in development; e-mail addresses are masked in every message and traceback.  Celery's worker and beat log
# the same way (netrex/celery.py).  Server errors are mailed to ADMINS without request data or local variables.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT is json or text.")
_log_level = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "netrex.log.RequestIdFilter"},
        "mask_email": {"()": "netrex.log.MaskEmailFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "netrex.log.JsonFormatter"},
        "text": {"()": "netrex.log.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "mask_email"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id", "mask_email"],
            "reporter_class": "netrex.log.PrivateExceptionReporter",
        },
    },
    "root": {"handlers": ["console"], "level": _log_level},
    # Django's records reach the console through the root logger; its default mail handler is replaced by ours.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": _log_level}},
}

# Ops: server errors (above) and the retention watchdog's alerts go to them.  "Name <address>,Other <address>".
from email.utils import getaddresses  # noqa: E402

from django.core.mail.utils import DNS_NAME  # noqa: E402  (a plain cache of the host name)

DNS_NAME._fqdn = SITE_DOMAIN  # type: ignore[attr-defined]  # make_msgid(domain=DNS_NAME): "<…@mijn.netrex.nl>"

ADMINS = [(name, address) for name, address in getaddresses([env.str("DJANGO_ADMINS", default="")]) if address]
if any("@" not in address for _name, address in ADMINS):
    raise ImproperlyConfigured('DJANGO_ADMINS is a comma-separated list of "Name <address>".')

# Error reporting to Sentry, only when SENTRY_DSN is set; no personal data is sent (netrex/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from netrex import sentry  # noqa: E402

    sentry.init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)

# --- payments ---
# Mollie through mollie-api-python.  In development (DEBUG) the client is pointed at the in-project
# simulator (``mollie_sim``, mounted at /mollie-sim/); production needs a real key and refuses it.
MOLLIE_SIMULATOR = env.bool("MOLLIE_SIMULATOR", default=DEBUG)
MOLLIE_API_KEY = env.str("MOLLIE_API_KEY", default="test_simulator" if DEBUG else "")
# The client appends /v2/<resource> to this endpoint.
MOLLIE_API_ENDPOINT = env.str(
    "MOLLIE_API_ENDPOINT", default=SITE_URL.rstrip("/") + "/mollie-sim" if DEBUG else "https://api.mollie.com"
)
# Where Mollie can reach the webhook (defaults to SITE_URL).
MOLLIE_WEBHOOK_BASE_URL = env.str("MOLLIE_WEBHOOK_BASE_URL", default="")
MOLLIE_TIMEOUT = (env.int("MOLLIE_CONNECT_TIMEOUT", default=3), env.int("MOLLIE_READ_TIMEOUT", default=15))
MOLLIE_CONNECT_RETRIES = env.int("MOLLIE_CONNECT_RETRIES", default=2)
# The simulator's webhook retries, as Mollie's: attempts, and the first pause in seconds (doubling).
MOLLIE_SIM_WEBHOOK_TRIES = env.int("MOLLIE_SIM_WEBHOOK_TRIES", default=10)
MOLLIE_SIM_WEBHOOK_BACKOFF = env.int("MOLLIE_SIM_WEBHOOK_BACKOFF", default=60)
if MOLLIE_SIMULATOR:
    INSTALLED_APPS += ["mollie_sim"]
if not DEBUG:
    if MOLLIE_SIMULATOR or "/mollie-sim" in MOLLIE_API_ENDPOINT:
        raise ImproperlyConfigured(
            "Production may not use the Mollie simulator (MOLLIE_SIMULATOR, MOLLIE_API_ENDPOINT)."
        )
    if not MOLLIE_API_KEY.startswith(("live_", "test_")):
        raise ImproperlyConfigured("Production needs MOLLIE_API_KEY.")

# --- services ---
# The control-panel adapter that applies customers' changes (hosting/provisioning.py); the default
# records what it would apply and marks it applied.
PROVISIONING_ADAPTER = env.str("PROVISIONING_ADAPTER", default="hosting.provisioning.RecordingAdapter")
SERVICES_PHP_VERSIONS = env.list("SERVICES_PHP_VERSIONS", default=["8.1", "8.2", "8.3", "8.4"])
SERVICES_PHP_DEFAULT = env.str("SERVICES_PHP_DEFAULT", default="8.3")
SERVICES_DNS_TTL_MIN = env.int("SERVICES_DNS_TTL_MIN", default=60)
SERVICES_DNS_TTL_MAX = env.int("SERVICES_DNS_TTL_MAX", default=86400)
SERVICES_RESTORE_CREDITS = env.int("SERVICES_RESTORE_CREDITS", default=5)
SERVICES_BACKUPS_KEEP = env.int("SERVICES_BACKUPS_KEEP", default=14)
# Domain ownership (hosting/domains.py): the callable (a dotted path) that looks up the TXT record
# _netrex-verify.<domain> a customer proves a domain with. The default asks DNS with dnspython within
# the timeout (per name server) and lifetime (in all) below; hosting.domains.static_txt_lookup answers
# from DOMAIN_VERIFY_STATIC_TXT ({"_netrex-verify.example.com": ["netrex-verify=..."]}) without network.
DOMAIN_VERIFY_RESOLVER = env.str("DOMAIN_VERIFY_RESOLVER", default="hosting.domains.txt_lookup")
DOMAIN_VERIFY_TIMEOUT = env.float("DOMAIN_VERIFY_TIMEOUT", default=2.0)
DOMAIN_VERIFY_LIFETIME = env.float("DOMAIN_VERIFY_LIFETIME", default=2.0)
DOMAIN_VERIFY_STATIC_TXT = env.json("DOMAIN_VERIFY_STATIC_TXT", default={})

# --- consent ---
# Tracking tools of the cookie banner (C29–C35): a tool without its settings is not rendered at all,
# and its hosts enter the Content Security Policy only when it is configured.
MATOMO_URL = env.str("MATOMO_URL", default="")
MATOMO_SITE_ID = env.str("MATOMO_SITE_ID", default="")
SALESFEED_ID = env.str("SALESFEED_ID", default="")
SALESFEED_SCRIPT_URL = env.str("SALESFEED_SCRIPT_URL", default="")
GOOGLE_ANALYTICS_ID = env.str("GOOGLE_ANALYTICS_ID", default="")
from consent.csp import with_tool_hosts  # noqa: E402  (plain Python, no Django imports)

CONTENT_SECURITY_POLICY = with_tool_hosts(
    CONTENT_SECURITY_POLICY,
    matomo_url=MATOMO_URL if MATOMO_SITE_ID else "",
    salesfeed_script_url=SALESFEED_SCRIPT_URL if SALESFEED_ID else "",
    google_analytics_id=GOOGLE_ANALYTICS_ID,
)

# --- orders ---
# Dotted path of the delivery adapter (orders/delivery.py); the default records shipments only.
DELIVERY_ADAPTER = env.str("DELIVERY_ADAPTER", default="orders.delivery.RecordingDeliveryAdapter")

# --- billing ---
# The seller on every invoice and credit note (Wet OB art. 35a; Handelsregisterwet art. 20): name, address
# (lines, comma-separated), KvK number and btw-identificatienummer.  Development has stand-ins; production
# refuses to start without the real numbers.
NETREX_COMPANY_NAME = env.str("NETREX_COMPANY_NAME", default="Netrex Internet Solutions BV")
NETREX_COMPANY_ADDRESS = env.list("NETREX_COMPANY_ADDRESS", default=["Oostdam 2", "3441 EM Woerden"])
NETREX_COMPANY_EMAIL = env.str("NETREX_COMPANY_EMAIL", default="info@netrex.nl")
# The phone number every e-mail and page footer shows, in national notation.
NETREX_COMPANY_PHONE = env.str("NETREX_COMPANY_PHONE", default="0348 433 886")
NETREX_KVK_NUMBER = env.str("NETREX_KVK_NUMBER", default="00000000" if DEBUG else "")
NETREX_VAT_ID = env.str("NETREX_VAT_ID", default="NL000000000B00" if DEBUG else "")
if not DEBUG:
    import re as _re  # noqa: E402

    if not _re.fullmatch(r"\d{8}", NETREX_KVK_NUMBER) or not _re.fullmatch(r"NL\d{9}B\d{2}", NETREX_VAT_ID):
        raise ImproperlyConfigured(
            "Production needs NETREX_KVK_NUMBER (8 digits) and NETREX_VAT_ID (NL123456789B01): "
            "every invoice names them."
        )
    if not NETREX_COMPANY_NAME or not NETREX_COMPANY_ADDRESS:
        raise ImproperlyConfigured("Production needs NETREX_COMPANY_NAME and NETREX_COMPANY_ADDRESS for the invoices.")

# --- orders ---
# Days an order stays payable after it was placed (failed, cancelled or expired payments can be retried);
# after that it expires and is an abandoned order (issue 15).
ORDER_PAYMENT_WINDOW_DAYS = env.int("ORDER_PAYMENT_WINDOW_DAYS", default=14)

# --- rights ---
# Days an export ZIP stays downloadable before the export_expired clock deletes it (C39b); unset: the
# register's own period.
RIGHTS_EXPORT_DAYS = env.int("RIGHTS_EXPORT_DAYS", default=None)
# Days a dealt-with privacy request is kept as evidence; unset: the register's own period.
RIGHTS_REQUEST_KEEP_DAYS = env.int("RIGHTS_REQUEST_KEEP_DAYS", default=None)
# Confirmation links a person without an account may have sent per hour (per address and per IP).
RIGHTS_CONFIRM_LIMIT_PER_HOUR = env.int("RIGHTS_CONFIRM_LIMIT_PER_HOUR", default=5)

# --- retention ---
# Ids per batch of the retention sweep (one short transaction each): primary-key ranges this wide
# (make bench: 100,000 ids take about 0.3 s, at 0.8x the rate of one plain DELETE).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=100_000)
# After each batch the sweep rests this many times as long as the batch took (0: no rest).
RETENTION_SLEEP_COEF = env.float("RETENTION_SLEEP_COEF", default=1.0)
# /healthz and the admin warn when no complete sweep succeeded for this many hours.
RETENTION_STALE_AFTER_HOURS = env.int("RETENTION_STALE_AFTER_HOURS", default=26)
# SQLite only (no advisory locks): a lock row older than this belongs to a crashed sweep.
RETENTION_LOCK_STALE_SECONDS = env.int("RETENTION_LOCK_STALE_SECONDS", default=6 * 3600)
# The register's tunable periods, in days; unset means the register's own value (never a second copy).
RETENTION_ABANDONED_ORDER_DAYS = env.int("RETENTION_ABANDONED_ORDER_DAYS", default=None)
RETENTION_CONTACT_SILENCE_DAYS = env.int("RETENTION_CONTACT_SILENCE_DAYS", default=None)
RETENTION_STALE_DAYS = env.int("RETENTION_STALE_DAYS", default=None)

# --- newsletter ---
# The signup form adds the newsletter opt-out (unchecked) to allauth's form (C20).
ACCOUNT_FORMS = {"signup": "newsletter.forms.SignupForm"}
# Sign-up also asks the name and address an invoice needs (C23); the profile changes them later (C25).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.PersonalDetailsForm"
# Key of the HMAC-SHA256 that keeps unsubscribed addresses only as a hash; empty: derived from
# SECRET_KEY.  Set it before rotating SECRET_KEY, or the suppression list stops matching.
NEWSLETTER_HASH_KEY = env.str("NEWSLETTER_HASH_KEY", default="")
# Days the confirmation link of a visitor's subscription (double opt-in) stays valid.
NEWSLETTER_CONFIRM_DAYS = env.int("NEWSLETTER_CONFIRM_DAYS", default=3)
# Messages per task run of a newsletter send.
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)

# --- contact ---
# Where staff are told that a contact request waits (no personal data in that mail); empty: nobody.
# Break-glass (superuser) actions and watchdog alerts go to the privacy officers, or here if none is set up.
PRIVACY_OFFICER_EMAIL = env.str("PRIVACY_OFFICER_EMAIL", default="privacy@netrex.nl")
CONTACT_NOTIFY_EMAIL = env.str("CONTACT_NOTIFY_EMAIL", default="info@netrex.nl")
# Public forms (contact, newsletter subscription): attempts per IP address per window.
CONTACT_RATE_LIMIT_COUNT = env.int("CONTACT_RATE_LIMIT_COUNT", default=5)
CONTACT_RATE_LIMIT_SECONDS = env.int("CONTACT_RATE_LIMIT_SECONDS", default=3600)

# --- stats ---
# The page-view buffer is written every this many views or seconds, whichever comes first.
STATS_FLUSH_EVERY = env.int("STATS_FLUSH_EVERY", default=200)
STATS_FLUSH_SECONDS = env.int("STATS_FLUSH_SECONDS", default=30)
# Paths that are not counted (besides every admin page).
STATS_EXCLUDE_PREFIXES = env.list(
    "STATS_EXCLUDE_PREFIXES", default=["/static/", "/healthz", "/i18n/", "/favicon", "/mollie-sim/"]
)

# --- outbox (faults: Redis or the database gone for a while) ---
# A task that cannot reach the broker waits in the database outbox (netrex/outbox/) until it is back.
INSTALLED_APPS += ["netrex.outbox"]
# Publishing gives up fast when the broker is down or hangs (the message then goes to the outbox): one
# attempt, bounded by the Redis timeouts above (redis-py itself reconnects a connection Redis dropped), and
# a broker that made a publish wait is skipped for a few seconds (netrex/celery.py): a request never hangs on Redis.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
# The Redis cache fails open (netrex/redis_cache.py): with Redis stopped pages work, rate limits pause.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "netrex.redis_cache.ResilientRedisCache"
# A pooled connection is checked before use: after a database restart or a dropped connection the
# next request gets a fresh connection instead of an error.
# (Django passes psycopg_pool's ConnectionPool.check_connection to the pool when this is on.)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
