"""Pages of the consent app: the privacy statement and its archive, "my consents" and the cookie settings."""

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent import cookies, selectors, services
from consent.context_processors import NOTICE_GENERATION_KEY, SALT, cookie_choice, cookie_choice_value
from consent.context_processors import consent as consent_context
from consent.models import CookieConsent, Method, StatementVersion
from portal import cached_copies, dashboard, page_copies
from portal.page_copies import page_copy
from privacy import register

# The statement page is the same for everyone who sees it in one language, logged in or not, with the same
# cookie choice: it is rendered once per such variant and statement version and kept until a version is
# saved (the generation ``NOTICE_GENERATION_KEY``, renewed by ``consent.context_processors.statement_changed``)
# or a version scheduled for later is published.  It holds nothing of the visitor: the CSRF token and the
# CSP nonce are filled in per request, and a page with messages or a query string is rendered as usual.
STATEMENT_PAGE_SECONDS = 24 * 3600
NONCE_PLACEHOLDER = "csp-nonce-placeholder-7d41e09b"
# The session remembers the version its customer was recorded as having read: no write lock per view.
STATEMENT_READ_SESSION_KEY = "consent_statement_read"


def _statement_mark_read(request: HttpRequest, version: StatementVersion | None) -> None:
    if not request.user.is_authenticated or version is None or request.method != "GET":
        return
    if request.session.get(STATEMENT_READ_SESSION_KEY) == version.pk:
        return
    services.statement_mark_read(user=request.user, version=version, request=request)
    request.session[STATEMENT_READ_SESSION_KEY] = version.pk


_fingerprint: list[str] = []


def _statement_fingerprint() -> str:
    """What the page is made from besides the database, once per process: the rules' periods (settings),
    the configured cookie tools, and the files of its text (so a deploy that changes them starts anew)."""
    if not _fingerprint:
        root = Path(__file__).resolve().parent
        files = sorted(
            [*root.glob("templates/consent/*.html"), *root.glob("locale/*/LC_MESSAGES/*.mo"), root / "statement.py"]
        )
        files += [Path(register.__file__), Path(settings.BASE_DIR) / "templates" / "base.html"]
        parts = [f"{rule.key}={rule.period()}" for rule in register.RULES.values()]
        parts += [tool.key for tool in cookies.configured_tools()]
        parts += [f"{path}:{path.stat().st_mtime_ns}" for path in files if path.exists()]
        _fingerprint.append(hashlib.sha256("|".join(parts).encode()).hexdigest()[:16])
    return _fingerprint[0]


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    _fingerprint.clear()
    _local_pages.clear()
    _local_token.clear()


@page_copies.vary_on
def cookie_variant(request: HttpRequest) -> str:
    """What every page shows of the visitor's cookie choice (the banner, the tags allowed): part of a copy's key."""
    facts = consent_context(request)
    choice = facts["cookie_choice"]
    return "|".join(
        (
            ".".join(choice["tools"]) if choice else "-",
            "gpc" if facts["cookie_gpc"] else "",
            "gpc-pending" if facts["cookie_gpc_pending"] else "",
            ".".join(tool.key for tool in facts["cookie_tools"]),
        )
    )


# Every page shows the notice of a new statement version (``consent.context_processors``): a page copy too.
dashboard.watch("consent.StatementVersion")


def statement_page_key(request: HttpRequest) -> str:
    """What the cached page depends on besides the version: language, path, who is asking, the cookie choice."""
    user = request.user
    who = ("staff" if user.is_staff else "customer") if user.is_authenticated else "anonymous"
    variant = "|".join((get_language() or "nl", request.path, who, cookie_variant(request), _statement_fingerprint()))
    return f"consent:statement-page:{hashlib.sha256(variant.encode()).hexdigest()[:32]}"


def _statement_fill(request: HttpRequest, html: str) -> HttpResponse:
    if dashboard.CSRF_PLACEHOLDER in html:
        html = html.replace(dashboard.CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(getattr(request, "csp_nonce", "")))
    return HttpResponse(html)


def _statement_versions() -> tuple[StatementVersion | None, list[StatementVersion], float | None]:
    """The current version, the archive (``StatementVersion.objects.published()``, newest first) and when a
    version scheduled for later is published (epoch seconds; the cached page ends then), in one query."""
    now = timezone.now()
    versions = list(StatementVersion.objects.filter(published_at__isnull=False).order_by("-number"))
    archive = [version for version in versions if version.published_at <= now]
    upcoming = min((version.published_at for version in versions if version.published_at > now), default=None)
    return (archive[0] if archive else None), archive, (upcoming.timestamp() if upcoming else None)


_local_pages: dict[str, dict] = {}
LOCAL_PAGES_MAX = 64
# The generation token as this process last read it, and when (``time.monotonic``): asked of the cache at most
# once per ``LOCAL_TOKEN_SECONDS``, so that the page costs no round trip; a saved version renews the token in
# the cache and here at once, so another process shows it within that second.
LOCAL_TOKEN_SECONDS = 1.0
_local_token: list[tuple[str, float]] = []


