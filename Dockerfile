# One image for the web process, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=netrex.settings

# gettext compiles the Dutch catalogues; curl is the health check's client; Pango, HarfBuzz's subsetter
# and a font are what WeasyPrint needs to write the invoices as PDF (billing/pdf.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 netrex

WORKDIR /app
# Exactly the pinned releases of requirements/prod.lock, each checked against its hash (`make lock` writes it).
COPY requirements/prod.lock requirements/
RUN pip install --require-hashes --no-deps -r requirements/prod.lock

COPY --chown=netrex:netrex . .
# Build-time only values: collectstatic and compilemessages need importable settings, not real secrets.
RUN DJANGO_DEBUG=off DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0000 \
    DJANGO_ALLOWED_HOSTS=build MOLLIE_SIMULATOR=off MOLLIE_API_KEY=test_build \
    python manage.py collectstatic --no-input --verbosity 0 \
    && python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && mkdir -p /app/var/private /app/var/mail && chown -R netrex:netrex /app/var /app/staticfiles

USER netrex
EXPOSE 8000
CMD ["gunicorn", "netrex.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]
