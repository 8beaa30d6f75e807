"""Monthly range partitions of a table by its clock, on PostgreSQL, so that expiry can drop whole months.

Nothing here knows an app.  A table converted by ``partition_table`` is ``PARTITION BY RANGE`` on one
timestamp (or date) column: one partition per calendar month (UTC), named ``<table>_pYYYYMM`` and
holding ``[first of the month, first of the next month)``, plus ``<table>_default`` (the DEFAULT
partition) for rows of a month that has no partition of its own.  The retention sweep
(``retention/engine.py``) drops a monthly partition whose whole range has expired instead of
deleting its rows one by one; ``ensure_all`` (beat, daily) keeps the coming months' partitions
ready so new rows never pile up in the DEFAULT partition.

On any other database (SQLite for ``make run``) every function is a no-op: ``is_partitioned`` is
``False`` and the sweep deletes rows as it always did.
"""

import logging
import re
from datetime import UTC, date, datetime

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MONTHS_AHEAD = 3  # partitions kept ready beyond the current month
LOCK_TIMEOUT = "500ms"  # DDL waits at most this long for a lock, so the portal never queues behind it
MAX_NAME = 63  # PostgreSQL's identifier length


def _connection(using: str):
    return connections[using]


def _postgresql(using: str) -> bool:
    return _connection(using).vendor == "postgresql"


def _quote(using: str, name: str) -> str:
    return _connection(using).ops.quote_name(name)


# -- months and names ------------------------------------------------------------------------------
def month_start(moment: datetime | date) -> datetime:
    """The first instant (UTC) of the month of ``moment``."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC) if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def add_months(moment: datetime, months: int) -> datetime:
    """The first instant of the month ``months`` after the month of ``moment``."""
    start = month_start(moment)
    index = start.year * 12 + start.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def month_starts(start: datetime | date, end: datetime | date) -> list[datetime]:
    """The first instants of every month from the month of ``start`` to the month of ``end``, inclusive."""
    months, current, last = [], month_start(start), month_start(end)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def partition_name(table: str, month: datetime) -> str:
    name = f"{table}_p{month:%Y%m}"
    if len(name) > MAX_NAME:
        raise ValueError(f"partition name {name} is longer than PostgreSQL's {MAX_NAME} characters")
    return name


def default_name(table: str) -> str:
    return f"{table}_default"


def bound(moment: datetime) -> str:
    """A partition bound literal that means the same instant whatever the session's time zone."""
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


# -- introspection ---------------------------------------------------------------------------------
def partition_column(model, *, using: str = "default") -> str | None:
    """The column ``model``'s table is range-partitioned by; ``None`` if it is not (or not PostgreSQL)."""
    if not _postgresql(using):
        return None
    with _connection(using).cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = to_regclass(%s) AND p.partstrat = 'r' AND p.partnatts = 1",
            [_quote(using, model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def is_partitioned(model, *, using: str = "default") -> bool:
    """Whether ``model``'s table is a partitioned table (``pg_partitioned_table``); ``False`` off PostgreSQL."""
    if not _postgresql(using):
        return False
    with _connection(using).cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)",
            [_quote(using, model._meta.db_table)],
        )
        return cursor.fetchone() is not None


def monthly_partitions(model, *, using: str = "default") -> list[tuple[str, datetime, datetime]]:
    """The monthly partitions attached to ``model``'s table as ``(name, lower, upper)``, oldest first.

    The bounds come from the naming convention (``<table>_pYYYYMM``); partitions named otherwise,
    and the DEFAULT partition, are not listed.
    """
    if not _postgresql(using):
        return []
    table = model._meta.db_table
    pattern = re.compile(rf"^{re.escape(table)}_p(\d{{4}})(\d{{2}})$")
    with _connection(using).cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [_quote(using, table)],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        match = pattern.match(name)
        if match and 1 <= int(match[2]) <= 12:
            lower = datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)
            found.append((name, lower, add_months(lower, 1)))
    return sorted(found, key=lambda p: p[1])


