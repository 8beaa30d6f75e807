"""Reads of the retention app: is the sweep keeping up, and who is held."""

import datetime

from django.conf import settings
from django.utils import timezone

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


def health() -> str:
    """``"ok"`` or ``"stale"`` for /healthz; never raises (the database check reports a database outage)."""
    try:
        return "stale" if sweep_is_stale() else "ok"
    except Exception:
        return "unknown"


def user_is_held(*, user) -> bool:
    return LegalHold.objects.active().filter(user=user).exists()
