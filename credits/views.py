"""The customer's credits: balance and ledger history, and paying an add-on with credits (C21).

A credit pack is bought as an order of kind credits (``orders:credit_pack_buy``)."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from credits import selectors, services
from credits.services import InsufficientCredits
from orders import services as order_services
from orders.forms import AddonTargetForm, TokenForm
from orders.models import Product
from orders.selectors import catalogue
from portal import dashboard
from portal.page_copies import page_copy

# The overview shows the catalogue's credit packs and add-ons: a change of a product renews its copies.
dashboard.watch("orders.Product")


@login_required
@page_copy
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


@login_required
@require_POST
def addon_credits_view(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id, kind=Product.Kind.ADDON, active=True)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This confirmation has expired; please try again."))
        return redirect("orders:addon_buy", product_id=product.pk)
    # An add-on is for one of the customer's own hosting packages or domains: chosen, never assumed.
    target_form = AddonTargetForm(request.POST, user=request.user)
    if not target_form.is_valid():
        for error in target_form.errors.get("target", []):
            messages.error(request, str(error))
        return redirect("orders:addon_buy", product_id=product.pk)
    # A double click sends the same confirmation twice: the service answers both with the first order.
    try:
        order = services.addon_buy_with_credits(
            user=cast(User, request.user),
            product=product,
            token=form.cleaned_data["token"],
            request=request,
            target_ref=target_form.cleaned_data["target"].ref,
        )
    except InsufficientCredits as exc:
        messages.error(
            request,
            _("You have %(balance)d credits; this add-on needs %(amount)d.")
            % {"balance": exc.balance, "amount": exc.amount},
        )
        return redirect("orders:addon_buy", product_id=product.pk)
    except order_services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect("orders:addons")
    messages.success(
        request,
        _("%(product)s is active. We took %(credits)d credits from your balance.")
        % {"product": product.display_name, "credits": order.credits_total},
    )
    return redirect(order)
