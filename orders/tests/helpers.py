"""Test helpers: payments as the payments app records them, and its handler call."""

import uuid
from decimal import Decimal

from django.utils import timezone

from orders.services import PAYMENT_KIND, order_payment_update
from payments.models import Payment


def payment_for(order, status=Payment.Status.OPEN) -> Payment:
    return Payment.objects.create(
        user=order.user,
        kind=PAYMENT_KIND,
        object_id=order.pk,
        amount=Decimal(order.total),
        description=f"order {order.pk}",
        status=status,
        mollie_id=f"tr_{uuid.uuid4().hex[:10]}",
        checkout_url="https://example.test/checkout",
    )


def payment_move(payment: Payment, status: str) -> Payment:
    """What payments.services.payment_sync does on a real change: store the status, call the handler."""
    previous = payment.status
    payment.status = status
    payment.status_changed_at = timezone.now()
    payment.save(update_fields=["status", "status_changed_at"])
    order_payment_update(payment=payment, previous_status=previous)
    return payment
