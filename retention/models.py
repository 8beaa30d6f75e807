"""The run log of the retention sweep and the sweep's lock row (legal holds live in ``privacy/models.py``).

The run log holds counts, model labels, rule keys and primary keys only: never personal data, so
that proving what the sweep did never keeps what it deleted.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
