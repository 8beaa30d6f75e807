"""A real Celery worker on Redis applies a change queued after commit: the change is applied in the background."""

import time

import pytest

from accounts.tests.factories import UserFactory
from hosting import services
from hosting.models import Change


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C06")
def test_a_real_worker_applies_the_change_after_commit(celery_worker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    customer = UserFactory()
    service, _ = services.service_create(user=customer, kind="hosting", domain="werker.nl", source="worker:1")
    change = services.dns_record_add(service=service, name="www", rtype="A", value="192.0.2.1", ttl=3600)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        change.refresh_from_db()
        if change.status != Change.Status.PENDING:
            break
        time.sleep(0.1)
    assert change.status == Change.Status.APPLIED
    service.refresh_from_db()
    assert service.state == service.State.ACTIVE
