"""Legal holds (GDPR art. 17(3)): data the law says we must keep despite its retention period.

A hold is part of the privacy spine: ``privacy/erasure.py`` decides once, for the retention sweep,
account closure and erasure requests, what an active hold covers.  The privacy officer places and
releases holds in the admin (``retention/admin.py``, ``retention/services.py``).

The table keeps its first name, ``retention_legalhold``: the model moved here from the retention
app by state alone (``migrations/0001_initial.py``), so no live database renames a table.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalHoldQuerySet(models.QuerySet):
    def active(self) -> "LegalHoldQuerySet":
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    """Data the law says we must keep despite its retention period: a person's data or one record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
        help_text=_("Holds every record of this customer, including records found by their email address."),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), help_text=_("The legal ground: a claim, an investigation, a court order."))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, db_index=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        db_table = "retention_legalhold"
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(content_type__isnull=True) & Q(object_id=""))
                | (Q(user__isnull=True) & Q(content_type__isnull=False) & ~Q(object_id="")),
                name="legal_hold_person_or_record",
                violation_error_message=_("Hold either a person, or one record (its type and id), not both."),
            ),
        ]

    def __str__(self) -> str:
        target = f"user {self.user_id}" if self.user_id else f"{self.content_type_id}:{self.object_id}"
        return f"hold {self.pk} on {target}"

    @property
    def active(self) -> bool:
        return self.released_at is None
