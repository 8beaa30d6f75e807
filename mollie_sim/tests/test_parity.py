"""The simulator speaks Mollie's API well enough for the real mollie-api-python client, over real HTTP."""

from decimal import Decimal

import pytest
import requests
from mollie.api.error import NotFoundError, UnauthorizedError, UnprocessableEntityError
from mollie.api.objects.customer import Customer

from mollie_sim.models import SimIdempotentRequest, SimPayment, SimWebhookCall

pytestmark = pytest.mark.django_db(transaction=True)


def _create_payment(client, key="", **extra):
    data = {
        "amount": {"currency": "EUR", "value": "10.00"},
        "description": "Order 1",
        "redirectUrl": "https://example.org/back",
        "webhookUrl": "",
        **extra,
    }
    return client.payments.create(data, idempotency_key=key)


def test_payment_create_and_get_are_parsed_by_the_real_client(mollie_client):
    payment = _create_payment(mollie_client)
    assert payment.id.startswith("tr_")
    assert payment.status == "open" and payment.is_open()
    assert payment.amount == {"value": "10.00", "currency": "EUR"}
    assert "/mollie-sim/checkout/" in payment.checkout_url
    again = mollie_client.payments.get(payment.id)
    assert again.id == payment.id and again.description == "Order 1" and not again.is_paid()
    listed = mollie_client.payments.list()
    assert listed.count == 1 and next(iter(listed)).id == payment.id


def test_the_same_idempotency_key_gives_the_same_payment(mollie_client):
    first = _create_payment(mollie_client, key="key-1")
    second = _create_payment(mollie_client, key="key-1")
    third = _create_payment(mollie_client, key="key-2")
    assert first.id == second.id != third.id
    assert SimPayment.objects.count() == 2
    assert SimIdempotentRequest.objects.filter(key="key-1").count() == 1


def test_a_key_other_than_test_is_refused(mollie_live):
    from mollie.api.client import Client

    client = Client(api_endpoint=mollie_live.url + "/mollie-sim", retry=0)
    client.set_api_key("live_notreal00000000000000000000")
    with pytest.raises(UnauthorizedError):
        client.payments.list()


def test_unknown_payment_is_a_404_and_bad_input_a_422(mollie_client):
    with pytest.raises(NotFoundError):
        mollie_client.payments.get("tr_doesnotexist")
    with pytest.raises(UnprocessableEntityError):
        _create_payment(mollie_client, amount={"currency": "EUR", "value": "10"})


