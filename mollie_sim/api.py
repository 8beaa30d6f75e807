"""Mollie's v2 HTTP API, for the parts the portal uses, answered from the simulator's tables.

The JSON has Mollie's shape (``resource``, ``id``, ``mode``, ``amount{value,currency}``, ``_links``,
``_embedded`` lists, error objects with ``status``/``title``/``detail``) so the real
mollie-api-python client parses it.  A ``Bearer test_...`` key is required, and creating calls
honour the ``Idempotency-Key`` header: the same key on the same path answers the stored response.
"""

import datetime
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.csrf import csrf_exempt

from mollie_sim import services
from mollie_sim.models import (
    SimCustomer,
    SimIdempotentRequest,
    SimMandate,
    SimPayment,
    SimRefund,
    SimSubscription,
    sim_id,
)
from mollie_sim.services import SimError

HAL = "application/hal+json"
DOCS = "https://docs.mollie.com/reference/v2/"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized Request",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _respond(body: dict, status: int = 200, replayed: bool = False) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=HAL)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _error(status: int, detail: str, field: str = "") -> JsonResponse:
    body: dict[str, Any] = {
        "status": status,
        "title": TITLES.get(status, "Error"),
        "detail": detail,
        "_links": {"documentation": {"href": DOCS + "handling-errors", "type": "text/html"}},
    }
    if field:
        body["field"] = field
    return _respond(body, status)


