"""Writes of the statistics app: storing the buffered views, and the customer's objection to profiling.

Profiling (P3) rests on an explicit opt-in: visits are stored for a customer only while their latest consent
record for P3 says "given" (``consent.selectors.consenting_users``), checked when the buffer is written,
under a lock on the accounts that a withdrawal takes too, so nothing is written after a withdrawal.
"""

from collections import Counter

from django.db import connection, transaction
from django.http import HttpRequest

from accounts.models import User
from consent import selectors as consent_selectors
from consent.sync import consent_record
from portal import dashboard
from portal.activity import activity_record
from stats.activity import Action
from stats.buffer import Visit
from stats.models import PageView, ProfilingEvent, ProfilingObjection


@transaction.atomic
def pageviews_store(*, counts: Counter, visits: list[Visit]) -> None:
    """Add the buffered counts (one upsert that increments) and the profiling visits of non-objectors.

    On PostgreSQL the commit does not wait for the write-ahead log to reach the disk
    (``synchronous_commit = off`` for this transaction only): a crash in the next fraction of a
    second may lose this write, as a crashed process loses its buffer, but it can never be torn or
    break consistency, and a busy portal does not pay a disk flush for every buffer of statistics.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    if counts:
        table = connection.ops.quote_name(PageView._meta.db_table)
        sql = (
            f"INSERT INTO {table} (day, path, views) VALUES (%s, %s, %s) "  # noqa: S608 (table name from _meta)
            f"ON CONFLICT (day, path) DO UPDATE SET views = {table}.views + EXCLUDED.views"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(day, path, views) for (day, path), views in counts.items()])
    if visits:
        user_ids = {visit.user_id for visit in visits}
        # Locking the accounts serialises this with profiling_object: no event is written after an objection.
        active = set(
            User.objects.select_for_update().filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True)
        )
        # Profiling rests on consent (P3): only a customer whose latest record says "given" is profiled; no
        # record is no consent (issue 16).  An objection row stops it too, whatever the records say.
        consenting = consent_selectors.consenting_users(user_ids=active, purpose_id="P3")
        objected = set(ProfilingObjection.objects.filter(user_id__in=active).values_list("user_id", flat=True))
        allowed = consenting - objected
        rows = [(v.user_id, v.email, v.ip_address, v.path, v.at) for v in visits if v.user_id in allowed]
        if rows:
            _profiling_insert(rows)
            # COPY sends no signal: "my data" counts them again; no other page shows them.
            dashboard.data_touch({row[0] for row in rows}, pages=False)


def _profiling_insert(rows: list[tuple]) -> None:
    """Write profiling rows ``(user_id, email, ip_address, path, created_at)``: by COPY on PostgreSQL."""
    if connection.vendor != "postgresql":
        ProfilingEvent.objects.bulk_create(
            ProfilingEvent(user_id=user_id, email=email, ip_address=ip, path=path, created_at=at)
            for user_id, email, ip, path, at in rows
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(ProfilingEvent._meta.get_field(name).column)
        for name in ("user", "email", "ip_address", "path", "created_at")
    )
    table = quote(ProfilingEvent._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@transaction.atomic
def profiling_object(*, user: User, request: HttpRequest | None = None, sync_consent: bool = True) -> bool:
    """The customer objects to profiling (C10, C39f): nothing is recorded any more, and what was is deleted."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    _, created = ProfilingObjection.objects.get_or_create(user=user)
    deleted, _ = ProfilingEvent.objects.filter(user=user).delete()
    if created:
        activity_record(user=user, action=Action.PROFILING_OBJECTED, request=request, detail={"deleted": deleted})
    if sync_consent:
        consent_record(user=user, purpose_id="P3", given=False, method="portal", request=request)
    return created


@transaction.atomic
def profiling_allow(*, user: User, request: HttpRequest | None = None, sync_consent: bool = True) -> bool:
    """The customer opts in to profiling (or back in after an objection); ``True`` when that changed anything."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    consented = consent_selectors.consent_given(user=user, purpose_id="P3")
    deleted, _ = ProfilingObjection.objects.filter(user=user).delete()
    if deleted:
        activity_record(user=user, action=Action.PROFILING_ALLOWED, request=request)
    if sync_consent:
        consent_record(user=user, purpose_id="P3", given=True, method="portal", request=request)
    return bool(deleted) or not consented


def consent_profiling_withdrawn(*, user: User, request: HttpRequest | None = None) -> None:
    profiling_object(user=user, request=request, sync_consent=False)


def consent_profiling_given(*, user: User, request: HttpRequest | None = None) -> None:
    profiling_allow(user=user, request=request, sync_consent=False)
