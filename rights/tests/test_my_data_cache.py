"""'My data' is kept per customer in the cache, and every change to what it shows is on the page at once.

Its totals and its rendered body are copies of declared data (``portal.dashboard.data_generation_keys``):
a save of any declared row renews them, so do the bulk writes that send no signal (the statistics
buffer's COPY, the retention sweep), and closing the account leaves no copy behind.
"""

import datetime
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.activity import Action as AccountAction
from portal import dashboard
from portal.models import Activity
from rights import selectors
from stats.buffer import Visit
from stats.models import ProfilingEvent

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
ACTIVITY_KEY = "portal.Activity:P2"
PROFILING_KEY = "stats.ProfilingEvent:P3:profiling_recorded"


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    return response.content.decode(), len(queries)


def _count(html: str, reference: str) -> int | None:
    """The count the page shows for the kind of data ``reference``."""
    match = re.search(rf'data-declaration="{re.escape(reference)}">\s*<h3>[^<]*<span class="badge">(\d+)</span>', html)
    return int(match.group(1)) if match else None


def _copies(user_id: int) -> list[str]:
    return [dashboard.data_copy_key(name, user_id) for name in sorted(dashboard._data_copies)]


@pytest.mark.clause("C38")
def test_a_second_visit_is_served_from_the_copy_and_a_new_row_shows_at_once(customer_client, customer):
    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    url = reverse("rights:my_data")
    cold, cold_queries = _get(customer_client, url)
    warm, warm_queries = _get(customer_client, url)
    assert warm_queries < cold_queries
    assert _count(warm, ACTIVITY_KEY) == _count(cold, ACTIVITY_KEY) == 1
    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    assert _count(_get(customer_client, url)[0], ACTIVITY_KEY) == 2


@pytest.mark.clause("C38")
def test_a_change_to_the_account_shows_at_once_and_another_customers_change_renews_nothing(
    customer_client, customer, other
):
    url = reverse("rights:my_data")
    assert "Utrechtseweg 1" not in _get(customer_client, url)[0]
    key = dashboard.data_copy_key(selectors.my_data_copy_name("nl"), customer.pk)
    assert cache.get(key) is not None
    other.town = "Zwolle"
    other.save()
    assert cache.get(key) is not None  # someone else's change leaves this customer's copy alone
    customer.street = "Utrechtseweg 1"
    customer.save()
    assert "Utrechtseweg 1" in _get(customer_client, url)[0]


@pytest.mark.clause("C38")
def test_rows_written_by_the_statistics_buffer_are_counted_at_once(customer_client, customer):
    from consent.models import Method
    from consent.services import consent_give
    from stats.services import pageviews_store

    consent_give(user=customer, purpose_id="P3", method=Method.PRIVACY_PAGE)
    url = reverse("rights:my_data")
    assert _count(_get(customer_client, url)[0], PROFILING_KEY) is None  # nothing recorded yet
    visit = Visit(user_id=customer.pk, email=customer.email, ip_address=None, path="/x/", at=timezone.now())
    pageviews_store(counts=Counter({(timezone.localdate(), "/x/"): 2}), visits=[visit, visit])
    assert ProfilingEvent.objects.filter(user=customer).count() == 2
    assert _count(_get(customer_client, url)[0], PROFILING_KEY) == 2


@pytest.mark.clause("C38", "C11")
def test_rows_the_retention_sweep_removes_leave_the_page_at_once(customer_client, customer):
    from privacy import register
    from retention.engine import sweep

    now = timezone.now()
    old = now - register.rule("profiling_recorded").period() - datetime.timedelta(days=2)
    ProfilingEvent.objects.create(user=customer, email=customer.email, path="/old/", created_at=old)
    ProfilingEvent.objects.create(user=customer, email=customer.email, path="/new/", created_at=now)
    url = reverse("rights:my_data")
    assert _count(_get(customer_client, url)[0], PROFILING_KEY) == 2
    sweep(rules=["profiling_recorded"])
    assert ProfilingEvent.objects.filter(user=customer).count() == 1
    assert _count(_get(customer_client, url)[0], PROFILING_KEY) == 1


@pytest.mark.clause("C38")
def test_a_bulk_change_is_renewed_by_the_service_that_touches_the_dashboard(customer_client, customer):
    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    url = reverse("rights:my_data")
    assert _count(_get(customer_client, url)[0], ACTIVITY_KEY) == 1
    Activity.objects.filter(user=customer).delete()  # a bulk delete sends no signal here ...
    assert _count(_get(customer_client, url)[0], ACTIVITY_KEY) == 1  # ... so the copy stands ...
    dashboard.touch(customer.pk)  # ... until the service that did it touches the customer's copies
    assert _count(_get(customer_client, url)[0], ACTIVITY_KEY) is None


@pytest.mark.clause("C38")
def test_the_page_of_one_kind_counts_from_the_copy_and_follows_a_new_row(customer_client, customer):
    url = reverse("rights:my_data_item", kwargs={"reference": ACTIVITY_KEY})
    for _ in range(3):
        Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    customer_client.get(reverse("rights:my_data"))  # the totals are in the cache now
    html, _queries = _get(customer_client, url)
    assert html.count("<li") >= 3
    with CaptureQueriesContext(connection) as ctx:
        customer_client.get(url)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)  # no count over the rows
    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    assert selectors.totals_cached(user=customer, emails=[customer.email])[ACTIVITY_KEY]["n"] == 4


def test_a_cached_page_carries_the_token_of_the_session_that_is_served(client, customer, other):
    from django.test import Client

    url = reverse("rights:my_data")
    client.force_login(customer)
    client.get(url)
    second = Client()
    second.force_login(customer)
    html = second.get(url).content.decode()
    assert dashboard.CSRF_PLACEHOLDER not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert token and token not in client.get(url).content.decode()


def test_my_data_works_when_the_cache_fails(customer_client, customer, monkeypatch):
    from portal import cached_copies

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get_many", "set", "add", "delete_many"):
        monkeypatch.setattr(cached_copies.cache, name, broken)
    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    html, _queries = _get(customer_client, reverse("rights:my_data"))
    assert _count(html, ACTIVITY_KEY) == 1


@pytest.mark.clause("C24")
def test_closing_the_account_leaves_no_copy_of_my_data_in_the_cache(customer_client, customer):
    from accounts import closure

    for prefix in ("", "/en"):
        customer_client.get(prefix + reverse("rights:my_data"))
    keys = _copies(customer.pk)
    assert {selectors.my_data_copy_name("nl"), selectors.my_data_copy_name("en"), selectors.MY_DATA_COPY} <= set(
        dashboard._data_copies
    )
    present = [key for key in keys if cache.get(key) is not None]
    assert dashboard.data_copy_key(selectors.MY_DATA_COPY, customer.pk) in present
    assert any("my-data-html" in key for key in present)
    closure.account_close(user=customer)
    assert all(cache.get(key) is None for key in keys)
