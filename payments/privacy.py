"""Personal data of the payments app.

A payment belongs to the purpose of its owner: payments of orders to order handling (P1), those of
subscriptions to P5.  ``completed_at`` is set when the owner completes (order completed,
subscription cancelled) and starts the seven-year clock.  Account closure keeps the fiscal record
and only cuts the link to the account.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from payments.models import Payment, Refund
from portal.money import money
from privacy.declarations import Declaration, Erase, register

SUBSCRIPTION_KINDS = ("subscription_first", "subscription_recurring")

PAYMENT_FIELDS = (
    "mollie_id",
    "amount",
    "currency",
    "description",
    "status",
    "method",
    "sequence_type",
    "mollie_customer_id",
    "mandate_id",
    "created_at",
    "paid_at",
)


def _of_orders(queryset):
    return queryset.exclude(kind__in=SUBSCRIPTION_KINDS)


def _never_paid_of_orders(queryset):
    """An order's payment that failed, was cancelled or expired: no money moved, nothing to keep for the tax."""
    return _of_orders(queryset).filter(
        status__in=[Payment.Status.FAILED, Payment.Status.CANCELED, Payment.Status.EXPIRED],
        effect_applied_at__isnull=True,
    )


def _of_subscriptions(queryset):
    return queryset.filter(kind__in=SUBSCRIPTION_KINDS)


def _refunds_of_orders(queryset):
    return queryset.exclude(payment__kind__in=SUBSCRIPTION_KINDS)


def _refunds_of_subscriptions(queryset):
    return queryset.filter(payment__kind__in=SUBSCRIPTION_KINDS)


def _of_held_orders(held):
    """An order's payment belongs to the order: a hold on the order holds its payments."""
    return Q(object_id__in=held) & ~Q(kind__in=SUBSCRIPTION_KINDS)


def _of_held_subscriptions(held):
    return Q(object_id__in=held, kind__in=SUBSCRIPTION_KINDS)


def _of_held_payments(held):
    """A refund belongs to its payment (and so, through it, to the payment's order or subscription)."""
    return Q(payment__in=held)


def _describe(row: Payment) -> str:
    return f"{row.created_at:%Y-%m-%d} {row.description} {money(row.amount)} ({row.get_status_display()})"


register(
    # A payment without money goes with the abandoned order it belongs to, on the same period.
    Declaration(
        model=Payment,
        purpose="P1",
        fields=PAYMENT_FIELDS,
        rule="order_abandoned",
        clock="completed_at",  # set when the order ends unpaid (orders/services.py::_end)
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        extra_filter=_never_paid_of_orders,
        listed=False,
        belongs_to=(("orders.Order", _of_held_orders),),
    ),
    Declaration(
        model=Payment,
        purpose="P1",
        fields=PAYMENT_FIELDS,
        rule="order_completed",
        clock="completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        extra_filter=_of_orders,
        describe=_describe,
        label=_("Payments"),
        belongs_to=(("orders.Order", _of_held_orders),),
    ),
    Declaration(
        model=Payment,
        purpose="P5",
        fields=PAYMENT_FIELDS,
        rule="subscription_cancelled",
        clock="completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        extra_filter=_of_subscriptions,
        describe=_describe,
        label=_("Subscription payments"),
        belongs_to=(("subscriptions.Subscription", _of_held_subscriptions),),
    ),
    Declaration(
        model=Refund,
        purpose="P1",
        owner="payment__user",
        fields=("mollie_id", "amount", "status", "created_at"),
        rule="order_completed",
        clock="payment__completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.KEEP,
        extra_filter=_refunds_of_orders,
        label=_("Refunds"),
        belongs_to=(("payments.Payment", _of_held_payments),),
    ),
    Declaration(
        model=Refund,
        purpose="P5",
        owner="payment__user",
        fields=("mollie_id", "amount", "status", "created_at"),
        rule="subscription_cancelled",
        clock="payment__completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.KEEP,
        extra_filter=_refunds_of_subscriptions,
        label=_("Subscription refunds"),
        belongs_to=(("payments.Payment", _of_held_payments),),
    ),
)
