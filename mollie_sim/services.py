"""What the simulated Mollie does: create payments, settle them at the checkout, charge subscriptions.

Each function runs in one transaction and queues the webhook call (``tasks.webhook_deliver``) after
commit, the way Mollie calls the webhook after its own state has changed.
"""

import re
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from mollie_sim.models import SimMandate, SimPayment, SimRefund, SimSubscription, sim_id

FINAL_STATUSES = ("paid", "failed", "canceled", "expired")
CHECKOUT_CHOICES = ("paid", "failed", "canceled", "expired")
INTERVAL = re.compile(r"^(\d+) (day|days|week|weeks|month|months)$")


class SimError(Exception):
    def __init__(self, status: int, detail: str, field: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field


def interval_delta(interval: str) -> relativedelta:
    match = INTERVAL.match(interval.strip())
    if not match:
        raise SimError(
            422, "Invalid interval, it should be like '1 month', '12 months', '14 days' or '2 weeks'.", "interval"
        )
    count, unit = int(match.group(1)), match.group(2).rstrip("s")
    return relativedelta(**{f"{unit}s": count})


def _deliver_webhook_on_commit(payment: SimPayment) -> None:
    from mollie_sim.tasks import webhook_deliver

    if payment.webhook_url:
        webhook_deliver.delay_on_commit(payment.pk)


@transaction.atomic
def payment_settle(*, payment: SimPayment, status: str) -> SimPayment:
    """The payer's choice on the checkout page (or a recurring charge's outcome)."""
    if status not in CHECKOUT_CHOICES:
        raise SimError(422, f"Unknown status {status}.")
    payment = SimPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.status in FINAL_STATUSES:
        return payment
    now = timezone.now()
    payment.status = status
    setattr(payment, f"{status}_at", now)
    if status == "paid":
        payment.method = payment.method or ("directdebit" if payment.sequence_type == "recurring" else "ideal")
        if payment.sequence_type == "first" and payment.customer_id and payment.mandate_id is None:
            payment.mandate = SimMandate.objects.create(
                sim_id=sim_id("mdt_"), customer_id=payment.customer_id, status="valid", method="directdebit"
            )
    payment.save()
    _deliver_webhook_on_commit(payment)
    return payment


def payment_is_cancelable(payment: SimPayment) -> bool:
    """As Mollie's ``isCancelable``: an open payment can be cancelled through the API until it is settled."""
    return payment.status == "open" and payment.sequence_type != "recurring"


@transaction.atomic
def payment_cancel(*, payment: SimPayment) -> SimPayment:
    """``DELETE /v2/payments/{id}``: Mollie answers 422 for a payment that is not cancelable."""
    payment = SimPayment.objects.select_for_update().get(pk=payment.pk)
    if not payment_is_cancelable(payment):
        raise SimError(422, f"The payment {payment.sim_id} is {payment.status} and cannot be canceled.")
    return payment_settle(payment=payment, status="canceled")


# A refund's life at Mollie: queued (waiting for balance) -> pending -> processing -> refunded, or failed;
# a queued or pending refund can still be canceled.  Each change calls the payment's webhook, as Mollie does.
REFUND_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "queued": ("pending", "canceled"),
    "pending": ("processing", "refunded", "failed", "canceled"),
    "processing": ("refunded", "failed"),
}
REFUND_FINAL = ("refunded", "failed", "canceled")


@transaction.atomic
def refund_settle(*, refund: SimRefund, status: str) -> SimRefund:
    """Move a refund on, as Mollie's processing does; the money comes back when it fails or is cancelled."""
    refund = SimRefund.objects.select_for_update().select_related("payment").get(pk=refund.pk)
    if status not in REFUND_TRANSITIONS.get(refund.status, ()):
        raise SimError(422, f"The refund {refund.sim_id} is {refund.status}; it cannot become {status}.")
    refund.status = status
    refund.save(update_fields=["status"])
    payment = SimPayment.objects.select_for_update().get(pk=refund.payment_id)
    if status in ("failed", "canceled"):
        payment.amount_refunded -= refund.amount
        payment.save(update_fields=["amount_refunded"])
    _deliver_webhook_on_commit(payment)
    return refund


def payment_expire_if_due(payment: SimPayment) -> SimPayment:
    """An open payment past its ``expiresAt`` expires when next looked at, and its webhook is called, as at Mollie."""
    if payment.status == "open" and payment.expires_at and payment.expires_at <= timezone.now():
        return payment_settle(payment=payment, status="expired")
    return payment


@transaction.atomic
def subscription_charge(*, subscription: SimSubscription, status: str = "paid") -> SimPayment:
    """Make the subscription's next recurring payment happen now, and call its webhook."""
    if status not in ("paid", "failed"):
        raise SimError(422, "A recurring charge is either paid or failed.")
    subscription = SimSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status != "active":
        raise SimError(422, f"Subscription {subscription.sim_id} is {subscription.status}, not active.")
    mandate = subscription.mandate or subscription.customer.mandates.filter(status="valid").first()
    now = timezone.now()
    payment = SimPayment.objects.create(
        sim_id=sim_id("tr_"),
        amount=subscription.amount,
        currency=subscription.currency,
        description=subscription.description,
        status="pending",
        method="directdebit",
        sequence_type="recurring",
        webhook_url=subscription.webhook_url,
        metadata=subscription.metadata,
        customer=subscription.customer,
        mandate=mandate,
        subscription=subscription,
    )
    payment.status = status
    setattr(payment, f"{status}_at", now)
    payment.save()
    today = timezone.localdate()
    base = subscription.next_payment_date or today
    subscription.next_payment_date = base + interval_delta(subscription.interval)
    subscription.save(update_fields=["next_payment_date"])
    _deliver_webhook_on_commit(payment)
    return payment


def amount_from(data: dict | None, field: str = "amount") -> tuple[Decimal, str]:
    if not isinstance(data, dict) or "value" not in data or "currency" not in data:
        raise SimError(422, "The amount is invalid.", field)
    value = str(data["value"])
    if not re.fullmatch(r"\d+\.\d{2}", value):
        raise SimError(422, "The amount contains an invalid value.", field)
    if data["currency"] != "EUR":
        raise SimError(422, "The currency is not supported.", field)
    return Decimal(value), "EUR"