def _default_partition(cursor, quoted_table: str) -> str | None:
    cursor.execute(
        "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partdefid "
        "WHERE p.partrelid = to_regclass(%s)",
        [quoted_table],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _exists(cursor, quoted_name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [quoted_name])
    return cursor.fetchone()[0]


# -- creating partitions ---------------------------------------------------------------------------
def ensure_partitions(model, *, start, end, using: str = "default") -> list[str]:
    """Create the missing monthly partitions covering ``[start, end]``; returns the names created.

    Idempotent.  A month whose range already holds rows in the DEFAULT partition is skipped and
    logged: PostgreSQL refuses to create a partition that would take rows away from the DEFAULT
    partition, and those rows are swept row by row anyway.  Each partition is created in its own
    short transaction that waits at most ``LOCK_TIMEOUT`` for the table's lock.
    """
    column = partition_column(model, using=using)
    if column is None:
        return []
    table = model._meta.db_table
    quoted_table, quoted_column = _quote(using, table), _quote(using, column)
    created = []
    for month in month_starts(start, end):
        name = partition_name(table, month)
        quoted = _quote(using, name)
        lower, upper = bound(month), bound(add_months(month, 1))
        try:
            with transaction.atomic(using=using), _connection(using).cursor() as cursor:
                if _exists(cursor, quoted):
                    continue
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
                default = _default_partition(cursor, quoted_table)
                if default is not None:
                    cursor.execute(
                        f"SELECT EXISTS (SELECT 1 FROM {_quote(using, default)} "  # noqa: S608 - quoted names
                        f"WHERE {quoted_column} >= %s AND {quoted_column} < %s)",
                        [lower, upper],
                    )
                    if cursor.fetchone()[0]:
                        logger.warning(
                            "partitions: %s not created: the default partition holds rows of %s", name, f"{month:%Y-%m}"
                        )
                        continue
                cursor.execute(
                    f"CREATE TABLE {quoted} PARTITION OF {quoted_table} FOR VALUES FROM (%s) TO (%s)",
                    [lower, upper],
                )
        except DatabaseError:
            # A lock that did not come in time, or a row that reached the default partition meanwhile.
            logger.warning("partitions: %s not created this time", name, exc_info=True)
            continue
        logger.info("partitions: created %s", name)
        created.append(name)
    return created


def ensure_all(*, now=None, using: str = "default") -> dict[str, list[str]]:
    """For every declared model with a rule whose table is partitioned by its clock: this month and the next three.

    Run daily by beat (``retention.tasks.partitions_ensure``); returns the partitions created per table.
    """
    from privacy import declarations as declaration_registry

    now = now or timezone.now()
    done: dict[str, list[str]] = {}
    for declaration in declaration_registry.all_declarations():
        model = declaration.model
        table = model._meta.db_table
        if not declaration.rule or table in done or partition_column(model, using=using) is None:
            continue
        done[table] = ensure_partitions(model, start=now, end=add_months(now, MONTHS_AHEAD), using=using)
    return done


# -- dropping a partition --------------------------------------------------------------------------
def count_range(model, column: str, lower: datetime, upper: datetime, *, using: str = "default") -> int:
    """Rows of ``model`` with ``lower <= column < upper`` (the rows of one monthly partition)."""
    quoted_column = _quote(using, column)
    with _connection(using).cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {_quote(using, model._meta.db_table)} "  # noqa: S608 - quoted names
            f"WHERE {quoted_column} >= %s AND {quoted_column} < %s",
            [bound(lower), bound(upper)],
        )
        return cursor.fetchone()[0]


def drop_partition(model, name: str, *, using: str = "default") -> int | None:
    """Drop the attached partition ``name`` of ``model``'s table in one short transaction; returns its row count.

    Returns ``None`` (and drops nothing) when a lock did not come within ``LOCK_TIMEOUT``: the
    caller leaves those rows to the next run or to its row-wise walk.  The partition is first locked
    against writers (``SHARE``: readers go on) so that the count is exactly what is dropped, then
    dropped as a partition: ``DROP TABLE`` detaches it under the parent's lock.  It is not
    ``DETACH PARTITION`` followed by ``DROP``: detaching turns the partition's inherited foreign
    keys into keys of its own, with triggers on the referenced tables (the user table), and dropping
    those takes an ``ACCESS EXCLUSIVE`` lock on the user table, which would stall every page.
    """
    quoted = _quote(using, name)
    try:
        with transaction.atomic(using=using), _connection(using).cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            cursor.execute(
                "SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(%s) AND inhparent = to_regclass(%s)",
                [quoted, _quote(using, model._meta.db_table)],
            )
            if cursor.fetchone() is None:
                return 0  # not (or no longer) a partition of this table: nothing of it to drop
            cursor.execute(f"LOCK TABLE {quoted} IN SHARE MODE")
            cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 - a quoted name
            rows = cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {quoted}")
    except DatabaseError:
        logger.warning("partitions: %s not dropped this run (lock timeout or conflict)", name, exc_info=True)
        return None
    logger.info("partitions: dropped %s (%s rows)", name, rows)
    return rows


