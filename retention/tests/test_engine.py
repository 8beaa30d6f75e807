import datetime
import json
import tracemalloc

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models.signals import pre_delete
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from netrex.schedule import beat_schedule
from privacy import register
from privacy.declarations import Erase
from privacy.models import LegalHold
from retention import engine, locks, services
from retention.demo import declaration_row_build
from retention.models import RetentionRun

# The clause each rule proves; every rule is also D2 (the beat worker enforces the statement's periods).
CLAUSES = {
    "order_completed": "C05",
    "order_abandoned": "C05",
    "service_ended": "C08",
    "profiling_recorded": "C11",
    "inapp_completed": "C13",
    "subscription_cancelled": "C15",
    "contact_satisfied": "C17",
    "contact_silence": "C17",
    "newsletter_unsubscribed": "C20",
    "credits_completed": "C22",
    "account_closed": "C24",
    "account_stale": "C24",
}
CLOCK_START = datetime.datetime(2019, 3, 4, 10, 30, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)

# Every declaration with a rule, as it is registered when the tests are collected: a new app's
# declaration is covered here without touching this file.
SWEPT = [
    pytest.param(d, id=d.key, marks=pytest.mark.clause(CLAUSES.get(d.rule, "D2"), "D2"))
    for d in engine.sweep_declarations()
]


def _erased(declaration, row) -> bool:
    rows = declaration.model._default_manager.filter(pk=row.pk)
    if declaration.erase == Erase.ANONYMISE:
        return rows.filter(engine.blank_condition(declaration)).exists()
    return not rows.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("declaration", SWEPT)
@pytest.mark.parametrize(("offset", "erased"), [(-1, False), (1, True)], ids=["second-before", "second-after"])
def test_each_clock_erases_one_second_after_its_period_and_not_before(declaration, offset, erased):
    with time_machine.travel(CLOCK_START, tick=False):
        owner = UserFactory()
        row = declaration_row_build(declaration, user=owner, clock=CLOCK_START)
    moment = declaration.retention.expires(CLOCK_START) + datetime.timedelta(seconds=offset)
    with time_machine.travel(moment, tick=False):
        report = engine.sweep(rules=[declaration.key])
    result = report.rules[0]
    assert (result.errors, result.failure) == (0, "")
    assert _erased(declaration, row) is erased
    assert result.due == (1 if erased else 0)


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_a_batch_that_crashes_rolls_back_and_a_rerun_ends_as_an_uninterrupted_run(probe, monkeypatch):
    probe.fill(due=50, fresh=10, now=NOW)
    fresh = set(probe.rows.filter(created_at__gt=NOW - datetime.timedelta(days=2)).values_list("pk", flat=True))
    real_erase, calls = engine.erase_rows, []

    def crash_in_third_batch(declaration, rows, *, action):
        calls.append(1)
        done = real_erase(declaration, rows, action=action)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the worker is killed after the DELETE, before the commit
        return done

    monkeypatch.setattr(engine, "erase_rows", crash_in_third_batch)
    with time_machine.travel(NOW, tick=False), pytest.raises(KeyboardInterrupt):
        engine.sweep(rules=[probe.declaration.key], batch_size=10)
    assert probe.rows.count() == 60 - 20  # batches 1 and 2 committed, batch 3 rolled back entirely
    assert RetentionRun.objects.latest("started_at").status == RetentionRun.Status.FAILED

    monkeypatch.setattr(engine, "erase_rows", real_erase)
    with time_machine.travel(NOW, tick=False):
        report = engine.sweep(rules=[probe.declaration.key], batch_size=10)
    assert set(probe.rows.values_list("pk", flat=True)) == fresh
    assert report.rules[0].deleted == 30
    assert report.run.status == RetentionRun.Status.SUCCESS
    with time_machine.travel(NOW, tick=False):
        again = engine.sweep(rules=[probe.declaration.key], dry_run=True)
    assert again.rules[0].due == 0


@pytest.mark.django_db
@pytest.mark.clause("D2")
def test_a_failing_row_is_reported_by_key_and_skipped_and_the_rest_is_swept(probe):
    probe.fill(due=25, fresh=0, now=NOW)
    bad = probe.rows.order_by("pk").values_list("pk", flat=True)[12]

    def refuse(sender, instance, **kwargs):
        if instance.pk == bad:
            raise RuntimeError("cannot delete this one")

    pre_delete.connect(refuse, sender=probe.model)
    try:
        with time_machine.travel(NOW, tick=False):
            report = engine.sweep(rules=[probe.declaration.key], batch_size=10)
    finally:
        pre_delete.disconnect(refuse, sender=probe.model)
    result = report.rules[0]
    assert (result.deleted, result.errors, result.error_pks) == (24, 1, [bad])
    assert list(probe.rows.values_list("pk", flat=True)) == [bad]
    assert report.run.status == RetentionRun.Status.ERRORS
    stored = report.run.results.get()
    assert stored.error_pks == [str(bad)]
    assert "@" not in json.dumps(report.as_dict()) + stored.failure + report.run.error  # no personal data


