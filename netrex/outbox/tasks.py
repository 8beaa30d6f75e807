"""The outbox's periodic task (``netrex/schedule.py``): send what waited for the broker."""

from celery import shared_task

from netrex.outbox.publishing import drain


@shared_task
def outbox_drain() -> int:
    return drain()
