"""The e-mail that carries an invoice or credit note as PDF, in the customer's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from billing import selectors
from billing.models import CreditNote, Invoice
from billing.pdf import document_pdf
from portal.email import branded_message

PDF = "application/pdf"


def pdf_attachment(document: Invoice | CreditNote) -> tuple[str, bytes, str]:
    return document.filename, document_pdf(document), PDF


def document_email(*, kind: str, document_id: int) -> EmailMultiAlternatives | None:
    """The message for ``kind`` ("invoice" or "credit_note") ``document_id``, or None when there is no one to tell."""
    document = selectors.document_by_kind(kind=kind, pk=document_id)
    if document is None:
        return None
    address = selectors.document_recipient(document)
    if not address:
        return None
    with translation.override(document.language or "nl"):
        context = {"document": document, "site_url": settings.SITE_URL.rstrip("/")}
        template = "credit_note" if isinstance(document, CreditNote) else "invoice"
        subject = render_to_string(f"billing/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"billing/email/{template}_body.txt", context)
    return branded_message(
        subject=subject,
        body=body,
        to=[address],
        language=document.language or "nl",
        attachments=[pdf_attachment(document)],
    )
