"""Legal holds (GDPR art. 17(3)), the run log of the retention sweep, and the sweep's lock row.

The run log holds counts, model labels, rule keys and primary keys only: never personal data, so
that proving what the sweep did never keeps what it deleted.
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


class RetentionRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCESS = "success", _("finished")
        ERRORS = "errors", _("finished with errors")
        FAILED = "failed", _("aborted")
        LOCKED = "locked", _("not run: another sweep was running")

    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    dry_run = models.BooleanField(_("dry run"), default=False)
    full = models.BooleanField(_("all rules"), default=True)
    rules_requested = models.JSONField(_("rules requested"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class RetentionRuleResult(models.Model):
    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(_("rule"), max_length=60)
    declaration = models.CharField(_("declaration"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=4)
    model_label = models.CharField(_("model"), max_length=100)
    action = models.CharField(_("action"), max_length=16)
    examined = models.PositiveIntegerField(_("examined"), default=0)
    due = models.PositiveIntegerField(_("due"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    anonymised = models.PositiveIntegerField(_("anonymised"), default=0)
    skipped_by_hold = models.PositiveIntegerField(_("skipped by legal hold"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    error_pks = models.JSONField(_("primary keys that failed"), default=list, blank=True)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    longest_batch_ms = models.PositiveIntegerField(_("longest batch (ms)"), default=0)
    failure = models.TextField(_("rule failure"), blank=True)

    class Meta:
        verbose_name = _("rule result")
        verbose_name_plural = _("rule results")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rule} {self.model_label}"


class SweepLock(models.Model):
    """The lock of databases without advisory locks (SQLite, ``make run``): one row while a sweep runs."""

    key = models.CharField(max_length=60, unique=True)
    acquired_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("sweep lock")
        verbose_name_plural = _("sweep locks")

    def __str__(self) -> str:
        return self.key


class AccountClosure(models.Model):
    """Evidence that an account was closed and what closure did, without saying whose account it was."""

    closed_at = models.DateTimeField(_("closed at"), default=timezone.now, db_index=True)
    counts = models.JSONField(_("rows per model and action"), default=dict)

    class Meta:
        verbose_name = _("account closure")
        verbose_name_plural = _("account closures")
        ordering = ["-closed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.closed_at:%Y-%m-%d %H:%M}"
