"""The retention sweep: every declaration with a rule, enforced in small, resumable batches.

Nothing here knows an app. For each declaration that names a register rule, the due rows are those
whose clock (``declaration.clock``) started at or before ``rule.cutoff(now)``. A model with an
integer primary key is walked in primary-key ranges of ``batch_size`` ids, from the first due row to
the last: each batch is one statement over an index range (no list of keys is fetched first), so the
sweep deletes at nearly the rate of one plain ``DELETE`` (``make bench`` measures it) while no
transaction lasts longer than one batch; after each batch it rests ``RETENTION_SLEEP_COEF`` times as
long as the batch took, so that the traffic beside it keeps most of the machine. Other primary keys
are walked in keyset order over ``(clock, pk)``: each batch starts strictly after the last key of
the previous one, so a batch never re-reads rows (or the dead index entries of rows) that an earlier
batch erased. Each batch is one short transaction over its range that re-checks the rows are still
due, leaves held rows alone, and deletes or anonymises the rest as the declaration says; files are
deleted only after that transaction commits. A batch that fails is retried row by row, and a row
that still fails is reported by primary key and skipped; a rule that fails never stops the others.
Because every batch re-checks what is due and anonymised rows no longer match, the sweep can be
stopped at any point and run again to the same end state.

A table that PostgreSQL range-partitions by the declaration's clock (``retention/partitions.py``)
is first swept a month at a time: every monthly partition whose whole range is due is dropped in
one short transaction (its rows counted as deleted, one batch), unless a legal hold covers a row of
it, a lock does not come in time, or deleting rows means more than a plain ``DELETE`` (files,
signals, cascades, a narrower declaration); those rows, the month the cutoff falls in and the
DEFAULT partition are then walked as above.  A dry run counts those partitions instead.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone

from privacy import declarations as declaration_registry
from privacy import register as processing_register
from privacy.declarations import Declaration, Erase
from privacy.erasure import Holds, erase_rows
from retention import partitions
from retention.locks import sweep_lock
from retention.models import RetentionRuleResult, RetentionRun

logger = logging.getLogger(__name__)

MAX_ERROR_PKS = 100


@dataclass
class RuleReport:
    declaration: Declaration
    examined: int = 0
    due: int = 0
    deleted: int = 0
    anonymised: int = 0
    skipped_by_hold: int = 0
    errors: int = 0
    error_pks: list = field(default_factory=list)
    batches: int = 0
    longest_batch_ms: int = 0
    failure: str = ""

    def as_dict(self) -> dict:
        d = self.declaration
        return {
            "rule": d.rule,
            "declaration": d.key,
            "purpose": d.purpose,
            "model": d.model._meta.label,
            "action": str(d.erase.value),
            "period": d.retention.period_text() if d.retention else "",
            "examined": self.examined,
            "due": self.due,
            "deleted": self.deleted,
            "anonymised": self.anonymised,
            "skipped_by_hold": self.skipped_by_hold,
            "errors": self.errors,
            "error_pks": self.error_pks,
            "failure": self.failure,
        }


@dataclass
class SweepReport:
    run: RetentionRun
    rules: list[RuleReport] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "run": self.run.pk,
            "status": self.run.status,
            "dry_run": self.run.dry_run,
            "started_at": self.run.started_at.isoformat(),
            "finished_at": self.run.finished_at.isoformat() if self.run.finished_at else None,
            "error": self.run.error,
            "rules": [r.as_dict() for r in self.rules],
        }


def sweep_declarations(names: Iterable[str] | None = None) -> list[Declaration]:
    """The declarations the sweep enforces, optionally limited by rule key, declaration key or model label."""
    swept = [d for d in declaration_registry.all_declarations() if d.rule]
    if not names:
        return swept
    names = list(names)
    unknown = [n for n in names if n not in processing_register.RULES and not any(_matches(d, n) for d in swept)]
    if unknown:
        known = sorted(processing_register.RULES)
        raise ValueError(f"unknown rule(s) {', '.join(unknown)}; the rules are: {', '.join(known)}")
    return [d for d in swept if any(_matches(d, n) for n in names)]


def undeclared_rules() -> list[str]:
    """Rules of the register that no declaration enforces yet (their app is not installed)."""
    declared = {d.rule for d in declaration_registry.all_declarations() if d.rule}
    return [key for key, rule in processing_register.RULES.items() if rule.published and key not in declared]


def _matches(declaration: Declaration, name: str) -> bool:
    return name in (declaration.rule, declaration.key, declaration.model._meta.label)


def blank_condition(declaration: Declaration) -> Q:
    """Rows whose personal fields already hold the anonymous values (nothing left to anonymise)."""
    condition = Q()
    for name, value in declaration.blank_values().items():
        condition &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return condition


def due_queryset(declaration: Declaration, now) -> QuerySet:
    """Rows of ``declaration`` due at ``now`` that still need erasing (holds not yet applied)."""
    queryset = declaration.due(now)
    if declaration.erase == Erase.ANONYMISE:
        queryset = queryset.exclude(blank_condition(declaration))
    return queryset


def key_range(clock: str, first: tuple, last: tuple) -> Q:
    """Rows whose ``(clock, pk)`` lies between two keys, inclusive: an index range, not a list of ids."""
    lower = Q(**{f"{clock}__gt": first[0]}) | Q(**{clock: first[0], "pk__gte": first[1]})
    upper = Q(**{f"{clock}__lt": last[0]}) | Q(**{clock: last[0], "pk__lte": last[1]})
    return Q(**{f"{clock}__gte": first[0], f"{clock}__lte": last[0]}) & lower & upper


def integer_pk(declaration: Declaration) -> bool:
    return declaration.model._meta.pk.get_internal_type() in (
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
    )


def _batch_done(report: RuleReport, started: float) -> None:
    """Note the batch's duration, then give way to the portal for ``RETENTION_SLEEP_COEF`` times as long.

    The sweep runs beside daytime traffic: resting in proportion to the work done (as pt-archiver's
    ``--sleep-coef`` does) keeps its share of the database and the CPU bounded whatever the batch
    size, at the cost of a proportionally longer run.
    """
    seconds = time.monotonic() - started
    report.longest_batch_ms = max(report.longest_batch_ms, int(seconds * 1000))
    if settings.RETENTION_SLEEP_COEF > 0:
        time.sleep(seconds * settings.RETENTION_SLEEP_COEF)


def sweep_rule(
    declaration: Declaration, *, now, holds: Holds, dry_run: bool, batch_size: int, report: RuleReport
) -> None:
    counted = _drop_expired_partitions(declaration, now=now, holds=holds, dry_run=dry_run, report=report)
    if integer_pk(declaration):
        _sweep_rule_by_pk_range(declaration, now=now, holds=holds, dry_run=dry_run, batch_size=batch_size,
                                report=report, exclude=counted)  # fmt: skip
    else:
        _sweep_rule_by_keyset(declaration, now=now, holds=holds, dry_run=dry_run, batch_size=batch_size,
                              report=report, exclude=counted)  # fmt: skip


def partition_clock(declaration: Declaration) -> str | None:
    """The clock's field name when whole partitions of the declaration's table may be dropped, else ``None``.

    Only when the table is range-partitioned by the clock's own column, the sweep deletes, every row
    of the table is the declaration's (no ``extra_filter``, an unfiltered default manager), no file
    must be deleted with a row, and deleting a row is one plain ``DELETE`` for Django too (no delete
    signals, nothing that cascades from it: ``Collector.can_fast_delete``).
    """
    model, clock = declaration.model, declaration.clock
    if declaration.erase != Erase.DELETE or declaration.files or declaration.extra_filter is not None:
        return None
    if not clock or "__" in clock:
        return None
    try:
        column = model._meta.get_field(clock).column  # type: ignore[union-attr]  # a concrete field, not a relation
    except FieldDoesNotExist:
        return None
    rows = model._default_manager.all()
    if rows.query.has_filters() or not Collector(using=rows.db).can_fast_delete(rows):
        return None
    return clock if partitions.partition_column(model, using=rows.db) == column else None


def _drop_expired_partitions(
    declaration: Declaration, *, now, holds: Holds, dry_run: bool, report: RuleReport
) -> Q | None:
    """Drop every monthly partition whose whole range is due; the rows of the rest are left to the walk.

    A partition is due when its upper bound is at or before the rule's cutoff (every row in it
    started its clock before the bound).  One that holds a row under a legal hold is left to the
    walk, which skips the held rows; one whose lock does not come in time is left to the walk too.
    Each drop is one short transaction and counts as one batch.  A dry run counts the rows instead
    and returns the ranges it counted, for the walk to leave out.
    """
    clock = partition_clock(declaration)
    if clock is None:
        return None
    model = declaration.model
    cutoff = cast(processing_register.Rule, declaration.retention).cutoff(now)  # a swept declaration has a rule
    held_condition = holds.condition(declaration)
    counted: list[tuple] = []  # (lower, upper) spans the dry run counted, adjacent months merged
    for name, lower, upper in partitions.monthly_partitions(model):
        if upper > cutoff:
            break
        in_range = Q(**{f"{clock}__gte": lower, f"{clock}__lt": upper})
        if held_condition is not None and model._default_manager.filter(in_range).filter(held_condition).exists():
            logger.info("retention: %s holds rows under a legal hold; swept row by row", name)
            continue
        started = time.monotonic()
        if dry_run:
            rows = partitions.count_range(model, model._meta.get_field(clock).column, lower, upper)  # type: ignore[union-attr,arg-type]
            if counted and counted[-1][1] == lower:
                counted[-1] = (counted[-1][0], upper)
            else:
                counted.append((lower, upper))
        else:
            dropped = partitions.drop_partition(model, name)
            if dropped is None:
                continue  # the lock did not come in time: the walk deletes these rows
            rows = dropped
        report.examined += rows
        report.due += rows
        report.deleted += 0 if dry_run else rows
        report.batches += 1
        _batch_done(report, started)
    if not counted:
        return None
    excluded = Q()
    for lower, upper in counted:
        excluded |= Q(**{f"{clock}__gte": lower, f"{clock}__lt": upper})
    return excluded


def _sweep_rule_by_pk_range(
    declaration: Declaration,
    *,
    now,
    holds: Holds,
    dry_run: bool,
    batch_size: int,
    report: RuleReport,
    exclude: Q | None = None,
) -> None:
    """Batches of ``batch_size`` consecutive ids between the first and the last due row (two index probes)."""
    due = due_queryset(declaration, now)
    if exclude is not None:
        due = due.exclude(exclude)
    held_condition = holds.condition(declaration)
    first = due.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return
    last = due.order_by("-pk").values_list("pk", flat=True).first()
    start = first
    while start <= last:
        batch = Q(pk__gte=start, pk__lt=start + batch_size)
        started = time.monotonic()
        if dry_run:
            found = due.filter(batch).count()
            held = due.filter(batch).filter(held_condition).count() if held_condition is not None and found else 0
            report.examined += found
            report.skipped_by_hold += held
            report.due += found - held
        else:
            before = report.due + report.skipped_by_hold
            _erase_batch(declaration, due, batch, None, held_condition, report)
            report.examined += report.due + report.skipped_by_hold - before
        report.batches += 1
        _batch_done(report, started)
        start += batch_size


def _sweep_rule_by_keyset(
    declaration: Declaration,
    *,
    now,
    holds: Holds,
    dry_run: bool,
    batch_size: int,
    report: RuleReport,
    exclude: Q | None = None,
) -> None:
    clock = cast(str, declaration.clock)  # a declaration with a rule has its clock (Declaration.__post_init__)
    due = due_queryset(declaration, now)
    if exclude is not None:
        due = due.exclude(exclude)
    held_condition = holds.condition(declaration)
    last = None
    while True:
        page = due
        if last is not None:
            page = page.filter(**{f"{clock}__gte": last[0]}).filter(
                Q(**{f"{clock}__gt": last[0]}) | Q(**{clock: last[0], "pk__gt": last[1]})
            )
        keys = list(page.order_by(clock, "pk").values_list(clock, "pk")[:batch_size])
        if not keys:
            return
        batch = key_range(clock, keys[0], keys[-1])
        last = keys[-1]
        report.examined += len(keys)
        started = time.monotonic()
        if dry_run:
            held = due.filter(batch).filter(held_condition).count() if held_condition is not None else 0
            report.skipped_by_hold += held
            report.due += len(keys) - held
        else:
            _erase_batch(declaration, due, batch, [pk for _, pk in keys], held_condition, report)
        report.batches += 1
        _batch_done(report, started)
        if len(keys) < batch_size:
            return


def _erase_batch(declaration: Declaration, due: QuerySet, batch: Q, pks: list | None, held_condition, report) -> None:
    """Erase one batch in one transaction; ``pks`` (``None``: the due rows of the range) are retried one by one."""
    try:
        with transaction.atomic():
            done, held = _erase_checked(declaration, due.filter(batch), held_condition)
    except Exception:
        logger.warning("retention: a batch of %s failed; retrying it row by row", declaration.key, exc_info=True)
        done = held = 0
        if pks is None:
            pks = list(due.filter(batch).order_by("pk").values_list("pk", flat=True))
        for pk in pks:
            try:
                with transaction.atomic():
                    row_done, row_held = _erase_checked(declaration, due.filter(pk=pk), held_condition)
            except Exception:
                logger.warning("retention: %s row %s failed and was skipped", declaration.key, pk, exc_info=True)
                report.errors += 1
                report.due += 1
                if len(report.error_pks) < MAX_ERROR_PKS:
                    report.error_pks.append(pk)
                continue
            done, held = done + row_done, held + row_held
    report.skipped_by_hold += held
    report.due += done
    if declaration.erase == Erase.ANONYMISE:
        report.anonymised += done
    else:
        report.deleted += done


def _erase_checked(declaration: Declaration, rows: QuerySet, held_condition) -> tuple[int, int]:
    """Inside the batch's transaction: ``rows`` re-checks what is still due; held rows are counted and left."""
    held = 0
    if held_condition is not None:
        held = rows.filter(held_condition).count()
        rows = rows.exclude(held_condition)
    action = Erase.ANONYMISE if declaration.erase == Erase.ANONYMISE else Erase.DELETE
    return erase_rows(declaration, rows, action=action), held


