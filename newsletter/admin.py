"""Staff screens: write, preview, test and send newsletters; subscribers; advertising choices and the call list.

The lists show short columns (a word per kind, method and source, a cut note) so that they stay readable
on a 1366 px screen with the admin's navigation open; the full values are on each row's page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter import mail, selectors, services, tokens
from newsletter.export import csv_lines
from newsletter.models import (
    AdvertisingPreference,
    AdvertisingPreferenceChange,
    Channel,
    ChoiceMethod,
    Newsletter,
    Subscriber,
    Suppression,
)

# One or two words per value for the list columns; the row's page shows the full wording.
SHORT = {
    Newsletter.Kind.NEWSLETTER: gettext_lazy("newsletter"),
    Newsletter.Kind.ADVERTISING: gettext_lazy("advertising"),
    Subscriber.Source.ACCOUNT: gettext_lazy("account"),
    Subscriber.Source.FORM: gettext_lazy("form"),
    Subscriber.Source.PORTAL: gettext_lazy("portal"),
    ChoiceMethod.SIGNUP: gettext_lazy("sign-up"),
    ChoiceMethod.PORTAL: gettext_lazy("portal"),
    ChoiceMethod.ACCOUNT: gettext_lazy("dashboard"),
    ChoiceMethod.EMAIL_LINK: gettext_lazy("email link"),
    ChoiceMethod.PHONE: gettext_lazy("phone"),
    ChoiceMethod.SOCIAL: gettext_lazy("social media"),
    ChoiceMethod.STAFF: gettext_lazy("letter/other"),
    ChoiceMethod.CONSENT: gettext_lazy("privacy page"),
}


def _short(value: str) -> str:
    return str(SHORT.get(value, value))


class ShortColumns(admin.ModelAdmin):
    """Lets long cells wrap instead of widening the table past the screen."""

    class Media:
        css = {"all": ("newsletter/admin_lists.css",)}


@admin.register(Newsletter)
class NewsletterAdmin(ShortColumns):
    list_display = ("subject_nl", "kind_short", "status", "progress", "started_at", "finished_at")
    list_filter = ("kind", "status")
    fields = ("kind", "subject_nl", "body_nl", "subject_en", "body_en")
    change_form_template = "admin/newsletter/newsletter/change_form.html"

    def get_queryset(self, request):
        return selectors.newsletters_with_progress()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Newsletter.Status.DRAFT:
            return self.fields
        return ()

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_short(self, obj: Newsletter) -> str:
        return _short(obj.kind)

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, obj: Newsletter) -> str:
        if obj.status == Newsletter.Status.DRAFT:
            return "—"
        return f"{obj.handled} / {obj.total} ({obj.delivered} {_('sent')})"

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/preview/<str:language>/",
                self.admin_site.admin_view(self.preview_view),
                name="newsletter_newsletter_preview",
            ),
            path("<int:pk>/test/", self.admin_site.admin_view(self.test_view), name="newsletter_newsletter_test"),
            path("<int:pk>/send/", self.admin_site.admin_view(self.send_view), name="newsletter_newsletter_send"),
            path("<int:pk>/resume/", self.admin_site.admin_view(self.resume_view), name="newsletter_newsletter_resume"),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            extra_context["newsletter_obj"] = self.get_queryset(request).filter(pk=object_id).first()
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        newsletter = get_object_or_404(Newsletter, pk=pk)
        if not self.has_view_permission(request, newsletter) or language not in ("nl", "en"):
            raise PermissionDenied
        opt_out = mail.opt_out_url(
            newsletter=newsletter,
            language=language,
            recipient=tokens.email_digest(request.user.email),
            user_id=request.user.pk,
        )
        message = mail.newsletter_message(
            newsletter=newsletter, email=request.user.email, language=language, opt_out=opt_out
        )
        return TemplateResponse(
            request,
            "admin/newsletter/newsletter/preview.html",
            {
                **self.admin_site.each_context(request),
                "newsletter": newsletter,
                "message": message,
                "language": language,
                "opts": self.model._meta,
                "unsubscribe_header": message.extra_headers["List-Unsubscribe"],
                "title": _("Preview"),
            },
        )

    def test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = get_object_or_404(Newsletter, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, newsletter):
            raise PermissionDenied
        services.newsletter_test_send(newsletter=newsletter, staff=request.user)
        messages.success(
            request, _("A test in Dutch and English is on its way to %(email)s.") % {"email": request.user.email}
        )
        return redirect(reverse("admin:newsletter_newsletter_change", args=[pk]))

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = get_object_or_404(Newsletter, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, newsletter):
            raise PermissionDenied
        try:
            total = services.newsletter_send_start(newsletter=newsletter)
        except services.NewsletterError:
            messages.error(request, _("This newsletter has already been sent."))
        else:
            self.log_change(request, newsletter, [{"changed": {"fields": ["status"]}}])
            messages.success(request, _("Sending to %(total)d recipients has started.") % {"total": total})
        return redirect(reverse("admin:newsletter_newsletter_change", args=[pk]))

    def resume_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = get_object_or_404(Newsletter, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, newsletter):
            raise PermissionDenied
        if services.newsletter_resume(newsletter=newsletter):
            messages.success(request, _("Sending resumes; nobody receives a second copy."))
        return redirect(reverse("admin:newsletter_newsletter_change", args=[pk]))


@admin.register(Subscriber)
class SubscriberAdmin(ShortColumns):
    list_display = ("email", "source_short", "language", "confirmed_at", "created_at")
    list_filter = ("source", "language")
    search_fields = ("email",)
    readonly_fields = ("email", "digest", "user", "language", "source", "confirmed_at", "consent_ip", "created_at")
    actions = ["unsubscribe"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("source"), ordering="source")
    def source_short(self, obj: Subscriber) -> str:
        return _short(obj.source)

    @admin.action(
        description=gettext_lazy("Unsubscribe (keep only the hash on the suppression list)"), permissions=["change"]
    )
    def unsubscribe(self, request, queryset):
        for digest in queryset.values_list("digest", flat=True):
            services.subscriber_unsubscribe(digest=digest, method="staff", request=request)
        messages.success(request, _("Unsubscribed."))


@admin.register(Suppression)
class SuppressionAdmin(ShortColumns):
    list_display = ("__str__", "reason", "method", "created_at")
    list_filter = ("reason",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdvertisingPreference)
class AdvertisingPreferenceAdmin(ShortColumns):
    list_display = ("customer", "channel", "allowed", "changed_at")
    list_filter = ("channel", "allowed")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    change_list_template = "admin/newsletter/advertisingpreference/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("customer"), ordering="user__username")
    def customer(self, obj: AdvertisingPreference) -> str:
        return obj.user.username

    def get_urls(self):
        return [
            path(
                "call-list.csv",
                self.admin_site.admin_view(self.call_list_view),
                name="newsletter_advertisingpreference_call_list",
            ),
        ] + super().get_urls()

    def call_list_view(self, request: HttpRequest) -> HttpResponse:
        """Customers who may be called (C27: everyone who objected to phone advertising is left out)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        users = selectors.advertising_audience(channel=Channel.PHONE).only(
            "pk", "first_name", "last_name", "phone", "language"
        )
        rows = ((u.pk, u.get_full_name(), str(u.phone), u.language) for u in users.iterator(2000))
        header = [_("customer"), _("name"), _("phone"), _("language")]
        response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="call-list-{timezone.localdate():%Y%m%d}.csv"'
        return response