@pytest.mark.django_db
@pytest.mark.clause("D2")
def test_one_failing_rule_does_not_stop_the_others(probe, monkeypatch):
    probe.fill(due=3, fresh=0, now=NOW)
    stale = UserFactory(username="never-confirmed")
    EmailAddress.objects.filter(user=stale).delete()
    User.objects.filter(pk=stale.pk).update(date_joined=NOW - datetime.timedelta(days=30))
    real = engine.due_queryset

    def broken(declaration, now):
        if declaration is probe.declaration:
            raise RuntimeError("broken rule")
        return real(declaration, now)

    monkeypatch.setattr(engine, "due_queryset", broken)
    with time_machine.travel(NOW, tick=False):
        report = engine.sweep()
    by_key = {r.declaration.key: r for r in report.rules}
    assert by_key[probe.declaration.key].failure == "RuntimeError"
    assert by_key["accounts.User:P9:account_stale"].deleted == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert report.run.status == RetentionRun.Status.ERRORS


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_anonymising_blanks_the_fields_once_and_a_rerun_finds_nothing(probe):
    probe.declare(Erase.ANONYMISE)
    probe.fill(due=15, fresh=5, now=NOW)
    with time_machine.travel(NOW, tick=False):
        first = engine.sweep(rules=[probe.declaration.key], batch_size=4)
        second = engine.sweep(rules=[probe.declaration.key], batch_size=4)
    assert first.rules[0].anonymised == 15
    assert probe.rows.count() == 20
    assert probe.rows.filter(email="", ip_address__isnull=True).count() == 15
    assert second.rules[0].examined == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("D2")
def test_two_sweeps_at_once_do_not_both_run():
    with locks.sweep_lock() as first:
        assert first
        report = engine.sweep()
    assert report.run.status == RetentionRun.Status.LOCKED
    assert report.rules == []
    assert engine.sweep().run.status == RetentionRun.Status.SUCCESS  # the lock went with its holder


@pytest.mark.django_db
def test_the_lock_row_of_databases_without_advisory_locks_excludes_a_second_sweep():
    with locks._row_lock() as first, locks._row_lock() as second:
        assert (first, second) == (True, False)
    with locks._row_lock() as again:
        assert again


