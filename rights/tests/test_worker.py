"""A real Celery worker on Redis builds the export queued after commit (C39b)."""

import time

import pytest

from accounts.tests.factories import UserFactory
from portal.models import Activity
from rights import services
from rights.models import DataExport


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C39b")
def test_a_real_worker_builds_the_export_queued_after_commit(celery_worker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    customer = UserFactory()
    Activity.objects.bulk_create(Activity(user=customer, action="logged_in") for _ in range(1200))
    export = services.export_request(user=customer)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in (DataExport.Status.READY, DataExport.Status.FAILED):
            break
        time.sleep(0.1)
    assert export.status == DataExport.Status.READY and export.progress == 100 and export.size > 0
