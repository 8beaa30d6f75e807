"""GET /healthz (liveness: the process serves) and GET /readyz (readiness: the database, the cache's Redis
and the task broker answer in time), and nothing else."""

import datetime
import json
import threading
import time

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from netrex import health
from retention.models import RetentionRun

# The answers name states only: the checks, plus the retention sweep's freshness that ops watch
# (informational, see netrex/health.py).  No host names, versions, counts or errors.
INFORMATIONAL = {"retention"}
STATES = {"ok", "fail", "degraded", "never-run", "stale", "failed", "unknown"}
CHECKS = ("status", "database", "cache", "broker")
CLOSED_PORT = "redis://127.0.0.1:1/0"


def _get(client, path="/readyz"):
    response = client.get(path)
    body = json.loads(response.content)
    assert set(body) - set(CHECKS) <= INFORMATIONAL
    assert set(body.values()) <= STATES
    return response, {name: body[name] for name in CHECKS if name in body}


@pytest.fixture
def database_down(monkeypatch):
    """Every connection refuses, in every thread (the checks run in threads of their own)."""

    def refuse(*args, **kwargs):
        raise connections["default"].Database.OperationalError("connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)


@pytest.mark.django_db
def test_readyz_is_200_when_database_cache_and_broker_are_up(client):
    response, body = _get(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_down_and_leaks_nothing(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT
    response, body = _get(client)
    assert response.status_code == 503
    assert body == {"status": "fail", "database": "ok", "cache": "ok", "broker": "fail"}
    text = response.content.decode()
    assert "127.0.0.1" not in text and "redis" not in text.lower() and "Traceback" not in text


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down(client, database_down):
    response, body = _get(client)
    assert response.status_code == 503
    assert body == {"status": "fail", "database": "fail", "cache": "ok", "broker": "ok"}
    assert json.loads(response.content)["retention"] == "unknown"


@pytest.mark.django_db
@pytest.mark.clause("C36")
def test_readyz_is_503_when_the_caches_redis_is_down_although_the_cache_fails_open(client, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": CLOSED_PORT}}
    response, body = _get(client)
    assert response.status_code == 503
    assert body == {"status": "fail", "database": "ok", "cache": "fail", "broker": "ok"}


@pytest.mark.django_db
@pytest.mark.clause("C36")
def test_healthz_is_liveness_200_whatever_the_dependencies_say(client, settings, database_down):
    settings.CELERY_BROKER_URL = CLOSED_PORT
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": CLOSED_PORT}}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "retention": "unknown"}
    assert "no-cache" in response["Cache-Control"] and not response.cookies


@pytest.mark.django_db
@pytest.mark.clause("C36")
def test_a_hung_check_fails_within_the_budget_and_is_not_started_twice(client, monkeypatch):
    release = threading.Event()
    calls = []

    def hang() -> bool:
        calls.append(1)
        release.wait(30)
        return True

    monkeypatch.setattr(health, "broker_ok", hang)
    try:
        for _probe in range(2):
            started = time.monotonic()
            response, body = _get(client)
            assert time.monotonic() - started < health.BUDGET + 1
            assert response.status_code == 503
            assert body == {"status": "fail", "database": "ok", "cache": "ok", "broker": "fail"}
        assert calls == [1]  # the second probe waited for the first one's check instead of starting another
    finally:
        release.set()


def test_healthz_and_readyz_answer_only_get(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def _run(status: str, *, hours_ago: float = 1, full: bool = True) -> RetentionRun:
    finished = timezone.now() - datetime.timedelta(hours=hours_ago)
    return RetentionRun.objects.create(
        started_at=finished - datetime.timedelta(minutes=5), finished_at=finished, status=status, full=full
    )


@pytest.mark.django_db
@pytest.mark.clause("C36", "D1")
def test_a_fresh_install_reports_never_run_not_stale_and_is_ready(client):
    assert client.get("/healthz").json() == {"status": "ok", "retention": "never-run"}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "retention": "never-run",
    }
    # No sweep ever and the installation (its first migration) older than the stale period: stale, degraded.
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=27)):
        assert client.get("/healthz").json()["retention"] == "stale"
        response, body = _get(client)
        assert response.status_code == 200 and body["status"] == "degraded"


@pytest.mark.django_db
@pytest.mark.clause("C36", "D1")
@pytest.mark.parametrize("status", [RetentionRun.Status.FAILED, RetentionRun.Status.ERRORS])
def test_a_failed_sweep_keeps_healthz_200_and_makes_readyz_degraded_but_200(client, status):
    _run(RetentionRun.Status.SUCCESS, hours_ago=25)
    _run(status, hours_ago=1)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "retention": "failed"}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "retention": "failed",
    }


@pytest.mark.django_db
@pytest.mark.clause("C36", "D1")
def test_a_sweep_that_stopped_succeeding_makes_readyz_degraded_and_the_next_success_clears_it(client):
    _run(RetentionRun.Status.SUCCESS, hours_ago=27)
    response, body = _get(client)
    assert (response.status_code, body["status"], response.json()["retention"]) == (200, "degraded", "stale")
    _run(RetentionRun.Status.SUCCESS, hours_ago=0.1)
    response, body = _get(client)
    assert (response.status_code, body["status"], response.json()["retention"]) == (200, "ok", "ok")


@pytest.mark.django_db
@pytest.mark.clause("C36")
def test_a_dependency_down_is_503_fail_whatever_the_sweep_says(client, settings):
    _run(RetentionRun.Status.FAILED)
    settings.CELERY_BROKER_URL = CLOSED_PORT
    response, body = _get(client)
    assert response.status_code == 503
    assert body == {"status": "fail", "database": "ok", "cache": "ok", "broker": "fail"}
    assert response.json()["retention"] == "failed"
