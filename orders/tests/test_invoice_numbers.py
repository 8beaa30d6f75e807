import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from orders.models import InvoiceCounter, Order
from orders.services import Item, invoice_number_take, order_place
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment


def _run_in_threads(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def run(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C01")
def test_invoice_numbers_are_gapless_and_unique_under_concurrency(customer, catalogue):
    orders = [order_place(user=customer, items=[Item(catalogue["ssl-dv"])]) for _ in range(12)]
    payments = [payment_for(order) for order in orders]
    errors = _run_in_threads(lambda payment: payment_move(payment, Payment.Status.PAID), [(p,) for p in payments])
    assert errors == []
    numbers = sorted(Order.objects.values_list("invoice_number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"{year}-{n:06d}" for n in range(1, 13)]
    assert InvoiceCounter.objects.get(year=year).last_number == 12


@pytest.mark.django_db
def test_a_rolled_back_payment_gives_its_number_back():
    day = timezone.localdate()
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_number_take(day=day)
        raise RuntimeError
    assert invoice_number_take(day=day) == f"{day.year}-000001"


@pytest.mark.django_db
def test_numbers_restart_each_year():
    import datetime

    assert invoice_number_take(day=datetime.date(2026, 12, 31)) == "2026-000001"
    assert invoice_number_take(day=datetime.date(2027, 1, 1)) == "2027-000001"
    assert invoice_number_take(day=datetime.date(2026, 12, 31)) == "2026-000002"
