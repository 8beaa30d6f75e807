"""Writes of the orders app: the cart, placing and paying orders, the order state machine
and the hand-off to delivery (invoices are the billing app's).

States: created -> pending (a payment was started) -> paid -> completed.  A payment that fails, is
cancelled or expires leaves the order payable ("Pay again" on its page); only when nothing is paid
within ``ORDER_PAYMENT_WINDOW_DAYS`` does the order expire (``orders_expire_unpaid``), and then it is an
abandoned order with its own retention rule.  One payment per order is payable at a time: starting a
new one cancels the order's open ones at Mollie first; a payment that is paid nevertheless for an order
already paid is refunded in full automatically (``payments.services.payment_mark_duplicate``).
An order is *completed* when nothing is left to do:
at payment for digital orders (hosting, domains, certificates, add-ons, credits), when the
delivery service has the goods for orders with goods.  ``completed_at`` starts the seven-year
clock (P1, P4 or P8 by kind); ``ended_at`` starts the clock of an abandoned order.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from orders import delivery
from orders.activity import Action as OrdersAction
from orders.models import MAX_QUANTITY, Order, OrderLine, Product, Shipment, vat_part
from orders.signals import order_paid
from orders.tasks import order_email_send, shipment_hand_over_task
from payments.gateway import GatewayError
from payments.models import Payment
from payments.services import (
    payment_mark_duplicate,
    payment_owner_completed,
    payment_start,
    payments_cancel_open,
)
from portal import dashboard, targets
from portal.activity import activity_record
from portal.client import client_ip

PAYMENT_KIND = "order"

logger = logging.getLogger(__name__)


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
    # For an add-on or certificate: the customer's package or domain it is bought for (``portal.targets``).
    target_ref: str = ""


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


def _target_of(user: User, ref: str) -> targets.Target:
    """The customer's own package or domain with this reference; anything else is refused."""
    target = targets.target_for(user, ref)
    if target is None:
        raise OrderError(_("Choose one of your own hosting packages or domains for this product."))
    return target


def _for_text(product: Product, target: targets.Target) -> str:
    """The line's description for a purchase made for a package: in the language of the product titles."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(product)s for %(target)s") % {"product": product.title, "target": target.domain or target.label}


def _line(order: Order, item: Item, target: targets.Target | None = None) -> OrderLine:
    product = item.product
    total = product.price * item.quantity
    description = product.title
    domain = item.domain
    if target is not None:
        description, domain = _for_text(product, target), target.domain
    elif item.domain:
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
        domain=domain,
        target_ref=target.ref if target is not None else "",
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
        if item.product.kind == Product.Kind.DOMAIN and not item.product.sells_domain(item.domain):
            raise OrderError(extension_message(item.product))
        if item.product.kind == Product.Kind.ADDON and not item.target_ref:
            # Paid for, it would attach to nothing (a certificate on its own is still a service of its own).
            raise OrderError(
                _("Choose the hosting package or domain you are buying %(product)s for.")
                % {"product": item.product.display_name}
            )
        if item.target_ref and not item.product.takes_target:
            raise OrderError(_("%(product)s is not bought for a package.") % {"product": item.product.display_name})
        if item.target_ref and item.quantity != 1:
            raise OrderError(_("A product bought for a package or domain is bought once: the quantity is 1."))


def extension_message(product: Product) -> str:
    """Why a domain name does not fit ``product``, in the customer's language."""
    return _("%(product)s is for domain names ending in %(extensions)s.") % {
        "product": product.display_name,
        "extensions": ", ".join(product.extension_list),
    }


