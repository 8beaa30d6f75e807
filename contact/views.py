"""Customer pages of the contact app: the public form, the feedback links, "my questions" and their threads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contact import selectors, services
from contact.forms import ContactForm, ReplyForm
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
            number = ""
            if not form.cleaned_data["website"]:  # the honeypot: a bot gets the same thanks and nothing is stored
                number = services.contact_submit(data=form.cleaned_data, user=request.user, request=request).number
            request.session[THANKS_KEY] = number
            return redirect("contact:thanks")
        messages.error(request, _("Please correct the fields marked below."))
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
        form = ContactForm(initial=initial)
    return render(request, "contact/form.html", {"form": form})


THANKS_KEY = "contact_number"


def thanks_view(request: HttpRequest) -> HttpResponse:
    """Thanks, with the request's number (held in the session for this one page, never in the address)."""
    return render(request, "contact/thanks.html", {"number": request.session.pop(THANKS_KEY, "")})


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


@login_required
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the customer's questions as a thread: our answers, their replies, and a form to reply."""
    contact_request = selectors.request_of(user=request.user, pk=pk)
    if contact_request is None:
        raise Http404
    satisfied = contact_request.status == contact_request.Status.SATISFIED
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and not satisfied:
        if form.is_valid():
            try:
                services.contact_reply(
                    contact_request=contact_request, user=request.user, body=form.cleaned_data["body"], request=request
                )
            except services.ReplyRefused:
                messages.error(request, _("This question is closed: you told us our answer helped."))
            else:
                messages.success(request, _("Your reply has been sent. We will get back to you as soon as we can."))
            return redirect("contact:thread", pk=pk)
        messages.error(request, _("Please correct the fields marked below."))
    context = {
        "contact_request": contact_request,
        "thread": selectors.thread_of(contact_request_id=contact_request.pk),
        "form": form,
        "satisfied": satisfied,
    }
    return render(request, "contact/thread.html", context)


@login_required
@require_POST
def thread_satisfied_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Answered, thank you" from the thread page: the question goes at once, as from the emailed link."""
    contact_request = selectors.request_of(user=request.user, pk=pk)
    if contact_request is None:
        raise Http404
    if contact_request.answered_at is None:
        messages.error(request, _("We have not answered this question yet."))
        return redirect("contact:thread", pk=pk)
    services.contact_feedback(contact_request_id=contact_request.pk, satisfied=True, request=request)
    if selectors.request_exists(pk=pk):
        messages.success(
            request,
            _(
                "We are glad we could help. The law makes us keep your question for now; "
                "we delete it as soon as that duty ends."
            ),
        )
        return redirect("contact:thread", pk=pk)
    messages.success(request, _("We are glad we could help. We have deleted your question."))
    return redirect("contact:mine")
