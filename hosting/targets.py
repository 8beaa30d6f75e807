"""What the commerce apps may sell *for*: the customer's hosting packages and domains, and whether a new
domain can be registered.

Registered with ``portal.targets`` in ``HostingConfig.ready``, so orders and subscriptions, which sit
below this app, learn a customer's targets without importing it.  A target's ``ref`` is
``"service:<pk>"``; ``service_for_ref`` resolves it again when the purchase is paid, and only for the
buyer's own live service (a ref of someone else's, or of an ended service, resolves to nothing).
"""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hosting.models import Service
from hosting.provisioning import ProvisioningError, get_adapter
from hosting.validation import domain_validate
from portal.targets import Target

logger = logging.getLogger(__name__)

PREFIX = "service:"
TARGET_KINDS = (Service.Kind.HOSTING, Service.Kind.DOMAIN)


def ref_for(service: Service) -> str:
    return f"{PREFIX}{service.pk}"


def _label(service: Service) -> str:
    if service.domain:
        return f"{service.get_kind_display()} {service.domain}"
    return _("%(kind)s without a domain (no. %(number)s)") % {"kind": service.get_kind_display(), "number": service.pk}


def customer_targets(user) -> list[Target]:
    """The customer's hosting packages and domain registrations that have not ended, oldest first."""
    live = Service.objects.for_user(user).live().filter(kind__in=TARGET_KINDS).order_by("created_at", "pk")
    return [
        Target(ref=ref_for(service), kind=service.kind, domain=service.domain, label=_label(service))
        for service in live
    ]


def service_for_ref(*, user_id: int | None, ref: str) -> Service | None:
    """The buyer's own live hosting package or domain registration that ``ref`` names, or None."""
    if user_id is None or not ref or not ref.startswith(PREFIX):
        return None
    number = ref.removeprefix(PREFIX)
    if not number.isdigit():
        return None
    return (
        Service.objects.live().filter(user_id=user_id, kind__in=TARGET_KINDS, pk=int(number)).select_related("user")
    ).first()


def domain_check(domain: str) -> str | None:
    """Why ``domain`` cannot be registered for a new package, in the active language; None when it can."""
    try:
        name = domain_validate(domain)
    except ValidationError:
        return _("“%(value)s” is not a valid domain name.") % {"value": domain}
    try:
        available = get_adapter().domain_available(name)
    except ProvisioningError:
        logger.warning("domain check: the control panel did not answer")
        return _("We could not check whether %(domain)s is still free just now. Please try again in a few minutes.") % {
            "domain": name
        }
    if not available:
        return _("%(domain)s is already taken. Choose another domain name.") % {"domain": name}
    return None
