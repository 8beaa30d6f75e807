"""Personal data held by the services app (purpose P2: the portal's management environment).

A customer's services and everything they set for them are kept until the end of the service to
them (C08): the register's "service_ended" rule starts when their last service ended
(``ServiceClock.service_ended_at``), or at account closure, whichever comes first.  The same clock
also decides when the activity log goes, through a second, unlisted declaration of
``portal.Activity`` (the accounts app lists and exports it).
"""

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
from portal.models import Activity
from privacy.declarations import Declaration, Erase, register
from privacy.register import Event

CLOCK = "user__service_clock__service_ended_at"
# What is set for a service goes with it, on the same clock.
CHILD_CLOCK = f"service__{CLOCK}"


def _describe_service(row: Service) -> str:
    return f"{row.get_kind_display()} {row.domain} ({row.get_state_display()})"


register(
    Declaration(
        model=Service,
        purpose="P2",
        fields=(
            "kind",
            "domain",
            "state",
            "state_reason",
            "php_version",
            "https_enabled",
            "created_at",
            "activated_at",
            "suspended_at",
            "ends_on",
            "ended_at",
        ),
        rule="service_ended",
        clock=CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        describe=_describe_service,
        label="Services",
    ),
    Declaration(
        model=Change,
        purpose="P2",
        owner="service__user",
        fields=("kind", "summary", "payload", "status", "reason", "created_at", "finished_at"),
        rule="service_ended",
        clock=CHILD_CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Service changes",
    ),
    Declaration(
        model=DomainAlias,
        purpose="P2",
        owner="service__user",
        fields=("name", "created_at"),
        rule="service_ended",
        clock=CHILD_CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Domain aliases",
    ),
    Declaration(
        model=DnsRecord,
        purpose="P2",
        owner="service__user",
        fields=("name", "rtype", "value", "ttl", "created_at"),
        rule="service_ended",
        clock=CHILD_CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="DNS records",
    ),
    Declaration(
        model=MailForwarder,
        purpose="P2",
        owner="service__user",
        fields=("local_part", "domain", "destination", "created_at"),
        rule="service_ended",
        clock=CHILD_CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Mail forwarders",
    ),
    Declaration(
        model=Backup,
        purpose="P2",
        owner="service__user",
        fields=("reference", "taken_at", "size_bytes"),
        rule="service_ended",
        clock=CHILD_CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Backups",
    ),
    Declaration(
        model=ServiceAddon,
        purpose="P2",
        owner="service__user",
        fields=("title", "started_at", "suspended_at", "ends_on", "ended_at"),
        rule="service_ended",
        clock=CHILD_CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Add-ons",
    ),
    Declaration(
        model=ServiceClock,
        purpose="P2",
        fields=("service_ended_at",),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="End of your last service",
    ),
    # The activity log (listed by accounts/privacy.py) goes when this clock runs out.
    Declaration(
        model=Activity,
        purpose="P2",
        fields=("action", "detail", "ip_address", "created_at"),
        rule="service_ended",
        clock=CLOCK,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        listed=False,
    ),
)
