"""The billing page and the documents: owner only, bounded queries, PDFs with a sensible name; the admin."""

from decimal import Decimal
from typing import cast

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from billing.models import CreditNote, Invoice
from billing.tests.conftest import open_payment
from billing.tests.test_services import _refund
from portal import dashboard
from portal.roles import FINANCE, PRIVACY_OFFICER

pytestmark = pytest.mark.django_db


def _urls(invoice: Invoice, note: CreditNote) -> list[str]:
    return [
        reverse("billing:invoice", args=[invoice.pk]),
        reverse("billing:invoice_pdf", args=[invoice.pk]),
        reverse("billing:credit_note", args=[note.pk]),
        reverse("billing:credit_note_pdf", args=[note.pk]),
        reverse("billing:order_invoice", args=[invoice.object_id]),
        reverse("billing:order_invoice_pdf", args=[invoice.object_id]),
    ]


@pytest.fixture
def documents(paid_order, monkeypatch):
    order, payment = paid_order
    _refund(monkeypatch, payment, Decimal("10.00"))
    return Invoice.objects.get(), CreditNote.objects.get()


@pytest.mark.clause("C03")
def test_the_owner_opens_each_document_on_screen_and_as_pdf(client, customer, documents):
    invoice, note = documents
    client.force_login(customer)
    assert reverse("billing:list") == "/facturen/"
    page = client.get(reverse("billing:list")).content.decode()
    assert invoice.number in page and note.number in page
    screen = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "30123456" in screen and "NL812345678B01" in screen and "Jan Jansen" in screen
    pdf = client.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="factuur-{invoice.number}.pdf"'
    note_pdf = client.get(reverse("billing:credit_note_pdf", args=[note.pk]))
    assert note_pdf["Content-Disposition"] == f'attachment; filename="creditnota-{note.number}.pdf"'
    # The order page links to both; the old order invoice URLs lead to the invoice.
    order_page = client.get(reverse("orders:detail", args=[invoice.object_id])).content.decode()
    assert reverse("billing:invoice", args=[invoice.pk]) in order_page
    assert reverse("billing:credit_note", args=[note.pk]) in order_page
    old = client.get(reverse("orders:invoice", args=[invoice.object_id]), follow=True)
    assert old.redirect_chain[-1][0] == reverse("billing:invoice", args=[invoice.pk])
    old_download = client.get(reverse("orders:invoice_download", args=[invoice.object_id]), follow=True)
    assert old_download["Content-Disposition"] == f'attachment; filename="factuur-{invoice.number}.pdf"'


@pytest.mark.clause("C03", "C36")
def test_another_customer_gets_404_for_every_document_url(client, other, documents):
    client.force_login(other)
    for url in _urls(*documents):
        assert client.get(url).status_code == 404, url
    assert documents[0].number not in client.get(reverse("billing:list")).content.decode()


def test_a_visitor_is_sent_to_log_in(client, documents):
    for url in [reverse("billing:list"), *_urls(*documents)]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url


def test_the_billing_page_query_count_does_not_grow_with_documents(client, customer, subscription, pay):
    client.force_login(customer)

    def renew(times: int) -> None:
        for _ in range(times):
            pay(
                open_payment(
                    user=customer, kind="subscription_recurring", object_id=subscription.pk, amount=Decimal("24.20")
                )
            )

    renew(2)
    client.get(reverse("billing:list"))  # the session's first request records the session: not counted
    dashboard.touch(customer.pk)  # counted as rendered, not served from the page's copy
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("billing:list")).status_code == 200
    renew(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("billing:list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count('href="/facturen/') == 20 * 2 + 1  # a page of 20 rows (number and PDF) and the menu
    assert 'rel="next"' in page


def _staff(username: str, role: str):
    user = cast(User, UserFactory(username=username, is_staff=True))
    user.groups.add(Group.objects.get(name=role))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.mark.clause("C36")
def test_finance_reads_and_downloads_documents_in_the_admin_and_nobody_changes_them(client, documents):
    invoice, note = documents
    client.force_login(_staff("finance", FINANCE))
    change = client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert reverse("admin:billing_invoice_pdf", args=[invoice.pk]).encode() in change.content
    pdf = client.get(reverse("admin:billing_invoice_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("admin:billing_creditnote_pdf", args=[note.pk])).status_code == 200
    assert client.get(reverse("admin:billing_invoice_delete", args=[invoice.pk])).status_code == 403
    assert client.post(reverse("admin:billing_invoice_change", args=[invoice.pk]), {}).status_code == 403
    client.force_login(_staff("privacy", PRIVACY_OFFICER))
    assert client.get(reverse("admin:billing_invoice_change", args=[invoice.pk])).status_code == 200
    assert client.get(reverse("admin:billing_invoice_pdf", args=[invoice.pk])).status_code == 403