@pytest.mark.django_db
@pytest.mark.clause("D2")
def test_legal_holds_on_a_person_and_on_a_record_are_skipped_and_counted(probe, admin_user):
    probe.fill(due=6, fresh=0, now=NOW)
    held_row = probe.rows.order_by("pk").first()
    services.legal_hold_place(actor=admin_user, reason="Claim 2026-17", record=held_row)
    person = UserFactory(email="probe3@example.nl")
    services.legal_hold_place(actor=admin_user, reason="Police request", user=person)
    with time_machine.travel(NOW, tick=False):
        report = engine.sweep(rules=[probe.declaration.key], batch_size=4)
    result = report.rules[0]
    assert (result.deleted, result.skipped_by_hold) == (4, 2)
    assert set(probe.rows.values_list("email", flat=True)) == {held_row.email, "probe3@example.nl"}

    for hold in LegalHold.objects.active():
        services.legal_hold_release(hold=hold, actor=admin_user)
    with time_machine.travel(NOW, tick=False):
        assert engine.sweep(rules=[probe.declaration.key]).rules[0].deleted == 2
    assert not probe.rows.exists()


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
def test_a_large_table_is_swept_in_fixed_memory_and_short_batches(probe):
    probe.fill(due=150_000, fresh=50_000, now=NOW)
    tracemalloc.start()
    try:
        with time_machine.travel(NOW, tick=False):
            report = engine.sweep(rules=[probe.declaration.key], batch_size=2000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    result = report.rules[0]
    assert result.deleted == 150_000
    assert result.batches == 75
    assert probe.rows.count() == 50_000
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert result.longest_batch_ms < 3000


@pytest.mark.django_db
@pytest.mark.clause("D1", "D2")
def test_the_command_dry_run_reports_due_rows_as_json_and_changes_nothing(probe, capsys):
    probe.fill(due=7, fresh=3, now=timezone.now())
    call_command("retention_sweep", "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is True
    by_declaration = {r["declaration"]: r for r in data["rules"]}
    assert {r["rule"] for r in data["rules"]} | set(data["undeclared_rules"]) == set(register.RULES)
    entry = by_declaration[probe.declaration.key]
    assert (entry["rule"], entry["purpose"], entry["model"], entry["due"]) == (
        "profiling_recorded",
        "P3",
        "retention.SweepProbe",
        7,
    )
    assert probe.rows.count() == 10

    call_command("retention_sweep", "--rule", "profiling_recorded", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {r["rule"] for r in data["rules"]} == {"profiling_recorded"}
    assert {r["declaration"]: r for r in data["rules"]}[probe.declaration.key]["deleted"] == 7
    call_command("retention_sweep", "--dry-run", "--json")
    assert all(r["due"] == 0 for r in json.loads(capsys.readouterr().out)["rules"])


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_rule():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown rule"):
        call_command("retention_sweep", "--rule", "seven_weeks")


@pytest.mark.clause("D1", "D2")
def test_the_beat_schedule_runs_the_whole_sweep_nightly_and_statistics_hourly():
    schedule = beat_schedule()
    tasks = [(entry["task"], entry.get("kwargs", {})) for entry in schedule.values()]
    assert ("retention.tasks.retention_sweep", {}) in tasks
    assert ("retention.tasks.retention_sweep", {"rules": ["profiling_recorded"]}) in tasks
    nightly = schedule["retention-sweep"]["schedule"]
    assert nightly.hour == {2} and nightly.minute == {45}


@pytest.mark.django_db
@pytest.mark.clause("D2")
def test_the_task_runs_a_recorded_sweep():
    from retention.tasks import retention_sweep

    result = retention_sweep.delay().get()
    run = RetentionRun.objects.get(pk=result["run"])
    assert (run.status, run.full, run.dry_run) == (RetentionRun.Status.SUCCESS, True, False)
    assert run.results.count() == len(engine.sweep_declarations())


@pytest.mark.django_db
@pytest.mark.clause("D1")
def test_healthz_reports_a_stale_sweep_without_failing(client):
    fresh_install = client.get("/healthz").json()
    assert fresh_install["retention"] == "never-run"  # no alarm before the first night of a new install
    engine.sweep()
    assert client.get("/healthz").json()["retention"] == "ok"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=27)):
        assert client.get("/healthz").json()["retention"] == "stale"


WITH_FILES = [pytest.param(d, id=d.key) for d in engine.sweep_declarations() if d.files]


@pytest.mark.django_db
@pytest.mark.clause("D2")
@pytest.mark.parametrize("declaration", WITH_FILES)
def test_files_of_swept_rows_are_deleted_only_after_the_batch_commits(declaration, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    row = declaration_row_build(declaration, user=UserFactory(), clock=CLOCK_START)
    names = {}
    for name in declaration.files:
        storage = declaration.model._meta.get_field(name).storage
        names[name] = storage.save(f"retention-test/{name}.bin", ContentFile(b"personal"))
    declaration.model._default_manager.filter(pk=row.pk).update(**names)
    moment = declaration.retention.expires(CLOCK_START) + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, time_machine.travel(moment, tick=False):
        engine.sweep(rules=[declaration.key])
    storage = declaration.model._meta.get_field(declaration.files[0]).storage
    assert all(storage.exists(n) for n in names.values())  # nothing deleted before the commit
    for callback in callbacks:
        callback()
    assert not any(storage.exists(n) for n in names.values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("D2")
def test_the_sweep_lock_holds_no_transaction_open_and_is_released():
    """A transaction open for the whole run would hold back VACUUM on every table (bench: longest transaction)."""
    from django.db import connection

    def count(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    others_in_transaction = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
    )
    low_bits = locks.ADVISORY_KEY & 0xFFFFFFFF
    advisory = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "  # noqa: S608 - a constant
        f"AND objid = {low_bits} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    with locks.sweep_lock() as acquired:
        assert acquired
        assert count(others_in_transaction) == 0
        assert count(advisory) == 1
    assert count(advisory) == 0


@pytest.mark.django_db
@pytest.mark.clause("C11", "D2")
@pytest.mark.parametrize("by_pk_range", [True, False])
def test_both_walks_erase_exactly_the_due_rows_in_batches(probe, monkeypatch, by_pk_range):
    """Integer keys are walked in id ranges (no keys fetched); other keys in (clock, pk) keyset order."""
    probe.fill(due=95, fresh=7, now=NOW)
    monkeypatch.setattr(engine, "integer_pk", lambda declaration: by_pk_range)
    with time_machine.travel(NOW, tick=False):
        report = engine.sweep(rules=[probe.declaration.key], batch_size=10)
        again = engine.sweep(rules=[probe.declaration.key], batch_size=10)
    result = report.rules[0]
    assert (result.deleted, result.examined, result.errors) == (95, 95, 0)
    assert result.batches == 10
    assert probe.rows.count() == 7
    assert again.rules[0].examined == 0
