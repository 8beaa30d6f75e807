"""Middleware of the accounts app: MFA for staff, no caching of pages with personal data, session tracking."""

import hashlib

from allauth.mfa.models import Authenticator
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _


class StaffMFARequiredMiddleware:
    """Staff must have TOTP set up before they use any staff power, in the admin or on a customer page.

    allauth has no setting for this.  A staff member (or superuser) without an authenticator is sent
    to the TOTP set-up page on every request except the few that set it up or leave: the MFA pages,
    re-authentication (allauth asks for it before activating TOTP), logout, the language switch,
    health checks and static files.  So a staff account whose password leaked can do nothing, not
    even what a customer can, until its second factor exists.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.is_staff or user.is_superuser)
            and not self._allowed_path(request.path_info)
        ):
            has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            if not has_totp:
                messages.warning(request, _("Staff must set up two-factor authentication before using the portal."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _allowed_path(self, path: str) -> bool:
        if self._allowed is None:
            self._allowed = self._allowed_prefixes()
        return path.startswith(self._allowed)

    @staticmethod
    def _allowed_prefixes() -> tuple[str, ...]:
        from django.utils import translation

        prefixes = {settings.STATIC_URL or "/static/", reverse("healthz"), reverse("set_language")}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                prefixes |= {
                    reverse("mfa_index"),
                    reverse("account_logout"),
                    reverse("account_reauthenticate"),
                }
        for name in ("readyz",):
            try:
                prefixes.add(reverse(name))
            except Exception:  # noqa: S112 - an endpoint that does not exist yet is simply not allowed
                continue
        return tuple(sorted(prefixes))


class BreakGlassMiddleware:
    """Every superuser action is break-glass: recorded in their activity log and mailed to the privacy officer.

    Day-to-day work is done in a role (support, finance, privacy officer); a superuser account is for
    managing staff and emergencies.  Each request of a superuser that can change something (any
    method but GET, HEAD, OPTIONS) is recorded with its method, path and answer, and the privacy
    officers get a mail, so that no use of unlimited power goes unseen.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in self.SAFE_METHODS and user is not None and user.is_authenticated and user.is_superuser:
            from accounts import staff

            staff.break_glass_record(user=user, request=request, status=response.status_code)
        return response


class PersonalDataNoStoreMiddleware:
    """Nothing a signed-in person sees may be kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class UserSessionActivityMiddleware:
    """allauth's session tracking (the "your sessions" page), written at most once a minute per session.

    allauth's own ``UserSessionsMiddleware`` reads and rewrites the session's row on every request:
    three queries and a write transaction per page.  Here a cache key per session, IP address and
    user agent remembers the last write for ``USERSESSIONS_TRACK_EVERY_SECONDS``: a new device or
    address is still recorded (and allauth's ``session_client_changed`` sent) on its first request,
    only "last seen" is kept to the minute.  When the cache cannot be reached, every request writes
    as allauth's middleware does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            usersessions_settings.TRACK_ACTIVITY
            and session is not None
            and session.session_key
            and user is not None
            and user.is_authenticated
            and self._due(request, session.session_key)
        ):
            UserSession.objects.create_from_request(request)
        return self.get_response(request)

    @staticmethod
    def _due(request: HttpRequest, session_key: str) -> bool:
        seconds = getattr(settings, "USERSESSIONS_TRACK_EVERY_SECONDS", 60)
        if seconds <= 0:
            return True
        from allauth.account.adapter import get_adapter

        client = f"{session_key}|{get_adapter().get_client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
        key = "usersession-seen:" + hashlib.sha256(client.encode()).hexdigest()
        try:
            return bool(cache.add(key, 1, timeout=seconds))
        except Exception:  # the cache is down: track as allauth does, never fail the page
            return True