def _url(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _money(value, currency: str = "EUR") -> dict:
    return {"value": f"{value:.2f}", "currency": currency}


def api(methods: tuple[str, ...]) -> Callable:
    """Authentication, method check, JSON body, idempotency and error mapping for one endpoint."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            forced = getattr(settings, "MOLLIE_SIM_FORCE_STATUS", None)
            if forced:
                return _error(int(forced), "The simulator was told to fail (MOLLIE_SIM_FORCE_STATUS).")
            if request.method not in methods:
                return _error(405, f"The method {request.method} is not allowed here.")
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Bearer test_"):
                return _error(401, "Missing authentication, or failed to authenticate")
            data: dict = {}
            if request.method in ("POST", "PATCH", "DELETE") and request.body:
                try:
                    data = json.loads(request.body)
                except ValueError:
                    return _error(400, "The request body is not valid JSON.")
                if not isinstance(data, dict):
                    return _error(400, "The request body must be a JSON object.")
            key = request.headers.get("Idempotency-Key", "")
            creating = request.method in ("POST", "DELETE") and key
            if creating:
                seen = SimIdempotentRequest.objects.filter(key=key, path=request.path).first()
                if seen is not None:
                    return _respond(seen.body, seen.status_code, replayed=True)
            try:
                with transaction.atomic():
                    body, status = view(request, data, *args, **kwargs)
                    if creating and status < 300:
                        SimIdempotentRequest.objects.create(key=key, path=request.path, status_code=status, body=body)
            except SimError as exc:
                return _error(exc.status, exc.detail, exc.field)
            except IntegrityError:
                # a concurrent request with the same key won: answer what it stored
                seen = SimIdempotentRequest.objects.filter(key=key, path=request.path).first()
                if seen is None:
                    raise
                return _respond(seen.body, seen.status_code, replayed=True)
            return _respond(body, status)

        return wrapper

    return decorate


def _get(source, sim_id_value: str, what: str, **filters):
    queryset = source._default_manager.all() if isinstance(source, type) else source
    row = queryset.filter(sim_id=sim_id_value, **filters).first()
    if row is None:
        raise SimError(404, f"No {what} exists with token {sim_id_value}.")
    return row


def _list(request: HttpRequest, name: str, items: list[dict], self_url: str) -> dict:
    return {
        "count": len(items),
        "_embedded": {name: items},
        "_links": {
            "self": {"href": self_url, "type": HAL},
            "previous": None,
            "next": None,
            "documentation": {"href": DOCS + f"list-{name}", "type": "text/html"},
        },
    }


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(250, int(request.GET.get("limit", 50))))
    except ValueError:
        raise SimError(400, "The limit is invalid.", "limit")


# --- representations -------------------------------------------------------------------------


def payment_json(request: HttpRequest, payment: SimPayment) -> dict:
    links: dict[str, Any] = {
        "self": {"href": _url(request, "mollie_sim:payment", payment.sim_id), "type": HAL},
        "dashboard": {"href": _url(request, "mollie_sim:index"), "type": "text/html"},
        "documentation": {"href": DOCS + "payments-api/get-payment", "type": "text/html"},
    }
    if payment.status == "open" and payment.sequence_type != "recurring":
        links["checkout"] = {"href": _url(request, "mollie_sim:checkout", payment.sim_id), "type": "text/html"}
    body: dict[str, Any] = {
        "resource": "payment",
        "id": payment.sim_id,
        "mode": "test",
        "createdAt": _iso(payment.created_at),
        "amount": _money(payment.amount, payment.currency),
        "description": payment.description,
        "method": payment.method or None,
        "metadata": payment.metadata,
        "status": payment.status,
        "isCancelable": services.payment_is_cancelable(payment),
        "expiresAt": _iso(payment.expires_at),
        "profileId": "pfl_simulator",
        "sequenceType": payment.sequence_type,
        "redirectUrl": payment.redirect_url or None,
        "webhookUrl": payment.webhook_url or None,
        "locale": payment.locale or None,
        "_links": links,
    }
    for field, value in (
        ("paidAt", payment.paid_at),
        ("canceledAt", payment.canceled_at),
        ("expiredAt", payment.expired_at),
        ("failedAt", payment.failed_at),
    ):
        if value:
            body[field] = _iso(value)
    if payment.status == "paid":
        body["amountRefunded"] = _money(payment.amount_refunded, payment.currency)
        body["amountRemaining"] = _money(payment.amount - payment.amount_refunded, payment.currency)
    if payment.customer_id:
        body["customerId"] = payment.customer.sim_id
    if payment.mandate_id:
        body["mandateId"] = payment.mandate.sim_id
    if payment.subscription_id:
        body["subscriptionId"] = payment.subscription.sim_id
    return body


def customer_json(request: HttpRequest, customer: SimCustomer) -> dict:
    return {
        "resource": "customer",
        "id": customer.sim_id,
        "mode": "test",
        "name": customer.name,
        "email": customer.email,
        "locale": customer.locale or None,
        "metadata": customer.metadata,
        "createdAt": _iso(customer.created_at),
        "_links": {
            "self": {"href": _url(request, "mollie_sim:customer", customer.sim_id), "type": HAL},
            "mandates": {"href": _url(request, "mollie_sim:mandates", customer.sim_id), "type": HAL},
            "subscriptions": {"href": _url(request, "mollie_sim:subscriptions", customer.sim_id), "type": HAL},
            "documentation": {"href": DOCS + "customers-api/get-customer", "type": "text/html"},
        },
    }


def mandate_json(request: HttpRequest, mandate: SimMandate) -> dict:
    return {
        "resource": "mandate",
        "id": mandate.sim_id,
        "mode": "test",
        "status": mandate.status,
        "method": mandate.method,
        "details": {"consumerName": "T. TEST", "consumerAccount": "NL55INGB0000000000", "consumerBic": "INGBNL2A"},
        "mandateReference": None,
        "signatureDate": mandate.created_at.date().isoformat(),
        "createdAt": _iso(mandate.created_at),
        "_links": {
            "self": {
                "href": _url(request, "mollie_sim:mandates", mandate.customer.sim_id) + mandate.sim_id,
                "type": HAL,
            },
            "customer": {"href": _url(request, "mollie_sim:customer", mandate.customer.sim_id), "type": HAL},
        },
    }


def subscription_json(request: HttpRequest, subscription: SimSubscription) -> dict:
    customer_id = subscription.customer.sim_id
    return {
        "resource": "subscription",
        "id": subscription.sim_id,
        "mode": "test",
        "createdAt": _iso(subscription.created_at),
        "status": subscription.status,
        "amount": _money(subscription.amount, subscription.currency),
        "times": subscription.times,
        "timesRemaining": None,
        "interval": subscription.interval,
        "startDate": subscription.start_date.isoformat(),
        "nextPaymentDate": (
            subscription.next_payment_date.isoformat()
            if subscription.next_payment_date and subscription.status == "active"
            else None
        ),
        "description": subscription.description,
        "method": None,
        "mandateId": subscription.mandate.sim_id if subscription.mandate_id else None,
        "canceledAt": _iso(subscription.canceled_at),
        "webhookUrl": subscription.webhook_url or None,
        "metadata": subscription.metadata,
        "customerId": customer_id,
        "_links": {
            "self": {"href": _url(request, "mollie_sim:subscription", customer_id, subscription.sim_id), "type": HAL},
            "customer": {"href": _url(request, "mollie_sim:customer", customer_id), "type": HAL},
            "documentation": {"href": DOCS + "subscriptions-api/get-subscription", "type": "text/html"},
        },
    }


def refund_json(request: HttpRequest, refund: SimRefund) -> dict:
    return {
        "resource": "refund",
        "id": refund.sim_id,
        "mode": "test",
        "amount": _money(refund.amount, refund.currency),
        "status": refund.status,
        "description": refund.description,
        "paymentId": refund.payment.sim_id,
        "createdAt": _iso(refund.created_at),
        "_links": {
            "self": {"href": _url(request, "mollie_sim:refund", refund.payment.sim_id, refund.sim_id), "type": HAL},
            "payment": {"href": _url(request, "mollie_sim:payment", refund.payment.sim_id), "type": HAL},
        },
    }


# --- endpoints -------------------------------------------------------------------------------

PAYMENT_RELATED = ("customer", "mandate", "subscription")


@api(("GET", "POST"))
def payments(request: HttpRequest, data: dict):
    if request.method == "GET":
        rows = SimPayment.objects.select_related(*PAYMENT_RELATED)[: _limit(request)]
        items = [payment_json(request, row) for row in rows]
        return _list(request, "payments", items, _url(request, "mollie_sim:payments")), 200
    amount, currency = services.amount_from(data.get("amount"))
    if amount <= 0:
        raise SimError(422, "The amount must be at least 0.01.", "amount")
    description = str(data.get("description") or "").strip()
    if not description:
        raise SimError(422, "The description is invalid.", "description")
    sequence_type = data.get("sequenceType") or "oneoff"
    if sequence_type not in ("oneoff", "first", "recurring"):
        raise SimError(422, "The sequence type is invalid.", "sequenceType")
    customer = None
    if data.get("customerId"):
        customer = _get(SimCustomer, data["customerId"], "customer")
    if sequence_type == "first" and customer is None:
        raise SimError(422, "A first payment needs a customer.", "customerId")
    redirect_url = str(data.get("redirectUrl") or "")
    if sequence_type != "recurring" and not redirect_url:
        raise SimError(422, "The redirect URL is missing.", "redirectUrl")
    payment = SimPayment(
        sim_id=sim_id("tr_"),
        amount=amount,
        currency=currency,
        description=description[:255],
        sequence_type=sequence_type,
        redirect_url=redirect_url,
        webhook_url=str(data.get("webhookUrl") or ""),
        locale=str(data.get("locale") or ""),
        metadata=data.get("metadata"),
        customer=customer,
        expires_at=timezone.now() + datetime.timedelta(minutes=15),  # as Mollie: 15 minutes to pay
    )
    if sequence_type == "recurring":
        mandate = customer and customer.mandates.filter(status="valid").first()
        if not mandate:
            raise SimError(422, "The customer has no valid mandate.", "mandateId")
        payment.mandate = mandate
        payment.status = "pending"
        payment.method = "directdebit"
    payment.save()
    return payment_json(request, payment), 201


@api(("GET", "DELETE"))
def payment(request: HttpRequest, data: dict, payment_id: str):
    row = _payment(payment_id)
    if request.method == "DELETE":
        row = services.payment_cancel(payment=row)
        row = SimPayment.objects.select_related(*PAYMENT_RELATED).get(pk=row.pk)
    return payment_json(request, row), 200


def _payment(payment_id: str) -> SimPayment:
    row = SimPayment.objects.select_related(*PAYMENT_RELATED).filter(sim_id=payment_id).first()
    if row is None:
        raise SimError(404, f"No payment exists with token {payment_id}.")
    return services.payment_expire_if_due(row)


@api(("GET", "POST"))
def refunds(request: HttpRequest, data: dict, payment_id: str):
    payment_row = _payment(payment_id)
    if request.method == "GET":
        items = [refund_json(request, refund) for refund in payment_row.refunds.select_related("payment")]
        return _list(request, "refunds", items, _url(request, "mollie_sim:refunds", payment_id)), 200
    amount, currency = services.amount_from(data.get("amount"))
    payment_row = SimPayment.objects.select_for_update().get(pk=payment_row.pk)
    if payment_row.status != "paid":
        raise SimError(422, "The payment is not paid, so it cannot be refunded.")
    if amount <= 0 or amount > payment_row.amount - payment_row.amount_refunded:
        raise SimError(422, "The amount is higher than the amount that can be refunded.", "amount")
    refund = SimRefund.objects.create(
        sim_id=sim_id("re_"),
        payment=payment_row,
        amount=amount,
        currency=currency,
        description=str(data.get("description") or "")[:255],
        status="pending",  # Mollie: pending until it is processed (queued only when the balance is short)
    )
    payment_row.amount_refunded += amount
    payment_row.save(update_fields=["amount_refunded"])
    return refund_json(request, refund), 201


@api(("GET", "DELETE"))
def refund(request: HttpRequest, data: dict, payment_id: str, refund_id: str):
    """One refund; ``DELETE`` cancels it while it is queued or pending (Mollie answers 204 then)."""
    row = _get(SimRefund.objects.select_related("payment"), refund_id, "refund", payment__sim_id=payment_id)
    if request.method == "DELETE":
        services.refund_settle(refund=row, status="canceled")
        row.refresh_from_db()
    return refund_json(request, row), 200


@api(("GET", "POST"))
def customers(request: HttpRequest, data: dict):
    if request.method == "GET":
        items = [customer_json(request, row) for row in SimCustomer.objects.order_by("-pk")[: _limit(request)]]
        return _list(request, "customers", items, _url(request, "mollie_sim:customers")), 200
    customer = SimCustomer.objects.create(
        sim_id=sim_id("cst_"),
        name=str(data.get("name") or "")[:255],
        email=str(data.get("email") or "")[:255],
        locale=str(data.get("locale") or ""),
        metadata=data.get("metadata"),
    )
    return customer_json(request, customer), 201


@api(("GET",))
def customer(request: HttpRequest, data: dict, customer_id: str):
    return customer_json(request, _get(SimCustomer, customer_id, "customer")), 200


@api(("GET",))
def mandates(request: HttpRequest, data: dict, customer_id: str):
    row = _get(SimCustomer, customer_id, "customer")
    items = [mandate_json(request, mandate) for mandate in row.mandates.select_related("customer").order_by("-pk")]
    return _list(request, "mandates", items, _url(request, "mollie_sim:mandates", customer_id)), 200


@api(("GET", "POST"))
def subscriptions(request: HttpRequest, data: dict, customer_id: str):
    row = _get(SimCustomer, customer_id, "customer")
    if request.method == "GET":
        rows = row.subscriptions.select_related("customer", "mandate")[: _limit(request)]
        items = [subscription_json(request, subscription) for subscription in rows]
        return _list(request, "subscriptions", items, _url(request, "mollie_sim:subscriptions", customer_id)), 200
    amount, currency = services.amount_from(data.get("amount"))
    interval = str(data.get("interval") or "")
    services.interval_delta(interval)
    description = str(data.get("description") or "").strip()
    if not description:
        raise SimError(422, "The description is invalid.", "description")
    if row.subscriptions.filter(status="active", description=description).exists():
        raise SimError(422, "The description of the subscription must be unique for the customer.", "description")
    mandates_valid = row.mandates.filter(status="valid")
    mandate = None
    if data.get("mandateId"):
        mandate = mandates_valid.filter(sim_id=data["mandateId"]).first()
        if mandate is None:
            raise SimError(422, "The mandate is not valid.", "mandateId")
    else:
        mandate = mandates_valid.first()
        if mandate is None:
            raise SimError(422, "The customer has no valid mandate.", "mandateId")
    start = parse_date(str(data["startDate"])) if data.get("startDate") else timezone.localdate()
    if start is None:
        raise SimError(422, "The start date is invalid.", "startDate")
    subscription = SimSubscription.objects.create(
        sim_id=sim_id("sub_"),
        customer=row,
        mandate=mandate,
        amount=amount,
        currency=currency,
        interval=interval,
        description=description[:255],
        start_date=start,
        next_payment_date=start,
        times=data.get("times"),
        webhook_url=str(data.get("webhookUrl") or ""),
        metadata=data.get("metadata"),
    )
    return subscription_json(request, subscription), 201


@api(("GET", "DELETE"))
def subscription(request: HttpRequest, data: dict, customer_id: str, subscription_id: str):
    row = _get(
        SimSubscription.objects.select_related("customer", "mandate"),
        subscription_id,
        "subscription",
        customer__sim_id=customer_id,
    )
    if request.method == "DELETE":
        if row.status == "canceled":
            raise SimError(422, "The subscription has been canceled already.")
        row.status = "canceled"
        row.canceled_at = timezone.now()
        row.save(update_fields=["status", "canceled_at"])
    return subscription_json(request, row), 200
