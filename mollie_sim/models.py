"""The simulator's own state: what Mollie would keep on its side, in test mode only.

Nothing here is ours in production (the simulator is refused there); the customers hold a name and
an email address as Mollie's would, declared in ``privacy.py``.
"""

import secrets
import string

from django.db import models
from django.utils.translation import gettext_lazy as _

ALPHABET = string.ascii_letters + string.digits


def sim_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _position in range(10))


class SimCustomer(models.Model):
    sim_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    locale = models.CharField(max_length=10, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated customer")
        verbose_name_plural = _("simulated customers")

    def __str__(self) -> str:
        return self.sim_id


class SimMandate(models.Model):
    sim_id = models.CharField(max_length=32, unique=True)
    customer = models.ForeignKey(SimCustomer, on_delete=models.CASCADE, related_name="mandates")
    status = models.CharField(max_length=16, default="valid")
    method = models.CharField(max_length=32, default="directdebit")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated mandate")
        verbose_name_plural = _("simulated mandates")

    def __str__(self) -> str:
        return self.sim_id


class SimSubscription(models.Model):
    sim_id = models.CharField(max_length=32, unique=True)
    customer = models.ForeignKey(SimCustomer, on_delete=models.CASCADE, related_name="subscriptions")
    mandate = models.ForeignKey(SimMandate, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=16, default="active")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    interval = models.CharField(max_length=32)
    description = models.CharField(max_length=255)
    start_date = models.DateField()
    next_payment_date = models.DateField(null=True, blank=True)
    times = models.PositiveIntegerField(null=True, blank=True)
    webhook_url = models.URLField(max_length=500, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    canceled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("simulated subscription")
        verbose_name_plural = _("simulated subscriptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.sim_id


class SimPayment(models.Model):
    sim_id = models.CharField(max_length=32, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    description = models.CharField(max_length=255)
    status = models.CharField(max_length=16, default="open")
    method = models.CharField(max_length=32, blank=True)
    sequence_type = models.CharField(max_length=16, default="oneoff")
    redirect_url = models.URLField(max_length=500, blank=True)
    webhook_url = models.URLField(max_length=500, blank=True)
    locale = models.CharField(max_length=10, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    customer = models.ForeignKey(SimCustomer, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments")
    mandate = models.ForeignKey(SimMandate, null=True, blank=True, on_delete=models.SET_NULL)
    subscription = models.ForeignKey(
        SimSubscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    amount_refunded = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("simulated payment")
        verbose_name_plural = _("simulated payments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.sim_id


class SimRefund(models.Model):
    sim_id = models.CharField(max_length=32, unique=True)
    payment = models.ForeignKey(SimPayment, on_delete=models.CASCADE, related_name="refunds")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    description = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated refund")
        verbose_name_plural = _("simulated refunds")

    def __str__(self) -> str:
        return self.sim_id


class SimIdempotentRequest(models.Model):
    """A creating request seen before: the same key on the same path gets the same answer."""

    key = models.CharField(max_length=128)
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated idempotent request")
        verbose_name_plural = _("simulated idempotent requests")
        constraints = [models.UniqueConstraint(fields=["key", "path"], name="sim_idempotency_key_path")]

    def __str__(self) -> str:
        return self.key


class SimWebhookCall(models.Model):
    """One attempt to deliver a webhook, as Mollie's dashboard shows them."""

    payment = models.ForeignKey(SimPayment, on_delete=models.CASCADE, related_name="webhook_calls")
    url = models.URLField(max_length=500)
    attempt = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated webhook call")
        verbose_name_plural = _("simulated webhook calls")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.payment} #{self.attempt}"
