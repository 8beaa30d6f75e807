"""The customer's billing pages: every invoice and credit note, on screen and as PDF, for its owner only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from billing import selectors
from billing.activity import Action as BillingAction
from billing.pdf import document_pdf
from portal.activity import activity_record
from portal.page_copies import page_copy


@login_required
@page_copy
def billing_list_view(request: HttpRequest) -> HttpResponse:
    page = selectors.documents_page(user=request.user, page=request.GET.get("page"))
    return render(request, "billing/list.html", {"page": page})


@login_required
def document_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    document = selectors.document_for_customer(user=request.user, kind=kind, pk=pk)
    return render(
        request,
        "billing/document.html",
        {
            "document": document,
            "is_credit_note": kind == "credit_note",
            "lines": list(document.lines.all()),
            "vat_summary": document.vat_summary(),
            "pdf_url": reverse(f"billing:{kind}_pdf", args=[document.pk]),
        },
    )


def pdf_response(document) -> HttpResponse:
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@login_required
def document_pdf_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    document = selectors.document_for_customer(user=request.user, kind=kind, pk=pk)
    activity_record(
        user=request.user,
        action=BillingAction.DOCUMENT_DOWNLOADED,
        request=request,
        detail={"number": document.number, "summary": document.number},
    )
    return pdf_response(document)


@login_required
def order_invoice_view(request: HttpRequest, pk: int, pdf: bool = False) -> HttpResponse:
    """An order's (latest) invoice: where the old order invoice URLs lead."""
    invoice = selectors.latest_order_invoice(user=request.user, order_id=pk)
    return redirect("billing:invoice_pdf" if pdf else "billing:invoice", invoice.pk)
