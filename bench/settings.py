"""Settings of the benchmark: the portal's own settings, served as in production, plus one minimal view.

Imported with the development environment (so no production secrets are needed), then switched to
``DEBUG = False`` so that Django keeps no query log and renders as it does in production.
``BENCH_STATS=off`` removes the page-view middleware (to price page-view recording).
"""

import os

from netrex.settings import *  # noqa: F403
from netrex.settings import MIDDLEWARE, VAR_DIR

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Static files are served by whitenoise from the source folders: no collectstatic/manifest needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("BENCH_STATS", "on") == "off":
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "stats.middleware.PageViewMiddleware"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("BENCH_MAIL_DIR", str(VAR_DIR / "bench" / "mail"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
# Static files from the source folders (production serves them collected, by the same whitenoise).
WHITENOISE_USE_FINDERS = True
