"""Checks of what a customer enters for a service: domain names, DNS records, mail addresses.

DNS syntax is parsed by dnspython, so a record we accept is one a name server accepts; on top of
that the portal's own rules: names inside the service's zone, host-name labels, TTL bounds.
Every check raises ``ValidationError`` with a message in the customer's language.
"""

import re

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

LABEL = re.compile(r"^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?|[a-z0-9_])$")
HOST_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
LOCAL_PART = re.compile(r"^[a-z0-9](?:[a-z0-9_+-]|\.(?!\.)){0,62}(?<!\.)$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def domain_validate(value: str) -> str:
    """A registrable host name such as ``example.nl``: returned lower case, without a trailing dot."""
    text = (value or "").strip().lower().rstrip(".")
    try:
        name = dns.name.from_text(text)
    except dns.exception.DNSException:
        raise ValidationError(_("“%(value)s” is not a valid domain name.") % {"value": value}) from None
    labels = [label.decode("ascii", "replace") for label in name.labels if label]
    if len(labels) < 2 or not all(HOST_LABEL.match(label) for label in labels) or not TLD.match(labels[-1]):
        raise ValidationError(_("“%(value)s” is not a valid domain name.") % {"value": value})
    return ".".join(labels)


def record_name_validate(value: str, *, zone: str) -> str:
    """The absolute name of a record entered as ``@``, ``www`` or ``www.example.nl.``, checked to lie in ``zone``."""
    text = (value or "").strip().lower()
    if text in ("", "@"):
        return zone
    origin = dns.name.from_text(zone)
    try:
        if text.endswith("."):
            name = dns.name.from_text(text)
        elif text == zone or text.endswith("." + zone):
            name = dns.name.from_text(text + ".")
        else:
            name = dns.name.from_text(text, origin=origin)
    except dns.exception.DNSException:
        raise ValidationError(_("“%(value)s” is not a valid DNS name.") % {"value": value}) from None
    labels = [label.decode("ascii", "replace") for label in name.labels if label]
    if not all(LABEL.match(label) for label in labels) or "*" in labels[1:]:
        raise ValidationError(_("“%(value)s” is not a valid DNS name.") % {"value": value})
    if not name.is_subdomain(origin):
        raise ValidationError(_("The name must lie inside %(zone)s.") % {"zone": zone})
    return name.to_text(omit_final_dot=True)


def _txt_to_zone_text(value: str) -> str:
    """Free text as one or more quoted strings of at most 255 bytes each, the way a zone file writes it."""
    if value.startswith('"'):
        return value
    data = value.encode("utf-8")
    chunks = [data[i : i + 255] for i in range(0, len(data), 255)] or [b""]
    quoted = []
    for chunk in chunks:
        text = chunk.decode("utf-8", "ignore").replace("\\", "\\\\").replace('"', '\\"')
        quoted.append(f'"{text}"')
    return " ".join(quoted)


def record_value_validate(rtype: str, value: str) -> str:
    """The record's data in canonical zone-file form; names in the data are taken as absolute."""
    text = (value or "").strip()
    if not text or CONTROL.search(text):
        raise ValidationError(_("Enter the value of the record on one line."))
    if rtype == "TXT":
        text = _txt_to_zone_text(text)
    try:
        rdtype = dns.rdatatype.from_text(rtype)
        rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, text, origin=dns.name.root)
    except (dns.exception.DNSException, ValueError, UnicodeError):
        raise ValidationError(
            _("“%(value)s” is not a valid value for a %(type)s record.") % {"value": value, "type": rtype}
        ) from None
    return rdata.to_text(origin=dns.name.root, relativize=False)


def ttl_validate(ttl: int) -> int:
    low, high = settings.SERVICES_DNS_TTL_MIN, settings.SERVICES_DNS_TTL_MAX
    if not low <= ttl <= high:
        raise ValidationError(_("The TTL must be between %(low)s and %(high)s seconds.") % {"low": low, "high": high})
    return ttl


def local_part_validate(value: str) -> str:
    text = (value or "").strip().lower()
    if not LOCAL_PART.match(text):
        raise ValidationError(
            _("“%(value)s” is not a valid address: use letters, digits and . _ + - (at most 64).") % {"value": value}
        )
    return text


def destination_validate(value: str) -> str:
    text = (value or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(_("“%(value)s” is not a valid email address.") % {"value": value}) from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"
