"""Redis stopped: pages still work, queued work waits in the outbox and is sent once Redis is back (C36)."""

import json
import time

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from netrex.outbox.models import OutboxMessage
from netrex.outbox.publishing import drain
from tests.signup import PERSONAL

PASSWORD = "Lang-genoeg-wachtwoord-7"
pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db(transaction=True)]


def _queued(server) -> list[dict]:
    """The task messages waiting in the private Redis (Celery's default queue is a list)."""
    return [json.loads(raw)["headers"] for raw in server.client().lrange("celery", 0, -1)]


def test_with_redis_up_a_signup_mail_goes_straight_to_the_broker(broker, client):
    response = client.post(
        reverse("account_signup"),
        {"username": "upper", "email": "up@example.nl", "password1": PASSWORD, "password2": PASSWORD, **PERSONAL},
    )
    assert response.status_code == 302
    assert [h["task"] for h in _queued(broker)] == ["portal.tasks.email_send"]
    assert not OutboxMessage.objects.exists()


def test_with_redis_stopped_pages_work_and_the_mail_waits_in_the_outbox_until_redis_is_back(broker, client):
    customer = UserFactory()
    client.force_login(customer)
    broker.stop()

    for name in ("accounts:dashboard", "orders:list", "consent:consents", "accounts:profile"):
        started = time.monotonic()
        assert client.get(reverse(name)).status_code == 200, name
        assert time.monotonic() - started < 5, f"{name} hung on the stopped Redis"
    client.logout()

    started = time.monotonic()
    response = client.post(
        reverse("account_signup"),
        {"username": "bram", "email": "bram@example.nl", "password1": PASSWORD, "password2": PASSWORD, **PERSONAL},
    )
    assert response.status_code == 302  # the account exists; the customer is told to check the mail
    assert time.monotonic() - started < 8, "the request hung on the stopped Redis"
    waiting = list(OutboxMessage.objects.all())
    assert [m.task for m in waiting] == ["portal.tasks.email_send"]
    assert waiting[0].kwargs["to"] == ["bram@example.nl"]
    assert drain() == 0  # still down: nothing sent, nothing lost
    assert OutboxMessage.objects.get().attempts == 1

    broker.start()
    assert drain() == 1
    assert [(h["task"], h["id"]) for h in _queued(broker)] == [("portal.tasks.email_send", waiting[0].task_id)]
    assert not OutboxMessage.objects.exists()
    assert drain() == 0  # exactly once
    assert len(_queued(broker)) == 1


def test_the_next_successful_publish_has_a_worker_drain_the_outbox(broker):
    from accounts.tasks import sessions_clear_expired
    from netrex.outbox.tasks import outbox_drain

    broker.stop()
    sessions_clear_expired.delay()
    outbox_drain.delay()  # beat's periodic drain while Redis is down: not piled up in the outbox
    assert list(OutboxMessage.objects.values_list("task", flat=True)) == ["accounts.tasks.sessions_clear_expired"]
    broker.start()
    sessions_clear_expired.delay()
    queued = sorted(h["task"] for h in _queued(broker))
    assert queued == ["accounts.tasks.sessions_clear_expired", "netrex.outbox.tasks.outbox_drain"]


def test_a_worker_that_starts_sends_the_outbox_and_runs_what_waited(broker, tmp_path):
    from portal.tasks import email_send
    from tests.fault.conftest import Worker, wait_for

    broker.stop()
    email_send.delay(subject="Hallo", body="Tekst", to=["wachtend@example.nl"])
    assert OutboxMessage.objects.count() == 1
    broker.start()
    worker = Worker(broker.url, tmp_path).start()
    try:
        mail = tmp_path / "mail"
        wait_for(lambda: mail.exists() and any(mail.iterdir()), timeout=60, worker=worker)
    finally:
        worker.stop()
    assert [p.name.split(".eml")[0].rsplit(".", 1)[0] for p in mail.iterdir()] == ["wachtend@example.nl"]
    assert not OutboxMessage.objects.exists()
