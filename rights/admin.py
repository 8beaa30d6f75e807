"""The privacy officer's desk: requests with their deadlines, steps and the next action (C39, C40)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin import customer_column
from rights import services
from rights.forms import RequestActionForm
from rights.models import DataExport, RequestEvent, RightsRequest


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("week", _("Due within a week")), ("open", _("Open"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        open_requests = queryset.filter(status__in=RightsRequest.OPEN)
        if self.value() == "overdue":
            return open_requests.filter(deadline__lt=now)
        if self.value() == "week":
            return open_requests.filter(deadline__gte=now, deadline__lt=now + timezone.timedelta(days=7))
        if self.value() == "open":
            return open_requests
        return queryset


class RequestAdminForm(forms.ModelForm):
    action = RequestActionForm.base_fields["action"]
    months = RequestActionForm.base_fields["months"]
    note = RequestActionForm.base_fields["note"]

    class Meta:
        model = RightsRequest
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        action, note = data.get("action"), (data.get("note") or "").strip()
        if action and not self.instance.is_open:
            raise ValidationError(_("This request has already been closed."))
        if action == "extend":
            services.request_extension_check(rights_request=self.instance, months=data.get("months") or 0, reason=note)
        if action in ("reject", "note") and not note:
            raise ValidationError(_("Write the reason or the note."))
        return data


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    fields = ("created_at", "kind", "note", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    form = RequestAdminForm
    list_display = ("received_at", "kind", "status", "email", customer_column(), "deadline_display")
    list_filter = (OverdueFilter, "status", "kind")
    search_fields = ("email",)
    date_hierarchy = "received_at"
    list_select_related = ("user",)
    inlines = [RequestEventInline]
    readonly_fields = (
        "kind",
        "status",
        "email",
        "user",
        "language",
        "verified_by",
        "item_reference",
        "message",
        "received_at",
        "deadline_display",
        "extension_months",
        "extension_reason",
        "completed_at",
    )
    fieldsets = (
        (None, {"fields": readonly_fields}),
        (_("Next step"), {"fields": ("action", "months", "note")}),
    )

    class Media:
        css = {"all": ("rights/admin.css",)}

    @admin.display(description=_("legal deadline"), ordering="deadline")
    def deadline_display(self, obj: RightsRequest):
        text = timezone.localtime(obj.deadline).strftime("%Y-%m-%d")
        if obj.is_overdue():
            return format_html('<span class="rights-overdue">{} · {}</span>', text, _("overdue"))
        return text

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        action, note = form.cleaned_data.get("action"), (form.cleaned_data.get("note") or "").strip()
        try:
            if action == "start":
                services.request_start(rights_request=obj, actor=request.user, note=note)
            elif action == "extend":
                services.request_extend(
                    rights_request=obj, actor=request.user, months=form.cleaned_data["months"], reason=note
                )
            elif action == "note":
                services.request_note(rights_request=obj, actor=request.user, note=note)
            elif action == "complete" and obj.closes_an_account:
                request.rights_erasure = (obj, note)  # after the admin's transaction: see change_view
            elif action == "complete":
                services.request_complete(rights_request=obj, actor=request.user, note=note)
            elif action == "reject":
                services.request_reject(rights_request=obj, actor=request.user, reason=note)
        except ValidationError as error:
            request.rights_step_failed = True
            messages.error(request, " ".join(error.messages))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "rights_step_failed", False) and level == messages.SUCCESS:
            return  # the step was refused: no "changed successfully" beside the error
        if getattr(request, "rights_erasure", None) is not None and level == messages.SUCCESS:
            return  # said once the account is closed, or why it is not
        super().message_user(request, message, level, *args, **kwargs)

    @transaction.non_atomic_requests
    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The admin's page in a transaction, as always, except the erasure of an account holder.

        Erasing an account is account closure, which cancels the subscriptions at Mollie and ends the
        services at the control panel, each in its own short transaction: inside the page's transaction a
        later rollback would undo our record of what Mollie already did.  So the form only notes the step
        (``save_model``), and the erasure runs here, after the page's transaction, outside any.
        """
        with transaction.atomic():
            response = super().change_view(request, object_id, form_url, extra_context)
        pending = getattr(request, "rights_erasure", None)
        if pending is None:
            return response
        obj, note = pending
        try:
            services.request_complete(rights_request=obj, actor=request.user, note=note)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The account was closed and the request completed; the requester is told."))
        return response


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ("created_at", customer_column(), "status", "progress", "size", "finished_at")
    list_filter = ("status",)
    list_select_related = ("user",)
    readonly_fields = ("user", "status", "progress", "size", "created_at", "finished_at")
    exclude = ("file",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
