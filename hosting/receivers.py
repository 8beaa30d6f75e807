"""Receivers of the commerce apps' signals: a paid hosting product becomes a service.

Connected from ``ServicesConfig.ready`` only when the sending app is installed.  They call
services and hold no rules of their own; each is idempotent (a redelivered signal finds the
service by its unique ``source``).
"""

import datetime
import logging
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from hosting import services
from hosting.models import Change, Service, ServiceAddon
from hosting.targets import service_for_ref

logger = logging.getLogger(__name__)

SERVICE_KINDS = {Service.Kind.HOSTING, Service.Kind.DOMAIN, Service.Kind.CERTIFICATE}
# Order lines that may be bought for a package (``OrderLine.target_ref``) rather than on their own.
ATTACHABLE_KINDS = {"addon", Service.Kind.CERTIFICATE}


def order_paid_receiver(sender, order, **kwargs) -> None:
    """One service per paid hosting, domain or certificate line; a line bought for a package attaches to it.

    An add-on or certificate line whose ``target_ref`` names a live service of the buyer becomes an
    add-on of that service.  A ref that is not the buyer's (someone else's service, an ended one, a
    tampered form) attaches nothing: it is logged for support, who settle it with the customer.
    """
    if order.user_id is None:
        return
    for line in order.lines.all():
        target_ref = getattr(line, "target_ref", "") or ""
        if target_ref and line.kind in ATTACHABLE_KINDS:
            target = service_for_ref(user_id=order.user_id, ref=target_ref)
            if target is None:
                logger.warning(
                    "order line %s: %r is not a live service of the buyer; nothing attached", line.pk, target_ref
                )
                continue
            services.addon_attach(service=target, title=line.description, source=f"order_line:{line.pk}")
        elif line.kind in SERVICE_KINDS:
            services.service_create(
                user=order.user,
                kind=line.kind,
                domain=line.domain or "",
                source=f"order_line:{line.pk}",
            )


def _source(subscription) -> str:
    return f"subscription:{subscription.pk}"


def _subscription_service(subscription) -> Service | None:
    return Service.objects.filter(source=_source(subscription)).first()


def _subscription_addon(subscription) -> ServiceAddon | None:
    return ServiceAddon.objects.filter(source=_source(subscription)).first()


def _plan_title(subscription) -> str:
    with translation.override(getattr(subscription.user, "language", None) or "nl"):
        return str(subscription.plan.title)


def subscription_activated_receiver(sender, subscription, **kwargs) -> None:
    """A plan runs for a hosting package: attached to the customer's chosen package, or a new package.

    The subscription names its target (``target_ref``, resolved again here: it must still be the
    customer's live package) or a new ``domain``; a chosen domain registration gets a new package for
    that domain.  Sent again when a past-due subscription is paid: what was suspended runs again.
    """
    if subscription.user_id is None:
        return
    addon = _subscription_addon(subscription)
    if addon is not None:
        services.addon_reactivate(addon=addon, reason=services.REASON_PAYMENT_RECEIVED)
        return
    service = _subscription_service(subscription)
    if service is not None:
        if service.state == Service.State.SUSPENDED:
            services.service_reactivate(service=service, reason=services.REASON_PAYMENT_RECEIVED)
        return
    target_ref = getattr(subscription, "target_ref", "") or ""
    target = service_for_ref(user_id=subscription.user_id, ref=target_ref) if target_ref else None
    if target_ref and target is None:
        logger.warning(
            "subscription %s: %r is no longer a live service of the customer; a new package is made",
            subscription.pk,
            target_ref,
        )
    if target is not None and target.kind == Service.Kind.HOSTING:
        services.addon_attach(service=target, title=_plan_title(subscription), source=_source(subscription))
        return
    domain = target.domain if target is not None else getattr(subscription, "domain", "") or ""
    services.service_create(
        user=subscription.user, kind=Service.Kind.HOSTING, domain=domain, source=_source(subscription)
    )


def subscription_past_due_receiver(sender, subscription, **kwargs) -> None:
    addon = _subscription_addon(subscription)
    if addon is not None:
        services.addon_suspend(addon=addon, reason=services.REASON_PAST_DUE)
    service = _subscription_service(subscription)
    if service is not None:
        services.service_suspend(service=service, reason=services.REASON_PAST_DUE)


def subscription_cancelled_receiver(sender, subscription, ends_on: datetime.date | None = None, **kwargs) -> None:
    """Cancelled: what the plan gives runs until ``ends_on`` (the subscription's one answer), then ends.

    When the paid period still runs, a package (or add-on) suspended only because a payment failed
    runs again until then; when nothing of the current period was paid, it ends now.
    """
    today = timezone.localdate()
    ends_on = ends_on or today
    paid = ends_on > today
    addon = _subscription_addon(subscription)
    if addon is not None:
        if paid:
            services.addon_reactivate(addon=addon, reason=services.REASON_CANCELLED_PAID)
            services.addon_end_schedule(addon=addon, ends_on=ends_on, reason=services.REASON_CANCELLED_PAID)
        else:
            services.addon_end(addon=addon, reason=services.REASON_CANCELLED_UNPAID)
    service = _subscription_service(subscription)
    if service is None:
        return
    if paid:
        if service.state == Service.State.SUSPENDED and service.state_reason == services.REASON_PAST_DUE:
            services.service_reactivate(service=service, reason=services.REASON_CANCELLED_PAID)
        services.service_end_schedule(service=service, ends_on=ends_on, reason=services.REASON_CANCELLED_PAID)
    else:
        services.service_end_schedule(service=service, ends_on=ends_on, reason=services.REASON_CANCELLED_UNPAID)
        services.service_end(service=service, reason=services.REASON_CANCELLED_UNPAID)


