"""Writes of the credits app: granting, spending and taking back credits (C21).

A refunded credit pack takes back the credits the refund pays for, as far as they are unspent: never
more than the balance, so the ledger never goes negative (``credits_take_back``, ``refund_take_back_plan``).

Both lock the customer's balance row first, so concurrent spends queue up on it: fifty spends of
one against a balance of ten leave exactly ten entries and a balance of zero, never below.
Each call carries an idempotency key; repeating a call with the same key returns the first entry.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
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
def addon_buy_with_credits(*, user: User, product, token: str, target_ref: str, request: HttpRequest | None = None):
    """Buy an add-on with credits: an in-app order paid from the ledger, completed at once (C12, C21).

    ``token`` comes from the confirmation form.  The balance row is locked before anything else, so
    a double submit waits for the first, then finds its entry and answers with the same order: one
    order, one debit, and never a query in a transaction marked for rollback.  ``target_ref`` is the
    customer's hosting package or domain the add-on is for (checked by the orders app).
    """
    from orders import services as order_services

    key = f"addon:{token}"
    _locked_balance(user)
    done = CreditEntry.objects.filter(user=user, idempotency_key=key, order__isnull=False).select_related("order")
    if (entry := done.first()) is not None:
        return entry.order
    order = order_services.addon_order_for_credits(user=user, product=product, request=request, target_ref=target_ref)
    credits_spend(
        user=user, amount=product.credit_price, idempotency_key=key, reason=product.title, order=order, request=request
    )
    return order_services.order_paid_with_credits(order=order)


TAKE_BACK_PREFIX = "refund-"


@dataclass(frozen=True)
class TakeBackPlan:
    """What refunding part of a credit pack's order does to the customer's credits."""

    granted: int  # credits the pack granted
    wanted: int  # credits this refund pays for (not yet taken back by earlier refunds)
    possible: int  # what can be taken back now: the unspent part, never more than the balance
    balance: int

    @property
    def short(self) -> bool:
        return self.possible < self.wanted


def _granted(order) -> int:
    return CreditEntry.objects.filter(order=order, delta__gt=0).aggregate(total=Sum("delta"))["total"] or 0


def _taken_back(order) -> int:
    entries = CreditEntry.objects.filter(order=order, delta__lt=0, idempotency_key__startswith=TAKE_BACK_PREFIX)
    return -(entries.aggregate(total=Sum("delta"))["total"] or 0)


def refund_take_back_plan(*, order, refunded_total: Decimal) -> TakeBackPlan:
    """The credits to take back once ``refunded_total`` (all refunds of the order, this one included) is refunded.

    The pack's credits are taken back in proportion to the money refunded (all of them for a full refund),
    less what earlier refunds took back, and only as far as the customer still has them.
    """
    granted = _granted(order)
    balance = 0
    if order.user_id is not None:
        row = CreditBalance.objects.filter(user_id=order.user_id).first()
        balance = row.balance if row is not None else 0
    if not granted or order.total <= 0:
        return TakeBackPlan(granted=granted, wanted=0, possible=0, balance=balance)
    share = min(Decimal(refunded_total) / order.total, Decimal("1"))
    target = int((granted * share).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    wanted = max(0, target - _taken_back(order))
    return TakeBackPlan(granted=granted, wanted=wanted, possible=min(wanted, balance), balance=balance)


@transaction.atomic
def credits_take_back(*, user: User, order, refunded_total: Decimal, idempotency_key: str, reason: str):
    """Take back the unspent credits a refund of ``order`` pays for; ``None`` when there is nothing to take.

    Under the balance lock: never more than the balance (the ledger never goes negative), once per key.
    """
    key = TAKE_BACK_PREFIX + idempotency_key
    balance = _locked_balance(user)
    if (entry := _existing(user, key)) is not None:
        return entry
    plan = refund_take_back_plan(order=order, refunded_total=refunded_total)
    amount = min(plan.wanted, balance.balance)
    if amount <= 0:
        return None
    balance.balance -= amount
    balance.save(update_fields=["balance", "updated_at"])
    entry = CreditEntry.objects.create(
        user=user, delta=-amount, reason=reason, order=order, idempotency_key=key, balance_after=balance.balance
    )
    activity_record(user=user, action=CreditsAction.TAKEN_BACK, detail={"summary": f"-{amount} ({reason})"})
    return entry


@transaction.atomic
def credits_give_back(*, user: User, idempotency_key: str, reason: str):
    """A refund that failed or was cancelled gives back the credits it took (once); ``None`` if it took none."""
    taken = _existing(user, TAKE_BACK_PREFIX + idempotency_key)
    if taken is None:
        return None
    return credits_grant(user=user, amount=-taken.delta, reason=reason, idempotency_key=f"void-{idempotency_key}")
