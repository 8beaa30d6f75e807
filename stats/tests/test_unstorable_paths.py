"""A path PostgreSQL text cannot hold (a NUL byte, a lone surrogate) costs no page view of the buffer (C36)."""

import time
from datetime import UTC, date, datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stats import buffer as buffer_module
from stats.buffer import buffer, local_day, pg_text
from stats.models import PageView, ProfilingEvent

pytestmark = pytest.mark.clause("C36")


@pytest.fixture(autouse=True)
def _empty_buffer():
    buffer.take()
    yield
    buffer.take()


def test_pg_text_drops_nul_and_replaces_lone_surrogates():
    assert pg_text("/a\x00b/") == "/ab/"
    assert pg_text("/caf\udce9/") == "/caf?/"
    assert pg_text("/café/") == "/café/"


@pytest.mark.django_db
@override_settings(STATS_FLUSH_EVERY=1000, STATS_FLUSH_SECONDS=3600)
def test_a_nul_byte_in_a_url_is_recorded_without_it_and_the_rest_of_the_buffer_too(customer_client, customer):
    customer_client.get(reverse("contact:form"))  # warm up the session
    buffer.take()
    customer_client.get(reverse("contact:form"))
    nul = customer_client.get("/rechten/verzoek/bevestigen/abc%00def/")
    assert nul.status_code == 200  # a page that answers, so it is counted
    customer_client.get(reverse("contact:form"))

    buffer.flush()

    views = dict(PageView.objects.filter(day=timezone.localdate()).values_list("path", "views"))
    assert views == {"/contact/": 2, "/rechten/verzoek/bevestigen/abcdef/": 1}
    paths = sorted(ProfilingEvent.objects.filter(user=customer).values_list("path", flat=True))
    assert paths == ["/contact/", "/contact/", "/rechten/verzoek/bevestigen/abcdef/"]


@pytest.mark.django_db
def test_a_buffer_with_a_lone_surrogate_is_stored_whole(customer):
    buffer.add(time.time(), "/ok/")
    buffer.add(time.time(), "/caf\udce9\x00/", (customer.pk, customer.email, "", ""))
    buffer.flush()
    assert dict(PageView.objects.values_list("path", "views")) == {"/ok/": 1, "/caf?/": 1}
    assert list(ProfilingEvent.objects.values_list("path", flat=True)) == ["/caf?/"]


@pytest.mark.parametrize(
    ("at", "day"),
    [
        (datetime(2026, 3, 28, 22, 59, 59, tzinfo=UTC), date(2026, 3, 28)),  # 23:59:59 in Amsterdam (winter time)
        (datetime(2026, 3, 28, 23, 0, 0, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 7, 1, 21, 59, 59, tzinfo=UTC), date(2026, 7, 1)),  # 23:59:59 in summer time
        (datetime(2026, 7, 1, 22, 0, 0, tzinfo=UTC), date(2026, 7, 2)),
    ],
)
def test_a_view_counts_on_the_local_day_it_was_seen(at, day):
    assert local_day(at.timestamp()) == day


@pytest.mark.django_db
def test_a_buffer_that_is_not_written_holds_its_views_as_counts_and_loses_none(customer, monkeypatch):
    monkeypatch.setattr(buffer_module, "MAX_SEEN", 5)
    for n in range(12):
        buffer.add(time.time(), f"/bestellingen/{n}/", (customer.pk, customer.email, "192.0.2.7", ""))
    assert len(buffer._seen) < 5  # folded into counts twice: what is held stays bounded
    counts, visits = buffer.take()
    assert sum(counts.values()) == 12 and {path for _day, path in counts} == {"/bestellingen/:id/"}
    assert len(visits) == 12 and {visit.ip_address for visit in visits} == {"192.0.2.7"}
