"""Writes of the payments app: start a payment, follow Mollie's status, refund.

``payment_sync`` is the only place a payment's status changes.  It asks Mollie first (never trusting
what the webhook posted), then locks the row and changes it only when the status really differs, so
a retried webhook, fifty concurrent deliveries and the customer's return at the same moment make
exactly one transition, and the owner's handler runs exactly once for it, in the same transaction.
Once a payment has been paid its handler never runs again (``effect_applied_at``): its effect is
applied once, whatever statuses are replayed.
"""

import logging
import uuid
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payments import gateway, handlers, signals
from payments.activity import Action as PaymentAction
from payments.models import Payment, Refund
from portal.activity import activity_record
from portal.money import money

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


def payment_sync(*, mollie_id: str | None) -> Payment | None:
    """Bring our payment, and its refunds, in line with Mollie's; ``None`` when neither Mollie nor we know the id.

    The Mollie calls happen before the transaction, so no row is locked while waiting for the network.
    Mollie calls a payment's webhook also when one of its refunds changes status (pending → refunded,
    failed, ...): the refunds we know are read back here and each real change sends
    ``refund_status_changed``.  Raises ``GatewayError`` when Mollie cannot be reached (the webhook answers
    503 so Mollie retries).
    """
    remote = gateway.payment_get(mollie_id) if mollie_id else None
    if remote is None:
        return None
    remote_refunds: list[gateway.RemoteRefund] = []
    if Refund.objects.filter(payment__mollie_id=remote.id).exclude(status__in=Refund.FINAL_STATUSES).exists():
        remote_refunds = gateway.refunds_list(remote.id)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(mollie_id=remote.id).first()
        if payment is None:
            payment = _adopt(remote)
            if payment is None:
                logger.info("Mollie payment %s belongs to nobody here", remote.id)
                return None
        _refunds_follow(payment, remote_refunds)
        if payment.status == remote.status:
            return payment
        _status_follow(payment, remote)
    return payment


def _status_follow(payment: Payment, remote: gateway.RemotePayment) -> None:
    """Under the payment's lock: record Mollie's new status and apply its effect once, on the first "paid"."""
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
        return
    entry = handlers.registration(payment.kind)
    if entry is not None:
        entry.handler(payment=payment, previous_status=previous)
    else:
        logger.warning("no payment handler registered for kind %s", payment.kind)
    if payment.status == Payment.Status.PAID:
        signals.payment_paid.send(sender=Payment, payment=payment)


def _refunds_follow(payment: Payment, remote_refunds: list[gateway.RemoteRefund]) -> None:
    """Under the payment's lock: each of its refunds whose status Mollie changed follows, once per change."""
    by_id = {remote.id: remote for remote in remote_refunds}
    if not by_id:
        return
    for refund in payment.refunds.select_for_update().filter(mollie_id__in=list(by_id)):
        remote = by_id[refund.mollie_id]
        if remote.status == refund.status:
            continue
        previous = refund.status
        refund.status = remote.status
        refund.status_changed_at = timezone.now()
        refund.save(update_fields=["status", "status_changed_at"])
        refund.payment = payment
        signals.refund_status_changed.send(sender=Refund, refund=refund, previous_status=previous)
        if payment.user is not None:
            activity_record(
                user=payment.user,
                action=PaymentAction.REFUND_STATUS,
                detail={
                    "payment": payment.mollie_id,
                    "amount": str(refund.amount),
                    "summary": refund.get_status_display(),
                },
            )
        if refund.status in Refund.VOID_STATUSES:
            logger.warning("refund %s of payment %s %s at Mollie", refund.mollie_id, payment.mollie_id, refund.status)


LIVE = Payment.LIVE_STATUSES


def payment_cancel(*, payment: Payment) -> Payment:
    """Cancel a payment that is still payable, at Mollie first, then here (through ``payment_sync``).

    Returns the payment as it is now: ``canceled``, or whatever Mollie reports when it would not cancel
    it (paid meanwhile, pending at the bank).  Raises ``GatewayError`` when Mollie cannot be reached.
    """
    if payment.status not in LIVE or not payment.mollie_id:
        return payment
    gateway.payment_cancel(payment.mollie_id, idempotency_key=f"cancel-{payment.uuid}")
    return payment_sync(mollie_id=payment.mollie_id) or payment