def test_checkout_pays_calls_the_webhook_and_redirects(mollie_client, mollie_live, settings):
    payment = _create_payment(mollie_client, webhookUrl=mollie_live.url + "/betalingen/webhook/")
    page = requests.get(payment.checkout_url, timeout=10)
    assert page.status_code == 200 and "Order 1" in page.text
    session = requests.Session()
    session.get(payment.checkout_url, timeout=10)
    answer = session.post(
        payment.checkout_url,
        data={"status": "paid", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": payment.checkout_url},
        allow_redirects=False,
        timeout=20,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "https://example.org/back"
    paid = mollie_client.payments.get(payment.id)
    assert paid.is_paid() and paid.paid_at and paid.checkout_url is None
    call = SimWebhookCall.objects.get()
    assert call.status_code == 200 and call.attempt == 1


@pytest.mark.clause("C14")
def test_first_payment_creates_a_mandate_then_a_subscription_and_a_refund(mollie_client):
    customer = mollie_client.customers.create({"name": "Jan Jansen", "email": "jan@example.nl"})
    assert customer.id.startswith("cst_")
    payment = _create_payment(mollie_client, customerId=customer.id, sequenceType="first")
    assert payment.sequence_type == "first" and payment.customer_id == customer.id
    assert len(Customer({"id": customer.id}, mollie_client).mandates.list()) == 0
    from mollie_sim import services

    services.payment_settle(payment=SimPayment.objects.get(sim_id=payment.id), status="paid")
    mandates = list(Customer({"id": customer.id}, mollie_client).mandates.list())
    assert [m.status for m in mandates] == ["valid"]
    subscriptions = Customer({"id": customer.id}, mollie_client).subscriptions
    subscription = subscriptions.create(
        {"amount": {"currency": "EUR", "value": "24.20"}, "interval": "1 month", "description": "Webcare #1"},
        idempotency_key="sub-1",
    )
    assert subscription.id.startswith("sub_") and subscription.status == "active"
    assert subscription.amount["value"] == "24.20" and subscription.interval == "1 month"
    assert (
        subscriptions.create(
            {"amount": {"currency": "EUR", "value": "24.20"}, "interval": "1 month", "description": "Webcare #1"},
            idempotency_key="sub-1",
        ).id
        == subscription.id
    )
    cancelled = subscriptions.delete(subscription.id)
    assert cancelled.status == "canceled" and cancelled.canceled_at
    refund = mollie_client.payments.get(payment.id).refunds.create(
        {"amount": {"currency": "EUR", "value": "4.00"}}, idempotency_key="refund-1"
    )
    assert refund.id.startswith("re_") and Decimal(refund.amount["value"]) == Decimal("4.00")
    with pytest.raises(UnprocessableEntityError):
        mollie_client.payments.get(payment.id).refunds.create({"amount": {"currency": "EUR", "value": "6.01"}})


def test_an_open_payment_is_cancelable_and_a_paid_one_is_not(mollie_client):
    from mollie_sim import services

    payment = _create_payment(mollie_client)
    assert payment.is_cancelable is True
    cancelled = mollie_client.payments.delete(payment.id)
    assert cancelled.status == "canceled" and cancelled.canceled_at and not cancelled.is_cancelable
    with pytest.raises(UnprocessableEntityError):
        mollie_client.payments.delete(payment.id)
    paid = _create_payment(mollie_client)
    services.payment_settle(payment=SimPayment.objects.get(sim_id=paid.id), status="paid")
    assert mollie_client.payments.get(paid.id).is_cancelable is False
    with pytest.raises(UnprocessableEntityError):
        mollie_client.payments.delete(paid.id)


def test_a_refund_moves_on_as_at_mollie_and_calls_the_payments_webhook(mollie_client, mollie_live, settings):
    from mollie_sim import services
    from mollie_sim.models import SimRefund

    payment = _create_payment(mollie_client, webhookUrl=mollie_live.url + "/betalingen/webhook/")
    services.payment_settle(payment=SimPayment.objects.get(sim_id=payment.id), status="paid")
    refunds = mollie_client.payments.get(payment.id).refunds
    refund = refunds.create({"amount": {"currency": "EUR", "value": "10.00"}}, idempotency_key="refund-a")
    assert refund.status == "pending"
    assert [r.status for r in refunds.list()] == ["pending"] and refunds.get(refund.id).status == "pending"
    calls = SimWebhookCall.objects.count()
    services.refund_settle(refund=SimRefund.objects.get(sim_id=refund.id), status="failed")
    assert refunds.get(refund.id).status == "failed"
    assert SimWebhookCall.objects.count() == calls + 1  # the payment's webhook tells of the refund's change
    assert SimPayment.objects.get(sim_id=payment.id).amount_refunded == 0  # a failed refund gives it back
    again = refunds.create({"amount": {"currency": "EUR", "value": "10.00"}}, idempotency_key="refund-b")
    services.refund_settle(refund=SimRefund.objects.get(sim_id=again.id), status="refunded")
    assert refunds.get(again.id).status == "refunded"
    with pytest.raises(services.SimError):
        services.refund_settle(refund=SimRefund.objects.get(sim_id=again.id), status="failed")  # refunded is final
    with pytest.raises(UnprocessableEntityError):
        refunds.create({"amount": {"currency": "EUR", "value": "0.01"}})
