"""allauth's session tracking, written at most once a minute per session and device (a hot-path cost)."""

from unittest import mock

import pytest
from allauth.usersessions.models import UserSession
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


def _usersession_queries(client, url, **headers) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return sum(1 for q in ctx.captured_queries if "usersessions_usersession" in q["sql"])


@pytest.mark.django_db
def test_session_is_recorded_once_then_not_rewritten_on_every_page(customer_client, customer):
    url = reverse("accounts:profile")
    customer_client.get(url)
    assert UserSession.objects.filter(user=customer).count() == 1
    seen = UserSession.objects.get(user=customer).last_seen_at
    assert _usersession_queries(customer_client, url) == 0
    assert UserSession.objects.get(user=customer).last_seen_at == seen


@pytest.mark.django_db
def test_a_new_device_is_recorded_at_once(customer_client, customer):
    url = reverse("accounts:profile")
    customer_client.get(url, HTTP_USER_AGENT="Browser A")
    assert _usersession_queries(customer_client, url, HTTP_USER_AGENT="Browser B") > 0
    assert UserSession.objects.get(user=customer).user_agent == "Browser B"


@pytest.mark.django_db
def test_last_seen_is_updated_after_the_interval(customer_client, customer, settings):
    settings.USERSESSIONS_TRACK_EVERY_SECONDS = 0  # every request is due
    url = reverse("accounts:profile")
    customer_client.get(url)
    UserSession.objects.filter(user=customer).update(last_seen_at=timezone.now() - timezone.timedelta(hours=1))
    customer_client.get(url)
    assert timezone.now() - UserSession.objects.get(user=customer).last_seen_at < timezone.timedelta(minutes=1)


@pytest.mark.django_db
def test_cache_down_still_tracks_and_serves_the_page(customer_client, customer):
    url = reverse("accounts:profile")
    with mock.patch("accounts.middleware.cache.add", side_effect=ConnectionError("redis down")):
        response = customer_client.get(url)
    assert response.status_code == 200
    assert UserSession.objects.filter(user=customer).exists()
