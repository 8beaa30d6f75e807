"""Celery: one place for the beat schedule, and a real worker on Redis running a task queued after commit."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from netrex import schedule
from netrex.celery import app
from tests.signup import PERSONAL

PASSWORD = "Lang-genoeg-wachtwoord-7"


def test_beat_schedule_comes_from_netrex_schedule_only():
    app.finalize()
    assert app.conf.beat_schedule == schedule.beat_schedule()
    for name, entry in schedule.beat_schedule().items():
        assert entry["task"] in app.tasks, name  # every entry names a registered task (names outlive modules)


def test_celery_is_configured_from_django_settings(settings):
    assert app.conf.task_acks_late is True
    assert app.conf.timezone == settings.TIME_ZONE
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_verification_email_queued_after_commit(celery_worker, client):
    response = client.post(
        reverse("account_signup"),
        {"username": "bram", "email": "bram@example.nl", "password1": PASSWORD, "password2": PASSWORD, **PERSONAL},
    )
    assert response.status_code == 302
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [message.to for message in mail.outbox] == [["bram@example.nl"]]
