"""The privacy statement page is rendered once per version, language and visitor variant, and shows a change at once.

The cached page holds nothing of the visitor (the CSRF token is filled in per request), a new or a
scheduled version is on the page the moment it is published, and the customer's reading of the
version is still recorded (C37).
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from consent import services, views
from consent.models import StatementNotice, StatementVersion
from portal import dashboard

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _queries(client, url: str = "/privacy/") -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [
        q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _page_keys() -> list[str]:
    client = cache._cache.get_client(write=False)
    prefix = cache.make_key("consent:statement-page:")
    return [key.decode() for key in client.scan_iter(f"{prefix}*")]


@pytest.mark.clause("C37")
def test_an_anonymous_visit_is_served_without_a_query_and_looks_the_same(client):
    first, cold = _queries(client)
    second, warm = _queries(Client())
    assert cold and not warm
    assert re.sub(r'value="[^"]+"', "", first) == re.sub(r'value="[^"]+"', "", second)


@pytest.mark.clause("C37")
def test_a_customer_is_served_the_shared_page_and_their_reading_is_still_recorded(client):
    old_customer = UserFactory(username="klantoud9", date_joined=timezone.now() - datetime.timedelta(days=30))
    staff = UserFactory(username="redacteur", is_staff=True)
    version = StatementVersion.objects.create(number=2, date=datetime.date(2026, 11, 1))
    services.statement_publish(version=version, staff=staff)
    warmer = Client()
    warmer.force_login(UserFactory(username="eerste"))
    warmer.get("/privacy/")  # the customers' variant is in the cache now
    client.force_login(old_customer)
    html, queries = _queries(client)
    assert "1 november 2026" in html
    assert StatementNotice.objects.filter(user=old_customer, version=version, read_at__isnull=False).exists()
    _html, again = _queries(client)
    assert len(again) < len(queries)  # read once: the session remembers it, no lock per visit
    assert "klantoud9" not in _html and old_customer.email not in _html


def test_the_cached_page_carries_the_token_of_the_session_that_is_served(client):
    client.force_login(UserFactory())
    client.get("/privacy/")
    other = Client()
    other.force_login(UserFactory())
    html = other.get("/privacy/").content.decode()
    assert dashboard.CSRF_PLACEHOLDER not in html and views.NONCE_PLACEHOLDER not in html
    assert _token(html) != _token(client.get("/privacy/").content.decode())


def test_an_anonymous_statement_carries_no_token_and_sets_no_cookie(client):
    """A visitor without an account has no form on the page that needs one (the language switch needs none)."""
    client.get("/privacy/")
    response = Client().get("/privacy/")  # served from the copy
    html = response.content.decode()
    assert dashboard.CSRF_PLACEHOLDER not in html and "csrfmiddlewaretoken" not in html
    assert not response.cookies
    assert 'class="language-switch"' in html


@pytest.mark.clause("C37")
def test_a_published_version_is_on_the_page_at_once(client):
    assert "24 mei 2018" in client.get("/privacy/").content.decode()
    staff = UserFactory(username="redacteur", is_staff=True)
    version = StatementVersion.objects.create(number=2, date=datetime.date(2026, 11, 1))
    services.statement_publish(version=version, staff=staff)
    assert "1 november 2026" in client.get("/privacy/").content.decode()


@pytest.mark.clause("C37")
def test_a_version_scheduled_for_later_is_on_the_page_the_moment_it_is_due(client, monkeypatch):
    due = timezone.now() + datetime.timedelta(hours=1)
    StatementVersion.objects.create(number=2, date=datetime.date(2026, 12, 1), published_at=due)
    assert "1 december 2026" not in client.get("/privacy/").content.decode()
    later = due + datetime.timedelta(seconds=1)
    monkeypatch.setattr(views.time, "time", lambda: later.timestamp())
    monkeypatch.setattr(views.timezone, "now", lambda: later)
    monkeypatch.setattr("consent.models.timezone.now", lambda: later)
    assert "1 december 2026" in client.get("/privacy/").content.decode()


def test_each_language_and_cookie_choice_has_its_own_page(client):
    dutch = client.get("/privacy/").content.decode()
    english = client.get("/en/privacy/").content.decode()
    assert 'lang="nl"' in dutch and 'lang="en"' in english
    client.post("/privacy/cookies/", {"action": "refuse_all"})
    refused = client.get("/privacy/").content.decode()
    assert 'data-asked="1"' in refused and 'data-asked="1"' not in dutch


@pytest.mark.clause("C24")
def test_closing_an_account_leaves_no_copy_of_the_customer_in_the_statement_cache(client):
    from accounts import closure

    customer = UserFactory(username="vertrekker", first_name="Vera", last_name="Vertrek")
    client.force_login(customer)
    client.get("/privacy/")
    client.get("/en/privacy/")
    keys = _page_keys()
    assert keys  # the logged-in variants are cached ...
    for key in keys:  # ... and hold nothing of the customer who made them
        html = cache.get(key.split(":", 2)[2])["html"]
        assert "vertrekker" not in html and customer.email not in html and "Vertrek" not in html
    closure.account_close(user=customer)
    for key in _page_keys():
        html = cache.get(key.split(":", 2)[2])["html"]
        assert customer.email not in html


def test_a_page_with_a_message_or_a_query_string_is_rendered_as_usual(client):
    client.get("/privacy/?utm=x")
    client.get("/privacy/")
    assert len(_page_keys()) == 1
