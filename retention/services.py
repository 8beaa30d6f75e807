"""Writes of the retention app: legal holds and the sweep itself."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from privacy.models import LegalHold
from retention import engine


@transaction.atomic
def legal_hold_place(
    *,
    actor: User | None,
    reason: str,
    user: User | None = None,
    record: models.Model | None = None,
) -> LegalHold:
    """Hold a person's data or one record (GDPR art. 17(3)): sweeps and closure leave it alone until released.

    The admin's change log records which staff member did it; the customer's own activity log does
    not, because a hold must not tip off the subject of an investigation.
    """
    if (user is None) == (record is None):
        raise ValidationError(_("A legal hold is on a person or on one record, not both."))
    if not reason.strip():
        raise ValidationError(_("State the legal reason for the hold."))
    hold = LegalHold(reason=reason.strip(), placed_by=actor, user=user)
    if record is not None:
        hold.content_type = ContentType.objects.get_for_model(record)
        hold.object_id = str(record.pk)
    hold.full_clean(exclude=["placed_by", "released_by"])
    hold.save()
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, actor: User | None) -> bool:
    """End a hold; the data it kept is then swept by its own clock at the next run."""
    updated = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
        released_at=timezone.now(), released_by=actor
    )
    hold.refresh_from_db()
    return bool(updated)


def retention_sweep_run(
    *, rules: Iterable[str] | None = None, dry_run: bool = False, now=None, batch_size: int | None = None
) -> engine.SweepReport:
    """Run the sweep (each batch is its own transaction, so this function deliberately has none)."""
    return engine.sweep(rules=rules, dry_run=dry_run, now=now, batch_size=batch_size)
