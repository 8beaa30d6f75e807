"""Writes of the services app: a service's life cycle and every change a customer (or staff on their
behalf) makes to it.

Each function runs in one transaction, stores the desired state, writes the activity-log row
(``detail`` names the service and what changed) and queues the ``Change`` for the provisioning
adapter after commit.  Bad input raises ``ValidationError`` keyed by form field, in the customer's
language.
"""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from hosting import validation
from hosting.activity import Action as ActivityAction
from hosting.domains import domain_ownership_check
from hosting.models import (
    Backup,
    Change,
    DnsRecord,
    DomainAlias,
    MailForwarder,
    Service,
    ServiceAddon,
    ServiceClock,
)
from hosting.provisioning import ProvisioningError, get_adapter
from portal.activity import activity_record

# System reasons are stored in English and translated when shown (they are in the catalogue).
REASON_PAST_DUE = gettext_noop("Payment is past due.")
REASON_PAYMENT_RECEIVED = gettext_noop("Payment received.")
REASON_PERIOD_ENDED = gettext_noop("The paid period has ended.")
REASON_CANCELLED = gettext_noop("The subscription was cancelled.")
REASON_CANCELLED_PAID = gettext_noop("The subscription was cancelled; it runs until the end of the paid period.")
REASON_CANCELLED_UNPAID = gettext_noop("The subscription was cancelled and the current period was not paid.")