def payments_cancel_open(*, kind: str, object_id: int, before: Payment | None = None) -> list[Payment]:
    """Cancel every payment of an owner that is still payable (only those older than ``before`` if given).

    Returns the payments that are still live afterwards (Mollie would not cancel them): the caller
    decides what that means.  Raises ``GatewayError`` when Mollie cannot be reached.
    """
    payments = Payment.objects.filter(kind=kind, object_id=object_id, status__in=LIVE)
    if before is not None:
        payments = payments.filter(pk__lt=before.pk)
    still_live = []
    for payment in list(payments.order_by("pk")):
        payment = payment_cancel(payment=payment)
        if payment.status in LIVE:
            still_live.append(payment)
    return still_live


def payment_mark_duplicate(*, payment: Payment) -> None:
    """Called by an owner's handler, under the lock, for a payment paid when its owner was already paid.

    It is flagged for finance (the admin's "duplicate payment refunded" filter) and, after commit,
    refunded in full through ``refund_create`` (``tasks.payment_duplicate_refund``), and the customer
    is told by e-mail.
    """
    from payments.tasks import payment_duplicate_refund

    payment.duplicate = True
    payment.save(update_fields=["duplicate"])
    logger.warning(
        "payment %s paid for %s %s that was already paid", payment.mollie_id, payment.kind, payment.object_id
    )
    payment_duplicate_refund.delay_on_commit(payment.pk)


def payment_owner_completed(*, kind: str, object_id: int, completed_at=None) -> int:
    """The owner (order, subscription) is completed or ended: start the retention clock of its payments.

    A clock already started by an earlier end (an order abandoned, then paid after all) moves to the later
    completion for the payments that brought money: their fiscal seven years count from the completion.
    """
    completed_at = completed_at or timezone.now()
    started_earlier = Q(effect_applied_at__isnull=False, completed_at__lt=completed_at)
    return Payment.objects.filter(
        Q(completed_at__isnull=True) | started_earlier, kind=kind, object_id=object_id
    ).update(completed_at=completed_at)


class RefundRefused(Exception):
    """The refund cannot be made; the message says why."""


def refund_create(
    *, payment: Payment, amount: Decimal | None, staff_user, refund_uuid: uuid.UUID | None = None
) -> Refund:
    """Refund (part of) a paid payment through Mollie; ``amount=None`` refunds what is left.

    Checked under the row lock, asked of Mollie outside any transaction (keyed by the refund's uuid, so
    a retry never refunds twice), recorded under the lock again; Mollie itself refuses to refund more
    than was paid.  ``refund_status_changed`` is sent (``previous_status=""``) and the customer is
    e-mailed after commit.  ``staff_user`` is ``None`` for the automatic refund of a duplicate payment.
    """
    refund = Refund(payment=payment, created_by=staff_user)
    if refund_uuid is not None:
        refund.uuid = refund_uuid
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
        known = Refund.objects.filter(mollie_id=remote.id).first()
        if known is not None:  # a retried call that Mollie answered from its idempotency store
            return known
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
            if locked.duplicate:
                # The customer is told why; an ordinary refund's e-mail is its credit note's (billing).
                from payments.tasks import duplicate_refund_email_send

                duplicate_refund_email_send.delay_on_commit(refund.pk)
    return refund


def refunded_amount(payment: Payment) -> Decimal:
    """What has been refunded of ``payment``, or is on its way back (failed and cancelled refunds do not count)."""
    return sum(
        (refund.amount for refund in payment.refunds.all() if refund.status not in Refund.VOID_STATUSES),
        Decimal("0"),
    )


def refundable_amount(payment: Payment) -> Decimal:
    """What can still be refunded of a paid payment (0 for one that is not paid)."""
    if payment.status != Payment.Status.PAID:
        return Decimal("0")
    return payment.amount - refunded_amount(payment)


def _refundable(payment: Payment, amount: Decimal | None) -> Decimal:
    if payment.status != Payment.Status.PAID or not payment.mollie_id:
        raise RefundRefused(_("Only paid payments can be refunded."))
    remaining = refundable_amount(payment)
    try:
        amount = remaining if amount is None else Decimal(amount).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError, TypeError):
        raise RefundRefused(_("The amount is not a number."))
    if amount <= 0 or amount > remaining:
        raise RefundRefused(
            _("The refund must be more than %(zero)s and at most %(remaining)s.")
            % {"zero": money(0), "remaining": money(remaining)}
        )
    return amount
