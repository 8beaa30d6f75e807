"""Monthly partitions of the profiling events (C11): conversion, routing, creation ahead, and the sweep.

``stats_profilingevent`` is partitioned by the migration; the tests add the months they need with
``ensure_partitions`` inside the test's transaction, so the DDL is rolled back with it.  Rows a test
inserts leave deferred foreign-key checks pending, and PostgreSQL refuses to drop or alter a table
with pending trigger events: ``connection.check_constraints()`` runs them first, as a committed
insert would have.
"""

import dataclasses
import datetime
import threading

import psycopg
import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models.signals import pre_delete

from accounts.tests.factories import UserFactory
from netrex.schedule import beat_schedule
from privacy.declarations import for_model
from privacy.models import LegalHold
from retention import engine, partitions, services
from stats.models import ProfilingEvent

UTC = datetime.UTC
NOW = datetime.datetime(2030, 3, 20, 12, 0, tzinfo=UTC)  # cutoff: 2030-02-06 12:00
TABLE = "stats_profilingevent"

pytestmark = pytest.mark.clause("C11")


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


def declaration():
    return next(d for d in for_model(ProfilingEvent) if d.rule)


def partition_of(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def table_exists(name) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def events(user, *moments):
    rows = ProfilingEvent.objects.bulk_create(
        ProfilingEvent(user=user, email=user.email, ip_address="198.51.100.1", path="/p/", created_at=m)
        for m in moments
    )
    return [row.pk for row in rows]


# Nov, Dec and Jan expire whole; Feb holds the cutoff; Mar is fresh; 2012 has no partition (DEFAULT).
DUE = [at(2029, 11, d) for d in (2, 9, 16, 23, 30)] + [at(2029, 12, d) for d in (1, 10, 31)]
DUE += [at(2030, 1, d) for d in (5, 25, 31)] + [at(2030, 2, 2), at(2030, 2, 6, 11)] + [at(2012, 5, d) for d in (1, 2)]
NOT_DUE = [at(2030, 2, 6, 13), at(2030, 2, 20), at(2030, 3, 1), at(2030, 3, 19)]


@pytest.fixture
def months(db):
    """Partitions for November 2029 to March 2030, as the daily beat task would have made them."""
    partitions.ensure_partitions(ProfilingEvent, start=at(2029, 11, 1), end=at(2030, 3, 1))


@pytest.fixture
def filled(months):
    """Rows of two customers over those months and in the DEFAULT partition; returns (customers, due, not due)."""
    first, second = UserFactory(), UserFactory()
    due = events(first, *DUE[::2]) + events(second, *DUE[1::2])
    fresh = events(first, *NOT_DUE[::2]) + events(second, *NOT_DUE[1::2])
    connection.check_constraints()
    return (first, second), set(due), set(fresh)


def sweep(**kwargs):
    with time_machine.travel(NOW, tick=False):
        return engine.sweep(rules=["profiling_recorded"], batch_size=3, **kwargs).rules[0]


# -- the table -------------------------------------------------------------------------------------
@pytest.fixture
def plain_model(db):
    """A throw-away plain table shaped like the profiling events: a user key, an index of each kind."""
    meta = {
        "app_label": "retention",
        "db_table": "retention_test_plain",
        "indexes": [models.Index(fields=["user", "-created_at"], name="plain_user_recent")],
    }
    attrs = {
        "__module__": __name__,
        "user": models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"),
        "path": models.CharField(max_length=50),
        "created_at": models.DateTimeField(db_index=True),
        "Meta": type("Meta", (), meta),
    }
    model = type("PlainProbe", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        yield model
    finally:
        apps.all_models["retention"].pop("plainprobe", None)
        apps.clear_cache()


def shape(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conname, contype FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('f', 'p')",
            [table],
        )
        constraints = set(cursor.fetchall())
    return indexes, constraints


@pytest.mark.django_db
def test_converting_a_table_keeps_its_rows_ids_indexes_keys_and_sequence_and_back(plain_model):
    user = UserFactory()
    now = datetime.datetime.now(UTC)
    old = [
        plain_model.objects.create(user=user, path=f"/{n}", created_at=now - datetime.timedelta(days=40 * n))
        for n in range(6)
    ]
    plain_model.objects.filter(pk=old[-1].pk).delete()  # the sequence is ahead of the highest id
    rows = set(plain_model.objects.values_list("pk", "path", "created_at"))
    before = shape("retention_test_plain")
    connection.check_constraints()

    with connection.schema_editor() as editor:
        partitions.partition_table(editor, plain_model, "created_at")

    assert partitions.is_partitioned(plain_model)
    assert partitions.partition_column(plain_model) == "created_at"
    assert set(plain_model.objects.values_list("pk", "path", "created_at")) == rows
    assert shape("retention_test_plain") == before  # the same index and key names
    this_month = partitions.month_start(now)
    assert [p[1] for p in partitions.monthly_partitions(plain_model)] == [
        partitions.add_months(this_month, n) for n in range(-1, 4)
    ]
    assert table_exists("retention_test_plain_default")
    new = plain_model.objects.create(user=user, path="/new", created_at=now)
    assert new.pk == old[-1].pk + 1
    connection.check_constraints()

    with connection.schema_editor() as editor:  # the migration's reverse
        partitions.unpartition_table(editor, plain_model)
    assert not partitions.is_partitioned(plain_model)
    assert set(plain_model.objects.values_list("pk", "path", "created_at")) == rows | {(new.pk, "/new", now)}
    assert shape("retention_test_plain") == before
    assert plain_model.objects.create(user=user, path="/newer", created_at=now).pk == new.pk + 1


@pytest.mark.django_db
def test_the_migration_partitioned_the_profiling_events_and_rows_land_in_their_month_or_default():
    assert partitions.is_partitioned(ProfilingEvent)
    user = UserFactory()
    now = datetime.datetime.now(UTC)
    recent, ancient = events(user, now, at(2012, 5, 1))
    assert partition_of(recent) == partitions.partition_name(TABLE, partitions.month_start(now))
    assert partition_of(ancient) == f"{TABLE}_default"
    assert ProfilingEvent.objects.get(pk=recent).user == user  # Django still reads ``id`` as the key


@pytest.mark.django_db
def test_ensure_partitions_is_idempotent_and_skips_a_month_the_default_partition_holds_rows_of():
    events(UserFactory(), at(2031, 5, 10))  # no partition for May 2031 yet: in DEFAULT
    created = partitions.ensure_partitions(ProfilingEvent, start=at(2031, 4, 15), end=at(2031, 6, 1))
    assert created == [f"{TABLE}_p203104", f"{TABLE}_p203106"]
    assert partitions.ensure_partitions(ProfilingEvent, start=at(2031, 4, 15), end=at(2031, 6, 1)) == []
    names = [p[0] for p in partitions.monthly_partitions(ProfilingEvent)]
    assert f"{TABLE}_p203104" in names and f"{TABLE}_p203105" not in names
    assert ProfilingEvent.objects.filter(created_at__year=2031).count() == 1


@pytest.mark.django_db
def test_the_daily_task_keeps_this_month_and_the_next_three_ready():
    from retention.tasks import partitions_ensure

    assert partitions.ensure_all(now=at(2032, 11, 30)) == {
        TABLE: [f"{TABLE}_p203211", f"{TABLE}_p203212", f"{TABLE}_p203301", f"{TABLE}_p203302"]
    }
    assert partitions_ensure.delay().get() == {TABLE: []}  # the migration made today's months already
    tasks = {entry["task"] for entry in beat_schedule().values()}
    assert "retention.tasks.partitions_ensure" in tasks


# -- the sweep -------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_the_sweep_drops_expired_months_and_deletes_the_other_due_rows(filled):
    _, due, fresh = filled
    with time_machine.travel(NOW, tick=False):
        expected = declaration().due(NOW).count()
    result = sweep()
    assert (result.deleted, result.due, result.errors, result.failure) == (len(due), len(due), 0, "")
    assert expected == len(due)
    assert set(ProfilingEvent.objects.values_list("pk", flat=True)) == fresh
    for month in ("202911", "202912", "203001"):
        assert not table_exists(f"{TABLE}_p{month}")
    for month in ("203002", "203003"):
        assert table_exists(f"{TABLE}_p{month}")  # the cutoff's month and a fresh one stay
    assert table_exists(f"{TABLE}_default")
    assert sweep(dry_run=True).due == 0


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
@pytest.mark.parametrize("partitioned", [True, False], ids=["partitioned", "plain"])
def test_the_sweep_of_a_partitioned_table_erases_what_the_plain_table_sweep_erases(filled, partitioned):
    _, due, fresh = filled
    if not partitioned:
        with connection.schema_editor() as editor:
            partitions.unpartition_table(editor, ProfilingEvent)
        assert not partitions.is_partitioned(ProfilingEvent)
    result = sweep()
    assert (result.deleted, result.skipped_by_hold, result.errors) == (len(due), 0, 0)
    assert set(ProfilingEvent.objects.values_list("pk", flat=True)) == fresh


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_a_legal_hold_keeps_the_customers_rows_and_their_months_are_swept_row_by_row(filled, admin_user):
    (held, other), due, fresh = filled
    services.legal_hold_place(actor=admin_user, reason="Police request", user=held)
    kept = set(ProfilingEvent.objects.filter(user=held, pk__in=due).values_list("pk", flat=True))
    result = sweep()
    assert (result.deleted, result.skipped_by_hold) == (len(due) - len(kept), len(kept))
    assert set(ProfilingEvent.objects.values_list("pk", flat=True)) == fresh | kept
    for month in ("202911", "202912", "203001"):  # every expired month holds a row of the held customer
        assert table_exists(f"{TABLE}_p{month}")

    for hold in LegalHold.objects.active():
        services.legal_hold_release(hold=hold, actor=admin_user)
    assert sweep().deleted == len(kept)
    assert not table_exists(f"{TABLE}_p202911")  # now empty and expired: dropped


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_a_dry_run_counts_the_due_rows_once_and_drops_nothing(filled):
    _, due, fresh = filled
    result = sweep(dry_run=True)
    assert (result.due, result.examined, result.deleted) == (len(due), len(due), 0)
    assert set(ProfilingEvent.objects.values_list("pk", flat=True)) == due | fresh
    assert all(table_exists(f"{TABLE}_p{m}") for m in ("202911", "202912", "203001"))


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_a_partition_that_cannot_be_dropped_now_is_swept_row_by_row(filled, monkeypatch):
    _, due, fresh = filled
    monkeypatch.setattr(partitions, "drop_partition", lambda model, name, **kwargs: None)  # lock timed out
    result = sweep()
    assert (result.deleted, result.errors) == (len(due), 0)
    assert set(ProfilingEvent.objects.values_list("pk", flat=True)) == fresh
    assert table_exists(f"{TABLE}_p202911")


@pytest.mark.django_db
def test_partitions_are_never_dropped_when_deleting_a_row_is_more_than_a_plain_delete():
    d = declaration()
    assert engine.partition_clock(d) == "created_at"
    assert engine.partition_clock(dataclasses.replace(d, extra_filter=lambda rows: rows)) is None
    assert engine.partition_clock(dataclasses.replace(d, files=("path",))) is None
    assert engine.partition_clock(dataclasses.replace(d, clock="user__date_joined")) is None

    def receiver(sender, instance, **kwargs):
        pass

    pre_delete.connect(receiver, sender=ProfilingEvent)
    try:
        assert engine.partition_clock(d) is None
    finally:
        pre_delete.disconnect(receiver, sender=ProfilingEvent)


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C11", "D2")
def test_a_partition_locked_by_a_reader_is_not_waited_for_and_its_rows_go_row_by_row(monkeypatch):
    monkeypatch.setattr(partitions, "LOCK_TIMEOUT", "100ms")
    created = partitions.ensure_partitions(ProfilingEvent, start=at(2029, 11, 1), end=at(2030, 1, 1))
    try:
        user = UserFactory()
        due = set(events(user, at(2029, 11, 5), at(2029, 12, 5), at(2030, 1, 5)))
        fresh = set(events(user, at(2030, 3, 19)))
        db = connection.settings_dict
        options = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"]}
        reading, release = threading.Event(), threading.Event()

        def reader():  # an open transaction that has read December, as a slow report would
            with psycopg.connect(**options, port=db["PORT"] or 5432) as other:
                other.execute(f"SELECT count(*) FROM {TABLE}_p202912")  # noqa: S608
                reading.set()
                release.wait(30)

        thread = threading.Thread(target=reader)
        thread.start()
        try:
            assert reading.wait(10)
            result = sweep()
        finally:
            release.set()
            thread.join()
        assert (result.deleted, result.errors) == (len(due), 0)
        assert set(ProfilingEvent.objects.values_list("pk", flat=True)) == fresh
        assert table_exists(f"{TABLE}_p202912") and not table_exists(f"{TABLE}_p202911")
    finally:
        with connection.cursor() as cursor:
            for name in created:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
        # The sweep at NOW also dropped the (empty) months the migration made around today: back they come.
        today = datetime.datetime.now(UTC)
        partitions.ensure_partitions(
            ProfilingEvent, start=partitions.add_months(today, -1), end=partitions.add_months(today, 3)
        )
