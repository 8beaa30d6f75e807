"""Finance staff's view of plans and subscriptions; money and Mollie fields are read-only."""

from django.contrib import admin

from portal.admin import customer_column
from subscriptions.models import Plan, Subscription


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "title_nl", "interval", "price", "active", "position")
    list_filter = ("interval", "active")
    search_fields = ("code", "title_nl", "title_en")

    def get_readonly_fields(self, request, obj=None):
        # A plan's price is fixed once customers subscribe to it: make a new plan instead.
        return ("code", "interval", "price") if obj is not None and obj.subscriptions.exists() else ()


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("pk", customer_column(), "plan", "status", "price", "started_at", "paid_until", "cancelled_at")
    list_filter = ("status", "plan", "created_at")
    search_fields = (
        "user__email",
        "user__username",
        "billing_name",
        "billing_email",
        "mollie_customer_id",
        "mollie_subscription_id",
    )
    list_select_related = ("user", "plan")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Subscription._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
