"""Receivers of the commerce apps' signals: a paid hosting product becomes a service.

Connected from ``ServicesConfig.ready`` only when the sending app is installed.  They call
services and hold no rules of their own; each is idempotent (a redelivered signal finds the
service by its unique ``source``).
"""

from django.utils.translation import gettext_noop

from hosting import services
from hosting.models import Change, Service

SERVICE_KINDS = {Service.Kind.HOSTING, Service.Kind.DOMAIN, Service.Kind.CERTIFICATE}


def order_paid_receiver(sender, order, **kwargs) -> None:
    """One service per paid hosting, domain or certificate line (the line keeps its product's kind)."""
    if order.user_id is None:
        return
    for line in order.lines.all():
        if line.kind in SERVICE_KINDS:
            services.service_create(
                user=order.user,
                kind=line.kind,
                domain=line.domain or "",
                source=f"order_line:{line.pk}",
            )


def _subscription_service(subscription) -> Service | None:
    return Service.objects.filter(source=f"subscription:{subscription.pk}").first()


def subscription_activated_receiver(sender, subscription, **kwargs) -> None:
    """A subscription plan is a hosting package; its domain is set by support (plans carry none)."""
    if subscription.user_id is None:
        return
    service = _subscription_service(subscription)
    if service is None:
        services.service_create(
            user=subscription.user,
            kind=Service.Kind.HOSTING,
            domain="",
            source=f"subscription:{subscription.pk}",
        )
    elif service.state == Service.State.SUSPENDED:
        services.service_reactivate(service=service, reason=services.REASON_PAYMENT_RECEIVED)


def subscription_past_due_receiver(sender, subscription, **kwargs) -> None:
    service = _subscription_service(subscription)
    if service is not None:
        services.service_suspend(service=service, reason=services.REASON_PAST_DUE)


def subscription_cancelled_receiver(sender, subscription, **kwargs) -> None:
    from django.utils import timezone

    service = _subscription_service(subscription)
    if service is None:
        return
    ends_on = subscription.paid_until or timezone.localdate()
    services.service_end_schedule(service=service, ends_on=ends_on, reason=services.REASON_CANCELLED)
    if ends_on <= timezone.localdate():
        services.service_end(service=service, reason=services.REASON_CANCELLED)


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
    for change_id in (
        Change.objects.filter(service__user=user, status=Change.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        change = services.change_apply(change_id=change_id)
        if change is not None and change.status == Change.Status.FAILED:
            raise ClosureBlocked(
                _(
                    "We could not end your services at our control panel just now, so we have not closed your "
                    "account. Please try again in a few minutes."
                )
            )


def closure_ends(user) -> list[str]:
    """What closure will end of this app, for the confirmation page (``accounts.closure.register_ending``)."""
    from django.utils.translation import gettext as _

    live = Service.objects.filter(user=user).exclude(state=Service.State.ENDED).order_by("pk")
    return [
        _("%(service)s: ended at our control panel, with its mail forwarders, aliases and DNS records")
        % {"service": f"{service.get_kind_display()} {service.domain}".strip()}
        for service in live
    ]
