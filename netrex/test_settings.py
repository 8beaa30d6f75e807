"""Settings for the test suite: the real PostgreSQL and Redis, a fast hasher, mail kept in memory."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/netrex")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CELERY_BROKER_URL", os.environ["REDIS_URL"])
# Development settings (the settings default to production); pytest-django still runs tests with DEBUG off.
os.environ.setdefault("DJANGO_DEBUG", "on")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
# Threads of the concurrency and live-server tests never hand a pooled connection back, so a pool
# would run dry over a whole run: the suite connects per thread instead.
os.environ.setdefault("DATABASE_POOL", "off")

from netrex.settings import *  # noqa: E402,F403
from netrex.settings import VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the test process unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
STORAGES["default"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# WhiteNoise looks files up per request instead of scanning a collected STATIC_ROOT at start-up.
WHITENOISE_AUTOREFRESH = True
# It finds them in the static folders (no collectstatic): tests get static files with their real headers.
WHITENOISE_USE_FINDERS = True
# seed_demo refuses to run with DEBUG off (production); the tests run with DEBUG off on a test database.
DEMO_DATA_ALLOWED = True
# Domain ownership proofs (hosting/domains.py) are looked up in DOMAIN_VERIFY_STATIC_TXT, which tests
# fill: no DNS query leaves the suite.
DOMAIN_VERIFY_RESOLVER = "hosting.domains.static_txt_lookup"
DOMAIN_VERIFY_STATIC_TXT = {}
# The cache (allauth's rate limits) is the real Redis; tests clear their own keys (conftest.py).
CACHES["default"]["KEY_PREFIX"] = "netrex-test"  # noqa: F405
