"""The data-subject rights: exports of "my data" and the requests of the request desk (C38–C41).

A ``DataExport`` is a ZIP built from the declarations, stored privately under a random name and
deleted when the register's ``export_expired`` clock runs out.  A ``RightsRequest`` exists only
once the requester's identity is established (C40): a logged-in customer who re-authenticated, or
anyone who followed the signed link sent to the address the data belongs to.  Every step staff
take on a request is a ``RequestEvent``.
"""

import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import register

DEADLINE = relativedelta(months=1)  # GDPR art. 12(3): without undue delay, at the latest within one month
MAX_EXTENSION_MONTHS = 2  # ... which may be extended by two further months, with the reasons


def export_upload_to(instance: "DataExport", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_upload_to, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def expires_at(self):
        """The same clock the retention sweep uses: ``export_expired`` from the moment of the request."""
        return register.rule("export_expired").expires(self.created_at)

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_downloadable(self, now=None) -> bool:
        return self.status == self.Status.READY and bool(self.file) and not self.is_expired(now)


class RightsRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Access: which personal data do you hold about me?")
        RECTIFICATION = "rectification", _("Rectification: correct data that is wrong")
        ERASURE = "erasure", _("Erasure: delete my data")
        RESTRICTION = "restriction", _("Restriction: stop using my data for now")
        OBJECTION = "objection", _("Objection to a particular use of my data")
        PORTABILITY = "portability", _("Portability: my data in a machine-readable file")
        WITHDRAW_CONSENT = "withdraw_consent", _("Withdraw my consent")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("Being handled")
        EXTENDED = "extended", _("Deadline extended")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Declined")

    class Verification(models.TextChoices):
        ACCOUNT = "account", _("logged in and re-authenticated")
        EMAIL_LINK = "email_link", _("followed the link emailed to the address")

    OPEN = (Status.RECEIVED, Status.IN_PROGRESS, Status.EXTENDED)

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("customer"),
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    item_reference = models.CharField(_("item"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    verified_by = models.CharField(_("identity checked by"), max_length=20, choices=Verification.choices)
    confirmation = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    deadline = models.DateTimeField(_("legal deadline"), db_index=True)
    extension_months = models.PositiveSmallIntegerField(_("extended by (months)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    completed_at = models.DateTimeField(_("dealt with at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_months__lte=MAX_EXTENSION_MONTHS), name="rights_extension_max_two_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.email} · {self.received_at:%Y-%m-%d}"

    @property
    def original_deadline(self):
        return self.received_at + DEADLINE

    def deadline_for(self, extension_months: int):
        """One month after receipt, plus the extension (GDPR art. 12(3))."""
        return self.received_at + DEADLINE + relativedelta(months=extension_months)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def closes_an_account(self) -> bool:
        """An erasure request of an account holder: completing it is account closure (C39d)."""
        return self.kind == self.Kind.ERASURE and self.user_id is not None

    def is_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.deadline


class RequestEvent(models.Model):
    """One step in the handling of a request: the log the privacy officer answers to."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        STARTED = "started", _("Handling started")
        EXTENDED = "extended", _("Deadline extended")
        NOTE = "note", _("Note")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Declined")
        ERASED = "erased", _("Data erased")

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class PendingRequest(models.Model):
    """A privacy request sent without logging in, waiting for its requester to follow the emailed link (C40).

    The link carries only ``token``, an opaque random value: never the address or the message, which would
    land in access logs.  The row is turned into a ``RightsRequest`` when the link is followed within a day,
    and goes after 7 days either way (the register's rule ``request_unconfirmed``).
    """

    token = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(_("what is asked"), max_length=16)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, default="nl")
    message = models.TextField(_("message"), blank=True)
    item_reference = models.CharField(_("item"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("privacy request waiting for confirmation")
        verbose_name_plural = _("privacy requests waiting for confirmation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk}"
