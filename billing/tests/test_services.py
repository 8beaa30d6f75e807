"""One invoice per paid payment (orders and subscription renewals), one credit note per accepted refund."""

from decimal import Decimal

import pytest
from django.core import mail

from billing.models import CreditNote, Invoice
from billing.services import credit_note_issue, invoice_issue
from billing.tests.conftest import open_payment
from payments import gateway, signals
from payments.models import Payment, Refund
from payments.services import refund_create
from portal.models import Activity

pytestmark = pytest.mark.django_db


@pytest.mark.clause("C01", "C03")
def test_a_paid_order_gets_exactly_one_invoice_frozen_with_seller_customer_and_lines(paid_order, pay):
    order, payment = paid_order
    invoice = Invoice.objects.get()
    assert invoice.payment == payment and (invoice.owner_kind, invoice.object_id) == ("order", order.pk)
    assert invoice.total == payment.amount == order.total
    assert invoice.total_excl_vat + invoice.vat_total == invoice.total
    assert (invoice.seller_kvk, invoice.seller_vat_id) == ("30123456", "NL812345678B01")
    assert invoice.customer_name == "Jan Jansen" and invoice.customer_street == "Oostdam 2"
    assert invoice.purpose == "P1" and invoice.user == order.user
    lines = list(invoice.lines.all())
    assert [(line.quantity, line.total) for line in lines] == [
        (line.quantity, line.total) for line in order.lines.all()
    ]
    assert all(line.vat_rate == Decimal("21.00") for line in lines)
    assert sum(line.vat_amount for line in lines) == invoice.vat_total
    # Mollie reports the same payment again, then something else and paid again: still one invoice.
    pay(payment, Payment.Status.PAID)
    assert invoice_issue(payment=payment) == invoice
    assert Invoice.objects.count() == 1
    assert Activity.objects.filter(user=order.user, action="invoice_issued").count() == 1


@pytest.mark.clause("C14")
def test_every_subscription_renewal_gets_its_own_invoice_and_it_is_mailed(
    subscription, pay, django_capture_on_commit_callbacks
):
    for _ in range(2):
        payment = open_payment(
            user=subscription.user, kind="subscription_recurring", object_id=subscription.pk, amount=Decimal("24.20")
        )
        with django_capture_on_commit_callbacks(execute=True):
            pay(payment)
    invoices = list(Invoice.objects.order_by("sequence"))
    assert [invoice.sequence for invoice in invoices] == [1, 2]
    assert all(invoice.purpose == "P5" and invoice.total == Decimal("24.20") for invoice in invoices)
    assert invoices[0].lines.get().description.startswith("Webcare maandelijks, ")
    assert invoices[0].vat_total == Decimal("4.20") and invoices[0].total_excl_vat == Decimal("20.00")
    invoice_mails = [message for message in mail.outbox if "factuur" in message.subject.lower()]
    assert len(invoice_mails) == 2 and invoice_mails[0].to == [subscription.billing_email]
    assert invoice_mails[0].attachments[0][0] == f"factuur-{invoices[0].number}.pdf"
    assert invoice_mails[0].attachments[0][2] == "application/pdf"


def test_a_payment_that_was_never_paid_gets_no_invoice(customer, catalogue, pay):
    from orders.services import Item, order_place

    order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    pay(open_payment(user=customer, kind="order", object_id=order.pk, amount=order.total), Payment.Status.FAILED)
    assert not Invoice.objects.exists()


def _refund(monkeypatch, payment: Payment, amount: Decimal, status: str = "pending") -> Refund:
    counter = Refund.objects.count() + 1
    monkeypatch.setattr(
        gateway,
        "refund_create",
        lambda **kwargs: gateway.RemoteRefund(id=f"re_test{counter}", status=status, amount=kwargs["amount"]),
    )
    return refund_create(payment=payment, amount=amount, staff_user=None)


@pytest.mark.clause("C03")
def test_an_accepted_partial_refund_gets_a_credit_note_that_refers_to_the_invoice(
    paid_order, monkeypatch, django_capture_on_commit_callbacks
):
    order, payment = paid_order
    invoice = Invoice.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        refund = _refund(monkeypatch, payment, Decimal("10.00"))
    note = CreditNote.objects.get()
    assert note.refund == refund and note.invoice == invoice and note.number.startswith("CN-")
    assert (
        note.total == Decimal("10.00") and note.vat_total == Decimal("1.74") and note.total_excl_vat == Decimal("8.26")
    )
    assert note.customer_name == invoice.customer_name and note.purpose == invoice.purpose
    # The refund's status read back later (pending → refunded) credits nothing twice.
    refund.status = "refunded"
    refund.save(update_fields=["status"])
    signals.refund_status_changed.send(sender=Refund, refund=refund, previous_status="pending")
    assert credit_note_issue(refund=refund) == note and CreditNote.objects.count() == 1
    assert [m for m in mail.outbox if note.number in m.subject][0].attachments[0][0] == f"creditnota-{note.number}.pdf"


def test_a_full_refund_mirrors_the_invoice_lines_and_a_failed_refund_credits_nothing(paid_order, monkeypatch):
    order, payment = paid_order
    invoice = Invoice.objects.get()
    _refund(monkeypatch, payment, Decimal("1.00"), status="failed")
    assert not CreditNote.objects.exists()
    Refund.objects.all().delete()
    _refund(monkeypatch, payment, invoice.total, status="refunded")
    note = CreditNote.objects.get()
    assert note.total == invoice.total and note.vat_total == invoice.vat_total
    assert [(line.description, line.total) for line in note.lines.all()] == [
        (line.description, line.total) for line in invoice.lines.all()
    ]


@pytest.mark.clause("C03")
def test_money_received_less_refunded_equals_invoices_less_credit_notes(paid_order, monkeypatch):
    order, payment = paid_order
    _refund(monkeypatch, payment, Decimal("5.00"))
    _refund(monkeypatch, payment, Decimal("7.50"), status="refunded")
    received = sum(p.amount for p in Payment.objects.filter(status="paid"))
    refunded = sum(r.amount for r in Refund.objects.filter(status__in=["pending", "refunded"]))
    invoiced = sum(i.total for i in Invoice.objects.all())
    credited = sum(c.total for c in CreditNote.objects.all())
    assert received - refunded == invoiced - credited == order.total - Decimal("12.50")
    assert [c.sequence for c in CreditNote.objects.order_by("sequence")] == [1, 2]


@pytest.mark.clause("C01")
def test_the_invoice_is_built_from_the_order_snapshot_and_stays_as_issued(customer, catalogue, pay, settings):
    from orders.services import Item, order_place

    order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    customer.first_name, customer.street = "Anders", "Nieuwe straat 9"  # changed after the order was placed
    customer.save()
    pay(open_payment(user=customer, kind="order", object_id=order.pk, amount=order.total))
    settings.NETREX_VAT_ID = "NL999999999B99"  # a later change of the settings changes no issued invoice
    invoice = Invoice.objects.get()
    assert (invoice.customer_name, invoice.customer_street) == ("Jan Jansen", "Oostdam 2")
    assert invoice.seller_vat_id == "NL812345678B01"
