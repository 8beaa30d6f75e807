# The two set-up commands of the README: `make run` and `make test`.  Both build .venv/ first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every dependency pinned with its hashes (`make lock` writes both from pyproject.toml): the virtualenv
# installs dev.lock, the Dockerfile prod.lock.
LOCK := requirements/dev.lock
export DJANGO_SETTINGS_MODULE ?= netrex.settings
# The settings default to production (DEBUG off, secrets required); every target here is a development
# tool, so they run in development unless told otherwise.  Production is the Dockerfile.
export DJANGO_DEBUG ?= on

.PHONY: run test lint typecheck lock messages compilemessages clean install bench soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	touch $(STAMP)

install: $(STAMP)

compilemessages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# make run: the embedded default (SQLite, Celery on the file-system transport, mail to var/mail/),
# always in development: the demo data and the Mollie simulator are refused with DEBUG off.
# scripts/run.py makes var/ first, then migrates, loads the demo data (it creates and ages only demo
# accounts' rows, so a restart changes nothing else) and serves at RUN_ADDRESS; SITE_URL follows it.
run: export DJANGO_DEBUG = on
run: compilemessages
	$(BIN)/python scripts/run.py

# make test: the whole suite on the real PostgreSQL and Redis, browser tests included.
test: compilemessages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/netrex} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	DJANGO_SETTINGS_MODULE=netrex.test_settings \
	$(BIN)/pytest $(PYTEST_ARGS)

# make bench: fill a PostgreSQL database to scale and take every figure of the benchmark (bench/run.py);
# BENCH_SCALE=small for a quick run (the CI smoke test), BENCH_DATABASE_URL for the database (re-created).
bench: compilemessages
	$(BIN)/python -m bench.run

# make soak: SOAK_SECONDS (default 600) of mixed traffic against gunicorn with a Celery worker and beat.
soak: compilemessages
	$(BIN)/python -m bench.soak

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# make typecheck: mypy with django-stubs; what it holds to account is [tool.mypy] in pyproject.toml.
typecheck: $(STAMP)
	$(BIN)/mypy

# make lock: resolve pyproject.toml again into requirements/prod.lock and dev.lock (with hashes), keeping
# every pin that still fits.  LOCK_ARGS=--upgrade takes the newest release of everything,
# LOCK_ARGS="--upgrade-package pillow" of one package.  Needs PyPI; the next make target reinstalls.
UV_COMPILE = --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml $(UV_COMPILE) $(LOCK_ARGS) -o requirements/prod.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements/prod.lock $(UV_COMPILE) $(LOCK_ARGS) \
		-o requirements/dev.lock

# Refresh the Dutch translations of every app (run after changing customer-facing strings).
messages: $(STAMP)
	$(BIN)/python scripts/makemessages.py

clean:
	rm -rf var db.sqlite3 staticfiles
