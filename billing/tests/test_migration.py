"""The data migration gives every order numbered by the orders app its Invoice, with the same number."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from billing.models import DocumentCounter, Invoice
from billing.services import invoice_issue
from billing.tests.conftest import open_payment
from orders.models import InvoiceCounter, Order
from orders.services import Item, order_place
from payments.models import Payment

migration = importlib.import_module("billing.migrations.0003_invoices_from_orders")
pytestmark = pytest.mark.django_db


def test_orders_with_an_invoice_number_get_their_invoice_and_the_series_continues(customer, catalogue):
    year = timezone.localdate().year
    order = order_place(user=customer, items=[Item(catalogue["ssl-dv"], quantity=3)])
    payment = open_payment(user=customer, kind="order", object_id=order.pk, amount=order.total)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.PAID, paid_at=timezone.now())
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.COMPLETED,
        paid_at=timezone.now(),
        completed_at=timezone.now(),
        invoice_number=f"{year}-000007",
        invoice_date=datetime.date(year, 1, 5),
    )
    InvoiceCounter.objects.create(year=year, last_number=7)

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # re-running adds nothing twice

    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.year, invoice.sequence) == (f"{year}-000007", year, 7)
    assert invoice.payment_id == payment.pk and invoice.issue_date == datetime.date(year, 1, 5)
    assert invoice.total == order.total and invoice.lines.get().quantity == 3
    assert invoice.customer_name == order.invoice_name and invoice.purpose == "P1"
    assert invoice.vat_total + invoice.total_excl_vat == invoice.total
    assert DocumentCounter.objects.get(kind="invoice", year=year).last_number == 7
    # The payment already has its invoice: issuing is idempotent, and the next one is number 8.
    assert invoice_issue(payment=payment) == invoice
    second = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    paid = open_payment(user=customer, kind="order", object_id=second.pk, amount=Decimal(second.total))
    Payment.objects.filter(pk=paid.pk).update(status=Payment.Status.PAID)
    assert invoice_issue(payment=paid).number == f"{year}-000008"