# -- converting a table ----------------------------------------------------------------------------
def partition_table(schema_editor, model, column: str, *, now=None) -> None:
    """Convert ``model``'s plain table into ``PARTITION BY RANGE (column)`` under the same name.

    Kept: the columns, the identity (or serial default) of the primary key and its sequence
    position, the check constraints, every index and unique constraint (same names, so later
    migrations still find them), the foreign keys (same names) and the rows.  The primary key
    becomes ``(pk, column)`` in the database, because PostgreSQL requires the partition key in every
    unique constraint of a partitioned table; Django keeps treating the model's own primary key as
    the primary key, and the sequence keeps it unique.  Creates the DEFAULT partition
    ``<table>_default`` and monthly partitions from the month before ``now`` to ``MONTHS_AHEAD``
    months ahead; older rows land in the DEFAULT partition (the row-wise sweep removes them).

    Runs in the migration's transaction and holds the table's ``ACCESS EXCLUSIVE`` lock while the
    rows are copied.  Refuses a table that other tables reference by foreign key (PostgreSQL cannot
    reference the model's key alone once it is partitioned).  A no-op on other databases, and on a
    table that is already partitioned.
    """
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or is_partitioned(model, using=connection.alias):
        return
    _rebuild(connection, model, column, now or timezone.now())


def unpartition_table(schema_editor, model) -> None:
    """The reverse of ``partition_table``: a plain table of the same name, rows, indexes, keys and sequence.

    The primary key becomes the model's own key again.  A no-op on other databases and on a plain table.
    """
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not is_partitioned(model, using=connection.alias):
        return
    _rebuild(connection, model, None, None)


def _rebuild(connection, model, column: str | None, now) -> None:
    """Re-create the table under its own name, partitioned by ``column`` (``None``: plain), with all it had."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    old = f"{table}_{'unpartitioned' if column else 'partitioned'}"[: MAX_NAME - len(pk) - 5]
    old_sequence = f"{old}_{pk}_seq"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if column:
            cursor.execute(
                "SELECT conname, conrelid::regclass::text FROM pg_constraint "
                "WHERE confrelid = to_regclass(%s) AND contype = 'f' AND conrelid <> confrelid",
                [quote(table)],
            )
            referencing = cursor.fetchall()
            if referencing:
                raise ValueError(f"{table} cannot be partitioned: referenced by {referencing}")
        # Indexes that belong to no constraint (a partitioned table's read "ON ONLY"), then unique and
        # exclusion constraints and foreign keys, each with its name.
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [quote(table)],
        )
        indexes = [row[0].replace(" ON ONLY ", " ON ", 1) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'x', 'f') ORDER BY contype DESC, conname",
            [quote(table)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'p'", [quote(table)]
        )
        pk_name = cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attidentity <> '' FROM pg_attribute WHERE attrelid = to_regclass(%s) "
            "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            [quote(table)],
        )
        attributes = cursor.fetchall()
        columns = ", ".join(quote(name) for name, _ in attributes)
        identity = any(is_identity for name, is_identity in attributes if name == pk)
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), pk])
        sequence = cursor.fetchone()[0]  # schema-qualified and quoted as needed, or None

        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        if identity and sequence:
            # Free the sequence's name for the new table's identity; its position is copied below.
            cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {quote(old_sequence)}")
        partition_by = f" PARTITION BY RANGE ({quote(column)})" if column else ""
        cursor.execute(
            f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS INCLUDING IDENTITY "
            f"INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS){partition_by}"
        )
        if column:
            cursor.execute(f"CREATE TABLE {quote(default_name(table))} PARTITION OF {quote(table)} DEFAULT")
            for month in month_starts(add_months(now, -1), add_months(now, MONTHS_AHEAD)):
                cursor.execute(
                    f"CREATE TABLE {quote(partition_name(table, month))} PARTITION OF {quote(table)} "
                    "FOR VALUES FROM (%s) TO (%s)",
                    [bound(month), bound(add_months(month, 1))],
                )
        overriding = " OVERRIDING SYSTEM VALUE" if identity else ""
        cursor.execute(
            f"INSERT INTO {quote(table)} ({columns}){overriding} SELECT {columns} FROM {quote(old)}"  # noqa: S608
        )
        if identity and sequence:
            cursor.execute(f"SELECT last_value, is_called FROM {quote(old_sequence)}")  # noqa: S608 - a quoted name
            last_value, is_called = cursor.fetchone()
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)", [quote(table), pk, last_value, is_called]
            )
        elif sequence:
            # A serial key: the copied default still calls the same sequence, which must outlive the old table.
            cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {quote(table)}.{quote(pk)}")
        cursor.execute(f"DROP TABLE {quote(old)}")  # its partitions, indexes and keys with it: their names are free
        # Built after the rows are in, which is faster.
        key = f"{quote(pk)}, {quote(column)}" if column else quote(pk)
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(pk_name)} PRIMARY KEY ({key})")
        for definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
