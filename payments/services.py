"""Writes of the payments app: start a payment, follow Mollie's status, refund.

``payment_sync`` is the only place a payment's status changes.  It asks Mollie first (never trusting
what the webhook posted), then locks the row and changes it only when the status really differs, so
a retried webhook, fifty concurrent deliveries and the customer's return at the same moment make
exactly one transition, and the owner's handler runs exactly once for it, in the same transaction.
Once a payment has been paid its handler never runs again (``effect_applied_at``): its effect is
applied once, whatever statuses are replayed.
"""

import logging
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from payments import gateway, handlers, signals
from payments.activity import Action as PaymentAction
from payments.models import Payment, Refund
from portal.activity import activity_record

logger = logging.getLogger(__name__)


def webhook_url() -> str:
    base = (settings.MOLLIE_WEBHOOK_BASE_URL or settings.SITE_URL).rstrip("/")
    return base + reverse("payments_webhook")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def payment_start(
    *,
    user,
    kind: str,
    object_id: int,
    amount: Decimal,
    description: str,
    redirect_url: str = "",
    sequence_type: str = "oneoff",
    mollie_customer_id: str = "",
    request: HttpRequest | None = None,
) -> Payment:
    """Create the payment at Mollie and record it; the caller sends the customer to ``checkout_url``.

    ``redirect_url`` may be left empty: the customer then returns through ``payments:return``, which
    syncs the payment (in case the webhook is late) and sends them on to the owner's ``return_url``.
    Raises ``GatewayError`` with nothing recorded when Mollie cannot be reached.  Call it outside a
    transaction where possible (``transaction.non_atomic_requests``): no lock is then held while
    waiting for Mollie, which also lets the embedded SQLite set-up call its own simulator.
    """
    payment = payment_build(
        user=user,
        kind=kind,
        object_id=object_id,
        amount=amount,
        description=description,
        sequence_type=sequence_type,
        mollie_customer_id=mollie_customer_id,
    )
    payment_open_at_mollie(payment=payment, redirect_url=redirect_url, request=request)
    with transaction.atomic():
        payment_record(payment=payment, request=request)
    return payment


def payment_build(
    *,
    user,
    kind: str,
    object_id: int | None,
    amount: Decimal,
    description: str,
    sequence_type: str = "oneoff",
    mollie_customer_id: str = "",
) -> Payment:
    """An unsaved payment; for owners that record themselves and their payment in one transaction."""
    return Payment(
        user=user,
        kind=kind,
        object_id=object_id,  # type: ignore[misc]  # None until the owner that records it exists
        amount=Decimal(amount).quantize(Decimal("0.01")),
        description=str(description)[:255],
        sequence_type=sequence_type,
        mollie_customer_id=mollie_customer_id,
    )


def payment_open_at_mollie(*, payment: Payment, redirect_url: str = "", request: HttpRequest | None = None) -> Payment:
    """Create the (unsaved) payment at Mollie, keyed by its uuid, and fill in Mollie's id and checkout URL."""
    if not redirect_url:
        redirect_url = absolute_url(reverse("payments:return", kwargs={"uuid": payment.uuid}), request)
    language = getattr(payment.user, "language", "nl")
    remote = gateway.payment_create(
        amount=payment.amount,
        description=payment.description,
        redirect_url=redirect_url,
        webhook_url=webhook_url(),
        idempotency_key=str(payment.uuid),
        sequence_type=payment.sequence_type,
        customer_id=payment.mollie_customer_id,
        locale="en_US" if language == "en" else "nl_NL",
        metadata={"kind": payment.kind, "payment": str(payment.uuid)},
    )
    payment.mollie_id = remote.id
    payment.checkout_url = remote.checkout_url
    payment.status = remote.status
    return payment


def payment_record(*, payment: Payment, request: HttpRequest | None = None) -> Payment:
    """Save a payment opened at Mollie, with its activity-log row; run inside the owner's transaction."""
    payment.save()
    if payment.user is not None:
        activity_record(
            user=payment.user,
            action=PaymentAction.STARTED,
            request=request,
            detail={"payment": payment.mollie_id, "amount": str(payment.amount), "summary": payment.description},
        )
    return payment


def _adopt(remote: gateway.RemotePayment) -> Payment | None:
    """Record a payment Mollie created on its own (a subscription's recurring payment) if an owner claims it."""
    if not remote.subscription_id:
        return None
    for entry in handlers.adopters():
        owner = entry.adopt(remote)  # type: ignore[misc]  # adopters() lists only entries that adopt
        if owner is None:
            continue
        object_id, user = owner
        Payment.objects.bulk_create(
            [
                Payment(
                    mollie_id=remote.id,
                    user=user,
                    kind=entry.kind,
                    object_id=object_id,
                    amount=remote.amount,
                    currency=remote.currency,
                    description=remote.description[:255],
                    status=Payment.Status.OPEN,
                    sequence_type=remote.sequence_type,
                    mollie_customer_id=remote.customer_id,
                    mandate_id=remote.mandate_id,
                    mollie_subscription_id=remote.subscription_id,
                )
            ],
            ignore_conflicts=True,  # a concurrent delivery of the same webhook may have recorded it first
        )
        return Payment.objects.select_for_update().get(mollie_id=remote.id)
    return None


