"""Customer pages of the services app: "My services", one service with its settings, its changes and its log.

Staff with the ``services.change_service`` permission open the same pages for any customer's
service and act on the customer's behalf; the activity log then names them as the actor.
"""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hosting import selectors, services
from hosting.domains import DomainNotProven
from hosting.forms import AliasForm, DnsRecordForm, ForwarderForm, HttpsForm, PhpForm, RestoreForm
from hosting.models import Change, Service
from portal.page_copies import page_copy


@login_required
@page_copy
def list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "services/list.html", {"page": selectors.service_page(user=request.user, page=request.GET.get("page"))}
    )


def _forms(service: Service, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    unbound = {
        "alias_form": lambda: AliasForm(prefix="alias"),
        "dns_form": lambda: DnsRecordForm(prefix="dns"),
        "forwarder_form": lambda: ForwarderForm(prefix="fwd", domains=services.customer_domains(service.user)),
        "php_form": lambda: PhpForm(prefix="php", initial={"version": service.php_version}),
        "https_form": lambda: HttpsForm(prefix="https", initial={"enabled": service.https_enabled}),
        "restore_form": lambda: RestoreForm(prefix="restore", service=service),
    }
    return {name: bound.get(name) or factory() for name, factory in unbound.items()}


def _render_detail(request: HttpRequest, service: Service, **bound: forms.Form) -> HttpResponse:
    context = {
        "service": service,
        "acting_for_customer": service.user_id != request.user.pk,
        "aliases": list(service.aliases.select_related("change")),
        "records": list(service.dns_records.select_related("change")),
        "forwarders": list(service.forwarders.select_related("change")),
        "addons": selectors.addons_of(service=service),
        "changes": selectors.changes_recent(service=service),
        "restore_cost": settings.SERVICES_RESTORE_CREDITS,
        **_forms(service, bound),
    }
    return render(request, "services/detail.html", context)


@login_required
def detail_view(request: HttpRequest, service_id: int) -> HttpResponse:
    return _render_detail(request, selectors.service_for(user=request.user, service_id=service_id))


def _submit(
    request: HttpRequest,
    service: Service,
    form: forms.Form,
    form_name: str,
    apply: Callable[[dict], Change | None],
    anchor: str,
) -> HttpResponse:
    """Validate ``form``, call the service, and either redirect with a message or show the errors."""
    if form.is_valid():
        try:
            change = apply(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            if isinstance(error, DomainNotProven):
                form.domain_proof = error.proof
        else:
            if change is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request, _("Saved. The change is being applied: %(summary)s") % {"summary": change.summary}
                )
            return redirect(f"{service.get_absolute_url()}#{anchor}")
    messages.error(request, _("Please correct the fields marked below."))
    return _render_detail(request, service, **{form_name: form})


def _service_post(view: Callable) -> Callable:
    """A logged-in POST to one service the user may manage (404 for anyone else's)."""

    @login_required
    @require_POST
    def wrapper(request: HttpRequest, service_id: int, **kwargs) -> HttpResponse:
        service = selectors.service_for(user=request.user, service_id=service_id)
        return view(request, service, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_service_post
def alias_add_view(request: HttpRequest, service: Service) -> HttpResponse:
    form = AliasForm(request.POST, prefix="alias")
    return _submit(
        request,
        service,
        form,
        "alias_form",
        lambda data: services.alias_add(service=service, name=data["name"], request=request),
        "aliases",
    )


@_service_post
def alias_remove_view(request: HttpRequest, service: Service, alias_id: int) -> HttpResponse:
    alias = get_object_or_404(service.aliases, pk=alias_id)
    return _remove(
        request, service, lambda: services.alias_remove(service=service, alias=alias, request=request), "aliases"
    )


@_service_post
def dns_add_view(request: HttpRequest, service: Service) -> HttpResponse:
    form = DnsRecordForm(request.POST, prefix="dns")
    return _submit(
        request,
        service,
        form,
        "dns_form",
        lambda data: services.dns_record_add(
            service=service,
            name=data["name"],
            rtype=data["rtype"],
            value=data["value"],
            ttl=data["ttl"],
            request=request,
        ),
        "dns",
    )


@_service_post
def dns_remove_view(request: HttpRequest, service: Service, record_id: int) -> HttpResponse:
    record = get_object_or_404(service.dns_records, pk=record_id)
    return _remove(
        request, service, lambda: services.dns_record_remove(service=service, record=record, request=request), "dns"
    )


@_service_post
def forwarder_add_view(request: HttpRequest, service: Service) -> HttpResponse:
    form = ForwarderForm(request.POST, prefix="fwd", domains=services.customer_domains(service.user))
    return _submit(
        request,
        service,
        form,
        "forwarder_form",
        lambda data: services.forwarder_add(
            service=service,
            local_part=data["local_part"],
            domain=data["domain"],
            destination=data["destination"],
            request=request,
        ),
        "forwarders",
    )


@_service_post
def forwarder_remove_view(request: HttpRequest, service: Service, forwarder_id: int) -> HttpResponse:
    forwarder = get_object_or_404(service.forwarders, pk=forwarder_id)
    return _remove(
        request,
        service,
        lambda: services.forwarder_remove(service=service, forwarder=forwarder, request=request),
        "forwarders",
    )


@_service_post
def php_view(request: HttpRequest, service: Service) -> HttpResponse:
    form = PhpForm(request.POST, prefix="php")
    return _submit(
        request,
        service,
        form,
        "php_form",
        lambda data: services.php_version_set(service=service, version=data["version"], request=request),
        "php",
    )


@_service_post
def https_view(request: HttpRequest, service: Service) -> HttpResponse:
    form = HttpsForm(request.POST, prefix="https")
    return _submit(
        request,
        service,
        form,
        "https_form",
        lambda data: services.https_set(service=service, enabled=data["enabled"], request=request),
        "https",
    )


@_service_post
def restore_view(request: HttpRequest, service: Service) -> HttpResponse:
    form = RestoreForm(request.POST, prefix="restore", service=service)
    return _submit(
        request,
        service,
        form,
        "restore_form",
        lambda data: services.backup_restore(
            service=service, backup=data["backup"], request_key=data["request_key"], request=request
        ),
        "backups",
    )


def _remove(request: HttpRequest, service: Service, remove: Callable[[], Change], anchor: str) -> HttpResponse:
    try:
        change = remove()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed. The change is being applied: %(summary)s") % {"summary": change.summary})
    return redirect(f"{service.get_absolute_url()}#{anchor}")


@login_required
def changes_view(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_for(user=request.user, service_id=service_id)
    page = selectors.change_page(service=service, page=request.GET.get("page"))
    return render(request, "services/changes.html", {"service": service, "page": page})


@login_required
def activity_view(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_for(user=request.user, service_id=service_id)
    page = selectors.service_activity_page(service=service, page=request.GET.get("page"))
    return render(request, "services/activity.html", {"service": service, "page": page})
