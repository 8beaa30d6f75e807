"""Customer pages of the orders app: shop, cart, checkout, order history and add-ons (invoices: billing)."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from orders import selectors, services
from orders.cart import (
    cart_add,
    cart_checkout,
    cart_line_quantity,
    cart_line_remove,
    cart_of,
    cart_prices_accept,
    cart_review,
)
from orders.forms import CART_KINDS, AddonTargetForm, CartAddForm, CartQuantityForm
from orders.models import MAX_QUANTITY, Order, Product
from payments.gateway import GatewayError
from portal.page_copies import page_copy
from portal.targets import targets_for

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


def catalogue_view(request: HttpRequest) -> HttpResponse:
    """The shop, open to visitors too: what they put in the cart waits for them until they log in."""
    products = selectors.catalogue(kinds=CART_KINDS)
    groups = [
        {"kind": kind, "label": kind.label, "products": [p for p in products if p.kind == kind]}
        for kind, _key in GROUPS
    ]
    return render(
        request,
        "orders/catalogue.html",
        {
            "groups": groups,
            "cart_size": selectors.cart_size(cart_of(request)),
            "targets": targets_for(request.user),
        },
    )


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
def cart_add_view(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("orders:catalogue")
    product = form.cleaned_data["product"]
    try:
        cart_add(
            request=request,
            product=product,
            quantity=form.cleaned_data["quantity"],
            domain=form.cleaned_data["domain"],
            target=form.cleaned_data.get("target"),
        )
    except services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect("orders:catalogue")
    messages.success(request, _("%(product)s is in your cart.") % {"product": product.display_name})
    return redirect("orders:cart")


def cart_view(request: HttpRequest) -> HttpResponse:
    review = cart_review(cart_of(request), user=request.user)
    return render(request, "orders/cart.html", {"review": review, "max_quantity": MAX_QUANTITY})


def _own_line_or_404(request: HttpRequest, line_id: int) -> None:
    """A line id that is not in the requester's own cart (tampered, someone else's, gone) is a 404."""
    if not selectors.cart_has_line(cart_of(request), line_id):
        raise Http404


@require_POST
def cart_quantity_view(request: HttpRequest, line_id: int) -> HttpResponse:
    _own_line_or_404(request, line_id)
    form = CartQuantityForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("orders:cart")
    try:
        line = cart_line_quantity(request=request, line_id=line_id, quantity=form.cleaned_data["quantity"])
    except services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect("orders:cart")
    if line is None:
        raise Http404
    messages.success(request, _("The quantity is changed."))
    return redirect("orders:cart")


@require_POST
def cart_remove_view(request: HttpRequest, line_id: int) -> HttpResponse:
    _own_line_or_404(request, line_id)
    if not cart_line_remove(request=request, line_id=line_id):
        raise Http404
    messages.success(request, _("The product was removed from your cart."))
    return redirect("orders:cart")


@login_required
@require_POST
def cart_accept_view(request: HttpRequest) -> HttpResponse:
    """The customer accepts the cart as it is now (new prices; what can no longer be ordered removed)."""
    if cart_prices_accept(request=request):
        messages.success(request, _("Your cart is up to date. Please check it once more before you check out."))
    return redirect("orders:cart")


# Mollie is called outside any transaction: no lock is held while waiting for it.
@transaction.non_atomic_requests
@login_required
def checkout_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if request.method == "POST":
        try:
            order = cart_checkout(request=request, user=user)
        except services.OrderError as exc:
            messages.error(request, str(exc))
            return redirect("orders:cart")
        return start_payment(request, order)
    review = cart_review(cart_of(request), user=user)
    if not review.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:catalogue")
    if review.changes:
        messages.warning(
            request, _("Something in your cart changed since you added it. Please check your cart and confirm it.")
        )
        return redirect("orders:cart")
    return render(request, "orders/checkout.html", {"review": review, "address": user.billing_address()})


@login_required
@page_copy
def order_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "orders/order_list.html",
        {"page": selectors.order_page(user=request.user, page=request.GET.get("page"))},
    )


@login_required
@page_copy
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
    """One click to confirm, one to pay: an in-app purchase (C12), for one of the customer's packages."""
    product = get_object_or_404(Product, pk=product_id, kind=Product.Kind.ADDON, active=True)
    form = AddonTargetForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("orders:addon_buy", product_id=product.pk)
        try:
            order = services.order_place(
                user=cast(User, request.user),
                items=[services.Item(product=product, target_ref=form.cleaned_data["target"].ref)],
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
            "form": form,
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
