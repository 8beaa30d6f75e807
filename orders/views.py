"""Customer pages of the orders app: shop, cart, checkout, order history and add-ons (invoices: billing)."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from orders import selectors, services
from orders.cart import Cart, cart_add, cart_remove
from orders.forms import CART_KINDS, CartAddForm
from orders.models import Order, Product
from payments.gateway import GatewayError

GROUPS = (
    (Product.Kind.HOSTING, "hosting"),
    (Product.Kind.DOMAIN, "domain"),
    (Product.Kind.CERTIFICATE, "certificate"),
    (Product.Kind.GOODS, "goods"),
)


def start_payment(request: HttpRequest, order: Order) -> HttpResponse:
    """Send the customer to Mollie's checkout for ``order``; on a Mollie outage the order stays unpaid."""
    try:
        payment = services.order_pay(order=order, request=request)
    except services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect(order)
    except GatewayError:
        messages.error(
            request,
            _(
                "The payment service cannot be reached right now. Your order is saved and not paid; "
                "please try again in a few minutes from this page."
            ),
        )
        return redirect(order)
    return redirect(payment.checkout_url)


@login_required
def catalogue_view(request: HttpRequest) -> HttpResponse:
    products = selectors.catalogue(kinds=CART_KINDS)
    groups = [
        {"kind": kind, "label": kind.label, "products": [p for p in products if p.kind == kind]}
        for kind, _key in GROUPS
    ]
    return render(request, "orders/catalogue.html", {"groups": groups, "cart_size": len(Cart(request))})


@login_required
@require_POST
def cart_add_view(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)  # type: ignore[arg-type]  # an ErrorList yields strings
        return redirect("orders:catalogue")
    product = form.cleaned_data["product"]
    cart_add(
        request=request, product=product, quantity=form.cleaned_data["quantity"], domain=form.cleaned_data["domain"]
    )
    messages.success(request, _("%(product)s is in your cart.") % {"product": product.display_name})
    return redirect("orders:cart")


@login_required
def cart_view(request: HttpRequest) -> HttpResponse:
    items = Cart(request).items()
    lines: list[dict[str, Any]] = [
        {"index": index, "item": item, "total": item.product.price * item.quantity} for index, item in enumerate(items)
    ]
    total = sum((line["total"] for line in lines), 0)
    return render(request, "orders/cart.html", {"lines": lines, "total": total})


@login_required
@require_POST
def cart_remove_view(request: HttpRequest, index: int) -> HttpResponse:
    if cart_remove(request=request, index=index):
        messages.success(request, _("The product was removed from your cart."))
    return redirect("orders:cart")


# Mollie is called outside any transaction: no lock is held while waiting for it.
@transaction.non_atomic_requests
@login_required
def checkout_view(request: HttpRequest) -> HttpResponse:
    cart = Cart(request)
    items = cart.items()
    if request.method == "POST":
        try:
            order = services.order_place(user=cast(User, request.user), items=items, request=request)
        except services.OrderError as exc:
            messages.error(request, str(exc))
            return redirect("orders:cart")
        cart.clear()
        return start_payment(request, order)
    if not items:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:catalogue")
    lines: list[dict[str, Any]] = [{"item": item, "total": item.product.price * item.quantity} for item in items]
    return render(
        request,
        "orders/checkout.html",
        {
            "lines": lines,
            "total": sum((line["total"] for line in lines), 0),
            "address": cast(User, request.user).billing_address(),
        },
    )


@login_required
def order_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "orders/order_list.html",
        {"page": selectors.order_page(user=request.user, page=request.GET.get("page"))},
    )


@login_required
def order_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_for_customer(user=request.user, pk=pk)
    payments = selectors.order_payments(order)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "payments": payments,
            "outcome": selectors.order_payment_outcome(order, payments),
            "shipment": getattr(order, "shipment", None),
        },
    )


# Mollie is called outside any transaction: no lock is held while waiting for it.
@transaction.non_atomic_requests
@login_required
@require_POST
def order_pay_view(request: HttpRequest, pk: int) -> HttpResponse:
    return start_payment(request, selectors.order_for_customer(user=request.user, pk=pk))


@login_required
def addons_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "orders/addons.html",
        {
            "addons": selectors.catalogue(kinds=[Product.Kind.ADDON]),
            "owned": selectors.owned_addons(user=request.user),
        },
    )


# Mollie is called outside any transaction: no lock is held while waiting for it.
@transaction.non_atomic_requests
@login_required
def addon_buy_view(request: HttpRequest, product_id: int) -> HttpResponse:
    """One click to confirm, one to pay: an in-app purchase (C12)."""
    product = get_object_or_404(Product, pk=product_id, kind=Product.Kind.ADDON, active=True)
    if request.method == "POST":
        try:
            order = services.order_place(
                user=cast(User, request.user),
                items=[services.Item(product=product)],
                kind=Order.Kind.IN_APP,
                request=request,
            )
        except services.OrderError as exc:
            messages.error(request, str(exc))
            return redirect("orders:addons")
        return start_payment(request, order)
    return render(
        request,
        "orders/addon_buy.html",
        {
            "product": product,
            "token": services.new_token(),
        },
    )


@transaction.non_atomic_requests  # no database transaction held open while Mollie is asked
@login_required
@require_POST
def credit_pack_buy_view(request: HttpRequest, product_id: int) -> HttpResponse:
    """A credit pack is bought as an order of kind credits; the credits app grants it once it is paid."""
    product = get_object_or_404(Product, pk=product_id, kind=Product.Kind.CREDITS, active=True)
    try:
        order = services.order_place(
            user=cast(User, request.user),
            items=[services.Item(product=product)],
            kind=Order.Kind.CREDITS,
            request=request,
        )
    except services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect("credits:overview")
    return start_payment(request, order)


@login_required
def invoice_moved_view(request: HttpRequest, pk: int, pdf: bool = False) -> HttpResponse:
    """An old invoice link (e-mails, bookmarks): to the invoice's new page, for its owner only (404 for others)."""
    selectors.order_for_customer(user=request.user, pk=pk)
    return redirect("billing:order_invoice_pdf" if pdf else "billing:order_invoice", pk=pk)
