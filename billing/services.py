"""Writes of the billing app: issue an invoice for a paid payment and a credit note for an accepted refund.

Both are idempotent (one invoice per payment, one credit note per refund) and run inside the locked
transaction of the payments app when its signals call them (``receivers.py``); called on their own they
take the same locks (payment, then refund, then the number counter), so the order of locks is always the
same.  A number is taken under the counter's row lock in the transaction that stores the document: a
rollback gives the number back, so the series has no gaps and no twins.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from billing.activity import Action as BillingAction
from billing.models import CreditNote, CreditNoteLine, DocumentCounter, Invoice, InvoiceLine
from billing.tasks import document_email_send
from orders.models import Order, vat_part
from payments.models import Payment, Refund
from portal.activity import activity_record
from subscriptions.models import VAT_RATE as SUBSCRIPTION_VAT_RATE
from subscriptions.models import Subscription

CENT = Decimal("0.01")
ORDER_KIND = "order"
RENEWAL_KIND = "subscription_recurring"
SUBSCRIPTION_KINDS = ("subscription_first", RENEWAL_KIND)
ORDER_PURPOSES: dict[str, str] = {Order.Kind.REGULAR: "P1", Order.Kind.IN_APP: "P4", Order.Kind.CREDITS: "P8"}
SUBSCRIPTION_PURPOSE = "P5"
# Mollie's refund statuses once it has accepted the refund (failed and canceled never credit anything).
ACCEPTED_REFUND_STATUSES = ("queued", "pending", "processing", "refunded")


class BillingError(Exception):
    """A document cannot be issued for this payment or refund."""


@dataclass(frozen=True)
class DraftLine:
    description: str
    quantity: int
    vat_rate: Decimal
    total: Decimal  # incl. VAT

    def amounts(self) -> dict:
        vat = vat_part(self.total, self.vat_rate)
        unit = (self.total / self.quantity * 100 / (100 + self.vat_rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        return {
            "description": self.description[:255],
            "quantity": self.quantity,
            "unit_price_excl_vat": unit,
            "vat_rate": self.vat_rate,
            "net_amount": self.total - vat,
            "vat_amount": vat,
            "total": self.total,
        }


def number_take(*, kind: str, day: datetime.date) -> tuple[int, int]:
    """The next ``(year, sequence)`` of ``kind`` in ``day``'s year, under the counter's row lock.

    Must run inside the transaction that stores the document: a rollback gives the number back.
    """
    DocumentCounter.objects.bulk_create([DocumentCounter(kind=kind, year=day.year)], ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(kind=kind, year=day.year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return day.year, counter.last_number


def invoice_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def credit_note_number(year: int, sequence: int) -> str:
    return f"CN-{year}-{sequence:06d}"


def _seller() -> dict[str, str]:
    return {
        "seller_name": settings.NETREX_COMPANY_NAME,
        "seller_address": "\n".join(settings.NETREX_COMPANY_ADDRESS),
        "seller_kvk": settings.NETREX_KVK_NUMBER,
        "seller_vat_id": settings.NETREX_VAT_ID,
        "seller_email": settings.NETREX_COMPANY_EMAIL,
    }


def _order_draft(payment: Payment) -> tuple[dict, list[DraftLine]]:
    order = Order.objects.select_related("user").prefetch_related("lines").get(pk=payment.object_id)
    language: str = getattr(order.user, "language", "") or settings.LANGUAGE_CODE
    customer = {
        "user": order.user,
        "purpose": ORDER_PURPOSES.get(order.kind, "P1"),
        "language": language,
        "customer_name": order.invoice_name,
        "customer_street": order.invoice_street,
        "customer_postal_code": order.invoice_postal_code,
        "customer_town": order.invoice_town,
        "customer_country": order.invoice_country,
    }
    lines = [
        DraftLine(line.description, line.quantity, line.vat_rate, line.total)
        for line in order.lines.all()
        if line.total > 0
    ]
    if sum((line.total for line in lines), Decimal("0")) != payment.amount:
        # The invoice states the money received; an order whose lines do not add up to it (which the
        # orders app never makes) is invoiced as one line, never for a different amount.
        with translation.override(language):
            description = _("Order %(number)s") % {"number": order.pk}
        lines = [DraftLine(description, 1, Decimal(SUBSCRIPTION_VAT_RATE), payment.amount)]
    return customer, lines


def _subscription_draft(payment: Payment) -> tuple[dict, list[DraftLine]]:
    subscription = Subscription.objects.select_related("user", "plan").get(pk=payment.object_id)
    user = subscription.user
    address = user.billing_address() if user is not None else {}
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    customer = {
        "user": user,
        "purpose": SUBSCRIPTION_PURPOSE,
        "language": language,
        "customer_name": subscription.billing_name or address.get("name", "") or getattr(user, "username", ""),
        "customer_street": subscription.billing_street or address.get("street", ""),
        "customer_postal_code": subscription.billing_postal_code or address.get("postal_code", ""),
        "customer_town": subscription.billing_town or address.get("town", ""),
        "customer_country": subscription.billing_country or address.get("country", ""),
    }
    with translation.override(language):
        description = subscription.plan.title
        if subscription.paid_until:
            # The handler has already added the period this payment pays for.
            start = subscription.paid_until - subscription.plan.period
            description = _("%(plan)s, %(start)s to %(end)s") % {
                "plan": description,
                "start": formats.date_format(start, "j M Y"),
                "end": formats.date_format(subscription.paid_until - datetime.timedelta(days=1), "j M Y"),
            }
    return customer, [DraftLine(description, 1, Decimal(SUBSCRIPTION_VAT_RATE), payment.amount)]


def _draft(payment: Payment) -> tuple[dict, list[DraftLine]]:
    if payment.kind == ORDER_KIND:
        return _order_draft(payment)
    if payment.kind in SUBSCRIPTION_KINDS:
        return _subscription_draft(payment)
    raise BillingError(f"payment {payment.pk}: no invoice for payments of kind {payment.kind}")


def _totals(rows: list[dict]) -> dict[str, Decimal]:
    net = sum((row["net_amount"] for row in rows), Decimal("0"))
    vat = sum((row["vat_amount"] for row in rows), Decimal("0"))
    return {"total_excl_vat": net, "vat_total": vat, "total": net + vat}


@transaction.atomic
def invoice_issue(*, payment: Payment) -> Invoice:
    """The invoice of a payment Mollie reported paid: issued once, returned as it is ever after."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    existing = Invoice.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    if payment.status != Payment.Status.PAID and payment.effect_applied_at is None:
        raise BillingError(f"payment {payment.pk} was never paid")
    customer, draft_lines = _draft(payment)
    rows = [line.amounts() for line in draft_lines]
    now = timezone.now()
    paid_on = timezone.localdate(payment.paid_at or now)
    issue_date = timezone.localdate(now)
    year, sequence = number_take(kind=DocumentCounter.Kind.INVOICE, day=issue_date)
    invoice = Invoice.objects.create(
        number=invoice_number(year, sequence),
        year=year,
        sequence=sequence,
        payment=payment,
        owner_kind=payment.kind,
        object_id=payment.object_id,
        issued_at=now,
        issue_date=issue_date,
        supply_date=paid_on,
        **customer,
        **_seller(),
        **_totals(rows),
    )
    InvoiceLine.objects.bulk_create(
        [InvoiceLine(invoice=invoice, position=index, **row) for index, row in enumerate(rows, start=1)]
    )
    if invoice.user is not None:
        activity_record(
            user=invoice.user,
            action=BillingAction.INVOICE_ISSUED,
            detail={"number": invoice.number, "amount": str(invoice.total), "summary": invoice.number},
        )
    # An order's invoice travels with the "order paid" email (orders/tasks.py); a renewal's is mailed here.
    # A subscription's first invoice is on the billing page (its own "started" email says what was bought).
    if payment.kind == RENEWAL_KIND:
        document_email_send.delay_on_commit("invoice", invoice.pk)
    return invoice


