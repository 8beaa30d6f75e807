"""How billing reacts to the payments and orders apps (connected in ``AppConfig.ready``).

The payments signals arrive inside the payment's locked transaction: the document is written there
too, so a payment is never paid without its invoice, nor a refund accepted without its credit note.
"""

import logging

from billing import services
from billing.models import Invoice

logger = logging.getLogger(__name__)
INVOICED_KINDS = (services.ORDER_KIND, *services.SUBSCRIPTION_KINDS)


def payment_paid(sender, payment, **kwargs) -> None:
    if payment.kind not in INVOICED_KINDS:
        logger.warning("payment %s of kind %s is paid, but no invoice is made for that kind", payment.pk, payment.kind)
        return
    services.invoice_issue(payment=payment)


def refund_status_changed(sender, refund, previous_status: str = "", **kwargs) -> None:
    if refund.status not in services.ACCEPTED_REFUND_STATUSES:
        return
    if refund.payment.kind not in INVOICED_KINDS:
        return
    services.credit_note_issue(refund=refund)


def order_email_attachments(sender, order, template: str, **kwargs) -> list[tuple[str, bytes, str]]:
    """The "order paid" email carries the order's invoice as PDF."""
    from billing.emails import pdf_attachment

    if template != "confirmation":
        return []
    invoices = Invoice.objects.filter(owner_kind=services.ORDER_KIND, object_id=order.pk).prefetch_related("lines")
    return [pdf_attachment(invoice) for invoice in invoices.order_by("issued_at", "pk")]