def _record(
    *,
    service: Service,
    action: str,
    summary: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    change: Change | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    detail = {"service": service.pk, "summary": summary, **(extra or {})}
    if change is not None:
        detail["change"] = change.pk
    activity_record(user=service.user, action=action, request=request, actor=actor, detail=detail)


def _queue(*, service: Service, kind: str, summary: str, payload: dict, request_key: uuid.UUID | None = None) -> Change:
    from hosting.tasks import change_apply

    change = Change.objects.create(
        service=service, kind=kind, summary=summary[:500], payload=payload, request_key=request_key
    )
    change_apply.delay_on_commit(change.pk)
    return change


def _lock(service: Service) -> Service:
    return Service.objects.select_for_update().select_related("user").get(pk=service.pk)


def _check(field: str, check: Callable, *args, **kwargs):
    """Run a validation function and key its error by form field."""
    try:
        return check(*args, **kwargs)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _require_open(service: Service, *kinds: str) -> None:
    if kinds and service.kind not in kinds:
        raise ValidationError(_("This setting does not exist for this kind of service."))
    if not service.accepts_changes:
        raise ValidationError(
            _("This service is %(state)s; it cannot be changed now.") % {"state": service.get_state_display().lower()}
        )


def _require_zone(service: Service) -> str:
    if not service.domain:
        raise ValidationError(_("This service has no domain yet; please contact support."))
    return service.domain


# --- the end-of-service clock (C08) ---------------------------------------------------------------


def _clock_stop(user: User) -> None:
    """A new service stops the clock of the register's "service_ended" rule."""
    ServiceClock.objects.update_or_create(user=user, defaults={"service_ended_at": None})


def _clock_start_if_last(user: User, when: datetime.datetime) -> None:
    if not Service.objects.for_user(user).live().exists():
        ServiceClock.objects.update_or_create(user=user, defaults={"service_ended_at": when})


# --- life cycle ------------------------------------------------------------------------------------


@transaction.atomic
def service_create(
    *,
    user: User,
    kind: str,
    domain: str,
    source: str,
    ends_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[Service, bool]:
    """The service a paid order line or an activated subscription gives; idempotent on ``source``."""
    try:
        domain = validation.domain_validate(domain) if domain else ""
    except ValidationError:
        domain = ""
    php = settings.SERVICES_PHP_DEFAULT if kind == Service.Kind.HOSTING else ""
    service, created = Service.objects.get_or_create(
        source=source,
        defaults={"user": user, "kind": kind, "domain": domain, "ends_on": ends_on, "php_version": php},
    )
    if not created:
        return service, False
    _clock_stop(user)
    summary = f"{service.get_kind_display()} {domain}".strip()
    change = _queue(
        service=service,
        kind=Change.Kind.SERVICE_SETUP,
        summary=summary,
        payload={"domain": domain, "php_version": php, "https": service.https_enabled},
    )
    _record(
        service=service,
        action=ActivityAction.SERVICE_STARTED,
        summary=summary,
        request=request,
        change=change,
        extra={"source": source},
    )
    return service, True


def service_domain_set(*, service: Service, domain: str, request: HttpRequest | None = None) -> Change | None:
    """Set the main domain (support does this for a subscription, whose plan names none).

    The package's certificate is made for it, so it must be a domain the customer holds through
    another service or has proven (DNS is asked before the transaction).
    """
    domain = _check("domain", validation.domain_validate, domain)
    # Compared with the stored domain: the admin hands over an instance its form has already changed.
    if domain != Service.objects.filter(pk=service.pk).values_list("domain", flat=True).first():
        domain_ownership_check(user_id=service.user_id, domain=domain, field="domain")
    return _service_domain_set(service=service, domain=domain, request=request)


@transaction.atomic
def _service_domain_set(*, service: Service, domain: str, request: HttpRequest | None) -> Change | None:
    service = _lock(service)
    if domain == service.domain:
        return None
    summary = f"{service.domain or '-'} → {domain}"
    service.domain = domain
    service.save(update_fields=["domain"])
    change = _queue(service=service, kind=Change.Kind.DOMAIN_SET, summary=summary, payload={"domain": domain})
    _record(service=service, action=ActivityAction.DOMAIN_CHANGED, summary=summary, request=request, change=change)
    return change


def _service_activate(service: Service) -> None:
    if service.state == Service.State.SETTING_UP:
        service.state = Service.State.ACTIVE
        service.activated_at = timezone.now()
        service.save(update_fields=["state", "activated_at"])


def _state_change(
    *,
    service: Service,
    state: str,
    timestamps: dict,
    reason: str,
    kind: str,
    action: str,
    request: HttpRequest | None,
    actor: User | None,
) -> None:
    """Move a locked service to ``state`` with its reason, hand it to provisioning and log it (C07)."""
    service.state = state
    for name, value in timestamps.items():
        setattr(service, name, value)
    service.state_reason = reason[:300]
    service.save(update_fields=["state", *timestamps, "state_reason"])
    change = _queue(service=service, kind=kind, summary=reason, payload={"reason": reason})
    _record(service=service, action=action, summary=reason, request=request, actor=actor, change=change)


@transaction.atomic
def service_suspend(
    *, service: Service, reason: str, request: HttpRequest | None = None, actor: User | None = None
) -> bool:
    service = _lock(service)
    if service.state in (Service.State.SUSPENDED, Service.State.ENDED):
        return False
    _state_change(
        service=service,
        state=Service.State.SUSPENDED,
        timestamps={"suspended_at": timezone.now()},
        reason=reason,
        kind=Change.Kind.SERVICE_SUSPEND,
        action=ActivityAction.SERVICE_SUSPENDED,
        request=request,
        actor=actor,
    )
    return True


@transaction.atomic
def service_reactivate(
    *, service: Service, reason: str, request: HttpRequest | None = None, actor: User | None = None
) -> bool:
    service = _lock(service)
    if service.state != Service.State.SUSPENDED:
        return False
    _state_change(
        service=service,
        state=Service.State.ACTIVE if service.activated_at else Service.State.SETTING_UP,
        timestamps={"suspended_at": None},
        reason=reason,
        kind=Change.Kind.SERVICE_REACTIVATE,
        action=ActivityAction.SERVICE_REACTIVATED,
        request=request,
        actor=actor,
    )
    return True


@transaction.atomic
def service_end(
    *, service: Service, reason: str, request: HttpRequest | None = None, actor: User | None = None
) -> bool:
    """End the service now; when it was the customer's last live service, the P2 clock starts (C08)."""
    service = _lock(service)
    if service.state == Service.State.ENDED:
        return False
    now = timezone.now()
    _state_change(
        service=service,
        state=Service.State.ENDED,
        timestamps={"ended_at": now},
        reason=reason,
        kind=Change.Kind.SERVICE_END,
        action=ActivityAction.SERVICE_ENDED,
        request=request,
        actor=actor,
    )
    # Ending the package at the control panel removes what hangs under it, its add-ons too.
    service.addons.live().update(ended_at=now)
    _clock_start_if_last(service.user, now)
    return True


@transaction.atomic
def service_end_schedule(*, service: Service, ends_on: datetime.date, reason: str) -> bool:
    """End the service at the end of its paid period (the periodic ``services_end_due`` ends it)."""
    service = _lock(service)
    if service.state == Service.State.ENDED or service.ends_on == ends_on:
        return False
    service.ends_on = ends_on
    service.state_reason = reason[:300]
    service.save(update_fields=["ends_on", "state_reason"])
    # The summary is the reason alone (a catalogue key, translated when shown); the date sits beside it.
    _record(
        service=service,
        action=ActivityAction.SERVICE_END_SCHEDULED,
        summary=reason,
        extra={"ends_on": ends_on.isoformat()},
    )
    return True


def services_end_due(*, today: datetime.date | None = None, batch: int = 500) -> int:
    """End the services and add-ons whose end date has passed, each in its own transaction; safe to re-run."""
    today = today or timezone.localdate()
    ended = 0
    for service in Service.objects.due_to_end(today).order_by("ends_on", "pk")[:batch]:
        ended += service_end(service=service, reason=REASON_PERIOD_ENDED)
    for addon in ServiceAddon.objects.due_to_end(today).order_by("ends_on", "pk")[:batch]:
        ended += addon_end(addon=addon, reason=REASON_PERIOD_ENDED)
    return ended


# --- add-ons: what is bought for a package ------------------------------------------------------------


def _addon_lock(addon: ServiceAddon) -> ServiceAddon:
    return ServiceAddon.objects.select_for_update().select_related("service__user").get(pk=addon.pk)


def _addon_change(*, addon: ServiceAddon, kind: str, action: str, reason: str) -> None:
    """Hand an add-on's change to the control panel and log it on its service (C07)."""
    change = _queue(
        service=addon.service,
        kind=kind,
        summary=addon.title,
        payload={"addon": addon.pk, "title": addon.title, "source": addon.source, "reason": reason},
    )
    _record(
        service=addon.service,
        action=action,
        summary=reason or addon.title,
        change=change,
        extra={"addon": addon.pk, **({"title": addon.title} if reason else {})},
    )


@transaction.atomic
def addon_attach(*, service: Service, title: str, source: str) -> tuple[ServiceAddon, bool]:
    """Attach what was bought for ``service`` (idempotent on ``source``); nothing attaches to an ended service."""
    service = _lock(service)
    existing = ServiceAddon.objects.filter(source=source).first()
    if existing is not None:
        return existing, False
    if service.state == Service.State.ENDED:
        raise ValidationError(_("This service has ended; nothing can be added to it."))
    addon = ServiceAddon.objects.create(service=service, title=title[:255], source=source)
    _addon_change(addon=addon, kind=Change.Kind.ADDON_ADD, action=ActivityAction.ADDON_ADDED, reason="")
    return addon, True


@transaction.atomic
def addon_suspend(*, addon: ServiceAddon, reason: str) -> bool:
    addon = _addon_lock(addon)
    if addon.ended_at or addon.suspended_at:
        return False
    addon.suspended_at = timezone.now()
    addon.save(update_fields=["suspended_at"])
    _addon_change(addon=addon, kind=Change.Kind.ADDON_SUSPEND, action=ActivityAction.ADDON_SUSPENDED, reason=reason)
    return True


@transaction.atomic
def addon_reactivate(*, addon: ServiceAddon, reason: str) -> bool:
    addon = _addon_lock(addon)
    if addon.ended_at or not addon.suspended_at:
        return False
    addon.suspended_at = None
    addon.save(update_fields=["suspended_at"])
    _addon_change(
        addon=addon, kind=Change.Kind.ADDON_REACTIVATE, action=ActivityAction.ADDON_REACTIVATED, reason=reason
    )
    return True


@transaction.atomic
def addon_end_schedule(*, addon: ServiceAddon, ends_on: datetime.date, reason: str) -> bool:
    """End the add-on at the end of its paid period (the periodic ``services_end_due`` ends it)."""
    addon = _addon_lock(addon)
    if addon.ended_at or addon.ends_on == ends_on:
        return False
    addon.ends_on = ends_on
    addon.save(update_fields=["ends_on"])
    _record(
        service=addon.service,
        action=ActivityAction.ADDON_END_SCHEDULED,
        summary=reason,
        extra={"addon": addon.pk, "title": addon.title, "ends_on": ends_on.isoformat()},
    )
    return True


@transaction.atomic
def addon_end(*, addon: ServiceAddon, reason: str) -> bool:
    addon = _addon_lock(addon)
    if addon.ended_at:
        return False
    addon.ended_at = timezone.now()
    addon.save(update_fields=["ended_at"])
    _addon_change(addon=addon, kind=Change.Kind.ADDON_END, action=ActivityAction.ADDON_ENDED, reason=reason)
    return True


# --- the control panel -----------------------------------------------------------------------------


def change_apply(*, change_id: int) -> Change | None:
    """Hand a pending change to the provisioning adapter and store the outcome; a finished change is left alone."""
    with transaction.atomic():
        change = Change.objects.select_for_update().select_related("service").filter(pk=change_id).first()
        if change is None or change.status != Change.Status.PENDING:
            return change
        try:
            change.result = get_adapter().apply(change)
        except ProvisioningError as error:
            change.status = Change.Status.FAILED
            change.reason = str(error.reason)[:500]
        else:
            change.status = Change.Status.APPLIED
        change.finished_at = timezone.now()
        change.save(update_fields=["status", "reason", "result", "finished_at"])
        if change.status == Change.Status.APPLIED and change.kind == Change.Kind.SERVICE_SETUP:
            _service_activate(change.service)
        return change


def backups_record(*, service: Service) -> int:
    """Store the backups the control panel reports for a hosting package; keep the newest few."""
    infos = get_adapter().backups(service)
    with transaction.atomic():
        Backup.objects.bulk_create(
            [
                Backup(service=service, reference=i.reference, taken_at=i.taken_at, size_bytes=i.size_bytes)
                for i in infos
            ],
            ignore_conflicts=True,
        )
        keep = service.backups.order_by("-taken_at", "-id").values_list("pk", flat=True)[
            : settings.SERVICES_BACKUPS_KEEP
        ]
        service.backups.exclude(pk__in=list(keep)).delete()
    return len(infos)


# --- what the customer sets ------------------------------------------------------------------------


def alias_add(*, service: Service, name: str, request: HttpRequest | None = None) -> Change:
    """Add an alias for a domain the customer holds or has proven (DNS is asked before the transaction)."""
    _require_open(service, Service.Kind.HOSTING)
    name = _check("name", validation.domain_validate, name)
    domain_ownership_check(user_id=service.user_id, domain=name, field="name")
    return _alias_add(service=service, name=name, request=request)


@transaction.atomic
def _alias_add(*, service: Service, name: str, request: HttpRequest | None) -> Change:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING)
    name = _check("name", validation.domain_validate, name)
    if name == service.domain or service.aliases.filter(name=name).exists():
        raise ValidationError({"name": _("%(name)s is already a name of this service.") % {"name": name}})
    # The customer's own domain registration is what an alias is for; any other service of the name is a clash.
    in_use = (
        Service.objects.live().filter(domain=name).exclude(user=service.user, kind=Service.Kind.DOMAIN).exists()
        or DomainAlias.objects.filter(
            name=name, service__state__in=[Service.State.SETTING_UP, Service.State.ACTIVE, Service.State.SUSPENDED]
        ).exists()
    )
    if in_use:
        raise ValidationError({"name": _("%(name)s is already in use by another service.") % {"name": name}})
    summary = f"alias {name}"
    change = _queue(service=service, kind=Change.Kind.ALIAS_ADD, summary=summary, payload={"name": name})
    DomainAlias.objects.create(service=service, name=name, change=change)
    _record(service=service, action=ActivityAction.ALIAS_ADDED, summary=summary, request=request, change=change)
    return change


@transaction.atomic
def alias_remove(*, service: Service, alias: DomainAlias, request: HttpRequest | None = None) -> Change:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING)
    summary = f"alias {alias.name}"
    change = _queue(service=service, kind=Change.Kind.ALIAS_REMOVE, summary=summary, payload={"name": alias.name})
    alias.delete()
    _record(service=service, action=ActivityAction.ALIAS_REMOVED, summary=summary, request=request, change=change)
    return change