def payment_sync(*, mollie_id: str) -> Payment | None:
    """Bring our payment in line with Mollie's; ``None`` when neither Mollie nor we know the id.

    The Mollie call happens before the transaction, so no row is locked while waiting for the network.
    Raises ``GatewayError`` when Mollie cannot be reached (the webhook answers 500 so Mollie retries).
    """
    remote = gateway.payment_get(mollie_id)
    if remote is None:
        return None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(mollie_id=remote.id).first()
        if payment is None:
            payment = _adopt(remote)
            if payment is None:
                logger.info("Mollie payment %s belongs to nobody here", remote.id)
                return None
        if payment.status == remote.status:
            return payment
        previous = payment.status
        now = timezone.now()
        payment.status = remote.status
        payment.status_changed_at = now
        payment.method = remote.method or payment.method
        payment.mandate_id = remote.mandate_id or payment.mandate_id
        payment.mollie_customer_id = remote.customer_id or payment.mollie_customer_id
        payment.mollie_subscription_id = remote.subscription_id or payment.mollie_subscription_id
        # A payment's effect (an order paid, a period added, credits granted) is applied once, on its first
        # "paid"; what Mollie reports after that (paid → refunded → paid → failed → paid) is recorded only.
        applied = payment.effect_applied_at is not None
        if remote.status == Payment.Status.PAID and not applied:
            payment.paid_at = remote.paid_at or now
            payment.effect_applied_at = now
        payment.save(
            update_fields=[
                "status",
                "status_changed_at",
                "method",
                "mandate_id",
                "mollie_customer_id",
                "mollie_subscription_id",
                "paid_at",
                "effect_applied_at",
            ]
        )
        if applied:
            logger.warning(
                "payment %s went from %s to %s after its effect was applied: recorded, not applied again",
                payment.mollie_id,
                previous,
                payment.status,
            )
            return payment
        entry = handlers.registration(payment.kind)
        if entry is not None:
            entry.handler(payment=payment, previous_status=previous)
        else:
            logger.warning("no payment handler registered for kind %s", payment.kind)
        if payment.status == Payment.Status.PAID:
            signals.payment_paid.send(sender=Payment, payment=payment)
    return payment


def payment_owner_completed(*, kind: str, object_id: int, completed_at=None) -> int:
    """The owner (order, subscription) is completed: start the retention clock of its payments."""
    return Payment.objects.filter(kind=kind, object_id=object_id, completed_at__isnull=True).update(
        completed_at=completed_at or timezone.now()
    )


class RefundRefused(Exception):
    """The refund cannot be made; the message says why."""


def refund_create(*, payment: Payment, amount: Decimal | None, staff_user) -> Refund:
    """Refund (part of) a paid payment through Mollie; ``amount=None`` refunds what is left.

    Checked under the row lock, asked of Mollie outside any transaction (keyed by the refund's uuid),
    recorded under the lock again; Mollie itself refuses to refund more than was paid.
    """
    refund = Refund(payment=payment, created_by=staff_user)
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        refund.amount = _refundable(locked, amount)
    remote = gateway.refund_create(
        payment_mollie_id=cast(str, locked.mollie_id),  # _refundable() refuses a payment without one
        amount=refund.amount,
        description=f"Refund {locked.description}"[:255],
        idempotency_key=str(refund.uuid),
    )
    with transaction.atomic():
        locked = Payment.objects.select_for_update(of=("self",)).select_related("user").get(pk=payment.pk)
        refund.payment = locked
        refund.mollie_id = remote.id
        refund.status = remote.status
        refund.save()
        signals.refund_status_changed.send(sender=Refund, refund=refund, previous_status="")
        if locked.user is not None:
            activity_record(
                user=locked.user,
                action=PaymentAction.REFUNDED,
                actor=staff_user,
                detail={"payment": locked.mollie_id, "amount": str(refund.amount)},
            )
    return refund


def _refundable(payment: Payment, amount: Decimal | None) -> Decimal:
    if payment.status != Payment.Status.PAID or not payment.mollie_id:
        raise RefundRefused("Only paid payments can be refunded.")
    refunded = sum((refund.amount for refund in payment.refunds.all()), Decimal("0"))
    remaining = payment.amount - refunded
    amount = remaining if amount is None else Decimal(amount).quantize(Decimal("0.01"))
    if amount <= 0 or amount > remaining:
        raise RefundRefused(f"The refund must be more than 0 and at most {remaining}.")
    return amount
