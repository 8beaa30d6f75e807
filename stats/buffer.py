"""The in-process buffer of page views: pages never wait for the database to count them.

The middleware only appends what it saw to a list under a lock.  Every ``STATS_FLUSH_EVERY`` views or
``STATS_FLUSH_SECONDS`` seconds the buffer is written in one go, after the response has gone out
(``request_finished``).  A process that stops loses at most one buffer of counts (fewer than
``STATS_FLUSH_EVERY`` views of the last ``STATS_FLUSH_SECONDS`` seconds), which statistics can afford.
"""

import functools
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.client import client_ip_from
from privacy.anonymise import path_normalise

logger = logging.getLogger(__name__)
# Profiling visits held at most between two writes; beyond it they are dropped, never the page counts.
MAX_VISITS = 10_000
# Views held as seen between two writes; beyond it they are held as counts (``ViewBuffer.add``).
MAX_SEEN = 20_000


def pg_text(value: str) -> str:
    """``value`` as PostgreSQL text can hold it: without NUL characters, lone surrogates replaced.

    The buffer is written in one statement: one path it refuses (``/%00``) would lose every view in it.
    """
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


@functools.lru_cache(maxsize=4096)
def stored_path(path: str) -> str:
    """``path`` as statistics keep it: normalised (no ids, tokens or addresses) and storable as text."""
    return pg_text(path_normalise(path))


# Every time zone's offset is a whole number of quarters of an hour: within one, the local day is the same.
_QUARTER = 900
_days: dict[tuple[str, int], date] = {}


def local_day(at: float) -> date:
    """The day in ``TIME_ZONE`` of the Unix time ``at``."""
    key = (settings.TIME_ZONE, int(at // _QUARTER))
    day = _days.get(key)
    if day is None:
        if len(_days) > 1000:
            _days.clear()
        day = _days[key] = timezone.localdate(datetime.fromtimestamp(at, tz=UTC))
    return day


@dataclass(frozen=True)
class Visit:
    """One page viewed by a signed-in customer, for profiling: written only if they have not objected."""

    user_id: int
    email: str
    ip_address: str | None
    path: str
    at: datetime


class ViewBuffer:
    """Views as the middleware saw them, turned into counts and visits only when the buffer is written.

    A view costs the request one tuple appended under a lock: its time, its raw path and, for a signed-in
    customer, who they are and the addresses the request came from.  Normalising the path, the local day and
    the client's IP address are worked out by ``take``, once per distinct path and quarter of an hour.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[tuple[float, str, tuple | None]] = []
        # What ``_seen`` held when it grew to ``MAX_SEEN`` between two writes (a database that would not take them).
        self._counts: Counter[tuple[date, str]] = Counter()
        self._folded: list[Visit] = []
        self._visits = 0
        self._added = 0
        self._last_flush = time.monotonic()

    def add(self, at: float, path: str, visitor: tuple[int, str, str, str] | None = None) -> None:
        """A view at ``at`` (a Unix time) of ``path`` (as requested); ``visitor``: a signed-in customer's
        ``(user id, e-mail address, REMOTE_ADDR, X-Forwarded-For)``, for profiling."""
        with self._lock:
            if visitor is not None:
                if self._visits >= MAX_VISITS:
                    visitor = None
                else:
                    self._visits += 1
            self._seen.append((at, path, visitor))
            self._added += 1
            if len(self._seen) >= MAX_SEEN:  # held as counts from here on: the buffer's memory stays bounded
                counts, visits = _fold(self._seen)
                self._counts.update(counts)
                self._folded.extend(visits)
                self._seen = []

    def due(self) -> bool:
        with self._lock:
            if not self._added:
                return False
            return (
                self._added >= settings.STATS_FLUSH_EVERY
                or time.monotonic() - self._last_flush >= settings.STATS_FLUSH_SECONDS
            )

    def take(self) -> tuple[Counter, list[Visit]]:
        """Empty the buffer: its views as counts per (local day, stored path) and as profiling visits."""
        with self._lock:
            seen, counts, visits = self._seen, self._counts, self._folded
            self._seen, self._counts, self._folded, self._visits, self._added = [], Counter(), [], 0, 0
            self._last_flush = time.monotonic()
        more_counts, more_visits = _fold(seen)
        counts.update(more_counts)
        return counts, visits + more_visits

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


def _fold(seen: list[tuple[float, str, tuple | None]]) -> tuple[Counter, list[Visit]]:
    """Views as the middleware saw them, as counts per (local day, stored path) and profiling visits."""
    counts: Counter[tuple[date, str]] = Counter()
    visits: list[Visit] = []
    for at, raw_path, visitor in seen:
        path = stored_path(raw_path)
        counts[(local_day(at), path)] += 1
        if visitor is not None:
            user_id, email, remote_addr, forwarded_for = visitor
            visits.append(
                Visit(
                    user_id=user_id,
                    email=pg_text(email),
                    ip_address=client_ip_from(remote_addr, forwarded_for),
                    path=path,
                    at=datetime.fromtimestamp(at, tz=UTC),
                )
            )
    return counts, visits


buffer = ViewBuffer()


def flush_if_due(sender=None, **kwargs) -> None:
    """``request_finished`` receiver: write the buffer when it is due, after the response was sent.

    Never inside a transaction someone else opened (a test case, a management command serving
    requests): the statistics would be rolled back with it, and its queries counted as its own.
    """
    if buffer.due() and not connection.in_atomic_block:
        buffer.flush_quietly()
