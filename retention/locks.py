"""No two sweeps at once.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) taken on a dedicated
connection in autocommit mode, so that no transaction stays open for the run (a transaction open
for hours would hold back VACUUM on every table, the very rows the sweep deletes included: the
benchmark measures the longest transaction of a sweep).  The lock is released explicitly at the
end; a crashed worker's connection closes and takes the lock with it, and a connection whose
unlock failed is closed rather than handed back to the pool.  The sweep's own batches run on the
default connection and commit independently.

Other databases (SQLite under ``make run``): a row in ``SweepLock`` with a unique key; a row older
than ``RETENTION_LOCK_STALE_SECONDS`` is taken to belong to a crashed run and is replaced.
"""

import contextlib
import datetime
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

LOCK_KEY = "retention-sweep"
# A constant 64-bit key for pg_try_advisory_xact_lock: "netrex retention" in spirit, fixed forever.
ADVISORY_KEY = 7_424_561_029_384_117


@contextlib.contextmanager
def sweep_lock() -> Iterator[bool]:
    """Yield ``True`` when this process holds the sweep lock, ``False`` when another sweep holds it."""
    if connection.vendor == "postgresql":
        with _advisory_lock() as acquired:
            yield acquired
    else:
        with _row_lock() as acquired:
            yield acquired


@contextlib.contextmanager
def _advisory_lock() -> Iterator[bool]:
    dedicated = connections.create_connection(DEFAULT_DB_ALIAS)
    acquired = False
    try:
        with dedicated.cursor() as cursor:  # autocommit: the lock belongs to the session, not a transaction
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            acquired = bool(cursor.fetchone()[0])
        yield acquired
    finally:
        released = not acquired
        if acquired:
            with contextlib.suppress(Exception), dedicated.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
                released = bool(cursor.fetchone()[0])
        if not released and dedicated.connection is not None:
            with contextlib.suppress(Exception):
                dedicated.connection.close()  # never return a connection that may still hold the lock
        with contextlib.suppress(Exception):
            dedicated.close()


@contextlib.contextmanager
def _row_lock() -> Iterator[bool]:
    from retention.models import SweepLock

    token = uuid.uuid4().hex
    stale = timezone.now() - datetime.timedelta(seconds=settings.RETENTION_LOCK_STALE_SECONDS)
    with transaction.atomic():
        SweepLock.objects.filter(key=LOCK_KEY, acquired_at__lt=stale).delete()
        try:
            with transaction.atomic():
                SweepLock.objects.create(key=LOCK_KEY, token=token)
            acquired = True
        except IntegrityError:
            acquired = False
    try:
        yield acquired
    finally:
        if acquired:
            SweepLock.objects.filter(key=LOCK_KEY, token=token).delete()
