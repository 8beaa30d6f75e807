"""The portal's Celery app, with switches that SIGKILL the worker at a chosen point (fault tests only).

``FAULT_KILL_AFTER_MAILS=n``: die right after the n-th message is sent; ``FAULT_KILL_AFTER_BATCHES=n``:
die right after the n-th retention batch committed.  ``FAULT_MARKER`` is created just before the
kill, so a restarted worker (or the same task redelivered) runs to the end.
"""

import os
import signal
import uuid
from pathlib import Path

from celery.signals import worker_process_init, worker_ready
from django.core.mail.backends.base import BaseEmailBackend

from netrex.celery import app  # noqa: F401  (the app celery -A loads)


def _die_if(counter: str, limit_env: str) -> None:
    limit = int(os.environ.get(limit_env) or 0)
    marker = Path(os.environ["FAULT_MARKER"])
    if not limit or marker.exists():
        return
    _counts[counter] = _counts.get(counter, 0) + 1
    if _counts[counter] >= limit:
        marker.write_text(counter)
        os.kill(os.getpid(), signal.SIGKILL)


_counts: dict[str, int] = {}


class KillingFileBackend(BaseEmailBackend):
    """One file per message (named by its recipient), then maybe the kill."""

    def send_messages(self, messages) -> int:
        folder = Path(os.environ["FAULT_MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            for recipient in message.recipients():
                (folder / f"{recipient}.{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
            _die_if("mail", "FAULT_KILL_AFTER_MAILS")
        return len(messages)


def _patch_retention(**kwargs) -> None:
    from retention import engine

    if getattr(engine._erase_batch, "_fault", False):
        return
    original = engine._erase_batch

    def erase_batch(*args, **kw):
        original(*args, **kw)
        _die_if("batch", "FAULT_KILL_AFTER_BATCHES")

    erase_batch._fault = True
    engine._erase_batch = erase_batch


worker_ready.connect(_patch_retention)
worker_process_init.connect(_patch_retention)
