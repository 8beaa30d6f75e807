"""Invoices and credit notes are fiscal records: kept seven years from issue under their purpose's rule,
detached (not erased) when the account closes, and listed in the customer's data."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import CreditNote, Invoice
from billing.tests.test_services import _refund
from privacy.declarations import for_model, user_emails

pytestmark = pytest.mark.django_db


def _declaration(model, purpose: str):
    return next(declaration for declaration in for_model(model) if declaration.purpose == purpose)


@pytest.mark.clause("C05", "C13", "C15", "C22")
def test_documents_are_kept_seven_years_from_issue_under_their_purposes_fiscal_rule(paid_order, monkeypatch):
    order, payment = paid_order
    _refund(monkeypatch, payment, Decimal("3.00"))
    invoice, note = Invoice.objects.get(), CreditNote.objects.get()
    for model, row in ((Invoice, invoice), (CreditNote, note)):
        declaration = _declaration(model, "P1")
        assert declaration.rule == "order_completed" and declaration.retention.period().years == 7
        assert not declaration.due(row.issued_at + datetime.timedelta(days=365 * 7 - 2)).exists()
        assert list(declaration.due(row.issued_at + declaration.retention.period())) == [row]
        assert list(declaration.for_user(order.user, user_emails(order.user))) == [row]
    assert _declaration(Invoice, "P5").rule == "subscription_cancelled"
    assert {_declaration(Invoice, p).rule for p in ("P4", "P8")} == {"inapp_completed", "credits_completed"}


@pytest.mark.clause("C05")
def test_account_closure_keeps_the_documents_and_cuts_the_link(paid_order, monkeypatch):
    order, payment = paid_order
    _refund(monkeypatch, payment, Decimal("3.00"))
    assert all(d.on_closure == "detach" for d in for_model(Invoice) + for_model(CreditNote))
    order.user.delete()
    invoice, note = Invoice.objects.get(), CreditNote.objects.get()
    assert invoice.user is None and note.user is None
    assert invoice.customer_name == "Jan Jansen" and invoice.issued_at <= timezone.now()
