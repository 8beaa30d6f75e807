"""Finance and support staff's view of the catalogue, orders, invoices and shipments.

Money, the invoice snapshot and the invoice number are read-only: they are fiscal records and only
the services change them.  Orders are never added or deleted by hand.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderLine, Product, Shipment


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "price", "credits", "credit_price", "active", "position")
    list_filter = ("kind", "active")
    search_fields = ("title", "title_en", "slug")
    list_editable = ("active", "position")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ("description", "kind", "domain", "quantity", "unit_price", "vat_rate", "vat", "total")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ShipmentInline(admin.StackedInline):
    model = Shipment
    extra = 0
    can_delete = False
    fields = ("status", "adapter", "recipient", "payload", "carrier_reference", "created_at", "handed_over_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "invoice_number",
        "invoice_name",
        "invoice_email",
        "kind",
        "status",
        "total",
        "credits_total",
        "completed_at",
    )
    list_filter = ("status", "kind", "created_at", "paid_at", "completed_at")
    search_fields = (
        "=id",
        "invoice_number",
        "invoice_name",
        "invoice_email",
        "user__username",
        "user__email",
        "lines__domain",
    )
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = [field.name for field in Order._meta.fields]
    fieldsets = (
        (None, {"fields": ("user", "kind", "status", "created_at", "paid_at", "completed_at", "ended_at")}),
        (_("Money"), {"fields": ("total", "vat_total", "credits_total")}),
        (_("Invoice"), {"fields": ("invoice_number", "invoice_date")}),
        (
            _("Invoice snapshot"),
            {
                "fields": (
                    "invoice_name",
                    "invoice_street",
                    "invoice_postal_code",
                    "invoice_town",
                    "invoice_country",
                    "invoice_email",
                    "invoice_phone",
                    "invoice_gender",
                    "ip_address",
                )
            },
        ),
    )
    inlines = [OrderLineInline, ShipmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("order", "status", "recipient", "carrier_reference", "created_at", "handed_over_at")
    list_filter = ("status", "recipient", "adapter")
    search_fields = ("order__id", "carrier_reference", "order__invoice_name")
    list_select_related = ("order",)
    readonly_fields = [field.name for field in Shipment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
