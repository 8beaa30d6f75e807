"""The one module that talks to Mollie, through mollie-api-python.

Every function returns plain dataclasses (never the client's objects), takes amounts as ``Decimal``
euros, and sends an ``Idempotency-Key`` on every call that creates something, so a retried call never
creates a second payment, customer, subscription or refund.  Mollie being unreachable, answering
5xx or answering something unreadable raises ``GatewayError``; callers turn it into a message for the
customer and keep nothing half-recorded.  ``MOLLIE_API_ENDPOINT`` points the client at the in-project
simulator in development and tests.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from mollie.api.client import Client
from mollie.api.error import Error as MollieError
from mollie.api.error import NotFoundError, ResponseError
from mollie.api.objects.customer import Customer
from mollie.api.objects.payment import Payment as MolliePayment

# Mollie's payment ids: ``tr_`` and letters and digits, nothing else (the id ends up in the path of a request).
PAYMENT_ID = re.compile(r"tr_[A-Za-z0-9]{1,61}")


def is_payment_id(value: str) -> bool:
    """Whether ``value`` has the format of a Mollie payment id (and fits ``Payment.mollie_id``)."""
    return PAYMENT_ID.fullmatch(value) is not None


class GatewayError(Exception):
    """Mollie could not be reached or did not do what was asked; nothing was changed on our side."""


class GatewayRejected(GatewayError):
    """Mollie answered 4xx: it refused the request as made."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class GatewayNotFound(GatewayRejected):
    """Mollie does not know the object."""


@dataclass(frozen=True)
class RemotePayment:
    id: str
    status: str
    amount: Decimal
    currency: str
    method: str
    sequence_type: str
    customer_id: str
    mandate_id: str
    subscription_id: str
    description: str
    paid_at: datetime.datetime | None
    checkout_url: str


@dataclass(frozen=True)
class RemoteCustomer:
    id: str


@dataclass(frozen=True)
class RemoteMandate:
    id: str
    status: str
    method: str


@dataclass(frozen=True)
class RemoteSubscription:
    id: str
    status: str
    next_payment_date: datetime.date | None


@dataclass(frozen=True)
class RemoteRefund:
    id: str
    status: str
    amount: Decimal


def money(amount: Decimal, currency: str = "EUR") -> dict[str, str]:
    """Mollie's amount object: the value always with two decimals ("10.00")."""
    return {"currency": currency, "value": f"{Decimal(amount).quantize(Decimal('0.01')):.2f}"}


def _client() -> Client:
    client = Client(
        api_endpoint=settings.MOLLIE_API_ENDPOINT,
        timeout=settings.MOLLIE_TIMEOUT,
        retry=settings.MOLLIE_CONNECT_RETRIES,
    )
    client.set_api_key(settings.MOLLIE_API_KEY)
    return client


def _call(function, *args, **kwargs) -> Any:
    try:
        return function(*args, **kwargs)
    except NotFoundError as exc:
        raise GatewayNotFound(str(exc), 404) from exc
    except ResponseError as exc:
        status = int(exc.status or 0)
        if 400 <= status < 500:
            raise GatewayRejected(f"Mollie refused ({status}): {exc}", status) from exc
        raise GatewayError(f"Mollie answered {status}: {exc}") from exc
    except MollieError as exc:
        raise GatewayError(f"Mollie could not be reached: {exc}") from exc


def _payment(data: dict) -> RemotePayment:
    amount = data.get("amount") or {}
    links = data.get("_links") or {}
    paid_at = data.get("paidAt")
    return RemotePayment(
        id=data["id"],
        status=data["status"],
        amount=Decimal(amount.get("value", "0")),
        currency=amount.get("currency", "EUR"),
        method=data.get("method") or "",
        sequence_type=data.get("sequenceType") or "oneoff",
        customer_id=data.get("customerId") or "",
        mandate_id=data.get("mandateId") or "",
        subscription_id=data.get("subscriptionId") or "",
        description=data.get("description") or "",
        paid_at=parse_datetime(paid_at) if paid_at else None,
        checkout_url=(links.get("checkout") or {}).get("href", ""),
    )


def _subscription(data: dict) -> RemoteSubscription:
    next_date = data.get("nextPaymentDate")
    return RemoteSubscription(
        id=data["id"], status=data["status"], next_payment_date=parse_date(next_date) if next_date else None
    )


def payment_create(
    *,
    amount: Decimal,
    description: str,
    redirect_url: str,
    webhook_url: str,
    idempotency_key: str,
    sequence_type: str = "oneoff",
    customer_id: str = "",
    locale: str = "",
    metadata: dict | None = None,
) -> RemotePayment:
    data: dict[str, Any] = {
        "amount": money(amount),
        "description": description,
        "redirectUrl": redirect_url,
        "webhookUrl": webhook_url,
        "sequenceType": sequence_type,
        "metadata": metadata or {},
    }
    if customer_id:
        data["customerId"] = customer_id
    if locale:
        data["locale"] = locale
    return _payment(_call(_client().payments.create, data, idempotency_key=idempotency_key))


