"""Reads of the orders app.  Every customer-facing read is scoped to the customer (another's order is a 404)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from orders.models import Cart, Order, OrderLine, Product
from payments.models import Payment, Refund

PAGE_SIZE = 20


def catalogue(*, kinds) -> list[Product]:
    return list(Product.objects.filter(active=True, kind__in=kinds))


def _order_refunds():
    """The refunds that count for an order: of its own (not duplicate) payments, not failed or cancelled."""
    return Refund.objects.filter(
        payment__kind="order", payment__object_id=OuterRef("pk"), payment__duplicate=False
    ).exclude(status__in=Refund.VOID_STATUSES)


def _with_refunded(queryset):
    total = _order_refunds().order_by().values("payment__object_id").annotate(total=Sum("amount")).values("total")[:1]
    return queryset.annotate(
        refunded=Coalesce(
            Subquery(total, output_field=DecimalField(max_digits=10, decimal_places=2)),
            Decimal("0"),
            output_field=DecimalField(max_digits=10, decimal_places=2),
        )
    )


def order_page(*, user, page) -> Page:
    """One page of the customer's orders, newest first, in three queries whatever their number.

    The page's ids come from the index ``(user, -created_at, -pk)`` alone (the count too); only the
    page's own orders are then read, with their line count and refunds: no ``GROUP BY`` over every order,
    and no subquery run for the rows an offset skips.
    """
    ordered = Order.objects.for_user(user).order_by("-created_at", "-pk")
    page_obj = Paginator(ordered.values_list("pk", flat=True), PAGE_SIZE).get_page(page)
    ids = list(page_obj.object_list)
    lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Count("pk"))
    orders = _with_refunded(Order.objects.filter(pk__in=ids)).annotate(
        line_count=Coalesce(Subquery(lines.values("n")[:1]), 0)
    )
    by_pk = {order.pk: order for order in orders}
    page_obj.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
    return page_obj


def order_for_customer(*, user, pk: int) -> Order:
    queryset = _with_refunded(
        Order.objects.for_user(user)
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .select_related("shipment")
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class PaymentOutcome:
    """What the order page tells about its payments: the last one that did not go through, and the refunds."""

    last_unpaid: Payment | None
    refunds: list[Refund]
    duplicates: list[Payment]


def order_payment_outcome(order: Order, payments: list[Payment]) -> PaymentOutcome:
    latest = payments[0] if payments else None
    last_unpaid = latest if latest is not None and latest.status in Payment.UNPAID_STATUSES else None
    refunds = list(
        Refund.objects.filter(payment__in=[p.pk for p in payments if not p.duplicate])
        .exclude(status__in=Refund.VOID_STATUSES)
        .order_by("created_at", "pk")
    )
    return PaymentOutcome(
        last_unpaid=last_unpaid if order.is_open else None,
        refunds=refunds,
        duplicates=[p for p in payments if p.duplicate],
    )


def order_paid_by(payment: Payment, *, kind: str | None = None) -> Order | None:
    """The customer's order ``payment`` paid for (of ``kind``, if given), or ``None``.

    ``None`` for a payment of something else (a subscription), a duplicate payment (refunded on its
    own, it pays for nothing) and an order whose account was closed: what the refund receivers of
    the credits and hosting apps act on.
    """
    if payment.kind != "order" or payment.duplicate:
        return None
    orders = Order.objects.filter(pk=payment.object_id, user__isnull=False)
    if kind is not None:
        orders = orders.filter(kind=kind)
    return orders.first()


def order_payments(order: Order) -> list[Payment]:
    return list(Payment.objects.filter(kind="order", object_id=order.pk).order_by("-pk"))


def owned_addons(*, user) -> set[int]:
    """Ids of the add-ons the customer has bought and paid for."""
    return set(
        OrderLine.objects.filter(
            order__user=user, order__status__in=[Order.Status.PAID, Order.Status.COMPLETED], kind=Product.Kind.ADDON
        ).values_list("product_id", flat=True)
    )


def recent_orders(*, user, limit: int = 3) -> list[Order]:
    return list(Order.objects.for_user(user)[:limit])


def addons_on_offer(*, user, limit: int) -> list[Product]:
    """Active add-ons the customer has not bought yet (one query)."""
    owned = OrderLine.objects.filter(
        order__user=user, order__status__in=[Order.Status.PAID, Order.Status.COMPLETED], kind=Product.Kind.ADDON
    ).values("product_id")
    return list(Product.objects.filter(active=True, kind=Product.Kind.ADDON).exclude(pk__in=owned)[:limit])


def orders_awaiting_payment(*, user, limit: int = 3) -> list[Order]:
    """The customer's open orders with an amount to pay, oldest first (one query).

    Each carries ``last_payment_status``: the status of its latest payment (``None`` before the first),
    so the dashboard can say that the last attempt failed.
    """
    last = Payment.objects.filter(kind="order", object_id=OuterRef("pk")).order_by("-pk").values("status")[:1]
    return list(
        Order.objects.for_user(user)
        .filter(status__in=Order.OPEN_STATES, total__gt=0)
        .annotate(last_payment_status=Subquery(last))
        .order_by("created_at", "pk")[:limit]
    )


def cart_size(cart: Cart | None) -> int:
    """How many lines the cart has (the shop's cart button)."""
    return 0 if cart is None else cart.lines.count()


def cart_has_line(cart: Cart | None, line_id: int) -> bool:
    return cart is not None and cart.lines.filter(pk=line_id).exists()
