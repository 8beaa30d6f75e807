"""Customer pages of the accounts app: dashboard, profile, photo, activity log and account closure."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import closure, selectors, services
from accounts.forms import AccountCloseForm, OptionalFieldClearForm, PhotoForm, ProfileForm
from accounts.models import User
from accounts.photos import UPLOADS_PER_HOUR, photo_upload_throttled
from portal import dashboard
from portal.page_copies import page_copy


@login_required
@page_copy
def dashboard_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/dashboard.html",
        {
            "panels_html": dashboard.panels_html(request),
        },
    )


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if form.is_valid():
            changed = services.profile_update(user=request.user, data=form.cleaned_data, request=request)
            if changed:
                messages.success(request, _("Your details have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:profile")
        messages.error(request, _("Please correct the fields marked below."))
    else:
        form = ProfileForm(instance=request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "photo_form": PhotoForm(),
            "optional_fields": [
                (name, User._meta.get_field(name).verbose_name)
                for name in services.OPTIONAL_FIELDS
                if getattr(request.user, name) not in ("", None)
            ],
        },
    )


@login_required
@require_POST
def photo_upload_view(request: HttpRequest) -> HttpResponse:
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to upload."))
        return redirect("accounts:profile")
    if photo_upload_throttled(user_id=request.user.pk):
        messages.error(
            request,
            _("You can upload at most %(count)d photos an hour. Please try again later.") % {"count": UPLOADS_PER_HOUR},
        )
        return redirect("accounts:profile")
    try:
        services.photo_set(user=request.user, upload=form.cleaned_data["photo"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your photo has been saved, without its location data and other metadata."))
    return redirect("accounts:profile")


@login_required
@require_POST
def photo_remove_view(request: HttpRequest) -> HttpResponse:
    if services.photo_remove(user=request.user, request=request):
        messages.success(request, _("Your photo has been deleted."))
    return redirect("accounts:profile")


@login_required
def photo_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """The photo is served only to its owner and to staff, never from a public media URL."""
    # Staff who correct profiles (support, privacy officer) see the photo; finance, who only reads billing, does not.
    if request.user.pk != user_id and not request.user.has_perm("accounts.change_user"):
        raise Http404
    owner = User.objects.filter(pk=user_id).only("photo").first()
    if owner is None or not owner.photo or not default_storage.exists(owner.photo.name):
        raise Http404
    response = FileResponse(default_storage.open(owner.photo.name, "rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
def optional_field_clear_view(request: HttpRequest) -> HttpResponse:
    form = OptionalFieldClearForm(request.POST, fields=services.OPTIONAL_FIELDS)
    if form.is_valid():
        field = form.cleaned_data["field"]
        if services.profile_field_clear(user=request.user, field=field, request=request):
            label = User._meta.get_field(field).verbose_name
            messages.success(request, _("Deleted: %(field)s.") % {"field": label})
    else:
        messages.error(request, _("That item cannot be deleted here."))
    return redirect("accounts:profile")


@login_required
@page_copy
def activity_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/activity.html",
        {"page": selectors.activity_page(user=request.user, page=request.GET.get("page"))},
    )


def _language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the customer's account.

    Django's ``translate_url`` reads the page's address in the active language; the switch's own
    address has no language prefix, so the page's language (``/en/…`` or Dutch) is made active first:
    switching on ``/en/profile/`` to Dutch lands on ``/profiel/``, not back on the English page.
    """
    from django.conf import settings
    from django.utils import translation

    page = request.POST.get("next", request.GET.get("next")) or ""
    with translation.override(translation.get_language_from_path(page) or settings.LANGUAGE_CODE):
        response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language:
        services.language_set(user=request.user, language=language, request=request)
    return response


_language_switch_checked = csrf_protect(_language_switch)


@csrf_exempt
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch in every page's header: checked for a CSRF token only when it saves something.

    A logged-in customer's switch is saved on their account (and in their activity log), so it is checked
    like every form.  A visitor without an account only chooses the language they read, as the page's
    ``/en/`` address does: their switch carries no token (``templates/base.html``), so an anonymous page
    without another form (the privacy statement) makes no CSRF secret and sets no cookie.
    """
    if request.user.is_authenticated:
        return _language_switch_checked(request)
    return _language_switch(request)


# --- account closure (C24, C08): a confirmation page after re-authentication, then closure at once ---


@transaction.non_atomic_requests  # closure calls Mollie and the control panel: never inside a transaction
@login_required
@reauthentication_required
def account_close_view(request: HttpRequest) -> HttpResponse:
    form = AccountCloseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                closure.account_close(user=request.user, request=request)
            except closure.ClosureBlocked as blocked:
                messages.error(
                    request,
                    blocked.message
                    or _(
                        "We cannot close your account right now because the law requires us to keep some of your "
                        "data for the time being. Contact us and we will explain what we keep and why."
                    ),
                )
                return redirect("accounts:account_close")
            return redirect("accounts:account_closed")
        messages.error(request, _("Tick the box to confirm that you want to close your account."))
    return render(
        request,
        "accounts/account_close.html",
        {"form": form, "plan": closure.closure_plan(user=request.user)},
    )


def account_closed_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_closed.html")
