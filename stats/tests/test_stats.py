"""Anonymous page-view statistics, profiling only without objection, and Matomo-style IP masking (C09–C11)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from privacy.anonymise import ip_mask, path_normalise
from privacy.declarations import for_model
from stats import services
from stats.buffer import buffer
from stats.models import PageView, ProfilingEvent, ProfilingObjection


@pytest.fixture(autouse=True)
def _empty_buffer():
    buffer.take()
    yield
    buffer.take()


@pytest.mark.clause("C09")
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/orders/123/?email=jan@example.nl", "/orders/:id/"),
        ("/x/3f2504e0-4f89-11d3-9a0c-0305e82c3301/", "/x/:uuid/"),
        ("/account/confirm-email/MQ:1tAbCd:xyz123/", "/account/confirm-email/:token/"),
        ("/account/password/reset/key/1a-5x7kz9q2w3e4r5t6/", "/account/password/reset/key/:token/"),
        ("/profiel/jan@example.nl/", "/profiel/:email/"),
        ("/Contact/", "/contact/"),
        ("/", "/"),
    ],
)
def test_paths_are_normalised_so_no_personal_data_leaks_through_urls(raw, expected):
    assert path_normalise(raw) == expected


@pytest.mark.clause("C11")
@pytest.mark.parametrize(
    ("ip", "masked"),
    [
        ("192.168.123.45", "192.168.0.0"),
        ("2001:db8:85a3:1234:5678:8a2e:370:7334", "2001:db8:85a3::"),
        ("::ffff:203.0.113.99", "203.0.0.0"),
        ("203.0.113.99", "203.0.0.0"),
    ],
)
def test_ip_masking_like_matomo(ip, masked):
    assert ip_mask(ip) == masked


@pytest.mark.clause("C09")
def test_the_page_view_model_holds_no_personal_data():
    fields = {f.name for f in apps.get_model("stats", "PageView")._meta.get_fields()}
    assert fields == {"id", "day", "path", "views"}


@pytest.mark.django_db
@pytest.mark.clause("C09")
@override_settings(STATS_FLUSH_EVERY=1000, STATS_FLUSH_SECONDS=3600)
def test_page_views_are_buffered_without_queries_and_stored_as_counts_only(
    customer_client, customer, django_assert_num_queries
):
    customer_client.get(reverse("contact:form"))  # warm up the session
    buffer.take()
    for _ in range(3):
        customer_client.get(reverse("contact:form") + "?email=" + customer.email)
    assert not PageView.objects.exists()  # nothing written on the hot path

    with django_assert_num_queries(0):
        from django.test import RequestFactory

        from stats.middleware import PageViewMiddleware

        def page(request):
            from django.http import HttpResponse

            return HttpResponse("<p>ok</p>")

        request = RequestFactory().get("/contact/42/")
        request.user = customer
        PageViewMiddleware(page)(request)

    buffer.flush()
    rows = {(row.path, row.views) for row in PageView.objects.all()}
    assert ("/contact/", 3) in rows and ("/contact/:id/", 1) in rows
    stored = " ".join(f"{row.day} {row.path} {row.views}" for row in PageView.objects.all())
    assert customer.email not in stored and customer.username not in stored
    assert "127.0.0.1" not in stored

    customer_client.get(reverse("contact:form"))
    buffer.flush()
    assert PageView.objects.get(path="/contact/", day=timezone.localdate()).views == 4  # incremented, not replaced


@pytest.mark.django_db(transaction=True)
@override_settings(STATS_FLUSH_EVERY=2, STATS_FLUSH_SECONDS=3600)
def test_the_buffer_is_written_after_the_response_once_due(client):
    client.get(reverse("contact:form"))
    assert not PageView.objects.exists()
    client.get(reverse("contact:form"))
    assert PageView.objects.get(path="/contact/").views == 2


@pytest.mark.django_db
@override_settings(STATS_FLUSH_EVERY=1, STATS_FLUSH_SECONDS=3600)
def test_the_buffer_is_never_written_inside_someone_elses_transaction(client):
    client.get(reverse("contact:form"))  # the test case's transaction is open
    assert not PageView.objects.exists()
    buffer.flush()
    assert PageView.objects.get(path="/contact/").views == 1


@pytest.mark.django_db
@pytest.mark.clause("C10", "C39f", "C11")
def test_profiling_records_email_and_ip_and_stops_at_objection(customer_client, customer):
    customer_client.get(reverse("contact:form"), REMOTE_ADDR="198.51.100.20")
    buffer.flush()
    event = ProfilingEvent.objects.get(user=customer)
    assert (event.email, event.ip_address, event.path) == (customer.email, "198.51.100.20", "/contact/")

    page = customer_client.get(reverse("stats:profile"))
    assert b"198.51.100.20" in page.content and b"/contact/" in page.content
    customer_client.get(reverse("contact:form"))  # buffered before the objection
    customer_client.post(reverse("stats:objection"), {"choice": "object"})
    assert ProfilingObjection.objects.filter(user=customer).exists()
    assert not ProfilingEvent.objects.filter(user=customer).exists()  # what we had is deleted

    customer_client.get(reverse("contact:form"))
    buffer.flush()
    assert not ProfilingEvent.objects.filter(user=customer).exists()
    assert PageView.objects.filter(path="/contact/").exists()  # anonymous counting goes on

    customer_client.post(reverse("stats:objection"), {"choice": "allow"})
    customer_client.get(reverse("contact:form"))
    buffer.flush()
    assert ProfilingEvent.objects.filter(user=customer).count() == 1


@pytest.mark.django_db
@pytest.mark.clause("C11")
def test_profiling_events_are_due_for_deletion_after_six_weeks(customer):
    declaration = next(d for d in for_model(ProfilingEvent))
    now = timezone.now()
    services.pageviews_store(counts={}, visits=[])
    event = ProfilingEvent.objects.create(
        user=customer, email=customer.email, ip_address="198.51.100.1", path="/", created_at=now
    )
    assert event not in declaration.due(now + timedelta(weeks=6) - timedelta(minutes=1))
    assert event in declaration.due(now + timedelta(weeks=6))


@pytest.mark.django_db
@pytest.mark.clause("C09")
def test_staff_statistics_page_draws_the_daily_chart(staff_client, django_assert_max_num_queries):
    today = timezone.localdate()
    PageView.objects.create(day=today, path="/contact/", views=7)
    PageView.objects.create(day=today - timedelta(days=1), path="/", views=3)
    # 16: a support colleague, whose group permissions are one query (a superuser needs none).
    with django_assert_max_num_queries(16):
        response = staff_client.get(reverse("admin:stats_pageview_changelist") + "?days=7")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="stats-bar"') == 7
    assert "/contact/" in content and "10" in content
    assert staff_client.get(reverse("admin:stats_pageview_changelist") + "?days=abc").status_code == 200
