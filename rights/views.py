"""Pages of the rights app: the rights page, "my data", the export and the request desk."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import cached_copies, dashboard
from portal.client import client_ip
from portal.page_copies import page_copy
from privacy import declarations as registry
from privacy import register
from rights import selectors, services
from rights.forms import ConfirmForm, RequestForm
from rights.models import DataExport, RightsRequest

# Pages of other apps the rights page points to, by URL name; a missing app's link is left out.
RELATED_PAGES = (
    ("consent", ("consent:consents", "consent:preferences")),
    ("newsletter", ("newsletter:preferences", "newsletter:subscribe")),
    ("advertising", ("newsletter:advertising", "newsletter:preferences")),
    ("statement", ("consent:statement",)),
)


def _related_urls() -> dict[str, str]:
    urls = {}
    for key, names in RELATED_PAGES:
        for name in names:
            try:
                urls[key] = reverse(name)
                break
            except NoReverseMatch:
                continue
    return urls


def rights_view(request: HttpRequest) -> HttpResponse:
    """The public page that explains every right (C39a–f) and the complaint right (C41)."""
    return render(
        request,
        "rights/rights.html",
        {"related": _related_urls(), "controller": register.CONTROLLER, "kinds": RightsRequest.Kind.choices},
    )


# "My data" is rendered once per customer and language and kept as long as nothing the declarations hold on
# the customer changes (``portal.dashboard.data_generation_keys``; its exports and requests are declared data
# too), at most ``MY_DATA_CACHE_SECONDS`` (the timeline is drawn from today).  Its form gets the CSRF token of
# the session that is served, never a cached one.
MY_DATA_CACHE_SECONDS = selectors.MY_DATA_CACHE_SECONDS


@login_required
@page_copy(generations=dashboard.data_generation_keys)
def my_data_view(request: HttpRequest) -> HttpResponse:
    user = request.user

    def render_body() -> str:
        purposes = selectors.my_data(user=user)
        context = {
            "purposes": purposes,
            "timeline": selectors.timeline(purposes, timezone.now()),
            "exports": selectors.exports_recent(user=user),
            "requests": selectors.requests_recent(user=user),
            "related": _related_urls(),
            "csrf_token": dashboard.CSRF_PLACEHOLDER,
        }
        return render_to_string("rights/_my_data_body.html", context)

    body = cached_copies.get_or_make(
        dashboard.data_copy_key(selectors.my_data_copy_name(get_language() or "nl"), user.pk),
        dashboard.data_generation_keys(user.pk),
        render_body,
        MY_DATA_CACHE_SECONDS,
    )
    if dashboard.CSRF_PLACEHOLDER in body:
        body = body.replace(dashboard.CSRF_PLACEHOLDER, get_token(request))
    return render(request, "rights/my_data.html", {"body": mark_safe(body)})  # noqa: S308 - rendered by the engine


@login_required
@page_copy(generations=dashboard.data_generation_keys)
def my_data_item_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Every row of one kind of data we hold on the customer, a page at a time (C38)."""
    declaration = selectors.listed_declaration(reference)
    if declaration is None:
        raise Http404
    emails = registry.user_emails(request.user)
    totals = selectors.totals_cached(user=request.user, emails=emails).get(declaration.key)
    item = selectors.item_for(declaration, request.user, emails, totals)
    page, rows = selectors.rows_page(
        user=request.user,
        declaration=declaration,
        page=request.GET.get("page"),
        emails=emails,
        count=item.count if totals is not None else None,
    )
    return render(
        request,
        "rights/my_data_item.html",
        {
            "item": item,
            "purpose": register.purpose(declaration.purpose),
            "fields": selectors.field_labels(declaration),
            "page": page,
            "rows": rows,
        },
    )


@login_required
@require_POST
@reauthentication_required
def export_create_view(request: HttpRequest) -> HttpResponse:
    export = services.export_request(user=request.user, request=request)
    messages.success(request, _("Your export is being prepared."))
    return redirect("rights:export_detail", export_id=export.pk)


def _own_export(request: HttpRequest, export_id) -> DataExport:
    """Only the owner ever learns that an export exists: everyone else, anonymous or not, gets 404."""
    if not request.user.is_authenticated:
        raise Http404
    export = DataExport.objects.filter(pk=export_id, user=request.user).first()
    if export is None:
        raise Http404
    return export


def export_detail_view(request: HttpRequest, export_id) -> HttpResponse:
    export = _own_export(request, export_id)
    waiting = export.status in (DataExport.Status.PENDING, DataExport.Status.RUNNING) and not export.is_expired()
    return render(request, "rights/export_detail.html", {"export": export, "waiting": waiting})


def export_download_view(request: HttpRequest, export_id) -> HttpResponse:
    export = _own_export(request, export_id)
    if not export.is_downloadable() or not default_storage.exists(export.file.name):
        raise Http404
    services.export_downloaded(export=export, request=request)
    filename = f"netrex-{request.user.username}-{export.created_at:%Y%m%d}.zip"
    return FileResponse(
        default_storage.open(export.file.name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )


@reauthentication_required(enabled=lambda request: request.user.is_authenticated, allow_get=True)
def request_new_view(request: HttpRequest) -> HttpResponse:
    """A request for any right: a customer after re-authentication, anyone else after an emailed link (C40)."""
    customer = request.user.is_authenticated
    initial = {key: request.GET.get(key, "") for key in ("kind", "item_reference")}
    form = RequestForm(request.POST or None, initial=initial, with_email=not customer)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if customer:
                    rights_request = services.request_file(
                        kind=data["kind"],
                        email=request.user.email,
                        language=get_language(),
                        message=data["message"],
                        item_reference=data["item_reference"],
                        user=request.user,
                        request=request,
                    )
                    messages.success(
                        request,
                        _("We have received your request. We answer by %(date)s at the latest.")
                        % {"date": timezone.localtime(rights_request.deadline).strftime("%d-%m-%Y")},
                    )
                    return redirect("rights:my_data")
                services.request_confirmation_send(
                    kind=data["kind"],
                    email=data["email"],
                    language=get_language(),
                    message=data["message"],
                    item_reference=data["item_reference"],
                    build_url=request.build_absolute_uri,
                    ip=client_ip(request),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return redirect("rights:request_sent")
        else:
            messages.error(request, _("Please correct the fields marked below."))
    return render(request, "rights/request_new.html", {"form": form, "customer": customer})


def request_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "rights/request_sent.html")


def request_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            rights_request = services.request_confirm(token=token, request=request)
        except ValidationError as error:
            return render(request, "rights/request_confirm.html", {"error": " ".join(error.messages)}, status=400)
        return render(request, "rights/request_done.html", {"rights_request": rights_request})
    return render(request, "rights/request_confirm.html", {"form": ConfirmForm()})