REASON_REFUNDED = gettext_noop("The order was refunded in full.")


def _from_order(order) -> tuple[list[Service], list[ServiceAddon]]:
    """The live services and add-ons the lines of ``order`` gave (their ``source`` names the line)."""
    sources = [f"order_line:{pk}" for pk in order.lines.values_list("pk", flat=True)]
    live_services = list(Service.objects.filter(source__in=sources).exclude(state=Service.State.ENDED).order_by("pk"))
    addons = list(ServiceAddon.objects.live().filter(source__in=sources).select_related("service").order_by("pk"))
    return live_services, addons


def _refunded_in_full(payment, more: Decimal = Decimal("0")) -> bool:
    """Whether what was refunded of ``payment`` (and ``more``, about to be) is all that was paid."""
    from payments.services import refunded_amount

    return payment.amount > 0 and refunded_amount(payment) + more >= payment.amount


def _names(live_services: list[Service], addons: list[ServiceAddon]) -> str:
    return ", ".join(
        [f"{service.get_kind_display()} {service.domain}".strip() for service in live_services]
        + [
            addon.title if addon.service.domain in addon.title else f"{addon.title} ({addon.service.domain})"
            for addon in addons
        ]
    )


def refund_status_changed(sender, *, refund, previous_status: str = "", **kwargs) -> None:
    """An order refunded in full ends what it gave: its packages, domains, certificates and add-ons, at once.

    Only a refund Mollie accepted counts (a failed or cancelled one refunds nothing), and only when it
    makes the refunds of the payment add up to all that was paid: after a partial refund (a goodwill
    gesture, one line of several) everything keeps running, as finance's confirmation page says
    (``refund_effect``).  A refund that fails later does not bring an ended service back: support orders
    it again.
    """
    from orders.selectors import order_paid_by
    from payments.models import Refund

    if previous_status != "" or refund.status in Refund.VOID_STATUSES:
        return
    order = order_paid_by(refund.payment)
    if order is None or not _refunded_in_full(refund.payment):
        return
    live_services, addons = _from_order(order)
    for service in live_services:
        services.service_end(service=service, reason=REASON_REFUNDED)
    for addon in addons:
        services.addon_end(addon=addon, reason=REASON_REFUNDED)


def refund_effect(payment, amount) -> list:
    """For finance's refund confirmation: what of the order's services this refund ends, or keeps running."""
    from django.utils.translation import gettext as _

    from orders.selectors import order_paid_by
    from payments.handlers import RefundEffect

    order = order_paid_by(payment)
    if order is None:
        return []
    live_services, addons = _from_order(order)
    if not live_services and not addons:
        return []
    names = _names(live_services, addons)
    if _refunded_in_full(payment, Decimal(amount)):
        return [
            RefundEffect(
                _("This refunds the whole order. Ended at once, also if the refund fails later: %(items)s.")
                % {"items": names},
                warning=True,
            )
        ]
    return [RefundEffect(_("This refund is partial. Keeps running: %(items)s.") % {"items": names})]


REASON_ACCOUNT_CLOSED = gettext_noop("The account was closed.")


def account_closing_receiver(sender, *, user, **kwargs) -> None:
    """Before an account is erased, every service is ended at the control panel, now.

    Ending a package removes what hangs under it there (mail forwarders, aliases, DNS records).  The
    end is applied through the provisioning adapter at once rather than by the queued task, because
    closure deletes the service rows right after: a task that ran later would find nothing to end,
    and a forwarder to the customer's address would stay live.  When the control panel refuses, the
    account is not closed (``ClosureBlocked``) and the customer is asked to try again.
    """
    from django.utils.translation import gettext as _

    from accounts.closure import ClosureBlocked

    for service in Service.objects.filter(user=user).exclude(state=Service.State.ENDED).order_by("pk"):
        services.service_end(service=service, reason=REASON_ACCOUNT_CLOSED)
    # Every end must be applied at the control panel before anything is erased.  Outside a transaction
    # the queued task may already have run (and failed): a failed end is tried again here, once, now.
    unfinished = Change.objects.filter(service__user=user, kind=Change.Kind.SERVICE_END).exclude(
        status=Change.Status.APPLIED
    )
    for change_id in unfinished.order_by("pk").values_list("pk", flat=True):
        Change.objects.filter(pk=change_id, status=Change.Status.FAILED).update(status=Change.Status.PENDING)
        change = services.change_apply(change_id=change_id)
        if change is not None and change.status != Change.Status.APPLIED:
            raise ClosureBlocked(
                _(
                    "We could not end your services at our control panel just now, so we have not closed your "
                    "account. Please try again in a few minutes."
                )
            )
    # Other changes still waiting (a forwarder, a DNS record) are applied too, or they would be lost with the rows.
    for change_id in (
        Change.objects.filter(service__user=user, status=Change.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        services.change_apply(change_id=change_id)


def closure_ends(user) -> list[str]:
    """What closure will end of this app, for the confirmation page (``accounts.closure.register_ending``)."""
    from django.utils.translation import gettext as _

    live = Service.objects.filter(user=user).exclude(state=Service.State.ENDED).order_by("pk")
    return [
        _("%(service)s: ended at our control panel, with its mail forwarders, aliases and DNS records")
        % {"service": f"{service.get_kind_display()} {service.domain}".strip()}
        for service in live
    ]
