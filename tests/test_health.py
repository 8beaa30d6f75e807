"""GET /healthz: the state of the database and the task broker, and nothing else."""

import json

import pytest
from django.db import connection

# The answer names states only: the two checks, plus the retention sweep's freshness that ops watch
# (informational, see netrex/views.py).  No host names, versions, counts or errors.
INFORMATIONAL = {"retention"}
STATES = {"ok", "fail", "stale", "unknown"}


def _get(client):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert set(body) - {"status", "database", "broker"} <= INFORMATIONAL
    assert set(body.values()) <= STATES
    return response, {name: body[name] for name in ("status", "database", "broker")}


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_broker_are_up(client):
    response, body = _get(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "broker": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down_and_leaks_nothing(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # a closed port
    response, body = _get(client)
    assert response.status_code == 503
    assert body == {"status": "fail", "database": "ok", "broker": "fail"}
    text = response.content.decode()
    assert "127.0.0.1" not in text and "redis" not in text.lower() and "Traceback" not in text


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response, body = _get(client)
    assert response.status_code == 503
    assert body == {"status": "fail", "database": "fail", "broker": "ok"}


def test_healthz_answers_only_get(client):
    assert client.post("/healthz").status_code == 405
