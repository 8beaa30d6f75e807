"""Finance staff read invoices and credit notes (and open them as PDF); nobody adds, changes or deletes one."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from billing.views import pdf_response

LINE_FIELDS = (
    "position",
    "description",
    "quantity",
    "unit_price_excl_vat",
    "vat_rate",
    "net_amount",
    "vat_amount",
    "total",
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine


class CreditNoteLineInline(ReadOnlyInline):
    model = CreditNoteLine


class DocumentAdmin(admin.ModelAdmin):
    """A fiscal document is frozen at issue: every field read-only, and a PDF link for those who may download."""

    list_display: tuple[str, ...] = ("number", "issue_date", "customer_name", "owner_kind", "object_id", "total")
    list_filter = ("owner_kind", "year", "purpose")
    search_fields = ("number", "customer_name")
    date_hierarchy = "issue_date"
    readonly_fields = ("pdf",)
    pdf_url_name = ""

    def get_readonly_fields(self, request, obj=None):
        return [*(field.name for field in self.model._meta.fields), "pdf"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("PDF"))
    def pdf(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', reverse(f"admin:{self.pdf_url_name}", args=[obj.pk]), obj.filename)

    def get_urls(self):
        return [
            path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name=self.pdf_url_name),
            *super().get_urls(),
        ]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("billing.download_invoice"):
            raise PermissionDenied
        return pdf_response(get_object_or_404(self.model.objects.prefetch_related("lines"), pk=pk))


@admin.register(Invoice)
class InvoiceAdmin(DocumentAdmin):
    inlines = [InvoiceLineInline]
    list_select_related = ()
    pdf_url_name = "billing_invoice_pdf"


@admin.register(CreditNote)
class CreditNoteAdmin(DocumentAdmin):
    inlines = [CreditNoteLineInline]
    list_display = ("number", "issue_date", "invoice", "customer_name", "owner_kind", "object_id", "total")
    list_select_related = ("invoice",)
    pdf_url_name = "billing_creditnote_pdf"
