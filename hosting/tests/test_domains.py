"""Domain ownership: an alias, a mail forwarder, a DNS zone or a hosting's certificate only for a domain the
customer holds in the portal or has proven with the TXT record ``_netrex-verify.<domain>`` (C36).

DNS is the static resolver of the test settings (``DOMAIN_VERIFY_STATIC_TXT``, filled by the ``prove``
fixture) or a callable of this module: no query leaves the test.
"""

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hosting import domains, services
from hosting.models import Change, DomainAlias, Service
from portal.models import Activity

pytestmark = pytest.mark.clause("C36")


def resolver_timing_out(name: str) -> list[str]:
    raise dns.exception.Timeout(timeout=2.0)


def resolver_without_name_servers(name: str) -> list[str]:
    raise dns.resolver.NoNameservers()


def resolver_never_asked(name: str) -> list[str]:
    raise AssertionError(f"DNS was asked for {name}, though the customer holds the domain")


def _nothing_changed(service, *, changes: int, activity: int) -> None:
    assert service.changes.count() == changes
    assert Activity.objects.filter(user=service.user).count() == activity


def _counts(service) -> dict[str, int]:
    return {"changes": service.changes.count(), "activity": Activity.objects.filter(user=service.user).count()}


# --- refused ---------------------------------------------------------------------------------------


def _tasks(queued) -> list:
    """What was queued for after the commit, but the renewal of the customer's cached pages (a session save)."""
    return [callback for callback in queued if "now_and_on_commit" not in callback.__qualname__]


