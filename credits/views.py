"""The customer's credits: balance, ledger history and buying a credit pack (C21)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from credits import selectors
from orders import services as order_services
from orders.models import Order, Product
from orders.selectors import catalogue
from orders.views import start_payment


@login_required
def overview_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "credits/overview.html",
        {
            "balance": selectors.balance_of(request.user),
            "page": selectors.ledger_page(user=request.user, page=request.GET.get("page")),
            "packs": catalogue(kinds=[Product.Kind.CREDITS]),
            "addons": [p for p in catalogue(kinds=[Product.Kind.ADDON]) if p.credit_price],
        },
    )


@transaction.non_atomic_requests  # no database transaction held open while Mollie is asked
@login_required
@require_POST
def pack_buy_view(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id, kind=Product.Kind.CREDITS, active=True)
    try:
        order = order_services.order_place(
            user=request.user, items=[order_services.Item(product=product)], kind=Order.Kind.CREDITS, request=request
        )
    except order_services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect("credits:overview")
    return start_payment(request, order)
