"""``OutboxTask``: the class of every task of the portal (set in ``netrex.celery``).

It is Celery's ``DjangoTask`` (``delay_on_commit``) with one change: when the broker cannot be
reached, the message goes to the database outbox instead of being lost after the data it belongs
to was committed.  The request that queued it carries on; ``drain`` sends it once the broker is back.
"""

import datetime
import logging
import threading

import redis.exceptions
from celery import uuid
from celery.app.task import Task
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What publishing raises when Redis is stopped, unreachable or refuses the connection.
BROKER_ERRORS = (OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
# Publishing options that survive a stay in the outbox; the rest have no meaning later.
KEPT_OPTIONS = ("queue", "priority", "expires", "eta")
DRAIN_TASK = "netrex.outbox.tasks.outbox_drain"

_state = threading.local()
_stored = threading.Event()


class OutboxTask(DjangoTask):
    def apply_async(
        self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, shadow=None, **options
    ):
        if self.app.conf.task_always_eager or producer is not None or link or link_error:
            return super().apply_async(
                args,
                kwargs,
                task_id=task_id,
                producer=producer,
                link=link,
                link_error=link_error,
                shadow=shadow,
                **options,
            )
        task_id = task_id or uuid()
        try:
            result = super().apply_async(args, kwargs, task_id=task_id, shadow=shadow, **options)
        except BROKER_ERRORS as exc:
            if self.name == DRAIN_TASK:  # the drain itself is not worth keeping: the next one comes anyway
                logger.warning("broker unreachable: %s not sent (%s)", self.name, exc)
                return self.AsyncResult(task_id)
            logger.warning("broker unreachable: task %s %s kept in the outbox (%s)", self.name, task_id, exc)
            store(self.name, args, kwargs, task_id, options, exc)
            return self.AsyncResult(task_id)
        if _stored.is_set() and not getattr(_state, "draining", False):
            # The broker is back and this process left messages behind: have a worker send them now.
            _stored.clear()
            from netrex.outbox.tasks import outbox_drain

            outbox_drain.delay()
        return result


def _kept(options: dict) -> dict:
    kept = {name: options[name] for name in KEPT_OPTIONS if options.get(name) is not None}
    if options.get("countdown") is not None:
        kept["eta"] = timezone.now() + datetime.timedelta(seconds=float(options["countdown"]))
    for name in ("eta", "expires"):
        if isinstance(kept.get(name), datetime.datetime):
            kept[name] = kept[name].isoformat()
    return kept


def store(task_name: str, args, kwargs, task_id: str, options: dict, error: Exception | None = None) -> None:
    from netrex.outbox.models import OutboxMessage

    OutboxMessage.objects.get_or_create(
        task_id=task_id,
        defaults={
            "task": task_name,
            "args": list(args or ()),
            "kwargs": dict(kwargs or {}),
            "options": _kept(options),
            "last_error": str(error or "")[:300],
        },
    )
    _stored.set()


def drain(*, limit: int = 1000) -> int:
    """Publish waiting messages, oldest first, each exactly once; stops at the first broker error.

    Each message is locked (``SKIP LOCKED``: two drains never take the same row), published with its
    original task id and deleted in one transaction.  Returns how many were sent.
    """
    from netrex.celery import app
    from netrex.outbox.models import OutboxMessage

    sent = 0
    _state.draining = True
    try:
        while sent < limit:
            with transaction.atomic():
                row = OutboxMessage.objects.select_for_update(skip_locked=True).order_by("pk").first()
                if row is None:
                    break
                options = dict(row.options)
                for name in ("eta", "expires"):
                    if options.get(name):
                        options[name] = datetime.datetime.fromisoformat(options[name])
                task = app.tasks.get(row.task)
                try:
                    if task is None:
                        app.send_task(row.task, row.args, row.kwargs, task_id=row.task_id, **options)
                    else:
                        Task.apply_async(task, row.args, row.kwargs, task_id=row.task_id, **options)
                except BROKER_ERRORS as exc:
                    failed = (row.pk, str(exc)[:300])
                else:
                    row.delete()
                    sent += 1
                    continue
            # Outside the rolled-back-free transaction: note the attempt, leave the row for the next drain.
            OutboxMessage.objects.filter(pk=failed[0]).update(attempts=row.attempts + 1, last_error=failed[1])
            logger.warning("outbox: broker still unreachable after %s message(s): %s", sent, failed[1])
            break
    finally:
        _state.draining = False
    if sent:
        logger.info("outbox: %s message(s) sent", sent)
    return sent
