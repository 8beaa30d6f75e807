from django.contrib import admin, messages

from mollie_sim import services
from mollie_sim.models import SimCustomer, SimPayment, SimSubscription, SimWebhookCall


@admin.register(SimPayment)
class SimPaymentAdmin(admin.ModelAdmin):
    list_display = ("sim_id", "created_at", "amount", "status", "sequence_type", "subscription")
    list_filter = ("status", "sequence_type")
    search_fields = ("sim_id", "description")


@admin.register(SimCustomer)
class SimCustomerAdmin(admin.ModelAdmin):
    list_display = ("sim_id", "created_at")
    search_fields = ("sim_id",)


@admin.register(SimSubscription)
class SimSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("sim_id", "customer", "status", "amount", "interval", "next_payment_date")
    list_filter = ("status",)
    actions = ["charge_paid", "charge_failed"]

    def _charge(self, request, queryset, status: str) -> None:
        for subscription in queryset:
            try:
                payment = services.subscription_charge(subscription=subscription, status=status)
                self.message_user(request, f"{subscription}: {payment.sim_id} {payment.status}")
            except services.SimError as exc:
                self.message_user(request, f"{subscription}: {exc.detail}", messages.ERROR)

    @admin.action(description="Charge the next recurring payment now (paid)")
    def charge_paid(self, request, queryset):
        self._charge(request, queryset, "paid")

    @admin.action(description="Charge the next recurring payment now (failed)")
    def charge_failed(self, request, queryset):
        self._charge(request, queryset, "failed")


@admin.register(SimWebhookCall)
class SimWebhookCallAdmin(admin.ModelAdmin):
    list_display = ("payment", "attempt", "status_code", "error", "created_at")
