"""Reads of the retention app: is the sweep keeping up (or failing), and who is held."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models import LegalHold
from retention.models import RetentionRun


def last_success_age() -> datetime.timedelta | None:
    """How long ago the last complete, real sweep finished without errors; ``None`` if none ever did."""
    finished = (
        RetentionRun.objects.filter(status=RetentionRun.Status.SUCCESS, dry_run=False, full=True)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return None if finished is None else timezone.now() - finished


def sweep_is_stale() -> bool:
    age = last_success_age()
    return age is None or age > datetime.timedelta(hours=settings.RETENTION_STALE_AFTER_HOURS)


class SweepState(models.TextChoices):
    OK = "ok", _("ok")
    # No complete sweep has succeeded yet, but the installation is younger than the stale period.
    NEVER_RUN = "never-run", _("never run")
    STALE = "stale", _("stale")
    FAILED = "failed", _("failed")


# Statuses of a run that ended; of those, the ones that are a failure of the sweep.
ENDED = (RetentionRun.Status.SUCCESS, RetentionRun.Status.ERRORS, RetentionRun.Status.FAILED)
FAILURES = (RetentionRun.Status.ERRORS, RetentionRun.Status.FAILED)


@dataclass(frozen=True)
class SweepHealth:
    state: SweepState
    last_success: RetentionRun | None
    # The latest run that ended (complete or for some rules), when it failed.
    failed_run: RetentionRun | None

    @property
    def alarming(self) -> bool:
        return self.state in (SweepState.STALE, SweepState.FAILED)

    @property
    def problem(self) -> str:
        """Names the problem, not the hour: the same until a sweep succeeds or the kind of problem changes."""
        return f"{self.state}:{self.last_success.pk if self.last_success else 'none'}"


def installed_at() -> datetime.datetime | None:
    """When this installation was set up: the first migration applied to its database."""
    return MigrationRecorder(connection).migration_qs.aggregate(first=Min("applied"))["first"]


def sweep_health(*, now: datetime.datetime | None = None) -> SweepHealth:
    """How the sweep is doing, for /healthz, /readyz, the watchdog and the admin's banner.

    ``failed`` when the latest real run that ended, complete or for some rules (the hourly statistics sweep),
    ended with errors or aborted; ``stale`` when no complete real sweep succeeded within
    ``RETENTION_STALE_AFTER_HOURS``.  A fresh installation is not stale: until the first success it is
    ``never-run`` for as long as that period after its first migration, and only then ``stale``.
    """
    now = now or timezone.now()
    period = datetime.timedelta(hours=settings.RETENTION_STALE_AFTER_HOURS)
    real = RetentionRun.objects.filter(dry_run=False)
    last_success = (
        real.filter(status=RetentionRun.Status.SUCCESS, full=True, finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .first()
    )
    ended = real.filter(status__in=ENDED, finished_at__isnull=False).order_by("-finished_at", "-pk")
    latest = [ended.filter(full=True).first(), ended.filter(full=False).first()]
    failed = [run for run in latest if run is not None and run.status in FAILURES]
    failed_run = max(failed, key=lambda run: run.finished_at or now) if failed else None  # both ended: finished_at set
    if failed_run is not None:
        state = SweepState.FAILED
    elif last_success is not None:
        age = now - (last_success.finished_at or now)  # a success has ended: finished_at is set
        state = SweepState.STALE if age > period else SweepState.OK
    else:
        installed = installed_at()
        state = SweepState.STALE if installed is not None and now - installed > period else SweepState.NEVER_RUN
    return SweepHealth(state=state, last_success=last_success, failed_run=failed_run)


def health() -> str:
    """The sweep's state for /healthz and /readyz (``ok``, ``never-run``, ``stale``, ``failed``); never raises
    (the database check reports a database outage: then ``unknown``)."""
    try:
        return str(sweep_health().state)
    except Exception:
        return "unknown"


def user_is_held(*, user) -> bool:
    return LegalHold.objects.active().filter(user=user).exists()
