"""The Celery app, configured from Django settings (the ``CELERY_`` namespace).

Tasks are Django-aware (``DjangoTask``), so services queue them with ``task.delay_on_commit(id)``:
nothing is sent for a change that is rolled back.  Their class is ``netrex.outbox.publishing.OutboxTask``:
a message that cannot reach the broker waits in the database outbox instead of being lost.
Periodic tasks are defined in ``netrex.schedule`` and nowhere else.  Workers and beat log as the web processes
do (``LOGGING`` in settings, not Celery's own set-up), and a task runs under the request id of the request that
queued it (``netrex.request_id``).
"""

import contextlib
import os
import sys
import time
from pathlib import Path

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from kombu.exceptions import OperationalError

from netrex import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netrex.settings")

# A publish that failed after this many seconds found a broker that hangs rather than one that refuses.
SLOW_FAILURE = 0.25
# How long a broker that hung is skipped: the publishes of those seconds go straight to the outbox.
BROKER_RETRY_AFTER = 5.0


class NetrexCelery(Celery):
    """Celery, skipping for a few seconds a broker that made a publish wait and then fail.

    The broker's Redis timeouts bound one publish to a hung Redis (settings); without this, every task a
    request queues would wait that long again.  For ``BROKER_RETRY_AFTER`` seconds after such a publish,
    publishing raises at once, so ``OutboxTask`` keeps the message in the outbox and the request carries on.
    A broker that refuses at once (stopped, port closed) costs nothing and is asked every time.  The state
    is the process's, shared by its threads.
    """

    broker_down_until = 0.0

    @contextlib.contextmanager
    def producer_or_acquire(self, producer=None):
        if producer is not None or self.conf.task_always_eager:
            with super().producer_or_acquire(producer) as given:
                yield given
            return
        from netrex.outbox.publishing import BROKER_ERRORS

        if time.monotonic() < self.broker_down_until:
            raise OperationalError("broker skipped: it hung moments ago")
        started = time.monotonic()
        try:
            with super().producer_or_acquire() as acquired:
                yield acquired
        except BROKER_ERRORS:
            if time.monotonic() - started >= SLOW_FAILURE:
                self.broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
            raise


_path_before = list(sys.path)
app = NetrexCelery("netrex", task_cls="netrex.outbox.publishing:OutboxTask")
# Celery's Django fix-up puts the working directory first on sys.path.  Run from an app's folder
# (``cd consent && ../manage.py makemessages``) that would let the app's own modules shadow
# installed packages of the same name (consent/csp.py over django-csp); the project folder is on
# the path already, so take the working directory off again unless it was there before.
_inserted = sys.path[1:] == _path_before and sys.path[:1] == [os.getcwd()]
if _inserted and Path.cwd() != Path(__file__).resolve().parent.parent:
    sys.path.pop(0)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender: Celery, **kwargs) -> None:
    from netrex.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


before_task_publish.connect(request_id.on_before_task_publish, weak=False, dispatch_uid="netrex.request_id.publish")
task_prerun.connect(request_id.on_task_prerun, weak=False, dispatch_uid="netrex.request_id.prerun")
task_postrun.connect(request_id.on_task_postrun, weak=False, dispatch_uid="netrex.request_id.postrun")


@setup_logging.connect(weak=False, dispatch_uid="netrex.logging")
def _log_as_django_does(**kwargs) -> None:
    """A receiver here keeps Celery from replacing the root logger's handlers with its own format."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
