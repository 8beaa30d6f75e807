"""Reads of the billing app.  Every customer-facing read is scoped to the customer: another's document is a 404."""

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Prefetch, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from orders.models import Order
from subscriptions.models import Subscription

PAGE_SIZE = 20
KINDS = {"invoice": Invoice, "credit_note": CreditNote}
_LIST_FIELDS = ("pk", "number", "issue_date", "issued_at", "total", "owner_kind", "object_id")


def documents_page(*, user, page) -> Page:
    """The customer's invoices and credit notes together, newest first, as plain rows (two queries a page)."""
    # The models' default ordering is cleared in each part: SQLite (``make run``) allows none inside a UNION.
    invoices = Invoice.objects.filter(user=user).order_by().values(*_LIST_FIELDS, kind=Value("invoice", CharField()))
    credit_notes = (
        CreditNote.objects.filter(user=user).order_by().values(*_LIST_FIELDS, kind=Value("credit_note", CharField()))
    )
    rows = invoices.union(credit_notes, all=True).order_by("-issued_at", "-pk")
    return Paginator(rows, PAGE_SIZE).get_page(page)


def _with_lines(model):
    line_model = InvoiceLine if model is Invoice else CreditNoteLine
    related = model.objects.prefetch_related(Prefetch("lines", queryset=line_model.objects.order_by("position", "pk")))
    return related.select_related("invoice") if model is CreditNote else related


def document_for_customer(*, user, kind: str, pk: int) -> Invoice | CreditNote:
    model = KINDS.get(kind)
    if model is None or not getattr(user, "is_authenticated", False):
        raise Http404("no such document")
    return get_object_or_404(_with_lines(model), pk=pk, user=user)


def document_by_kind(*, kind: str, pk: int) -> Invoice | CreditNote | None:
    model = KINDS.get(kind)
    return None if model is None else _with_lines(model).filter(pk=pk).first()


def order_documents(*, order_id: int) -> dict[str, list]:
    """An order's invoices and credit notes (two queries)."""
    return {
        "invoices": list(Invoice.objects.filter(owner_kind="order", object_id=order_id).order_by("issued_at", "pk")),
        "credit_notes": list(
            CreditNote.objects.filter(owner_kind="order", object_id=order_id).order_by("issued_at", "pk")
        ),
    }


def latest_order_invoice(*, user, order_id: int) -> Invoice:
    invoice = Invoice.objects.filter(user=user, owner_kind="order", object_id=order_id).order_by("-issued_at").first()
    if invoice is None:
        raise Http404("no invoice")
    return invoice


def document_recipient(document: Invoice | CreditNote) -> str:
    """Where a document is mailed: the address the order or subscription was placed with, else the account's."""
    address = ""
    if document.owner_kind == "order":
        address = Order.objects.filter(pk=document.object_id).values_list("invoice_email", flat=True).first() or ""
    else:
        address = (
            Subscription.objects.filter(pk=document.object_id).values_list("billing_email", flat=True).first() or ""
        )
    if not address and document.user_id is not None:
        address = document.user.email  # type: ignore[union-attr]  # user_id is set
    return address