def dns_record_add(
    *, service: Service, name: str, rtype: str, value: str, ttl: int, request: HttpRequest | None = None
) -> Change:
    """Add a record to the service's zone, a domain the customer holds or has proven (DNS is asked first)."""
    _require_open(service, Service.Kind.HOSTING, Service.Kind.DOMAIN)
    domain_ownership_check(user_id=service.user_id, domain=_require_zone(service))
    return _dns_record_add(service=service, name=name, rtype=rtype, value=value, ttl=ttl, request=request)


@transaction.atomic
def _dns_record_add(
    *, service: Service, name: str, rtype: str, value: str, ttl: int, request: HttpRequest | None
) -> Change:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING, Service.Kind.DOMAIN)
    zone = _require_zone(service)
    if rtype not in DnsRecord.Type.values:
        raise ValidationError({"rtype": _("Choose one of the record types in the list.")})
    name = _check("name", validation.record_name_validate, name, zone=zone)
    value = _check("value", validation.record_value_validate, rtype, value)
    ttl = _check("ttl", validation.ttl_validate, ttl)
    at_name = service.dns_records.filter(name=name)
    if rtype == DnsRecord.Type.CNAME:
        if name == zone:
            raise ValidationError({"name": _("A CNAME record cannot be placed on the domain itself.")})
        if at_name.exists():
            raise ValidationError(
                {
                    "name": _("%(name)s already has other records; a CNAME record cannot sit beside them.")
                    % {"name": name}
                }
            )
    elif at_name.filter(rtype=DnsRecord.Type.CNAME).exists():
        raise ValidationError(
            {"name": _("%(name)s has a CNAME record; no other record can sit beside it.") % {"name": name}}
        )
    if at_name.filter(rtype=rtype, value=value).exists():
        raise ValidationError({"value": _("This record already exists.")})
    summary = f"DNS {rtype} {name} → {value}"
    change = _queue(
        service=service,
        kind=Change.Kind.DNS_ADD,
        summary=summary,
        payload={"name": name, "type": rtype, "value": value, "ttl": ttl},
    )
    DnsRecord.objects.create(service=service, name=name, rtype=rtype, value=value, ttl=ttl, change=change)
    _record(service=service, action=ActivityAction.DNS_ADDED, summary=summary, request=request, change=change)
    return change


