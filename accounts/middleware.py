"""Middleware of the accounts app: MFA for staff, and no caching of pages with personal data."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
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
