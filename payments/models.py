"""Payments through Mollie and the refunds finance staff make on them.

A payment belongs to an owner (an order, a subscription) named by ``kind`` and ``object_id``; the
owner's app registers a handler for its kind (``payments.handlers``) that is called, under the row
lock, on every real change of status until the payment is paid, and never after (``effect_applied_at``):
a payment's effect is applied once, whatever statuses are replayed.  Rows survive the closure of the
account (``user`` is set to NULL): they are fiscal records, kept until the owner's retention clock
(``completed_at``) runs out.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        AUTHORIZED = "authorized", _("Authorised")
        PAID = "paid", _("Paid")
        CANCELED = "canceled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    class SequenceType(models.TextChoices):
        ONEOFF = "oneoff", _("One-off")
        FIRST = "first", _("First of a series")
        RECURRING = "recurring", _("Recurring")

    FINAL_STATUSES = (Status.PAID, Status.CANCELED, Status.EXPIRED, Status.FAILED)
    # Still payable or on its way: a payment in one of these may yet become paid.
    LIVE_STATUSES = (Status.OPEN, Status.PENDING, Status.AUTHORIZED)
    UNPAID_STATUSES = (Status.CANCELED, Status.EXPIRED, Status.FAILED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mollie_id = models.CharField(_("Mollie id"), max_length=64, unique=True, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("description"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    method = models.CharField(_("method"), max_length=40, blank=True)
    checkout_url = models.URLField(_("checkout URL"), max_length=500, blank=True)
    sequence_type = models.CharField(
        _("sequence type"), max_length=16, choices=SequenceType.choices, default=SequenceType.ONEOFF
    )
    mollie_customer_id = models.CharField(_("Mollie customer id"), max_length=64, blank=True)
    mandate_id = models.CharField(_("Mollie mandate id"), max_length=64, blank=True)
    mollie_subscription_id = models.CharField(_("Mollie subscription id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    effect_applied_at = models.DateTimeField(
        _("effect applied at"),
        null=True,
        blank=True,
        help_text=_(
            "When the payment was first paid and its owner's handler applied it (order paid, period added, "
            "credits granted); it is applied only once, whatever statuses Mollie reports later."
        ),
    )
    duplicate = models.BooleanField(
        _("duplicate payment refunded"),
        default=False,
        db_index=True,
        help_text=_(
            "Paid for something that was already paid by another payment: it is refunded in full automatically "
            "and the customer is told."
        ),
    )
    completed_at = models.DateTimeField(
        _("completed at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the order or subscription it belongs to was completed; starts the retention clock."),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        permissions = [("refund_payment", "Can refund payments")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.mollie_id or self.uuid} {self.amount} {self.currency} ({self.status})"

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID


class Refund(models.Model):
    """A refund as Mollie reports it; its status is read back on every webhook of its payment."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PENDING = "pending", _("Pending")
        PROCESSING = "processing", _("Processing")
        REFUNDED = "refunded", _("Refunded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Cancelled")

    # A refund in one of these gives no money back: it does not count against what can still be refunded.
    VOID_STATUSES = (Status.FAILED, Status.CANCELED)
    FINAL_STATUSES = (Status.REFUNDED, Status.FAILED, Status.CANCELED)

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="refunds")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mollie_id = models.CharField(_("Mollie id"), max_length=64, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.mollie_id} {self.amount}"

    @property
    def counts(self) -> bool:
        """Whether this refund gives (or will give) money back."""
        return self.status not in self.VOID_STATUSES
