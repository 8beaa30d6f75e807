"""The "order paid" email carries the invoice PDF; a credit note is mailed with its PDF."""

from decimal import Decimal

import pytest
from django.core import mail

from billing.models import Invoice
from billing.tests.conftest import open_payment
from orders.services import Item, order_place

pytestmark = pytest.mark.django_db


@pytest.mark.clause("C01", "C03")
def test_the_order_paid_email_carries_the_invoice_pdf(customer, catalogue, pay, django_capture_on_commit_callbacks):
    order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    with django_capture_on_commit_callbacks(execute=True):
        pay(open_payment(user=customer, kind="order", object_id=order.pk, amount=order.total))
    invoice = Invoice.objects.get()
    [message] = [m for m in mail.outbox if str(order.pk) in m.subject]
    assert message.to == [customer.email]
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"factuur-{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")
    assert "Je factuur zit als bijlage bij deze e-mail (PDF)." in message.body


def test_an_order_paid_in_credits_has_no_invoice(customer, catalogue, monkeypatch):
    from orders.models import Product
    from orders.services import addon_order_for_credits, order_paid_with_credits
    from portal import targets

    package = targets.Target(ref="service:1", kind="hosting", domain="klant.nl", label="Hosting klant.nl")
    monkeypatch.setattr(targets, "_sources", [lambda user: [package] if user.pk == customer.pk else []])

    addon = catalogue["addon-backup"]
    Product.objects.filter(pk=addon.pk).update(credit_price=5)
    addon.refresh_from_db()
    order = addon_order_for_credits(user=customer, product=addon, target_ref=package.ref)
    order_paid_with_credits(order=order)
    assert not Invoice.objects.exists()
    assert Decimal(order.total) == 0