@transaction.atomic
def dns_record_remove(*, service: Service, record: DnsRecord, request: HttpRequest | None = None) -> Change:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING, Service.Kind.DOMAIN)
    summary = f"DNS {record.rtype} {record.name} → {record.value}"
    change = _queue(
        service=service,
        kind=Change.Kind.DNS_REMOVE,
        summary=summary,
        payload={"name": record.name, "type": record.rtype, "value": record.value},
    )
    record.delete()
    _record(service=service, action=ActivityAction.DNS_REMOVED, summary=summary, request=request, change=change)
    return change


def customer_domains(user: User) -> list[str]:
    """The domains of the customer's live hosting and domain services, and their aliases."""
    live = Service.objects.for_user(user).live().filter(kind__in=[Service.Kind.HOSTING, Service.Kind.DOMAIN])
    domains = set(live.exclude(domain="").values_list("domain", flat=True))
    domains.update(DomainAlias.objects.filter(service__in=live).values_list("name", flat=True))
    return sorted(domains)


def forwarder_add(
    *, service: Service, local_part: str, domain: str, destination: str, request: HttpRequest | None = None
) -> Change:
    """Forward mail of a domain the customer holds or has proven (DNS is asked before the transaction)."""
    _require_open(service, Service.Kind.HOSTING, Service.Kind.DOMAIN)
    domain = (domain or "").strip().lower()
    if domain not in customer_domains(service.user):
        raise ValidationError({"domain": _("Choose one of your own domains.")})
    domain_ownership_check(user_id=service.user_id, domain=domain, field="domain")
    return _forwarder_add(
        service=service, local_part=local_part, domain=domain, destination=destination, request=request
    )


