"""Domain ownership: which domain names a customer may use for an alias, a mail forwarder, a DNS zone or
the certificate of a hosting package.

A name is the customer's when they *hold* it in the portal, through a live (not ended) hosting
package or domain registration of theirs for that name or a parent of it (``www.example.nl`` under
``example.nl``), or when they have *proven* it with a TXT record ``_netrex-verify.<name>`` that
holds their token.  A name another customer has registered with us (a live domain registration)
is that customer's: a hosting package for the same name does not make it yours without the proof.

The token is an HMAC of the customer's id and the name under ``SECRET_KEY`` (``salted_hmac``), so
nothing is stored and another customer's token proves nothing; the record is asked again at every
use, so a domain that changed hands stops counting.  The TXT lookup is the callable named by the
``DOMAIN_VERIFY_RESOLVER`` setting: the default asks DNS with dnspython within a short timeout;
``static_txt_lookup`` answers from a setting without any network (tests, development offline).
"""

from dataclasses import dataclass

import dns.exception
import dns.name
import dns.resolver
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from hosting.models import Service

PROOF_LABEL = "_netrex-verify"
VALUE_PREFIX = "netrex-verify="
SALT = "hosting.domains.proof"


@dataclass(frozen=True)
class Proof:
    """The TXT record that proves ``domain`` is the customer's: create ``name`` with ``value``."""

    domain: str
    name: str
    value: str
    rtype: str = "TXT"


class DomainNotProven(ValidationError):
    """The customer neither holds nor has proven the domain; ``proof`` is the record that would prove it."""

    def __init__(self, message: str, *, field: str | None, proof: Proof) -> None:
        super().__init__({field: [message]} if field else message)
        self.proof = proof


class DnsUnavailable(Exception):
    """The TXT record could not be looked up (timeout, no name server): we cannot tell either way."""


def _token(user_id: int, domain: str, secret: str) -> str:
    digest = salted_hmac(SALT, f"{user_id}:{domain}", secret=secret, algorithm="sha256").hexdigest()
    return VALUE_PREFIX + digest[:40]


def proof_for(*, user_id: int, domain: str) -> Proof:
    """The record this customer creates to prove ``domain`` (a normalised name: lower case, no final dot)."""
    return Proof(domain=domain, name=f"{PROOF_LABEL}.{domain}", value=_token(user_id, domain, settings.SECRET_KEY))


def _self_and_parents(domain: str) -> list[str]:
    """``a.example.nl`` → ``["a.example.nl", "example.nl"]``: the name and every parent above the top level."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def domain_held(*, user_id: int, domain: str) -> bool:
    """Whether a live hosting package or domain registration of the customer covers ``domain``.

    When any customer has registered the name (or a parent) with us, only a registrant holds it.
    """
    claims = set(
        Service.objects.live()
        .filter(kind__in=[Service.Kind.HOSTING, Service.Kind.DOMAIN], domain__in=_self_and_parents(domain))
        .order_by()
        .values_list("user_id", "kind")
        .distinct()
    )
    registrants = {owner for owner, kind in claims if kind == Service.Kind.DOMAIN}
    if registrants:
        return user_id in registrants
    return any(owner == user_id for owner, _kind in claims)


def domain_proven(*, user_id: int, domain: str) -> bool:
    """Whether ``_netrex-verify.<domain>`` holds this customer's token; ``DnsUnavailable`` when DNS gives no answer."""
    lookup = import_string(settings.DOMAIN_VERIFY_RESOLVER)
    try:
        answers = lookup(proof_for(user_id=user_id, domain=domain).name)
    except (dns.exception.DNSException, OSError) as error:
        raise DnsUnavailable(domain) from error
    # Tokens made under a previous key still count while that key is among the fallbacks.
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    expected = {_token(user_id, domain, key) for key in keys}
    return any(answer.strip() in expected for answer in answers)


def domain_ownership_check(*, user_id: int, domain: str, field: str | None = None) -> None:
    """Refuse (``DomainNotProven``, keyed by ``field``) a domain the customer neither holds nor has proven.

    It may ask DNS (up to ``DOMAIN_VERIFY_LIFETIME`` seconds): call it outside a transaction.
    """
    if domain_held(user_id=user_id, domain=domain):
        return
    proof = proof_for(user_id=user_id, domain=domain)
    try:
        if domain_proven(user_id=user_id, domain=domain):
            return
    except DnsUnavailable:
        message = _(
            "We could not look up the TXT record of %(domain)s just now: DNS did not answer in time. "
            "Please try again in a few minutes."
        ) % {"domain": domain}
    else:
        message = _(
            "%(domain)s is not one of your domains. Prove that it is yours with the TXT record shown below, "
            "then try again."
        ) % {"domain": domain}
    raise DomainNotProven(message, field=field, proof=proof)


def txt_lookup(name: str) -> list[str]:
    """The TXT strings at ``name`` from DNS (none when the name or record does not exist), asked with dnspython.

    A timeout or a failing name server raises ``dns.exception.DNSException``.
    """
    resolver = dns.resolver.Resolver()
    resolver.timeout = settings.DOMAIN_VERIFY_TIMEOUT
    resolver.lifetime = settings.DOMAIN_VERIFY_LIFETIME
    try:
        answer = resolver.resolve(dns.name.from_text(name), "TXT", search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    return [b"".join(rdata.strings).decode("utf-8", "replace") for rdata in answer]


def static_txt_lookup(name: str) -> list[str]:
    """TXT strings from the ``DOMAIN_VERIFY_STATIC_TXT`` setting (``{name: [strings]}``), without any network."""
    return list(settings.DOMAIN_VERIFY_STATIC_TXT.get(name.lower().rstrip("."), []))
