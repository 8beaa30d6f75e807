"""The privacy statement page served from the process's own copy: no database, no cache round trip, and a new
version still on the page at once in this process and within ``LOCAL_TOKEN_SECONDS`` in every other one."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from consent import services, views
from consent.models import StatementVersion
from portal import cached_copies

pytestmark = pytest.mark.django_db


def _get(client: Client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/privacy/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.clause("C37")
def test_an_anonymous_visit_from_the_process_copy_asks_nothing_of_the_database_nor_the_cache(monkeypatch):
    _get(Client())
    _get(Client())  # the process now keeps the page and the token
    asked = []
    monkeypatch.setattr(cached_copies, "get_many", lambda keys: asked.append(keys) or {})
    html, statements = _get(Client())
    assert statements == []  # not even BEGIN / COMMIT: the page is served outside a transaction
    assert asked == []
    assert "csrfmiddlewaretoken" not in html  # an anonymous page has no form that needs one


@pytest.mark.clause("C37")
def test_a_version_published_by_another_process_shows_once_the_local_token_is_asked_again(monkeypatch):
    staff = UserFactory(is_staff=True)
    _get(Client())
    _get(Client())
    token, pages = list(views._local_token), dict(views._local_pages)
    version = StatementVersion.objects.create(number=7, date=datetime.date(2026, 12, 1))
    services.statement_publish(version=version, staff=staff)
    # As another process sees it: the token in the cache changed, its own copy and token did not.
    views._local_token[:] = token
    views._local_pages.update(pages)
    assert "1 december 2026" not in _get(Client())[0]  # within the second, the process's copy
    monkeypatch.setattr(views, "LOCAL_TOKEN_SECONDS", 0.0)  # the second has passed
    assert "1 december 2026" in _get(Client())[0]


@pytest.mark.clause("C37")
def test_a_version_saved_in_this_process_shows_at_once(client):
    staff = UserFactory(is_staff=True)
    _get(client)
    _get(client)
    version = StatementVersion.objects.create(number=8, date=datetime.date(2026, 12, 2))
    services.statement_publish(version=version, staff=staff)
    html, statements = _get(Client())
    assert "2 december 2026" in html and statements
