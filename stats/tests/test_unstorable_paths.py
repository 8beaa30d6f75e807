"""A path PostgreSQL text cannot hold (a NUL byte, a lone surrogate) costs no page view of the buffer (C36)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stats.buffer import Visit, buffer, pg_text
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
    today, now = timezone.localdate(), timezone.now()
    buffer.add(today, "/ok/")
    buffer.add(
        today,
        "/caf\udce9\x00/",
        Visit(user_id=customer.pk, email=customer.email, ip_address=None, path="/caf\udce9\x00/", at=now),
    )
    buffer.flush()
    assert dict(PageView.objects.values_list("path", "views")) == {"/ok/": 1, "/caf?/": 1}
    assert list(ProfilingEvent.objects.values_list("path", flat=True)) == ["/caf?/"]
