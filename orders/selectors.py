"""Reads of the orders app.  Every customer-facing read is scoped to the customer (another's order is a 404)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from orders.models import Order, OrderLine, Product
from payments.models import Payment

PAGE_SIZE = 20


def catalogue(*, kinds) -> list[Product]:
    return list(Product.objects.filter(active=True, kind__in=kinds))


def order_page(*, user, page) -> Page:
    orders = Order.objects.for_user(user).annotate(line_count=Count("lines")).order_by("-created_at", "-pk")
    return Paginator(orders, PAGE_SIZE).get_page(page)


def order_for_customer(*, user, pk: int) -> Order:
    queryset = (
        Order.objects.for_user(user)
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .select_related("shipment")
    )
    return get_object_or_404(queryset, pk=pk)


def invoice_for_customer(*, user, pk: int) -> Order:
    order = order_for_customer(user=user, pk=pk)
    if not order.invoice_number:
        raise Http404("no invoice")
    return order


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
