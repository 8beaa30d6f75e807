"""Receivers of the commerce apps' signals: a paid hosting product becomes a service.

Connected from ``ServicesConfig.ready`` only when the sending app is installed.  They call
services and hold no rules of their own; each is idempotent (a redelivered signal finds the
service by its unique ``source``).
"""

from hosting import services
from hosting.models import Service

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
