"""Staff views of the consent app: the processing register (read-only, CSV), statement versions, consent
records, cookie choices and the disclosure register (privacy officer only, never changed or deleted)."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from consent import services
from consent.models import (
    STAFF_METHODS,
    ConsentRecord,
    CookieConsent,
    Disclosure,
    Method,
    ProcessingActivity,
    StatementVersion,
)
from portal.admin import customer_column
from portal.roles import PRIVACY_OFFICER, has_role
from privacy import register, register_export


@admin.register(ProcessingActivity)
class ProcessingRegisterAdmin(admin.ModelAdmin):
    """The register is code: this admin only shows it, to every staff member, and downloads it as CSV."""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.changelist_view), name="consent_processingactivity_changelist"),
            path("csv/", wrap(self.csv_view), name="consent_processingactivity_csv"),
            path("<str:purpose_id>/", wrap(self.purpose_view), name="consent_processingactivity_purpose"),
        ]

    def _context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "fields": register_export.FIELDS,
            **extra,
        }

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise Http404
        context = self._context(
            request, title=_("Processing register (GDPR art. 30)"), rows=register_export.register_rows()
        )
        return TemplateResponse(request, "admin/consent/processingactivity/register_list.html", context)

    def purpose_view(self, request: HttpRequest, purpose_id: str) -> HttpResponse:
        if not self.has_view_permission(request) or purpose_id not in register.BY_ID:
            raise Http404
        row = register_export.purpose_row(register.purpose(purpose_id))
        context = self._context(
            request,
            title=f"{row['id']} {row['name_en']}",
            items=[(label, row[key]) for key, label in register_export.FIELDS],
        )
        return TemplateResponse(request, "admin/consent/processingactivity/register_detail.html", context)

    def csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise Http404
        response = HttpResponse(register_export.register_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="netrex-processing-register.csv"'
        return response


@admin.register(StatementVersion)
class StatementVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "date", "published_at")
    ordering = ("-number",)
    actions = ["publish"]
    fields = ("number", "date", "summary_nl", "summary_en", "published_at")
    readonly_fields = ("published_at",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return ("number", "date", "summary_nl", "summary_en", "published_at")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(
        description=_("Publish the selected versions and announce them to every customer"), permissions=["change"]
    )
    def publish(self, request, queryset) -> None:
        for version in queryset.filter(published_at__isnull=True).order_by("number"):
            services.statement_publish(version=version, staff=request.user, request=request)
            self.message_user(
                request,
                _("Version %(number)s is published; the announcement emails are queued.") % {"number": version.number},
                messages.SUCCESS,
            )


class ConsentRecordForm(forms.ModelForm):
    """What a staff member records when a customer withdraws or gives consent on the phone."""

    purpose = forms.ChoiceField(
        label=_("purpose"),
        # A callable: the purposes' names in the staff member's language, read each time the form is shown.
        choices=lambda: [(p.id, f"{p.id} {p.name}") for p in register.PURPOSES if p.consent_withdrawable],
    )
    given = forms.TypedChoiceField(
        label=_("choice"),
        choices=[("0", _("withdrawn")), ("1", _("given"))],
        coerce=lambda value: value == "1",
    )
    method = forms.ChoiceField(
        label=_("how"), choices=[(method.value, method.label) for method in STAFF_METHODS], initial=Method.STAFF_PHONE
    )

    class Meta:
        model = ConsentRecord
        fields = ("user", "purpose", "given", "method")
        labels = {"user": _("customer")}


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """A person's consent history: search by username or address, newest first; never changed or deleted."""

    list_display = (
        "created_at",
        customer_column(),
        "purpose",
        "scope",
        "given",
        "ground",
        "method",
        "statement_version",
        "text_version",
        "page",
        "actor",
    )
    list_filter = ("purpose", "given", "method", "ground")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
    list_select_related = ("user", "statement_version", "actor")
    form = ConsentRecordForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "purpose", "given", "method")
        return (
            "user",
            "purpose",
            "scope",
            "given",
            "ground",
            "method",
            "statement_version",
            "text_version",
            "page",
            "actor",
            "created_at",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        record = services.consent_set(
            user=form.cleaned_data["user"],
            purpose_id=form.cleaned_data["purpose"],
            given=form.cleaned_data["given"],
            method=form.cleaned_data["method"],
            request=request,
            actor=request.user,
        )
        obj.pk = record.pk
        obj._state.adding = False


@admin.register(CookieConsent)
class CookieConsentAdmin(admin.ModelAdmin):
    list_display = ("created_at", "visitor", customer_column(), "method", "tools", "refused", "page", "banner_version")
    list_filter = ("method", "banner_version", "statement_version")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("visitor",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    """C28: only the privacy officer role adds and views, superuser or not; nobody changes or deletes.

    Permissions alone would let a superuser in (a superuser holds every permission), so the role is
    checked as a group membership.
    """

    list_display = ("reference", "authority", "subject_description", "disclosed_at", "recorded_by", "recorded_at")
    search_fields = ("reference", "authority", "subject_description")
    raw_id_fields = ("subject",)
    fields = (
        "authority",
        "legal_ground",
        "data_disclosed",
        "subject_description",
        "subject",
        "disclosed_at",
        "reference",
        "recorded_by",
        "recorded_at",
    )
    readonly_fields = ("recorded_by", "recorded_at")
    list_select_related = ("recorded_by",)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else self.fields

    @staticmethod
    def _officer(request) -> bool:
        return has_role(request.user, PRIVACY_OFFICER)

    def has_module_permission(self, request) -> bool:
        return self._officer(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._officer(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return self._officer(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            raise PermissionError("A disclosure is never changed.")
        data = form.cleaned_data
        disclosure = services.disclosure_record(
            recorded_by=request.user,
            authority=data["authority"],
            legal_ground=data["legal_ground"],
            data_disclosed=data["data_disclosed"],
            subject_description=data["subject_description"],
            subject=data.get("subject"),
            disclosed_at=data["disclosed_at"],
            reference=data["reference"],
            request=request,
        )
        obj.pk = disclosure.pk
        obj.recorded_by = disclosure.recorded_by
        obj.recorded_at = disclosure.recorded_at
        obj._state.adding = False
