"""Pages of the consent app: the privacy statement and its archive, "my consents" and the cookie settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent import cookies, selectors, services
from consent.context_processors import SALT, cookie_choice, cookie_choice_value
from consent.models import CookieConsent, Method, StatementVersion
from privacy import register


def statement_view(request: HttpRequest) -> HttpResponse:
    """The privacy statement (C37): its date on top, every purpose from the register, cookies, rights, contact."""
    version = selectors.statement_current()
    if request.user.is_authenticated and version is not None and request.method == "GET":
        services.statement_mark_read(user=request.user, version=version, request=request)
    context = selectors.statement_context(version=version)
    context["archive"] = selectors.statement_archive()
    return render(request, "consent/statement.html", context)


def statement_version_view(request: HttpRequest, number: int) -> HttpResponse:
    """An earlier version, exactly as it was published."""
    version = get_object_or_404(StatementVersion.objects.published(), number=number)
    current = selectors.statement_current()
    if current is not None and version.pk == current.pk:
        return redirect("consent:statement")
    content = version.content(get_language() or "nl")
    if not content:
        raise Http404
    return render(
        request,
        "consent/statement_version.html",
        {"version": version, "content": mark_safe(content), "current": current},  # noqa: S308 (rendered by us)
    )


@login_required
@require_POST
def statement_read_view(request: HttpRequest) -> HttpResponse:
    version = selectors.statement_current()
    if version is not None:
        services.statement_mark_read(user=request.user, version=version, request=request)
    return _back(request, "consent:statement")


@login_required
def consents_view(request: HttpRequest) -> HttpResponse:
    """ "My consents": every purpose, one switch each where consent can be withdrawn (C39e)."""
    if request.method == "POST":
        purpose_id = request.POST.get("purpose", "")
        wanted = request.POST.get("given", "")
        if purpose_id not in register.BY_ID or wanted not in ("0", "1"):
            messages.error(request, _("That choice was not understood. Please try again."))
            return redirect("consent:consents")
        purpose = register.purpose(purpose_id)
        try:
            services.consent_set(
                user=request.user, purpose_id=purpose_id, given=wanted == "1", method=Method.PORTAL, request=request
            )
        except services.ConsentNotWithdrawable:
            messages.error(
                request, _("Consent for “%(purpose)s” cannot be switched off here.") % {"purpose": purpose.name}
            )
        else:
            if wanted == "1":
                messages.success(request, _("You gave consent for “%(purpose)s”.") % {"purpose": purpose.name})
            else:
                messages.success(
                    request,
                    _("You withdrew consent for “%(purpose)s”. This took effect at once.") % {"purpose": purpose.name},
                )
        return redirect("consent:consents")
    states = selectors.consent_states(user=request.user)
    return render(
        request,
        "consent/consents.html",
        {
            "states": [(state, selectors.purpose_retention(state.purpose)) for state in states],
            "rights_url": selectors.rights_url(),
        },
    )


def cookie_settings_view(request: HttpRequest) -> HttpResponse:
    """The cookie banner as a page: works without JavaScript, and is where the footer link leads (C35)."""
    if request.method == "POST":
        return _cookie_choice_save(request)
    return render(request, "consent/cookies.html", {"next": _safe_next(request, request.GET.get("next", ""))})


def _cookie_choice_save(request: HttpRequest) -> HttpResponse:
    configured = [tool.key for tool in cookies.configured_tools()]
    action = request.POST.get("action", "")
    if action == "accept_all":
        tools = configured
    elif action == "refuse_all":
        tools = []
    elif action == "save":
        tools = [key for key in request.POST.getlist("tools") if key in configured]
    else:
        messages.error(request, _("That choice was not understood. Please try again."))
        return redirect("consent:cookies")
    previous = cookie_choice(request)
    visitor = previous["id"] if previous else CookieConsent.new_visitor()
    record = services.cookie_choice_record(visitor=visitor, tools=tools)
    messages.success(request, _("Your cookie choice has been saved. You can change it at any time."))
    response = _back(request, "consent:cookies")
    response.set_signed_cookie(
        cookies.CHOICE_COOKIE,
        cookie_choice_value(visitor=record.visitor, tools=record.tools),
        salt=SALT,
        max_age=cookies.CHOICE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    for tool in cookies.TOOLS:
        if tool.key not in record.tools:
            _delete_tool_cookies(request, response, tool.key)
    return response


def _delete_tool_cookies(request: HttpRequest, response: HttpResponse, tool_key: str) -> None:
    """Remove what a switched-off tool left behind in our own domain's cookies."""
    for name in cookies.cookie_prefixes(tool_key):
        matches = [c for c in request.COOKIES if (c.startswith(name[:-1]) if name.endswith("*") else c == name)]
        for cookie in matches:
            response.delete_cookie(cookie)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    return HttpResponseRedirect(target) if target else redirect(default)


def _safe_next(request: HttpRequest, target: str) -> str:
    """``target`` if it is a path on this site, else ``""``.

    Never another host or scheme (``//evil.example``, ``javascript:``), and never handed to
    ``redirect()`` as anything but a path: it would try ``not a path`` as a URL name and fail.
    """
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
