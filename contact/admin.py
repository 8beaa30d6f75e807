"""Staff read contact requests and answer them by email from here (C16)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contact import services
from contact.forms import AnswerForm
from contact.models import ContactRequest


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "email", "answered_at", "satisfied_at", "not_yet_at")
    list_filter = (
        ("answered_at", admin.EmptyFieldListFilter),
        ("satisfied_at", admin.EmptyFieldListFilter),
        ("not_yet_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email", "name", "subject")
    readonly_fields = (
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
        "answer",
        "answered_at",
        "answered_by",
        "satisfied_at",
        "not_yet_at",
    )
    change_form_template = "admin/contact/contactrequest/change_form.html"

    def has_add_permission(self, request):
        return False

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
        form = AnswerForm(request.POST or None, initial={"answer": contact_request.answer})
        if request.method == "POST" and form.is_valid():
            services.contact_answer(
                contact_request=contact_request, answer=form.cleaned_data["answer"], staff=request.user, request=request
            )
            self.log_change(request, contact_request, [{"changed": {"fields": ["answer"]}}])
            messages.success(request, _("The answer has been sent to %(email)s.") % {"email": contact_request.email})
            return redirect(reverse("admin:contact_contactrequest_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/contact/contactrequest/answer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": contact_request,
                "form": form,
                "title": gettext_lazy("Answer by email"),
            },
        )
