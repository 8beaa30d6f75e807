"""Mollie's webhook and the customer's return from the checkout."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from payments import gateway, handlers, services, webhook
from payments.gateway import GatewayError
from payments.models import Payment
from portal.client import client_ip

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def webhook_view(request: HttpRequest) -> HttpResponse:
    """Mollie posts only ``id``; everything else is fetched from Mollie itself.

    An id not of Mollie's format gets 400 and is never sent to Mollie.  Unknown ids get 200 (Mollie must
    stop retrying, and the answer tells a prober nothing); only when Mollie itself cannot be reached do we
    answer 503, so that Mollie tries again later.  Posts about no payment we know are limited per source
    IP (``payments.webhook``); a known payment is always processed.
    """
    mollie_id = request.POST.get("id", "").strip()
    valid = gateway.is_payment_id(mollie_id)
    if not (valid and webhook.payment_known(mollie_id)) and webhook.rate_limited(client_ip(request)):
        return HttpResponse(status=429, headers={"Retry-After": str(webhook.WINDOW)})
    if not valid:
        return HttpResponse(status=400 if mollie_id else 200)
    try:
        services.payment_sync(mollie_id=mollie_id)
    except GatewayError:
        logger.warning("webhook for %s: Mollie unreachable, asking for a retry", mollie_id)
        return HttpResponse(status=503)
    return HttpResponse(status=200)


@login_required
@require_GET
@transaction.non_atomic_requests
def return_view(request: HttpRequest, uuid) -> HttpResponse:
    """The customer is back from Mollie's checkout, possibly before the webhook: sync now."""
    payment = get_object_or_404(Payment, uuid=uuid, user=request.user)
    if payment.mollie_id:
        try:
            payment = services.payment_sync(mollie_id=payment.mollie_id) or payment
        except GatewayError:
            messages.warning(
                request,
                _(
                    "We could not check your payment with our payment provider just now; "
                    "its status will be updated shortly."
                ),
            )
    if payment.status == Payment.Status.PAID:
        messages.success(request, _("Thank you, your payment has been received."))
    elif payment.status in (Payment.Status.CANCELED, Payment.Status.EXPIRED, Payment.Status.FAILED):
        status = payment.get_status_display()
        messages.error(request, _("The payment was not completed: %(status)s.") % {"status": status})
    elif payment.status in (Payment.Status.OPEN, Payment.Status.PENDING, Payment.Status.AUTHORIZED):
        messages.info(request, _("Your payment is being processed; this page will show it once it is confirmed."))
    return redirect(handlers.return_url(payment))
