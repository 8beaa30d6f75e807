"""Writes of the credits app: granting and spending credits (C21).

Both lock the customer's balance row first, so concurrent spends queue up on it: fifty spends of
one against a balance of ten leave exactly ten entries and a balance of zero, never below.
Each call carries an idempotency key; repeating a call with the same key returns the first entry.
"""

from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from credits.activity import Action as CreditsAction
from credits.models import CreditBalance, CreditEntry
from credits.tasks import credits_added_email_send
from portal.activity import activity_record


class InsufficientCredits(Exception):
    """The balance is lower than the amount to spend."""

    def __init__(self, *, balance: int, amount: int) -> None:
        super().__init__(f"balance {balance} is lower than {amount}")
        self.balance = balance
        self.amount = amount


def _locked_balance(user: User) -> CreditBalance:
    CreditBalance.objects.bulk_create([CreditBalance(user=user, balance=0)], ignore_conflicts=True)
    return CreditBalance.objects.select_for_update().get(user=user)


def _existing(user: User, idempotency_key: str) -> CreditEntry | None:
    return CreditEntry.objects.filter(user=user, idempotency_key=idempotency_key).first()


@transaction.atomic
def credits_spend(
    *, user: User, amount: int, idempotency_key: str, reason: str, order=None, request: HttpRequest | None = None
) -> CreditEntry:
    """Take ``amount`` credits from ``user``; raises ``InsufficientCredits`` and changes nothing when short."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    balance = _locked_balance(user)
    if (entry := _existing(user, idempotency_key)) is not None:
        return entry
    if balance.balance < amount:
        raise InsufficientCredits(balance=balance.balance, amount=amount)
    balance.balance -= amount
    balance.save(update_fields=["balance", "updated_at"])
    entry = CreditEntry.objects.create(
        user=user,
        delta=-amount,
        reason=reason,
        order=order,
        idempotency_key=idempotency_key,
        balance_after=balance.balance,
    )
    activity_record(user=user, action=CreditsAction.SPENT, request=request, detail={"summary": f"-{amount} ({reason})"})
    return entry


@transaction.atomic
def credits_grant(*, user: User, amount: int, reason: str, order=None, idempotency_key: str = "") -> CreditEntry:
    """Add ``amount`` credits; one grant per order at most (a unique constraint backs this up)."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    key = idempotency_key or (f"order-{order.pk}" if order is not None else "")
    if not key:
        raise ValueError("a grant needs an order or an idempotency key")
    balance = _locked_balance(user)
    if (entry := _existing(user, key)) is not None:
        return entry
    balance.balance += amount
    balance.save(update_fields=["balance", "updated_at"])
    entry = CreditEntry.objects.create(
        user=user, delta=amount, reason=reason, order=order, idempotency_key=key, balance_after=balance.balance
    )
    activity_record(user=user, action=CreditsAction.GRANTED, detail={"summary": f"+{amount} ({reason})"})
    credits_added_email_send.delay_on_commit(entry.pk)
    return entry


@transaction.atomic
def addon_buy_with_credits(*, user: User, product, token: str, request: HttpRequest | None = None):
    """Buy an add-on with credits: an in-app order paid from the ledger, completed at once (C12, C21).

    ``token`` comes from the confirmation form.  The balance row is locked before anything else, so
    a double submit waits for the first, then finds its entry and answers with the same order: one
    order, one debit, and never a query in a transaction marked for rollback.
    """
    from orders import services as order_services

    key = f"addon:{token}"
    _locked_balance(user)
    done = CreditEntry.objects.filter(user=user, idempotency_key=key, order__isnull=False).select_related("order")
    if (entry := done.first()) is not None:
        return entry.order
    order = order_services.addon_order_for_credits(user=user, product=product, request=request)
    credits_spend(
        user=user, amount=product.credit_price, idempotency_key=key, reason=product.title, order=order, request=request
    )
    return order_services.order_paid_with_credits(order=order)