@transaction.atomic
def order_place(
    *, user: User, items: Iterable[Item], kind: str = Order.Kind.REGULAR, request: HttpRequest | None = None
) -> Order:
    """Create the order with its lines and the invoice snapshot (C01); payment starts separately.

    An item with a ``target_ref`` is checked again against the customer's own packages and domains
    (``portal.targets.target_for``): another customer's package is refused.
    """
    items = list(items)
    _check_items(kind, items)
    resolved = [_target_of(user, item.target_ref) if item.target_ref else None for item in items]
    snapshot = _snapshot(user)
    if any(item.product.kind == Product.Kind.GOODS for item in items) and not (
        snapshot["invoice_street"] and snapshot["invoice_postal_code"] and snapshot["invoice_town"]
    ):
        raise OrderError(_("Goods need a delivery address: please fill in your address under My details first."))
    order = Order(
        user=user, kind=kind, ip_address=client_ip(request), total=Decimal("0"), vat_total=Decimal("0"), **snapshot
    )
    lines = [_line(order, item, target) for item, target in zip(items, resolved, strict=True)]
    order.total = sum((line.total for line in lines), Decimal("0"))
    order.vat_total = sum((line.vat for line in lines), Decimal("0"))
    order.save()
    OrderLine.objects.bulk_create(lines)
    activity_record(
        user=user,
        action=OrdersAction.ORDER_PLACED,
        request=request,
        detail={"summary": str(order), "amount": str(order.total)},
    )
    return order


def order_pay(*, order: Order, request: HttpRequest | None = None) -> Payment:
    """Start a Mollie payment for an open order and return it; the caller redirects to its checkout.

    One payment per order is payable at a time: the order's open payments are cancelled at Mollie
    first (one that turns out paid meanwhile makes the order paid, and this is refused); one Mollie will
    not cancel (pending at the bank) refuses a new payment until it ends.  After the new payment is
    recorded, any other started meanwhile (a second tab) is cancelled too.  Raises
    ``payments.gateway.GatewayError`` when Mollie cannot be reached; the order then stays open and
    unpaid and the customer can try again from the order page.
    """
    if not order.is_open:
        raise OrderError(_("This order cannot be paid any more."))
    if order.total <= 0:
        raise OrderError(_("This order has nothing to pay."))
    if payments_cancel_open(kind=PAYMENT_KIND, object_id=order.pk):
        raise OrderError(
            _("A payment of this order is still being processed by your bank; please wait until it is finished.")
        )
    order = Order.objects.get(pk=order.pk)
    if not order.is_open:
        raise OrderError(_("This order has been paid already."))
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
    try:
        payments_cancel_open(kind=PAYMENT_KIND, object_id=order.pk, before=payment)
    except GatewayError:
        # The older payment stays payable for now; if it is paid as well, it is refunded as a duplicate.
        logger.warning("order %s: could not cancel the payments started before %s", order.pk, payment.mollie_id)
    return payment


def _has_goods(order: Order) -> bool:
    return order.lines.filter(kind=Product.Kind.GOODS).exists()


def _mark_paid(order: Order) -> None:
    now = timezone.now()
    _transition(order, Order.Status.PAID)
    order.paid_at = now
    order.ended_at = None
    # The invoice is the billing app's: it issues one for the paid payment (payments.signals.payment_paid).
    order.save(update_fields=["status", "paid_at", "ended_at"])
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
    # The payments that brought no money go with the abandoned order, on its clock (payments/privacy.py).
    payment_owner_completed(kind=PAYMENT_KIND, object_id=order.pk, completed_at=order.ended_at)
    if order.user is not None:
        activity_record(
            user=order.user,
            action=OrdersAction.ORDER_ENDED,
            detail={"summary": f"{order} {order.get_status_display()}"},
        )


