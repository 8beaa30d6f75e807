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
    """Staff must have TOTP set up before they reach the admin.

    allauth has no setting for this.  A staff member without an authenticator is sent to the TOTP
    set-up page whenever they open the admin; the set-up, logout and static pages stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and self._is_admin(request):
            has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            if not has_totp:
                messages.warning(request, _("Staff must set up two-factor authentication before using the admin."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_admin(request: HttpRequest) -> bool:
        admin_root = reverse("admin:index")
        return request.path.startswith(admin_root) or request.path_info.startswith("/admin/")


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