def test_google_com_as_an_alias_is_refused_in_dutch_with_the_txt_record_and_nothing_is_queued(
    customer_client, hosting, django_capture_on_commit_callbacks
):
    before = _counts(hosting)
    with django_capture_on_commit_callbacks() as queued:
        response = customer_client.post(reverse("services:alias_add", args=[hosting.pk]), {"alias-name": "google.com"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "google.com is niet een van je domeinen." in html
    proof = domains.proof_for(user_id=hosting.user_id, domain="google.com")
    assert proof.name == "_netrex-verify.google.com"
    assert proof.name in html and proof.value in html
    assert "Maak dit TXT-record aan in de DNS van google.com" in html
    assert _tasks(queued) == []
    assert not hosting.aliases.exists()
    _nothing_changed(hosting, **before)


def test_a_forwarder_at_google_com_is_refused(customer_client, hosting, django_capture_on_commit_callbacks):
    # An alias stored before ownership was checked still lists google.com among the customer's domains.
    DomainAlias.objects.create(service=hosting, name="google.com")
    before = _counts(hosting)
    data = {"fwd-local_part": "ceo", "fwd-domain": "google.com", "fwd-destination": "buit@gmail.com"}
    with django_capture_on_commit_callbacks() as queued:
        response = customer_client.post(reverse("services:forwarder_add", args=[hosting.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "google.com is niet een van je domeinen." in html
    assert domains.proof_for(user_id=hosting.user_id, domain="google.com").value in html
    assert _tasks(queued) == [] and not hosting.forwarders.exists()
    _nothing_changed(hosting, **before)
    with pytest.raises(ValidationError) as error:
        services.forwarder_add(service=hosting, local_part="ceo", domain="gmail.com", destination="buit@gmail.com")
    assert "domain" in error.value.message_dict


def test_a_dns_record_for_a_zone_not_held_is_refused(customer_client, customer, other, make_service, prove):
    """Another customer registered example.nl with us: the customer's hosting of the same name is not proof."""
    make_service(other, kind=Service.Kind.DOMAIN, domain="example.nl")
    hosting = make_service(customer, domain="example.nl")
    before = _counts(hosting)
    data = {"dns-name": "@", "dns-rtype": "MX", "dns-value": "10 mail.buit.example", "dns-ttl": "3600"}
    response = customer_client.post(reverse("services:dns_add", args=[hosting.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "example.nl is niet een van je domeinen." in html
    assert domains.proof_for(user_id=customer.pk, domain="example.nl").value in html
    assert not hosting.dns_records.exists()
    _nothing_changed(hosting, **before)
    assert domains.domain_held(user_id=other.pk, domain="example.nl")
    # Proven by the TXT record the registrant published for them, it is accepted.
    prove(customer, "example.nl")
    response = customer_client.post(reverse("services:dns_add", args=[hosting.pk]), data)
    assert response.status_code == 302
    assert hosting.dns_records.get().value == "10 mail.buit.example."


def test_a_txt_record_with_another_customers_token_is_refused(hosting, other, prove, settings):
    prove(other, "mijnwinkel.com")
    with translation.override("nl"), pytest.raises(domains.DomainNotProven) as error:
        services.alias_add(service=hosting, name="mijnwinkel.com")
    assert error.value.message_dict == {
        "name": ["mijnwinkel.com is niet een van je domeinen. Toon met het TXT-record hieronder aan dat het van jou "
                 "is en probeer het daarna opnieuw."]
    }  # fmt: skip
    assert error.value.proof == domains.proof_for(user_id=hosting.user_id, domain="mijnwinkel.com")
    assert error.value.proof.value != domains.proof_for(user_id=other.pk, domain="mijnwinkel.com").value
    # Nor does the customer's own token for another domain prove this one.
    own_for_other_domain = domains.proof_for(user_id=hosting.user_id, domain="andere.com").value
    settings.DOMAIN_VERIFY_STATIC_TXT = {"_netrex-verify.mijnwinkel.com": [own_for_other_domain]}
    with pytest.raises(domains.DomainNotProven):
        services.alias_add(service=hosting, name="mijnwinkel.com")
    assert not hosting.aliases.exists()


def test_an_ended_service_holds_no_domain(customer, hosting, make_service):
    registration = make_service(customer, kind=Service.Kind.DOMAIN, domain="oud.nl")
    assert domains.domain_held(user_id=customer.pk, domain="oud.nl")
    services.service_end(service=registration, reason="opgezegd")
    assert not domains.domain_held(user_id=customer.pk, domain="oud.nl")
    with pytest.raises(domains.DomainNotProven):
        services.alias_add(service=hosting, name="oud.nl")


# --- accepted --------------------------------------------------------------------------------------


def test_a_domain_the_customer_holds_is_accepted_without_asking_dns(
    customer_client, customer, hosting, make_service, settings, on_commit
):
    settings.DOMAIN_VERIFY_RESOLVER = "hosting.tests.test_domains.resolver_never_asked"
    make_service(customer, kind=Service.Kind.DOMAIN, domain="mijnnaam.nl")
    with on_commit():
        response = customer_client.post(reverse("services:alias_add", args=[hosting.pk]), {"alias-name": "mijnnaam.nl"})
    assert response.status_code == 302
    with on_commit():
        response = customer_client.post(
            reverse("services:forwarder_add", args=[hosting.pk]),
            {"fwd-local_part": "info", "fwd-domain": "mijnnaam.nl", "fwd-destination": "jan@gmail.com"},
        )
    assert response.status_code == 302
    with on_commit():
        services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=3600)
    assert hosting.aliases.get().name == "mijnnaam.nl"
    assert hosting.forwarders.get().address == "info@mijnnaam.nl"
    assert set(hosting.changes.values_list("status", flat=True)) == {Change.Status.APPLIED}


def test_a_subdomain_of_a_held_domain_is_accepted(customer, hosting, make_service, settings):
    settings.DOMAIN_VERIFY_RESOLVER = "hosting.tests.test_domains.resolver_never_asked"
    make_service(customer, kind=Service.Kind.DOMAIN, domain="mijnnaam.nl")
    services.alias_add(service=hosting, name="www.example.nl")
    services.alias_add(service=hosting, name="shop.eu.mijnnaam.nl")
    services.forwarder_add(service=hosting, local_part="info", domain="www.example.nl", destination="jan@gmail.com")
    assert sorted(hosting.aliases.values_list("name", flat=True)) == ["shop.eu.mijnnaam.nl", "www.example.nl"]
    # A name that merely ends in a held domain is no subdomain of it.
    settings.DOMAIN_VERIFY_RESOLVER = "hosting.domains.static_txt_lookup"
    with pytest.raises(domains.DomainNotProven):
        services.alias_add(service=hosting, name="notexample.nl")


def test_a_domain_proven_by_its_txt_record_is_accepted(customer_client, hosting, prove, on_commit):
    proof = prove(hosting.user, "mijnwinkel.com")
    assert proof.name == "_netrex-verify.mijnwinkel.com" and proof.value.startswith("netrex-verify=")
    with on_commit():
        response = customer_client.post(
            reverse("services:alias_add", args=[hosting.pk]), {"alias-name": "MijnWinkel.com"}
        )
    assert response.status_code == 302
    with on_commit():
        response = customer_client.post(
            reverse("services:forwarder_add", args=[hosting.pk]),
            {"fwd-local_part": "ceo", "fwd-domain": "mijnwinkel.com", "fwd-destination": "jan@gmail.com"},
        )
    assert response.status_code == 302
    assert hosting.aliases.get().name == "mijnwinkel.com"
    assert hosting.forwarders.get().address == "ceo@mijnwinkel.com"


def test_the_token_of_a_previous_secret_key_still_proves(hosting, prove, settings):
    proof = prove(hosting.user, "mijnwinkel.com")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert domains.proof_for(user_id=hosting.user_id, domain="mijnwinkel.com").value != proof.value
    services.alias_add(service=hosting, name="mijnwinkel.com")
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(domains.DomainNotProven):
        services.alias_add(service=hosting, name="mijnwinkel.com")


# --- DNS that does not answer ------------------------------------------------------------------------


@pytest.mark.parametrize("resolver", ["resolver_timing_out", "resolver_without_name_servers"])
def test_a_resolver_timeout_gives_a_clear_dutch_message_never_a_500(customer_client, hosting, settings, resolver):
    settings.DOMAIN_VERIFY_RESOLVER = f"hosting.tests.test_domains.{resolver}"
    before = _counts(hosting)
    response = customer_client.post(reverse("services:alias_add", args=[hosting.pk]), {"alias-name": "google.com"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We konden het TXT-record van google.com zojuist niet opvragen: DNS gaf niet op tijd antwoord." in html
    assert domains.proof_for(user_id=hosting.user_id, domain="google.com").name in html
    assert not hosting.aliases.exists()
    _nothing_changed(hosting, **before)


# --- the real resolver, without network ----------------------------------------------------------


def test_the_real_lookup_asks_dnspython_with_the_short_timeouts(monkeypatch, settings):
    settings.DOMAIN_VERIFY_TIMEOUT = 2.0
    settings.DOMAIN_VERIFY_LIFETIME = 2.0
    asked = []

    def resolve(self, qname, rdtype, search=None, **kwargs):
        asked.append((str(qname), rdtype, search, self.timeout, self.lifetime))
        if str(qname) == "_netrex-verify.nergens.nl.":
            raise dns.resolver.NXDOMAIN()
        if str(qname) == "_netrex-verify.traag.nl.":
            raise dns.exception.Timeout(timeout=2.0)
        text = '"netrex-verify=" "abc"'
        return [dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.TXT, text, origin=dns.name.root)]

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", resolve)
    assert domains.txt_lookup("_netrex-verify.example.com") == ["netrex-verify=abc"]
    assert domains.txt_lookup("_netrex-verify.nergens.nl") == []
    with pytest.raises(dns.exception.Timeout):
        domains.txt_lookup("_netrex-verify.traag.nl")
    assert asked[0] == ("_netrex-verify.example.com.", "TXT", False, 2.0, 2.0)
