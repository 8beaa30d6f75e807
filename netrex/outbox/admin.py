from django.contrib import admin

from netrex.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what waits for the broker, and why (never the arguments: they may name a customer)."""

    list_display = ("task", "task_id", "created_at", "attempts", "last_error")
    fields = readonly_fields = ("task", "task_id", "options", "created_at", "attempts", "last_error")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
