"""The announcement of a new statement version through a real Celery worker on Redis, queued after commit (C37)."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import UserFactory
from consent import services
from consent.models import StatementNotice, StatementVersion


@pytest.mark.clause("C37")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_every_customer_after_the_version_is_published(celery_worker):
    past = timezone.now() - datetime.timedelta(days=3)
    customers = [UserFactory(username=f"lezer{n}", date_joined=past) for n in range(3)]
    staff = UserFactory(username="redacteur", is_staff=True, date_joined=past)
    version = StatementVersion.objects.create(
        number=7, date=datetime.date(2026, 12, 1), summary_nl="Nieuw.", summary_en="New."
    )
    services.statement_publish(version=version, staff=staff)
    deadline = time.monotonic() + 20
    while len(mail.outbox) < len(customers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(c.email for c in customers)
    assert StatementNotice.objects.filter(version=version, emailed_at__isnull=False).count() == len(customers)