def _local_remember(key: str, entry: dict) -> None:
    if key not in _local_pages and len(_local_pages) >= LOCAL_PAGES_MAX:
        _local_pages.clear()
    _local_pages[key] = entry


def _local_token_remember(token: str | None) -> None:
    _local_token[:] = [(token, time.monotonic())] if token is not None else []


def _local_generation() -> str | None:
    if _local_token and time.monotonic() - _local_token[0][1] < LOCAL_TOKEN_SECONDS:
        return _local_token[0][0]
    token = cached_copies.get_many([NOTICE_GENERATION_KEY]).get(NOTICE_GENERATION_KEY)
    _local_token_remember(token)
    return token


def _statement_saved(**kwargs) -> None:
    """A version was saved or deleted: this process asks the cache for the token again (it was renewed)."""
    _local_token_remember(None)
    _local_pages.clear()


post_save.connect(_statement_saved, sender=StatementVersion, dispatch_uid="consent.views.statement_saved")
post_delete.connect(_statement_saved, sender=StatementVersion, dispatch_uid="consent.views.statement_deleted")


# Not in a transaction of its own: served from the process's copy, the page asks nothing of the database (a
# customer's first visit records the reading in a transaction of the service's).
@transaction.non_atomic_requests
def statement_view(request: HttpRequest) -> HttpResponse:
    """The privacy statement (C37): its date on top, every purpose from the register, cookies, rights, contact."""
    cacheable = request.method == "GET" and not request.GET and not len(get_messages(request))
    token = None
    key = statement_page_key(request) if cacheable else ""
    if cacheable:
        # The process keeps the pages it served: only the small generation token is asked of the cache then.
        local = _local_pages.get(key)
        if local is not None:
            token = _local_generation()
            entry = local
        else:
            found = cached_copies.get_many([NOTICE_GENERATION_KEY, key])
            entry, token = found.get(key), found.get(NOTICE_GENERATION_KEY)
            _local_token_remember(token)
        if entry is not None and token is not None and entry["token"] == token and time.time() < entry["until"]:
            _local_remember(key, entry)
            _statement_mark_read(request, entry["version"])
            return _statement_fill(request, entry["html"])
        _local_pages.pop(key, None)
        token = token or cached_copies.generation(NOTICE_GENERATION_KEY)
    version, archive, upcoming = _statement_versions()
    _statement_mark_read(request, version)
    context = selectors.statement_context(version=version)
    context["archive"] = archive
    if not cacheable or version is None or token is None:
        return render(request, "consent/statement.html", context)
    context.update({"csrf_token": dashboard.CSRF_PLACEHOLDER, "CSP_NONCE": NONCE_PLACEHOLDER})
    html = render_to_string("consent/statement.html", context, request=request)
    until = min(time.time() + STATEMENT_PAGE_SECONDS, upcoming or float("inf"))
    entry = {"token": token, "version": version, "html": html, "until": until}
    cached_copies.set(key, entry, max(1, int(until - time.time())))
    _local_pages.pop(key, None)
    return _statement_fill(request, html)


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
@page_copy
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
                user=request.user,
                purpose_id=purpose_id,
                given=wanted == "1",
                method=Method.PRIVACY_PAGE,
                request=request,
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
            "history": selectors.consent_history(user=request.user),
            "cookie_history": selectors.cookie_history(user=request.user),
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
    elif action == "gpc":
        # Global Privacy Control: the browser refuses for its user what needs consent; what needs none stays.
        previous = cookie_choice(request)
        explicit = previous is not None and previous.get("v") == cookies.BANNER_VERSION and previous.get("m") != "gpc"
        if explicit:
            return _back(request, "consent:cookies")  # an explicit choice made before wins over the signal
        tools = [key for key in cookies.default_tools() if key in configured]
    else:
        messages.error(request, _("That choice was not understood. Please try again."))
        return redirect("consent:cookies")
    previous = cookie_choice(request)
    visitor = previous["id"] if previous else CookieConsent.new_visitor()
    record = services.cookie_choice_record(
        visitor=visitor,
        tools=tools,
        method=services.BANNER_METHODS[action],
        user=request.user,
        page=_safe_next(request, request.POST.get("next", "")).split("?")[0] or request.path,
    )
    if action != "gpc":
        messages.success(request, _("Your cookie choice has been saved. You can change it at any time."))
    response = _back(request, "consent:cookies")
    response.set_signed_cookie(
        cookies.CHOICE_COOKIE,
        cookie_choice_value(visitor=record.visitor, tools=record.tools, method=action),
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
    """Remove what a switched-off tool left behind, by the tool's real name patterns.

    A response can expire each name once, so the server expires the host-only cookie (how Matomo and
    SalesFeed set theirs); the banner's script expires the same names on every parent domain (where
    Google Analytics sets its cookies) and path on the next page (``static/consent/banner.js``).
    """
    for name in cookies.tool_cookies(tool_key, request.COOKIES):
        response.delete_cookie(name, path="/")


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
