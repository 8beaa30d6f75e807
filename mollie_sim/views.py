"""The simulator's pages: a test checkout like Mollie's own, and a dashboard to charge subscriptions now."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mollie_sim import services
from mollie_sim.models import SimPayment, SimRefund, SimSubscription


@require_http_methods(["GET", "POST"])
def checkout_view(request: HttpRequest, payment_id: str) -> HttpResponse:
    payment = services.payment_expire_if_due(get_object_or_404(SimPayment, sim_id=payment_id))
    if request.method == "POST" and payment.status == "open":
        status = request.POST.get("status", "")
        if status not in services.CHECKOUT_CHOICES:
            messages.error(request, _("Choose one of the statuses."))
        else:
            payment = services.payment_settle(payment=payment, status=status)
            if payment.redirect_url:
                return redirect(payment.redirect_url)
    return render(
        request,
        "mollie_sim/checkout.html",
        {"payment": payment, "choices": services.CHECKOUT_CHOICES},
    )


def index_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mollie_sim/index.html",
        {
            "subscriptions": SimSubscription.objects.select_related("customer")[:50],
            "payments": SimPayment.objects.select_related("subscription")[:50],
            "refunds": SimRefund.objects.select_related("payment").order_by("-pk")[:50],
        },
    )


@require_POST
def charge_view(request: HttpRequest, subscription_id: str) -> HttpResponse:
    subscription = get_object_or_404(SimSubscription, sim_id=subscription_id)
    status = request.POST.get("status", "paid")
    try:
        payment = services.subscription_charge(subscription=subscription, status=status)
    except services.SimError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("Recurring payment %(id)s created (%(status)s).") % {"id": payment.sim_id, "status": payment.status},
        )
    return redirect("mollie_sim:index")


@require_POST
def refund_settle_view(request: HttpRequest, refund_id: str) -> HttpResponse:
    """Move a refund on as Mollie's processing would (pending -> refunded or failed)."""
    refund = get_object_or_404(SimRefund, sim_id=refund_id)
    try:
        services.refund_settle(refund=refund, status=request.POST.get("status", ""))
    except services.SimError as exc:
        messages.error(request, exc.detail)
    return redirect("mollie_sim:index")
