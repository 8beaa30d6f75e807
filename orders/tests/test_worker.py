"""A real Celery worker on Redis hands a paid order's goods to delivery after commit (C02)."""

import time

import pytest

from orders.models import Order, Shipment
from orders.services import Item, order_place
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C02")
def test_a_real_worker_hands_the_goods_over_after_commit(celery_worker, settings, customer, catalogue):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    order = order_place(user=customer, items=[Item(catalogue["yubikey-5-nfc"])])
    payment_move(payment_for(order), Payment.Status.PAID)
    deadline = time.monotonic() + 20
    while (
        time.monotonic() < deadline
        and not Shipment.objects.filter(order=order, status=Shipment.Status.HANDED_OVER).exists()
    ):
        time.sleep(0.1)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert Shipment.objects.get(order=order).payload["town"] == "Woerden"
