"""Customer pages of the contact app: the public form, the feedback links, "my requests"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contact import selectors, services
from contact.forms import ContactForm
from contact.ratelimit import rate_limited
from portal.client import client_ip


def contact_view(request: HttpRequest) -> HttpResponse:
    """The contact form (C16): open to everyone, no account needed, no third-party captcha."""
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            if rate_limited("contact", client_ip(request) or "-"):
                messages.error(request, _("You have sent several requests in a short time. Please try again later."))
                return render(request, "contact/form.html", {"form": form}, status=429)
            if not form.cleaned_data["website"]:  # the honeypot: a bot gets the same thanks and nothing is stored
                services.contact_submit(data=form.cleaned_data, user=request.user, request=request)
            return redirect("contact:thanks")
        messages.error(request, _("Please correct the fields marked below."))
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
        form = ContactForm(initial=initial)
    return render(request, "contact/form.html", {"form": form})


def thanks_view(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html")


def _feedback(request: HttpRequest, token: str, satisfied: bool) -> HttpResponse:
    request_id = services.feedback_request_id(token)
    if request_id is None:
        return render(request, "contact/link_invalid.html", status=400)
    if request.method == "POST":
        contact_request = services.contact_feedback(contact_request_id=request_id, satisfied=satisfied, request=request)
        context = {
            "satisfied": satisfied,
            "gone": contact_request is None,
            "erased": contact_request is not None and not selectors.request_exists(pk=request_id),
        }
        return render(request, "contact/feedback_done.html", context)
    return render(request, "contact/feedback.html", {"satisfied": satisfied})


def satisfied_view(request: HttpRequest, token: str) -> HttpResponse:
    return _feedback(request, token, satisfied=True)


def not_yet_view(request: HttpRequest, token: str) -> HttpResponse:
    return _feedback(request, token, satisfied=False)


@login_required
def my_requests_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contact/my_requests.html",
        {"page": selectors.requests_page(user=request.user, page=request.GET.get("page"))},
    )
