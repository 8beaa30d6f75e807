"""A Celery worker killed (SIGKILL) in the middle of a retention sweep and of a newsletter send (C36).

A real worker (``--pool=solo``) on a private Redis runs the task and kills itself at a chosen point
(``tests/fault/worker_app.py``).  Tasks are acknowledged late, so the message of the task it was
running comes back to the next worker, which finishes the job: nothing lost, nothing done twice.
"""

import datetime
import signal
from collections import Counter

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from tests.fault.conftest import Worker, wait_for

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db(transaction=True)]


def test_a_sweep_killed_after_two_batches_is_finished_by_the_next_worker(broker, tmp_path):
    from retention.models import RetentionRun
    from retention.tasks import retention_sweep
    from stats.models import ProfilingEvent

    user = UserFactory()
    old = timezone.now() - datetime.timedelta(days=60)
    ProfilingEvent.objects.bulk_create(ProfilingEvent(user=user, path=f"/oud/{n}", created_at=old) for n in range(50))
    ProfilingEvent.objects.bulk_create(ProfilingEvent(user=user, path=f"/nieuw/{n}") for n in range(10))

    retention_sweep.delay(rules=["profiling_recorded"])
    first = Worker(broker.url, tmp_path, RETENTION_BATCH_SIZE="10", FAULT_KILL_AFTER_BATCHES="2").start()
    assert first.wait_dead() == -signal.SIGKILL, first.output()
    assert ProfilingEvent.objects.filter(path__startswith="/oud/").count() == 30  # two batches of ten went
    assert RetentionRun.objects.get().status == RetentionRun.Status.RUNNING  # the killed run, never finished

    second = Worker(broker.url, tmp_path, RETENTION_BATCH_SIZE="10").start()
    try:
        wait_for(lambda: RetentionRun.objects.filter(status=RetentionRun.Status.SUCCESS).exists(), 60,
                 worker=second)  # fmt: skip
    finally:
        second.stop()
    assert not ProfilingEvent.objects.filter(path__startswith="/oud/").exists()
    assert ProfilingEvent.objects.filter(path__startswith="/nieuw/").count() == 10  # nothing not due touched
    finished = RetentionRun.objects.get(status=RetentionRun.Status.SUCCESS)
    assert finished.results.get().deleted == 30
    # The killed run is recorded as aborted, not left "running" for ever.
    assert RetentionRun.objects.exclude(pk=finished.pk).get().status == RetentionRun.Status.FAILED


def test_a_newsletter_send_killed_mid_batch_is_finished_with_one_message_per_recipient(broker, tmp_path):
    from newsletter import tokens
    from newsletter.models import Delivery, Newsletter, Subscriber
    from newsletter.services import newsletter_send_start

    emails = [f"lezer{n}@example.nl" for n in range(12)]
    Subscriber.objects.bulk_create(
        Subscriber(email=e, digest=tokens.email_digest(e), language="nl", source="form", confirmed_at=timezone.now())
        for e in emails
    )
    newsletter = Newsletter.objects.create(subject_nl="Nieuws", subject_en="News", body_nl="Tekst", body_en="Text")
    newsletter_send_start(newsletter=newsletter)  # queues newsletter_send on commit

    env = {"NEWSLETTER_BATCH_SIZE": "5"}
    first = Worker(broker.url, tmp_path, **env, FAULT_KILL_AFTER_MAILS="7").start()
    assert first.wait_dead() == -signal.SIGKILL, first.output()
    mail = tmp_path / "mail"
    assert len(list(mail.iterdir())) == 7

    second = Worker(broker.url, tmp_path, **env).start()
    try:
        wait_for(lambda: Newsletter.objects.get().status == Newsletter.Status.SENT, 60, worker=second)
    finally:
        second.stop()
    received = Counter(path.name.split(".eml")[0].rsplit(".", 1)[0] for path in mail.iterdir())
    assert received == Counter(emails)  # everyone exactly once
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    # The message in flight when the worker died was sent but never confirmed: claimed, and not resent.
    assert statuses == {Delivery.Status.SENT: 11, Delivery.Status.CLAIMED: 1}
