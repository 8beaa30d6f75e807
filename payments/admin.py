"""Finance staff's view of payments and refunds: money fields are read-only, refunds go through Mollie.

A refund is made from a payment's own page: an amount (the refundable remainder by default), then a
confirmation page that shows what the customer paid, what was refunded before, what this refund leaves
and what it will do elsewhere (credits taken back, ...; ``handlers.refund_effects``), and only then
Mollie is asked.  Payments that were paid for something already paid are refunded automatically and
can be listed with the "duplicate payment refunded" filter.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from payments import handlers, services
from payments.gateway import GatewayError
from payments.models import Payment, Refund
from portal.admin import customer_column
from portal.money import money

# What a payment is for, named for staff: the kinds the owners' apps register (``payments.handlers``).
KIND_LABELS = {
    "order": _("order"),
    "subscription_first": _("first payment of a subscription"),
    "subscription_recurring": _("recurring payment of a subscription"),
}


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(KIND_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ("mollie_id", "amount", "status", "created_by", "created_at", "status_changed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund (EUR)"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args, remaining: Decimal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.remaining = remaining
        self.fields["amount"].widget.attrs.update({"max": str(remaining), "step": "0.01"})

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount > self.remaining:
            raise forms.ValidationError(
                _("At most %(remaining)s can still be refunded.") % {"remaining": money(self.remaining)}
            )
        return amount


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = (
        "mollie_id",
        "created_at",
        customer_column(),
        "kind_label",
        "object_id",
        "amount",
        "status",
        "method",
        "paid_at",
        "duplicate",
        "refund_link",
    )
    list_filter = ("status", "duplicate", KindFilter, "sequence_type", "method", "created_at")
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
    # The kind as staff read it (the stored key is what the owning app registered).
    readonly_fields = ["kind_label" if field.name == "kind" else field.name for field in Payment._meta.fields] + [
        "refund_link"
    ]
    inlines = [RefundInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_refund_permission(self, request) -> bool:
        return request.user.has_perm("payments.refund_payment")

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj: Payment) -> str:
        return str(KIND_LABELS.get(obj.kind, obj.kind))

    @admin.display(description=_("Refund"))
    def refund_link(self, obj: Payment) -> str:
        if obj.pk is None or obj.status != Payment.Status.PAID:
            return "—"
        url = reverse("admin:payments_payment_refund", args=[obj.pk])
        return format_html('<a href="{}" class="refund-link">{}</a>', url, _("Refund…"))

    def get_urls(self):
        refund = transaction.non_atomic_requests(self.admin_site.admin_view(self.refund_view))
        return [path("<int:object_id>/refund/", refund, name="payments_payment_refund"), *super().get_urls()]

    def refund_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Amount, then confirmation, then Mollie.  Mollie is called outside any transaction."""
        if not self.has_refund_permission(request):
            raise PermissionDenied
        payment = Payment.objects.select_related("user").filter(pk=object_id).first()
        if payment is None:
            raise Http404
        change_url = reverse("admin:payments_payment_change", args=[payment.pk])
        refunds = list(payment.refunds.order_by("pk"))
        refunded = services.refunded_amount(payment)
        remaining = services.refundable_amount(payment)
        if remaining <= 0:
            messages.warning(request, _("Nothing of this payment can be refunded."))
            return redirect(change_url)
        form = RefundForm(request.POST or None, remaining=remaining, initial={"amount": remaining})
        confirming = False
        if request.method == "POST" and form.is_valid():
            amount = form.cleaned_data["amount"]
            if request.POST.get("confirm") == "yes":
                try:
                    refund = services.refund_create(payment=payment, amount=amount, staff_user=request.user)
                except services.RefundRefused as exc:
                    messages.error(request, str(exc))
                except GatewayError:
                    messages.error(request, _("Mollie could not be reached; nothing was refunded."))
                else:
                    messages.success(
                        request,
                        _("Refund of %(amount)s created at Mollie (status: %(status)s).")
                        % {"amount": money(refund.amount), "status": refund.get_status_display()},
                    )
                return redirect(change_url)
            confirming = True
        amount = form.cleaned_data["amount"] if confirming else remaining
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Refund payment %(id)s") % {"id": payment.mollie_id},
            "payment": payment,
            "refunds": refunds,
            "refunded": refunded,
            "remaining": remaining,
            "form": form,
            "confirming": confirming,
            "amount": amount,
            "left_after": remaining - amount,
            "effects": handlers.refund_effects(payment, amount) if confirming else [],
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/payments/payment/refund.html", context)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ("mollie_id", "payment", "amount", "status", "created_by", "created_at", "status_changed_at")
    list_filter = ("status", "payment__duplicate", "created_at")
    search_fields = ("mollie_id", "payment__mollie_id", "payment__user__email")
    list_select_related = ("payment", "created_by")
    readonly_fields = [field.name for field in Refund._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
