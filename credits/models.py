"""Prepaid credits: an append-only ledger of grants and spends, and a cached balance per customer.

The balance row is only ever changed under ``select_for_update`` together with the ledger entry
that explains the change, so it always equals the sum of the customer's ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """A ledger entry is never changed or deleted by the portal (the retention sweep works on querysets)."""


class CreditEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_entries",
    )
    delta = models.IntegerField(_("credits"), help_text=_("Positive for a grant, negative for a spend."))
    reason = models.CharField(_("reason"), max_length=200)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_entries",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    balance_after = models.IntegerField(_("balance after"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("credit ledger entry")
        verbose_name_plural = _("credit ledger")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="credits_entry_delta_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="credits_entry_balance_not_negative"),
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="credits_entry_unique_key_per_user"),
            models.UniqueConstraint(
                fields=["order"], condition=Q(delta__gt=0), name="credits_entry_one_grant_per_order"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="credits_entry_user_created")]

    def __str__(self) -> str:
        return f"{self.delta:+d} {self.reason}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("credit ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("credit ledger entries are never deleted one by one")


class CreditBalance(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="credit_balance",
    )
    balance = models.IntegerField(_("balance"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("credit balance")
        verbose_name_plural = _("credit balances")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="credits_balance_not_negative")]

    def __str__(self) -> str:
        return str(self.balance)
