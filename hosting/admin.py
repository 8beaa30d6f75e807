"""Staff views of customers' services: find a customer's services, suspend, reactivate or end them
with a reason (an intermediate form), and open the portal page to change settings on their behalf."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hosting import services
from hosting.domains import DomainNotProven
from hosting.models import DnsRecord, Service, ServiceAddon
from portal.admin import customer_column


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DnsRecordInline(ReadOnlyInline):
    model = DnsRecord
    fields = ("name", "rtype", "value", "ttl")
    readonly_fields = fields


class AddonInline(ReadOnlyInline):
    model = ServiceAddon
    fields = ("title", "source", "started_at", "suspended_at", "ends_on", "ended_at")
    readonly_fields = fields


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("__str__", customer_column(), "state", "kind", "created_at", "ends_on", "ended_at")
    list_filter = ("state", "kind")
    list_select_related = ("user",)
    search_fields = ("domain", "user__username", "user__email", "user__last_name", "aliases__name")
    search_help_text = _("Search by domain, or by the customer's username, email address or last name.")
    show_full_result_count = False
    date_hierarchy = "created_at"
    readonly_fields = (
        "user",
        "kind",
        "source",
        "state",
        "state_reason",
        "php_version",
        "https_enabled",
        "created_at",
        "activated_at",
        "suspended_at",
        "ends_on",
        "ended_at",
        "manage_link",
    )
    fields = ("manage_link", "user", "kind", "domain", *readonly_fields[2:-1])
    inlines = (AddonInline, DnsRecordInline)
    actions = ("suspend_selected", "reactivate_selected", "end_selected")

    def has_add_permission(self, request) -> bool:
        return False  # services come from paid orders and subscriptions

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # end a service instead; its data goes with the retention rule

    def save_model(self, request, obj, form, change) -> None:
        # Only the domain is editable here, and it changes through the service (logged, provisioned).
        if change and "domain" in form.changed_data:
            try:
                services.service_domain_set(service=obj, domain=form.cleaned_data["domain"], request=request)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                if isinstance(error, DomainNotProven):
                    proof = error.proof
                    self.message_user(
                        request,
                        _("The customer proves it with a TXT record named %(name)s with the value %(value)s.")
                        % {"name": proof.name, "value": proof.value},
                        messages.INFO,
                    )

    @admin.display(description=_("Customer's settings"))
    def manage_link(self, obj: Service) -> str:
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("services:detail", args=[obj.pk]),
            _("Open the service page to change settings on the customer's behalf"),
        )

    def _state_action(self, request, queryset, *, operation, title, done):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            count = sum(
                operation(service=service, reason=form.cleaned_data["reason"], request=request)
                for service in queryset.select_related("user")
            )
            self.message_user(request, done(count), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset.select_related("user"),
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/services/service/state_action.html", context)

    @admin.action(description=_("Suspend selected services"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        return self._state_action(
            request,
            queryset,
            operation=services.service_suspend,
            title=_("Suspend services"),
            done=lambda n: ngettext("%(count)d service suspended.", "%(count)d services suspended.", n) % {"count": n},
        )

    @admin.action(description=_("Reactivate selected services"), permissions=["change"])
    def reactivate_selected(self, request, queryset):
        return self._state_action(
            request,
            queryset,
            operation=services.service_reactivate,
            title=_("Reactivate services"),
            done=lambda n: (
                ngettext("%(count)d service reactivated.", "%(count)d services reactivated.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("End selected services"), permissions=["change"])
    def end_selected(self, request, queryset):
        return self._state_action(
            request,
            queryset,
            operation=services.service_end,
            title=_("End services"),
            done=lambda n: ngettext("%(count)d service ended.", "%(count)d services ended.", n) % {"count": n},
        )
