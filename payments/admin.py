"""Finance staff's view of payments and refunds: money fields are read-only, refunds go through Mollie."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from payments import services
from payments.gateway import GatewayError
from payments.models import Payment, Refund


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ("mollie_id", "amount", "status", "created_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("mollie_id", "created_at", "user", "kind", "object_id", "amount", "status", "method", "paid_at")
    list_filter = ("status", "kind", "sequence_type", "method", "created_at")
    search_fields = (
        "mollie_id",
        "uuid",
        "description",
        "user__email",
        "user__username",
        "mollie_customer_id",
        "mollie_subscription_id",
    )
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = [field.name for field in Payment._meta.fields]
    inlines = [RefundInline]
    actions = ["refund_in_full"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @method_decorator(transaction.non_atomic_requests)
    def changelist_view(self, request, extra_context=None):
        # The refund action calls Mollie: no transaction (and no lock) may stay open while it waits.
        return super().changelist_view(request, extra_context)

    def has_refund_permission(self, request) -> bool:
        return request.user.has_perm("payments.refund_payment")

    @admin.action(description=_("Refund what is left of the selected paid payments"), permissions=["refund"])
    def refund_in_full(self, request, queryset):
        done = 0
        for payment in queryset:
            try:
                services.refund_create(payment=payment, amount=None, staff_user=request.user)
                done += 1
            except services.RefundRefused as exc:
                self.message_user(request, f"{payment}: {exc}", messages.WARNING)
            except GatewayError:
                message = _("Mollie could not be reached; nothing was refunded.")
                self.message_user(request, f"{payment}: {message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d refund(s) created.") % {"count": done}, messages.SUCCESS)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ("mollie_id", "payment", "amount", "status", "created_by", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("mollie_id", "payment__mollie_id", "payment__user__email")
    list_select_related = ("payment", "created_by")
    readonly_fields = [field.name for field in Refund._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
