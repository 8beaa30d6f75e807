"""The seam between the portal and the hosting control panel.

The portal stores what the customer wants (the desired state) and hands each ``Change`` to the
adapter named by the ``PROVISIONING_ADAPTER`` setting (a dotted path).  A real control-panel API
(DirectAdmin, Plesk, cPanel, a registrar) plugs in behind the same three methods.  The default
``RecordingAdapter`` applies nothing outside the portal: it records the payload it would send and
reports success, so the whole flow runs end to end in development and tests.

Whether a domain can still be registered is the registrar's answer (``domain_available``).  The
recording adapter has no registrar behind it, so it answers from what it knows: a domain the portal
already holds (a live hosting package, domain registration or alias of any customer) is taken, and so
is every name in ``SIMULATED_TAKEN`` (a fixed list, for tests and demos of the "taken" answer);
everything else is free.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ProvisioningError(Exception):
    """The control panel refused or could not apply a change; ``reason`` is shown to the customer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BackupInfo:
    reference: str
    taken_at: datetime
    size_bytes: int


# Domains the recording adapter reports as registered elsewhere (documented in the README's hosting part).
SIMULATED_TAKEN = frozenset({"bezet.nl", "taken.nl", "netrex.nl", "google.nl", "google.com"})


class ProvisioningAdapter:
    """The interface: apply one change, list a hosting package's backups, say whether a domain is free."""

    def apply(self, change) -> dict[str, Any]:
        """Apply ``change`` (a ``services.models.Change``) and return what was applied; raise ``ProvisioningError``."""
        raise NotImplementedError

    def backups(self, service) -> list[BackupInfo]:
        """The backups the control panel holds for ``service``."""
        raise NotImplementedError

    def domain_available(self, domain: str) -> bool:
        """Whether ``domain`` (a normalised name) can still be registered; raise ``ProvisioningError`` if unsure."""
        raise NotImplementedError


def payload_for(change) -> dict[str, Any]:
    """What a control panel needs to apply ``change``: the service's identity and the requested change."""
    service = change.service
    return {
        "change": change.pk,
        "kind": change.kind,
        "service": {"id": service.pk, "kind": service.kind, "domain": service.domain},
        "data": change.payload,
    }


class RecordingAdapter(ProvisioningAdapter):
    """Records what it would apply (in the change's ``result`` and the log) and reports success."""

    def apply(self, change) -> dict[str, Any]:
        payload = payload_for(change)
        # Ids and kinds only: the payload holds the customer's data (a forwarder's address, a domain).
        logger.info(
            "provisioning (recorded, not sent): change %s (%s) of service %s",
            change.pk,
            change.kind,
            change.service_id,
        )
        return payload

    def backups(self, service) -> list[BackupInfo]:
        now = timezone.now()
        taken = now.replace(hour=2, minute=0, second=0, microsecond=0)
        if taken > now:
            taken -= timedelta(days=1)
        return [BackupInfo(reference=f"{service.domain}-{taken:%Y%m%d}", taken_at=taken, size_bytes=0)]

    def domain_available(self, domain: str) -> bool:
        from hosting.models import DomainAlias, Service

        if domain in SIMULATED_TAKEN:
            return False
        held = (
            Service.objects.live().filter(kind__in=[Service.Kind.HOSTING, Service.Kind.DOMAIN], domain=domain).exists()
            or DomainAlias.objects.filter(name=domain, service__in=Service.objects.live()).exists()
        )
        return not held


class FailingAdapter(RecordingAdapter):
    """Refuses every change: proves the failed path (tests, and staging without a control panel)."""

    reason = "The control panel refused the change (test adapter)."

    def apply(self, change) -> dict[str, Any]:
        raise ProvisioningError(self.reason)


def get_adapter() -> ProvisioningAdapter:
    return import_string(settings.PROVISIONING_ADAPTER)()