@admin.register(AdvertisingPreferenceChange)
class AdvertisingPreferenceChangeAdmin(ShortColumns):
    """Staff record an objection per channel made on the phone, by letter or on social media, with a note.

    The staff member picks the channel the customer named; the method says how it reached us ("phone"
    by default) and the history records the staff member's role as its origin.
    """

    list_display = ("created_at", "customer", "channel", "allowed", "method_short", "made_by_column", "note")
    list_filter = ("channel", "allowed", "method", "origin")
    search_fields = ("user__username", "user__email", "source")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    fields = ("user", "channel", "allowed", "method", "source")

    @admin.display(description=gettext_lazy("customer"), ordering="user__username")
    def customer(self, obj: AdvertisingPreferenceChange) -> str:
        return obj.user.username

    @admin.display(description=gettext_lazy("how"), ordering="method")
    def method_short(self, obj: AdvertisingPreferenceChange) -> str:
        return _short(obj.method)

    @admin.display(description=gettext_lazy("by"), ordering="origin")
    def made_by_column(self, obj: AdvertisingPreferenceChange) -> str:
        return obj.made_by

    @admin.display(description=gettext_lazy("note"))
    def note(self, obj: AdvertisingPreferenceChange) -> str:
        return Truncator(obj.source).chars(40) if obj.source else "—"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "method":
            kwargs["choices"] = [
                (m.value, m.label) for m in (ChoiceMethod.PHONE, ChoiceMethod.SOCIAL, ChoiceMethod.STAFF)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "source" in form.base_fields:
            form.base_fields["source"].required = True
            form.base_fields["source"].help_text = _(
                "For example: phone call of 3 May with the customer, or blocked on Instagram."
            )
            form.base_fields["source"].label = _("Note")
        if "allowed" in form.base_fields:
            form.base_fields["allowed"].initial = False
        if "method" in form.base_fields:
            form.base_fields["method"].initial = ChoiceMethod.PHONE
        if "channel" in form.base_fields:
            form.base_fields["channel"].help_text = _(
                "The channel the customer named: each channel is recorded on its own."
            )
        return form

    def save_model(self, request, obj, form, change):
        services.advertising_choice_set(
            user=obj.user,
            channel=obj.channel,
            allowed=obj.allowed,
            method=obj.method,
            source=obj.source,
            actor=request.user,
            request=request,
        )
        saved = AdvertisingPreferenceChange.objects.filter(user=obj.user).order_by("-id").first()
        if saved is not None:
            obj.pk = saved.pk
