"""Orders behind the real webhook: concurrent deliveries and the customer's return make one transition,
one invoice number, one credit grant and one email each."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from billing.models import Invoice
from credits.models import CreditEntry
from orders.models import Order
from orders.services import Item, order_place
from orders.tests.helpers import payment_for
from payments import gateway


def _remote(mollie_id: str, status: str) -> gateway.RemotePayment:
    return gateway.RemotePayment(
        id=mollie_id,
        status=status,
        amount=Decimal("47.50"),
        currency="EUR",
        method="ideal",
        sequence_type="oneoff",
        customer_id="",
        mandate_id="",
        subscription_id="",
        description="order",
        paid_at=None,
        checkout_url="",
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C03", "C21")
def test_concurrent_webhooks_and_return_pay_a_credits_order_once(customer, catalogue, monkeypatch):
    order = order_place(user=customer, items=[Item(catalogue["credits-50"])], kind=Order.Kind.CREDITS)
    payment = payment_for(order)
    monkeypatch.setattr(gateway, "payment_get", lambda mollie_id: _remote(mollie_id, "paid"))
    browser = Client()
    browser.force_login(customer)
    barrier = threading.Barrier(20)
    results, errors = [], []

    def deliver(index: int) -> None:
        try:
            barrier.wait()
            if index % 4 == 0:
                results.append(browser.get(f"/betalingen/terug/{payment.uuid}/").status_code)
            else:
                results.append(Client().post("/betalingen/webhook/", {"id": payment.mollie_id}).status_code)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(set(results)) == [200, 302]
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert Invoice.objects.get(owner_kind="order", object_id=order.pk).number.endswith("-000001")
    assert [entry.delta for entry in CreditEntry.objects.filter(user=customer)] == [50]
    assert customer.credit_balance.balance == 50
    assert len(mail.outbox) == 2  # the order confirmation and "credits added", once each
