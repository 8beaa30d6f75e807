"""Staff's inbox of contact requests: read a thread, answer it (by email and in the portal) from here (C16).

The list is the inbox, filtered by status (open, waiting for the customer, satisfied); a request's
page shows the whole thread and links to the answer form.  Support may read and answer, the privacy
officer only read (``contact/migrations/0002_staff_roles.py``); finance sees nothing.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contact import selectors, services
from contact.forms import AnswerForm
from contact.models import ContactRequest, pk_of_number


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ("number_column", "created_at", "subject", "email", "status", "answered_at")
    list_display_links = ("number_column", "subject")
    list_filter = ("status", ("answered_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "name", "subject")
    readonly_fields = (
        "number_column",
        "status",
        "user",
        "name",
        "email",
        "phone",
        "gender",
        "subject",
        "message",
        "ip_address",
        "language",
        "created_at",
        "answered_at",
        "answered_by",
        "satisfied_at",
        "not_yet_at",
    )
    fields = readonly_fields
    change_form_template = "admin/contact/contactrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("number"), ordering="pk")
    def number_column(self, obj: ContactRequest) -> str:
        return obj.number

    def get_search_results(self, request, queryset, search_term):
        """A quoted number ("V-2026-00042") finds its request too."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        pk = pk_of_number(search_term) if search_term.strip().upper().startswith("V-") else None
        if pk is not None:
            found |= queryset.filter(pk=pk)
        return found, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and str(object_id).isdigit():
            extra_context["thread"] = selectors.thread_of(contact_request_id=int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/answer/", self.admin_site.admin_view(self.answer_view), name="contact_contactrequest_answer"
            ),
        ] + super().get_urls()

    def answer_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        contact_request = get_object_or_404(ContactRequest, pk=pk)
        if not self.has_change_permission(request, contact_request):
            raise PermissionDenied
        form = AnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.contact_answer(
                contact_request=contact_request, answer=form.cleaned_data["answer"], staff=request.user, request=request
            )
            self.log_change(request, contact_request, [{"added": {"name": "answer", "object": contact_request.number}}])
            messages.success(request, _("The answer has been sent to %(email)s.") % {"email": contact_request.email})
            return redirect(reverse("admin:contact_contactrequest_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/contact/contactrequest/answer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": contact_request,
                "thread": selectors.thread_of(contact_request_id=contact_request.pk),
                "form": form,
                "title": gettext_lazy("Answer"),
            },
        )
