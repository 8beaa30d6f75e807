"""One gapless number series per kind and year: under concurrency, across years, and after a rollback."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from billing.models import DocumentCounter, Invoice
from billing.services import invoice_issue, number_take
from billing.tests.conftest import open_payment
from orders.services import Item, order_place
from payments.models import Payment

INVOICE = DocumentCounter.Kind.INVOICE
CREDIT_NOTE = DocumentCounter.Kind.CREDIT_NOTE


@pytest.mark.django_db
def test_each_kind_has_its_own_series_per_year_and_a_rollback_gives_the_number_back():
    day = datetime.date(2026, 12, 31)
    assert number_take(kind=INVOICE, day=day) == (2026, 1)
    assert number_take(kind=CREDIT_NOTE, day=day) == (2026, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        number_take(kind=INVOICE, day=day)
        raise RuntimeError("the document was not stored")
    assert number_take(kind=INVOICE, day=day) == (2026, 2)
    assert number_take(kind=INVOICE, day=datetime.date(2027, 1, 1)) == (2027, 1)
    assert number_take(kind=INVOICE, day=day) == (2026, 3)


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C03")
def test_invoices_issued_by_concurrent_threads_are_numbered_gapless_and_unique(customer, catalogue):
    payments = []
    for _ in range(12):
        order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
        payment = open_payment(user=customer, kind="order", object_id=order.pk, amount=order.total)
        Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.PAID)
        payments.append(payment)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def issue(share: list[Payment]) -> None:
        try:
            barrier.wait()
            for payment in share:
                invoice_issue(payment=payment)
                invoice_issue(payment=payment)  # twice: still one invoice
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    # Both threads race over all payments, in opposite orders.
    threads = [threading.Thread(target=issue, args=(share,)) for share in (payments, payments[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = datetime.date.today().year
    sequences = sorted(Invoice.objects.filter(year=year).values_list("sequence", flat=True))
    assert sequences == list(range(1, 13))
    assert Invoice.objects.values("payment").distinct().count() == 12
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [f"{year}-{n:06d}" for n in range(1, 13)]
    assert DocumentCounter.objects.get(kind=INVOICE, year=year).last_number == 12
    assert sum(Invoice.objects.values_list("total", flat=True)) == Decimal(catalogue["ssl-dv"].price) * 12
