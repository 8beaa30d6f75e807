"""The in-process buffer of page views: pages never wait for the database to count them.

The middleware only adds to a counter under a lock.  Every ``STATS_FLUSH_EVERY`` views or
``STATS_FLUSH_SECONDS`` seconds the buffer is written in one go, after the response has gone out
(``request_finished``).  A process that stops loses at most one buffer of counts (fewer than
``STATS_FLUSH_EVERY`` views of the last ``STATS_FLUSH_SECONDS`` seconds), which statistics can afford.
"""

import dataclasses
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)
# Profiling visits held at most between two writes; beyond it they are dropped, never the page counts.
MAX_VISITS = 10_000


def pg_text(value: str) -> str:
    """``value`` as PostgreSQL text can hold it: without NUL characters, lone surrogates replaced.

    The buffer is written in one statement: one path it refuses (``/%00``) would lose every view in it.
    """
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True)
class Visit:
    """One page viewed by a signed-in customer, for profiling: written only if they have not objected."""

    user_id: int
    email: str
    ip_address: str | None
    path: str
    at: datetime


class ViewBuffer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[date, str]] = Counter()
        self._visits: list[Visit] = []
        self._added = 0
        self._last_flush = time.monotonic()

    def add(self, day: date, path: str, visit: Visit | None = None) -> None:
        path = pg_text(path)
        if visit is not None:
            visit = dataclasses.replace(visit, path=pg_text(visit.path), email=pg_text(visit.email))
        with self._lock:
            self._counts[(day, path)] += 1
            if visit is not None and len(self._visits) < MAX_VISITS:
                self._visits.append(visit)
            self._added += 1

    def due(self) -> bool:
        with self._lock:
            if not self._added:
                return False
            return (
                self._added >= settings.STATS_FLUSH_EVERY
                or time.monotonic() - self._last_flush >= settings.STATS_FLUSH_SECONDS
            )

    def take(self) -> tuple[Counter, list[Visit]]:
        with self._lock:
            counts, visits = self._counts, self._visits
            self._counts, self._visits, self._added = Counter(), [], 0
            self._last_flush = time.monotonic()
        return counts, visits

    def flush(self) -> None:
        counts, visits = self.take()
        if counts or visits:
            from stats.services import pageviews_store

            pageviews_store(counts=counts, visits=visits)

    def flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception:  # statistics must never break a page or a shutdown
            logger.exception("could not write the page-view buffer")


buffer = ViewBuffer()


def flush_if_due(sender=None, **kwargs) -> None:
    """``request_finished`` receiver: write the buffer when it is due, after the response was sent.

    Never inside a transaction someone else opened (a test case, a management command serving
    requests): the statistics would be rolled back with it, and its queries counted as its own.
    """
    if buffer.due() and not connection.in_atomic_block:
        buffer.flush_quietly()
