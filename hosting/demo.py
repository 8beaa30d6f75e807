"""Demo data: the demo customer's hosting package with a few settings, a domain and some backups."""

from hosting import services
from hosting.models import Service


def seed(*, customer, staff, stdout, options) -> None:
    if customer is None:
        return
    hosting, created = services.service_create(
        user=customer, kind=Service.Kind.HOSTING, domain="jansen-demo.nl", source="demo:hosting"
    )
    services.service_create(user=customer, kind=Service.Kind.DOMAIN, domain="jansen-demo.nl", source="demo:domain")
    if created:
        services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.10", ttl=3600)
        services.dns_record_add(service=hosting, name="@", rtype="MX", value="10 mx.netrex.nl", ttl=3600)
        services.forwarder_add(
            service=hosting, local_part="info", domain="jansen-demo.nl", destination=customer.email or "info@example.nl"
        )
    services.backups_record(service=hosting)
    stdout.write("services: demo hosting package jansen-demo.nl\n")