def _credited_lines(invoice: Invoice, amount: Decimal, language: str) -> list[dict]:
    """``amount`` (incl. VAT) split over the invoice's VAT rates as the invoice splits its total."""
    lines = list(invoice.lines.all())
    if amount == invoice.total:
        return [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price_excl_vat": line.unit_price_excl_vat,
                "vat_rate": line.vat_rate,
                "net_amount": line.net_amount,
                "vat_amount": line.vat_amount,
                "total": line.total,
            }
            for line in lines
        ]
    summary = invoice.vat_summary()
    rows = []
    remaining = amount
    with translation.override(language):
        for index, group in enumerate(summary):
            last = index == len(summary) - 1
            share = remaining if last else (amount * group["total"] / invoice.total).quantize(CENT, ROUND_HALF_UP)
            remaining -= share
            if share <= 0:
                continue
            description = _("Partial credit on invoice %(number)s") % {"number": invoice.number}
            rows.append(DraftLine(description, 1, group["rate"], share).amounts())
    return rows


@transaction.atomic
def credit_note_issue(*, refund: Refund) -> CreditNote:
    """The credit note of a refund Mollie accepted, referring to the payment's invoice: issued once."""
    payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    existing = CreditNote.objects.filter(refund=refund).first()
    if existing is not None:
        return existing
    if refund.status not in ACCEPTED_REFUND_STATUSES:
        raise BillingError(f"refund {refund.pk} is {refund.status}, not accepted")
    invoice = invoice_issue(payment=payment)
    credited = sum(invoice.credit_notes.values_list("total", flat=True), Decimal("0"))
    if refund.amount > invoice.total - credited:
        raise BillingError(f"refund {refund.pk} credits more than invoice {invoice.number} has left")
    rows = _credited_lines(invoice, refund.amount, invoice.language)
    now = timezone.now()
    issue_date = timezone.localdate(now)
    year, sequence = number_take(kind=DocumentCounter.Kind.CREDIT_NOTE, day=issue_date)
    credit_note = CreditNote.objects.create(
        number=credit_note_number(year, sequence),
        year=year,
        sequence=sequence,
        invoice=invoice,
        refund=refund,
        user=invoice.user,
        purpose=invoice.purpose,
        language=invoice.language,
        owner_kind=invoice.owner_kind,
        object_id=invoice.object_id,
        issued_at=now,
        issue_date=issue_date,
        customer_name=invoice.customer_name,
        customer_street=invoice.customer_street,
        customer_postal_code=invoice.customer_postal_code,
        customer_town=invoice.customer_town,
        customer_country=invoice.customer_country,
        **_seller(),
        **_totals(rows),
    )
    CreditNoteLine.objects.bulk_create(
        [CreditNoteLine(credit_note=credit_note, position=index, **row) for index, row in enumerate(rows, start=1)]
    )
    if credit_note.user is not None:
        activity_record(
            user=credit_note.user,
            action=BillingAction.CREDIT_NOTE_ISSUED,
            detail={"number": credit_note.number, "amount": str(credit_note.total), "summary": credit_note.number},
        )
    document_email_send.delay_on_commit("credit_note", credit_note.pk)
    return credit_note