def sweep(*, now=None, rules: Iterable[str] | None = None, dry_run: bool = False, batch_size: int | None = None):
    """Run the sweep once under the lock and record it; returns a ``SweepReport``."""
    selected = sweep_declarations(rules)
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    run = RetentionRun.objects.create(dry_run=dry_run, full=not rules, rules_requested=list(rules or []))
    report = SweepReport(run=run)
    with sweep_lock() as acquired:
        if not acquired:
            _finish(run, RetentionRun.Status.LOCKED)
            return report
        # Holding the lock, no other sweep is alive: a run still "running" died with its worker.
        RetentionRun.objects.filter(status=RetentionRun.Status.RUNNING).exclude(pk=run.pk).update(
            status=RetentionRun.Status.FAILED, error="worker lost", finished_at=timezone.now()
        )
        try:
            now = now or timezone.now()
            holds = Holds()
            for declaration in selected:
                rule_report = RuleReport(declaration)
                try:
                    sweep_rule(
                        declaration, now=now, holds=holds, dry_run=dry_run, batch_size=batch_size, report=rule_report
                    )
                except Exception as exc:
                    logger.exception("retention: rule %s failed", declaration.key)
                    rule_report.failure = type(exc).__name__
                report.rules.append(rule_report)
                _record(run, rule_report)
        except BaseException as exc:
            _finish(run, RetentionRun.Status.FAILED, error=type(exc).__name__)
            raise
    failed = any(r.errors or r.failure for r in report.rules)
    _finish(run, RetentionRun.Status.ERRORS if failed else RetentionRun.Status.SUCCESS)
    return report


def _record(run: RetentionRun, report: RuleReport) -> None:
    d = report.declaration
    RetentionRuleResult.objects.create(
        run=run,
        rule=cast(str, d.rule),  # only declarations with a rule are swept
        declaration=d.key,
        purpose=d.purpose,
        model_label=d.model._meta.label,
        action=str(d.erase.value),
        examined=report.examined,
        due=report.due,
        deleted=report.deleted,
        anonymised=report.anonymised,
        skipped_by_hold=report.skipped_by_hold,
        errors=report.errors,
        error_pks=[str(pk) for pk in report.error_pks],
        batches=report.batches,
        longest_batch_ms=report.longest_batch_ms,
        failure=report.failure,
    )


def _finish(run: RetentionRun, status: str, *, error: str = "") -> None:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