@transaction.atomic
def _forwarder_add(
    *, service: Service, local_part: str, domain: str, destination: str, request: HttpRequest | None
) -> Change:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING, Service.Kind.DOMAIN)
    local_part = _check("local_part", validation.local_part_validate, local_part)
    if domain not in customer_domains(service.user):
        raise ValidationError({"domain": _("Choose one of your own domains.")})
    destination = _check("destination", validation.destination_validate, destination)
    address = f"{local_part}@{domain}"
    if destination.lower() == address:
        raise ValidationError({"destination": _("An address cannot forward to itself.")})
    exists = MailForwarder.objects.filter(
        service__user=service.user, local_part=local_part, domain=domain, destination__iexact=destination
    ).exists()
    if exists:
        raise ValidationError({"destination": _("This forwarder already exists.")})
    summary = f"{address} → {destination}"
    change = _queue(
        service=service,
        kind=Change.Kind.FORWARDER_ADD,
        summary=summary,
        payload={"address": address, "destination": destination},
    )
    MailForwarder.objects.create(
        service=service, local_part=local_part, domain=domain, destination=destination, change=change
    )
    _record(service=service, action=ActivityAction.FORWARDER_ADDED, summary=summary, request=request, change=change)
    return change


@transaction.atomic
def forwarder_remove(*, service: Service, forwarder: MailForwarder, request: HttpRequest | None = None) -> Change:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING, Service.Kind.DOMAIN)
    summary = f"{forwarder.address} → {forwarder.destination}"
    change = _queue(
        service=service,
        kind=Change.Kind.FORWARDER_REMOVE,
        summary=summary,
        payload={"address": forwarder.address, "destination": forwarder.destination},
    )
    forwarder.delete()
    _record(service=service, action=ActivityAction.FORWARDER_REMOVED, summary=summary, request=request, change=change)
    return change