@transaction.atomic
def order_payment_update(*, payment, previous_status: str) -> None:
    """The payments app's handler for kind "order": called once per real status change, inside its lock.

    Paid: the order is paid, once; a payment paid for an order that is paid already is a duplicate and is
    refunded in full.  Failed, cancelled or expired: the order stays payable (the customer is told by
    e-mail when the payment failed or expired and no other payment of the order is still live).
    """
    order = Order.objects.select_for_update().filter(pk=payment.object_id).first()
    if order is None:
        return
    status = payment.status
    live = (
        Payment.objects.filter(kind=PAYMENT_KIND, object_id=order.pk, status__in=Payment.LIVE_STATUSES)
        .exclude(pk=payment.pk)
        .exists()
    )
    if status == Payment.Status.PAID:
        if order.status in (Order.Status.PAID, Order.Status.COMPLETED):
            payer = (
                Payment.objects.filter(kind=PAYMENT_KIND, object_id=order.pk, duplicate=False)
                .filter(Q(status=Payment.Status.PAID) | Q(effect_applied_at__isnull=False))
                .exclude(pk=payment.pk)
            )
            if payer.exists():  # another payment paid the order: this one is a duplicate
                payment_mark_duplicate(payment=payment)
            return
        _mark_paid(order)
        if live:
            # Any other payment of the order still payable is cancelled, so it cannot be paid twice.
            from orders.tasks import order_payments_cancel_open

            order_payments_cancel_open.delay_on_commit(order.pk)
    elif status in Payment.UNPAID_STATUSES:
        if order.status == Order.Status.CREATED:
            _transition(order, Order.Status.PENDING)
            order.save(update_fields=["status"])
        if order.is_open and not live and status in (Payment.Status.FAILED, Payment.Status.EXPIRED):
            order_email_send.delay_on_commit(order.pk, "payment_failed")
    elif order.status == Order.Status.CREATED:
        _transition(order, Order.Status.PENDING)
        order.save(update_fields=["status"])


def order_payments_cancel(*, order_id: int) -> int:
    """Cancel the payments of a paid order that are still payable; returns how many are still live."""
    return len(payments_cancel_open(kind=PAYMENT_KIND, object_id=order_id))


def orders_expire_unpaid(*, now: datetime.datetime | None = None) -> int:
    """End the open orders that nothing was paid for within ``ORDER_PAYMENT_WINDOW_DAYS``; returns how many.

    Each order's open payments are cancelled at Mollie first (outside any lock); an order with a payment
    still on its way at the bank waits, and so does one whose payments Mollie could not be asked about.
    An expired order is an abandoned order (``ended_at`` starts its retention clock); money that arrives
    for it after all still makes it paid.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ORDER_PAYMENT_WINDOW_DAYS)
    expired = 0
    due = Order.objects.filter(status__in=Order.OPEN_STATES, created_at__lt=cutoff).exclude(total=0)
    for order_id in list(due.values_list("pk", flat=True)[:500]):
        try:
            if payments_cancel_open(kind=PAYMENT_KIND, object_id=order_id):
                continue
        except GatewayError:
            logger.warning("order %s: Mollie unreachable, expiry postponed", order_id)
            continue
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if not order.is_open:
                continue
            live = Payment.objects.filter(kind=PAYMENT_KIND, object_id=order_id, status__in=Payment.LIVE_STATUSES)
            if live.exists():
                continue
            _end(order, Order.Status.EXPIRED)
            expired += 1
    return expired


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


def addon_order_for_credits(
    *, user: User, product: Product, target_ref: str, request: HttpRequest | None = None
) -> Order:
    """An in-app order of one add-on priced in credits, not yet paid (C12).

    The credits app pays it from the ledger (``credits/services.py::addon_buy_with_credits``) and
    then calls ``order_paid_with_credits``, all in one transaction: a short balance leaves no order.
    ``target_ref`` is the package the customer chose; it must be the customer's own.
    """
    if product.kind != Product.Kind.ADDON or not product.active or not product.credit_price:
        raise OrderError(_("This add-on cannot be paid with credits."))
    target = _target_of(user, target_ref)
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
        description=_for_text(product, target),
        quantity=1,
        unit_price=Decimal("0"),
        vat_rate=product.vat_rate,
        vat=Decimal("0"),
        total=Decimal("0"),
        domain=target.domain,
        target_ref=target.ref,
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
            {
                "order": order,
                "lines": order.lines.all(),
                "site_url": settings.SITE_URL.rstrip("/"),
                "payment_window_days": settings.ORDER_PAYMENT_WINDOW_DAYS,
            },
        )
    return subject, body
