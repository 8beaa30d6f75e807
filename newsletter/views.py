"""Pages of the newsletter app: subscribe (double opt-in), confirm, one-click unsubscribe and objection, preferences.

The links in emails open a page with one button; the button (and a mail client's RFC 8058
one-click POST) does the work.  A GET never changes anything, so link scanners that open every
link in an email cannot unsubscribe anyone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from contact.ratelimit import rate_limited
from newsletter import selectors, services, tokens
from newsletter.forms import PreferencesForm, SubscribeForm
from newsletter.models import Channel, ChoiceMethod
from portal.client import client_ip


def subscribe_view(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited("newsletter-subscribe", client_ip(request) or "-"):
            messages.error(request, _("Too many attempts. Please try again later."))
        else:
            if not form.cleaned_data["website"]:
                services.subscription_request(
                    email=form.cleaned_data["email"], language=translation.get_language() or "nl"
                )
            # The same answer whatever the address: nobody learns who is on the list.
            return render(request, "newsletter/subscribe_sent.html")
    return render(request, "newsletter/subscribe.html", {"form": form})


def confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    pending = services.pending_subscription(token=token)
    if pending is None:
        return render(request, "newsletter/link_invalid.html", {"expired": True}, status=400)
    if request.method == "POST":
        services.subscription_confirm(token=token, request=request)
        return render(request, "newsletter/confirmed.html")
    return render(request, "newsletter/confirm.html", {"email": pending.email})


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" without any page or cookie
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    digest = tokens.unsubscribe_digest(token)
    if digest is None:
        return render(request, "newsletter/link_invalid.html", status=400)
    if request.method == "POST":
        services.subscriber_unsubscribe(
            digest=digest, method="one_click" if _one_click(request) else "link", request=request
        )
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html")


@csrf_exempt  # RFC 8058, as above
def advertising_object_view(request: HttpRequest, token: str) -> HttpResponse:
    if tokens.advertising_payload(token) is None:
        return render(request, "newsletter/link_invalid.html", status=400)
    if request.method == "POST":
        services.advertising_object_by_link(token=token, request=request)
        return render(request, "newsletter/advertising_objected.html")
    return render(request, "newsletter/advertising_object.html")


def _one_click(request: HttpRequest) -> bool:
    return request.POST.get("List-Unsubscribe") == "One-Click"


@login_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    """The portal's preferences page (C19, C27): newsletter and advertising per channel."""
    preferences = selectors.preferences_for(user=request.user)
    if request.method == "POST":
        return _preferences_save(request, preferences, ChoiceMethod.PORTAL, "newsletter:preferences")
    form = PreferencesForm(initial=PreferencesForm.initial_from(preferences))
    history = selectors.advertising_history_per_channel(user=request.user, current=preferences["advertising"])
    return render(
        request, "newsletter/preferences.html", {"form": form, "preferences": preferences, "history": history}
    )


@login_required
@require_POST
def preferences_account_view(request: HttpRequest) -> HttpResponse:
    """The same choices from the panel on the account dashboard."""
    preferences = selectors.preferences_for(user=request.user)
    return _preferences_save(request, preferences, ChoiceMethod.ACCOUNT, "accounts:dashboard")


def _preferences_save(request: HttpRequest, preferences: dict, method: str, next_url: str) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your choices could not be saved. Please try again."))
        return redirect(next_url)
    data = form.cleaned_data
    changed = False
    if data["newsletter"] and not preferences["newsletter"]:
        services.newsletter_subscribe_user(user=request.user, method=str(method), request=request)
        changed = True
    elif not data["newsletter"] and preferences["newsletter"]:
        changed = services.newsletter_unsubscribe_user(user=request.user, method=str(method), request=request)
    for channel in Channel.values:
        changed |= services.advertising_choice_set(
            user=request.user, channel=channel, allowed=data[f"advertising_{channel}"], method=method, request=request
        )
    if changed:
        messages.success(request, _("Your choices have been saved."))
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect(next_url)