def payment_get(mollie_id: str) -> RemotePayment | None:
    """The payment as Mollie knows it, or ``None`` when Mollie does not know the id.

    An id that is not of Mollie's format is never sent: Mollie cannot know it, and it would change the
    path of the authenticated request (``tr_/../../customers``).
    """
    if not is_payment_id(mollie_id):
        return None
    try:
        return _payment(_call(_client().payments.get, mollie_id))
    except GatewayNotFound:
        return None


def customer_create(*, name: str, email: str, idempotency_key: str, locale: str = "") -> RemoteCustomer:
    data = {"name": name, "email": email}
    if locale:
        data["locale"] = locale
    return RemoteCustomer(id=_call(_client().customers.create, data, idempotency_key=idempotency_key)["id"])


def mandates_list(customer_id: str) -> list[RemoteMandate]:
    client = _client()
    mandates = _call(Customer({"id": customer_id}, client).mandates.list)
    return [RemoteMandate(id=m["id"], status=m["status"], method=m.get("method") or "") for m in mandates]


def subscription_create(
    *,
    customer_id: str,
    amount: Decimal,
    interval: str,
    description: str,
    webhook_url: str,
    idempotency_key: str,
    start_date: datetime.date | None = None,
    mandate_id: str = "",
    metadata: dict | None = None,
) -> RemoteSubscription:
    data: dict[str, Any] = {
        "amount": money(amount),
        "interval": interval,
        "description": description,
        "webhookUrl": webhook_url,
        "metadata": metadata or {},
    }
    if start_date:
        data["startDate"] = start_date.isoformat()
    if mandate_id:
        data["mandateId"] = mandate_id
    client = _client()
    subscriptions = Customer({"id": customer_id}, client).subscriptions
    return _subscription(_call(subscriptions.create, data, idempotency_key=idempotency_key))


def subscription_get(*, customer_id: str, subscription_id: str) -> RemoteSubscription:
    subscriptions = Customer({"id": customer_id}, _client()).subscriptions
    return _subscription(_call(subscriptions.get, subscription_id))


def subscription_cancel(*, customer_id: str, subscription_id: str, idempotency_key: str = "") -> RemoteSubscription:
    """Cancel at Mollie; one Mollie no longer knows, or cancelled before, counts as cancelled."""
    subscriptions = Customer({"id": customer_id}, _client()).subscriptions
    try:
        result = _call(subscriptions.delete, subscription_id, idempotency_key=idempotency_key)
    except GatewayNotFound:
        return RemoteSubscription(id=subscription_id, status="canceled", next_payment_date=None)
    except GatewayRejected:
        current = subscription_get(customer_id=customer_id, subscription_id=subscription_id)
        if current.status in ("canceled", "completed"):
            return current  # cancelled before (a retried cancellation)
        raise
    return _subscription(result)


def payment_cancel(mollie_id: str, *, idempotency_key: str = "") -> RemotePayment:
    """Cancel a payment at Mollie (``DELETE /v2/payments/{id}``) and return it as Mollie now has it.

    Mollie cancels only a payment that ``isCancelable``; one already cancelled counts as cancelled.  A payment
    Mollie will not cancel (it is paid, pending at the bank, expired) is returned as it is, so the caller
    decides from its status; only an unreachable Mollie raises ``GatewayError``.
    """
    if not is_payment_id(mollie_id):
        raise GatewayNotFound(f"not a Mollie payment id: {mollie_id!r}", 404)
    try:
        return _payment(_call(_client().payments.delete, mollie_id, idempotency_key=idempotency_key))
    except GatewayRejected as exc:
        if isinstance(exc, GatewayNotFound):
            raise
        current = payment_get(mollie_id)
        if current is None:
            raise
        return current


def _refund(data: dict) -> RemoteRefund:
    return RemoteRefund(id=data["id"], status=data["status"], amount=Decimal(data["amount"]["value"]))


def refund_create(*, payment_mollie_id: str, amount: Decimal, description: str, idempotency_key: str) -> RemoteRefund:
    refunds = MolliePayment({"id": payment_mollie_id}, _client()).refunds
    data = {"amount": money(amount), "description": description}
    return _refund(_call(refunds.create, data, idempotency_key=idempotency_key))


def refunds_list(payment_mollie_id: str) -> list[RemoteRefund]:
    """Every refund of the payment as Mollie knows it now (its status included): read back on each webhook."""
    if not is_payment_id(payment_mollie_id):
        return []
    refunds = MolliePayment({"id": payment_mollie_id}, _client()).refunds
    try:
        result = _call(refunds.list, limit=250)
    except GatewayNotFound:
        return []
    return [_refund(item) for item in result]
