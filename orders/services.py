"""Writes of the orders app: the cart, placing and paying orders, the order state machine,
invoice numbers and the hand-off to delivery.

States: created -> pending (a payment was started) -> paid -> completed, or canceled, expired,
failed when the payment ends without money.  An order is *completed* when nothing is left to do:
at payment for digital orders (hosting, domains, certificates, add-ons, credits), when the
delivery service has the goods for orders with goods.  ``completed_at`` starts the seven-year
clock (P1, P4 or P8 by kind); ``ended_at`` starts the clock of an abandoned order.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from orders import delivery
from orders.activity import Action as OrdersAction
from orders.models import InvoiceCounter, Order, OrderLine, Product, Shipment, vat_part
from orders.signals import order_paid
from orders.tasks import order_email_send, shipment_hand_over_task
from payments.models import Payment
from payments.services import payment_owner_completed, payment_start
from portal import dashboard
from portal.activity import activity_record
from portal.client import client_ip

PAYMENT_KIND = "order"
MAX_QUANTITY = 99


class OrderError(Exception):
    """A request about an order that cannot be honoured; the message is safe to show the customer."""


class InvalidTransition(Exception):
    pass


TRANSITIONS: dict[str, set[str]] = {
    Order.Status.CREATED: {Order.Status.PENDING, Order.Status.PAID, *Order.ENDED_STATES},
    Order.Status.PENDING: {Order.Status.PAID, *Order.ENDED_STATES},
    Order.Status.PAID: {Order.Status.COMPLETED},
    Order.Status.COMPLETED: set(),
    # Money that arrives after all (a late bank transfer) still makes the order paid.
    Order.Status.CANCELED: {Order.Status.PAID},
    Order.Status.EXPIRED: {Order.Status.PAID},
    Order.Status.FAILED: {Order.Status.PAID},
}


@dataclass(frozen=True)
class Item:
    product: Product
    quantity: int = 1
    domain: str = ""


KIND_PRODUCTS: dict[str, set[str]] = {
    Order.Kind.REGULAR: {Product.Kind.HOSTING, Product.Kind.DOMAIN, Product.Kind.CERTIFICATE, Product.Kind.GOODS},
    Order.Kind.IN_APP: {Product.Kind.ADDON},
    Order.Kind.CREDITS: {Product.Kind.CREDITS},
}


def _transition(order: Order, status: str) -> None:
    if status not in TRANSITIONS[order.status]:
        raise InvalidTransition(f"order {order.pk}: {order.status} -> {status}")
    order.status = status


def _snapshot(user: User) -> dict:
    address = user.billing_address()
    return {
        "invoice_name": address["name"] or user.get_full_name() or user.username,
        "invoice_street": address["street"],
        "invoice_postal_code": address["postal_code"],
        "invoice_town": address["town"],
        "invoice_country": address["country"],
        "invoice_email": user.email,
        "invoice_phone": str(user.phone or ""),
        "invoice_gender": user.gender if user.gender and user.gender != User.Gender.UNDISCLOSED else "",
    }


def _line(order: Order, item: Item) -> OrderLine:
    product = item.product
    total = product.price * item.quantity
    description = product.title
    if item.domain:
        description = f"{description}: {item.domain}"
    return OrderLine(
        order=order,
        product=product,
        kind=product.kind,
        description=description,
        quantity=item.quantity,
        unit_price=product.price,
        vat_rate=product.vat_rate,
        vat=vat_part(total, product.vat_rate),
        total=total,
        domain=item.domain,
    )


def _check_items(kind: str, items: list[Item]) -> None:
    if not items:
        raise OrderError(_("Your cart is empty."))
    for item in items:
        if not item.product.active or item.product.kind not in KIND_PRODUCTS[kind]:
            raise OrderError(_("%(product)s cannot be ordered here.") % {"product": item.product.display_name})
        if not 1 <= item.quantity <= MAX_QUANTITY:
            raise OrderError(_("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY})
        if item.product.kind == Product.Kind.DOMAIN and not item.domain:
            raise OrderError(_("Please enter the domain name you want to register."))


@transaction.atomic
def order_place(
    *, user: User, items: Iterable[Item], kind: str = Order.Kind.REGULAR, request: HttpRequest | None = None
) -> Order:
    """Create the order with its lines and the invoice snapshot (C01); payment starts separately."""
    items = list(items)
    _check_items(kind, items)
    snapshot = _snapshot(user)
    if any(item.product.kind == Product.Kind.GOODS for item in items) and not (
        snapshot["invoice_street"] and snapshot["invoice_postal_code"] and snapshot["invoice_town"]
    ):
        raise OrderError(_("Goods need a delivery address: please fill in your address under My details first."))
    order = Order(
        user=user, kind=kind, ip_address=client_ip(request), total=Decimal("0"), vat_total=Decimal("0"), **snapshot
    )
    lines = [_line(order, item) for item in items]
    order.total = sum((line.total for line in lines), Decimal("0"))
    order.vat_total = sum((line.vat for line in lines), Decimal("0"))
    order.save()
    OrderLine.objects.bulk_create(lines)
    activity_record(
        user=user, action=OrdersAction.ORDER_PLACED, request=request, detail={"summary": f"{order} € {order.total}"}
    )
    return order


def order_pay(*, order: Order, request: HttpRequest | None = None) -> Payment:
    """Start a Mollie payment for an open order and return it; the caller redirects to its checkout.

    Raises ``payments.gateway.GatewayError`` when Mollie cannot be reached; the order then stays
    open and unpaid and the customer can try again from the order page.
    """
    if not order.is_open:
        raise OrderError(_("This order cannot be paid any more."))
    if order.total <= 0:
        raise OrderError(_("This order has nothing to pay."))
    # No redirect_url: the customer returns through payments:return, which syncs the payment first
    # (in case the webhook is late) and then lands on order_payment_return_url.
    payment = payment_start(
        user=order.user,
        kind=PAYMENT_KIND,
        object_id=order.pk,
        amount=order.total,
        description=_("Netrex order %(number)s") % {"number": order.pk},
        redirect_url="",
        request=request,
    )
    # payment_start logged the action; a webhook that already moved the order on is left alone.
    if Order.objects.filter(pk=order.pk, status=Order.Status.CREATED).update(status=Order.Status.PENDING):
        dashboard.touch(order.user_id)  # update() sends no signal
    return payment


def invoice_number_take(*, day) -> str:
    """The next invoice number of ``day``'s year, e.g. ``2026-000042``: under a row lock, so no gaps or twins.

    Must run inside the transaction that stores the number: a rollback gives the number back.
    """
    InvoiceCounter.objects.bulk_create([InvoiceCounter(year=day.year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(year=day.year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{day.year}-{counter.last_number:06d}"


def _has_goods(order: Order) -> bool:
    return order.lines.filter(kind=Product.Kind.GOODS).exists()


def _mark_paid(order: Order) -> None:
    now = timezone.now()
    _transition(order, Order.Status.PAID)
    order.paid_at = now
    order.ended_at = None
    update = ["status", "paid_at", "ended_at"]
    if order.total > 0 and not order.invoice_number:
        order.invoice_number = invoice_number_take(day=timezone.localdate(now))
        order.invoice_date = timezone.localdate(now)
        update += ["invoice_number", "invoice_date"]
    order.save(update_fields=update)
    if order.user is not None:
        activity_record(user=order.user, action=OrdersAction.ORDER_PAID, detail={"summary": str(order)})
    # Other apps react in their receivers.py: credits grants a pack's credits, hosting provisions services.
    order_paid.send(sender=Order, order=order)
    if order.total > 0:
        order_email_send.delay_on_commit(order.pk, "confirmation")
    if _has_goods(order):
        shipment_hand_over_task.delay_on_commit(order.pk)
    else:
        _complete(order)


def _complete(order: Order) -> None:
    _transition(order, Order.Status.COMPLETED)
    order.completed_at = timezone.now()
    order.save(update_fields=["status", "completed_at"])
    payment_owner_completed(kind=PAYMENT_KIND, object_id=order.pk, completed_at=order.completed_at)
    if order.user is not None:
        activity_record(user=order.user, action=OrdersAction.ORDER_COMPLETED, detail={"summary": str(order)})


def _end(order: Order, status: str) -> None:
    _transition(order, status)
    order.ended_at = timezone.now()
    order.save(update_fields=["status", "ended_at"])
    if order.user is not None:
        activity_record(
            user=order.user,
            action=OrdersAction.ORDER_ENDED,
            detail={"summary": f"{order} {order.get_status_display()}"},
        )
    if status in (Order.Status.FAILED, Order.Status.EXPIRED):
        order_email_send.delay_on_commit(order.pk, "payment_failed")


@transaction.atomic
def order_payment_update(*, payment, previous_status: str) -> None:
    """The payments app's handler for kind "order": called once per real status change, inside its lock."""
    order = Order.objects.select_for_update().filter(pk=payment.object_id).first()
    if order is None:
        return
    status = payment.status
    if status == Payment.Status.PAID:
        if order.status not in (Order.Status.PAID, Order.Status.COMPLETED):
            _mark_paid(order)
    elif status in (Payment.Status.CANCELED, Payment.Status.EXPIRED, Payment.Status.FAILED):
        live = (
            Payment.objects.filter(kind=PAYMENT_KIND, object_id=order.pk)
            .exclude(pk=payment.pk)
            .exclude(status__in=[Payment.Status.CANCELED, Payment.Status.EXPIRED, Payment.Status.FAILED])
        )
        if order.is_open and not live.exists():
            _end(order, status)
    elif order.status == Order.Status.CREATED:
        _transition(order, Order.Status.PENDING)
        order.save(update_fields=["status"])


