"""Invoices and credit notes as PDF, written by WeasyPrint from the same template body as the screen.

The text is in the language the document was issued in (the customer's), amounts through
``portal.money``.  Nothing is fetched over the network: the stylesheet is inline and there are no images.
"""

from django.template.loader import render_to_string
from django.utils import translation

from billing.models import CreditNote, Invoice


def _url_fetcher_refusing_everything(url: str, *args, **kwargs):
    raise ValueError(f"billing PDFs load nothing from outside: {url}")


def document_html(document: Invoice | CreditNote) -> str:
    """The stand-alone HTML of a document (its own stylesheet inline), in the document's language."""
    with translation.override(document.language or "nl"):
        return render_to_string("billing/pdf.html", _context(document))


def document_pdf(document: Invoice | CreditNote) -> bytes:
    """The document as PDF bytes."""
    from weasyprint import HTML  # imported on use: loading Pango costs time every process would pay

    return HTML(string=document_html(document), url_fetcher=_url_fetcher_refusing_everything).write_pdf()


def _context(document: Invoice | CreditNote) -> dict:
    return {
        "document": document,
        "is_credit_note": isinstance(document, CreditNote),
        "lines": list(document.lines.all()),
        "vat_summary": document.vat_summary(),
    }
