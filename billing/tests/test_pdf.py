"""Invoices and credit notes as PDF carry every element Dutch invoice law asks (Wet OB art. 35a)."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from billing.models import CreditNote, Invoice
from billing.pdf import document_pdf
from billing.tests.test_services import _refund

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    # Words as they are read, whatever the line breaks and (no-break) spaces between them.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.clause("C01", "C03")
def test_the_invoice_pdf_names_seller_kvk_btw_id_customer_lines_and_amounts_in_dutch(paid_order):
    order, payment = paid_order
    invoice = Invoice.objects.prefetch_related("lines").get()
    text = _text(document_pdf(invoice))
    for expected in (
        "Netrex Internet Solutions BV",
        "Oostdam 2",
        "3441 EM Woerden",
        "KvK-nummer: 30123456",
        "btw-identificatienummer: NL812345678B01",
        f"Factuur {invoice.number}",
        "Factuurdatum",
        "Leverdatum",
        "Jan Jansen",
        f"Bestelling {order.pk}",
        "Omschrijving",
        "Aantal",
        "Bedrag excl. btw tegen 21%",
        "Btw 21%",
    ):
        assert expected in text, expected
    for line in invoice.lines.all():
        assert line.description in text
    # Amounts written the Dutch way: "€ 1.234,56".
    for amount in (invoice.total, invoice.vat_total, invoice.total_excl_vat):
        assert f"€ {amount:.2f}".replace(".", ",") in text


def test_an_english_customer_gets_an_english_pdf(paid_order):
    invoice = Invoice.objects.get()
    invoice.language = "en"
    text = _text(document_pdf(invoice))
    assert f"Invoice {invoice.number}" in text and "KvK number: 30123456" in text
    assert "VAT identification number: NL812345678B01" in text and f"€{invoice.total}" in text


@pytest.mark.clause("C03")
def test_the_credit_note_pdf_names_the_invoice_it_corrects_and_credits_negative_amounts(paid_order, monkeypatch):
    order, payment = paid_order
    _refund(monkeypatch, payment, Decimal("10.00"))
    note = CreditNote.objects.select_related("invoice").get()
    text = _text(document_pdf(note))
    assert f"Creditnota {note.number}" in text and f"Corrigeert factuur {note.invoice.number}" in text
    assert "KvK-nummer: 30123456" in text and "btw-identificatienummer: NL812345678B01" in text
    assert "-€ 10,00" in text and "-€ 1,74" in text and "-€ 8,26" in text