def order_payment_return_url(payment) -> str:
    """Where the customer lands after paying: the order's page."""
    return Order(pk=payment.object_id).get_absolute_url()


@transaction.atomic
def order_complete(*, order: Order) -> Order:
    """Mark a paid order completed (nothing left to do); does nothing when it already is."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == Order.Status.PAID:
        _complete(order)
    return order


@transaction.atomic
def shipment_hand_over(*, order_id: int) -> Shipment | None:
    """Give the goods of a paid order to the delivery service, once (C02); then the order is completed."""
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None or order.status not in (Order.Status.PAID, Order.Status.COMPLETED):
        return None
    shipment = Shipment.objects.filter(order=order).first()
    if shipment is not None and shipment.status == Shipment.Status.HANDED_OVER:
        return shipment
    adapter = delivery.get_adapter()
    payload = delivery.delivery_payload(order)
    if shipment is None:
        shipment = Shipment.objects.create(
            order=order, adapter=delivery.adapter_path(), recipient=adapter.recipient, payload=payload
        )
    shipment.carrier_reference = adapter.hand_over(reference=str(order.pk), payload=payload)
    shipment.payload = payload
    shipment.status = Shipment.Status.HANDED_OVER
    shipment.handed_over_at = timezone.now()
    shipment.save(update_fields=["carrier_reference", "payload", "status", "handed_over_at"])
    if order.user is not None:
        activity_record(
            user=order.user,
            action=OrdersAction.DELIVERY_HANDED_OVER,
            detail={"summary": f"{order}: {', '.join(sorted(payload))}"},
        )
    if order.status == Order.Status.PAID:
        _complete(order)
    return shipment


def addon_order_for_credits(*, user: User, product: Product, request: HttpRequest | None = None) -> Order:
    """An in-app order of one add-on priced in credits, not yet paid (C12).

    The credits app pays it from the ledger (``credits/services.py::addon_buy_with_credits``) and
    then calls ``order_paid_with_credits``, all in one transaction: a short balance leaves no order.
    """
    if product.kind != Product.Kind.ADDON or not product.active or not product.credit_price:
        raise OrderError(_("This add-on cannot be paid with credits."))
    order = Order.objects.create(
        user=user,
        kind=Order.Kind.IN_APP,
        ip_address=client_ip(request),
        total=Decimal("0"),
        vat_total=Decimal("0"),
        credits_total=product.credit_price,
        **_snapshot(user),
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        kind=product.kind,
        description=product.title,
        quantity=1,
        unit_price=Decimal("0"),
        vat_rate=product.vat_rate,
        vat=Decimal("0"),
        total=Decimal("0"),
    )
    activity_record(
        user=user, action=OrdersAction.ADDON_CREDITS, request=request, detail={"summary": f"{order} {product.title}"}
    )
    return order


def order_paid_with_credits(*, order: Order) -> Order:
    """The credits for ``order`` are taken: it is paid (and, having no goods, completed) like any other."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    _mark_paid(order)
    return order


def new_token() -> str:
    return uuid.uuid4().hex


def render_order_email(order: Order, template: str) -> tuple[str, str] | None:
    """Subject and body of an order email in the customer's language, or None when there is no one to tell."""
    if order.user is None or not order.invoice_email:
        return None
    subjects = {
        "confirmation": lambda: _("Your Netrex order %(number)s is paid") % {"number": order.pk},
        "payment_failed": lambda: (
            _("The payment of your Netrex order %(number)s did not succeed") % {"number": order.pk}
        ),
    }
    with translation.override(order.user.language):
        subject = subjects[template]()
        body = render_to_string(
            f"orders/email/{template}.txt",
            {"order": order, "lines": order.lines.all(), "site_url": settings.SITE_URL.rstrip("/")},
        )
    return subject, body
