"""The credit ledger for finance: read-only and append-only (no adding, changing or deleting here)."""

from django.contrib import admin

from credits.models import CreditBalance, CreditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "delta", "balance_after", "reason", "order", "idempotency_key")
    list_filter = ("created_at",)
    search_fields = ("user__username", "user__email", "reason", "idempotency_key", "=order__id")
    date_hierarchy = "created_at"
    list_select_related = ("user", "order")


@admin.register(CreditBalance)
class CreditBalanceAdmin(ReadOnlyAdmin):
    list_display = ("user", "balance", "updated_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