@transaction.atomic
def php_version_set(*, service: Service, version: str, request: HttpRequest | None = None) -> Change | None:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING)
    if version not in settings.SERVICES_PHP_VERSIONS:
        raise ValidationError({"version": _("Choose one of the PHP versions in the list.")})
    if version == service.php_version:
        return None
    summary = f"PHP {service.php_version or '-'} → {version}"
    service.php_version = version
    service.save(update_fields=["php_version"])
    change = _queue(service=service, kind=Change.Kind.PHP_SET, summary=summary, payload={"php_version": version})
    _record(service=service, action=ActivityAction.PHP_CHANGED, summary=summary, request=request, change=change)
    return change


@transaction.atomic
def https_set(*, service: Service, enabled: bool, request: HttpRequest | None = None) -> Change | None:
    service = _lock(service)
    _require_open(service, Service.Kind.HOSTING)
    if enabled == service.https_enabled:
        return None
    summary = f"HTTPS {'✓' if enabled else '✗'} {service.domain}"
    service.https_enabled = enabled
    service.save(update_fields=["https_enabled"])
    change = _queue(service=service, kind=Change.Kind.HTTPS_SET, summary=summary, payload={"https": enabled})
    _record(service=service, action=ActivityAction.HTTPS_CHANGED, summary=summary, request=request, change=change)
    return change


def _credits_spend(*, user: User, amount: int, idempotency_key: str, reason: str, request: HttpRequest | None) -> None:
    if not apps.is_installed("credits"):
        raise ValidationError(_("Paying with credits is not available yet; please contact support."))
    from credits.services import InsufficientCredits, credits_spend

    try:
        credits_spend(user=user, amount=amount, idempotency_key=idempotency_key, reason=reason, request=request)
    except InsufficientCredits:
        raise ValidationError(
            _("You do not have enough credits: restoring a backup costs %(cost)s credits.") % {"cost": amount}
        ) from None


@transaction.atomic
def backup_restore(
    *, service: Service, backup: Backup, request_key: uuid.UUID, request: HttpRequest | None = None
) -> Change:
    """Restore a backup, paid with credits; the same ``request_key`` (one form) never pays or restores twice."""
    service = _lock(service)
    existing = Change.objects.filter(request_key=request_key).first()
    if existing is not None:
        if existing.service_id != service.pk:
            raise ValidationError(_("This request was already used; please reload the page."))
        return existing
    _require_open(service, Service.Kind.HOSTING)
    if backup.service_id != service.pk:
        raise ValidationError({"backup": _("Choose one of the backups in the list.")})
    cost = settings.SERVICES_RESTORE_CREDITS
    summary = f"backup {backup.reference} ({backup.taken_at:%Y-%m-%d %H:%M})"
    _credits_spend(
        user=service.user,
        amount=cost,
        idempotency_key=f"services-restore-{request_key}",
        reason=f"{service.domain}: {summary}",
        request=request,
    )
    change = _queue(
        service=service,
        kind=Change.Kind.BACKUP_RESTORE,
        summary=summary,
        payload={"backup": backup.reference, "taken_at": backup.taken_at.isoformat(), "credits": cost},
        request_key=request_key,
    )
    _record(
        service=service,
        action=ActivityAction.BACKUP_RESTORE,
        summary=summary,
        request=request,
        change=change,
        extra={"credits": cost},
    )
    return change
