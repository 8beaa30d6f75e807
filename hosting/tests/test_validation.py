"""The syntax checks behind every DNS, alias and forwarder setting, with hand-picked and generated input."""

import ipaddress

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from hosting import validation

ZONE = "example.nl"
LABEL = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\Z")
FEW = settings(max_examples=40, deadline=None, database=None)


@pytest.mark.parametrize(
    ("entered", "expected"),
    [
        ("", ZONE),
        ("@", ZONE),
        ("www", "www.example.nl"),
        ("WWW", "www.example.nl"),
        ("www.example.nl", "www.example.nl"),
        ("www.example.nl.", "www.example.nl"),
        ("_sip._tcp", "_sip._tcp.example.nl"),
        ("*", "*.example.nl"),
        ("a.b.c", "a.b.c.example.nl"),
        ("caf\u00e9", "xn--caf-dma.example.nl"),
    ],
)
def test_record_names_are_made_absolute_inside_the_zone(entered, expected):
    assert validation.record_name_validate(entered, zone=ZONE) == expected


@pytest.mark.parametrize(
    "entered",
    ["www.other.nl.", "example.com.", "a b", "-bad", "bad-", "a..b", "x" * 64, "www.*", "a/b", "a@b"],
)
def test_bad_or_foreign_record_names_are_refused(entered):
    with pytest.raises(ValidationError):
        validation.record_name_validate(entered, zone=ZONE)


@pytest.mark.parametrize(
    ("rtype", "value", "canonical"),
    [
        ("A", "192.0.2.1", "192.0.2.1"),
        ("AAAA", "2001:db8::1", "2001:db8::1"),
        ("CNAME", "web.netrex.nl", "web.netrex.nl."),
        ("MX", "10 mail.example.nl", "10 mail.example.nl."),
        ("TXT", "v=spf1 include:_spf.netrex.nl ~all", '"v=spf1 include:_spf.netrex.nl ~all"'),
        ("TXT", '"quoted" "parts"', '"quoted" "parts"'),
        ("CAA", '0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'),
        ("SRV", "10 5 5060 sip.example.nl", "10 5 5060 sip.example.nl."),
    ],
)
def test_valid_records_are_stored_in_canonical_form(rtype, value, canonical):
    assert validation.record_value_validate(rtype, value) == canonical


@pytest.mark.parametrize(
    ("rtype", "value"),
    [
        ("A", "999.1.1.1"),
        ("A", "2001:db8::1"),
        ("AAAA", "192.0.2.1"),
        ("MX", "mail.example.nl"),
        ("MX", "70000 mail.example.nl"),
        ("SRV", "10 5 sip.example.nl"),
        ("CAA", "issue letsencrypt.org"),
        ("CNAME", "two words"),
        ("A", ""),
        ("TXT", "line\nbreak"),
    ],
)
def test_invalid_record_values_are_refused_with_a_message(rtype, value):
    with pytest.raises(ValidationError) as error:
        validation.record_value_validate(rtype, value)
    assert error.value.messages[0]


def test_long_txt_text_is_split_into_strings_of_255_bytes():
    canonical = validation.record_value_validate("TXT", "k" * 600)
    rdata = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.TXT, canonical)
    assert [len(s) for s in rdata.strings] == [255, 255, 90]


@FEW
@given(labels=st.lists(LABEL, min_size=1, max_size=4))
def test_generated_relative_names_land_inside_the_zone(labels):
    name = validation.record_name_validate(".".join(labels), zone=ZONE)
    assert name == ".".join([*labels, ZONE])
    assert dns.name.from_text(name).is_subdomain(dns.name.from_text(ZONE))


@FEW
@given(labels=st.lists(LABEL, min_size=1, max_size=3), tld=st.sampled_from(["com", "org", "be"]))
def test_generated_names_outside_the_zone_are_refused(labels, tld):
    with pytest.raises(ValidationError):
        validation.record_name_validate(".".join([*labels, "other", tld]) + ".", zone=ZONE)


@FEW
@given(text=st.text(min_size=1, max_size=30))
def test_generated_text_never_crashes_the_name_check(text):
    try:
        name = validation.record_name_validate(text, zone=ZONE)
    except ValidationError:
        return
    assert name == ZONE or name.endswith("." + ZONE)


@FEW
@given(address=st.ip_addresses(v=4))
def test_generated_ipv4_addresses_are_valid_a_records(address):
    assert validation.record_value_validate("A", str(address)) == str(address)


@FEW
@given(address=st.ip_addresses(v=6))
def test_generated_ipv6_addresses_are_valid_aaaa_but_not_a_records(address):
    assert ipaddress.ip_address(validation.record_value_validate("AAAA", str(address))) == address
    with pytest.raises(ValidationError):
        validation.record_value_validate("A", str(address))


@FEW
@given(priority=st.integers(0, 65535), labels=st.lists(LABEL, min_size=2, max_size=3))
def test_generated_mx_records_round_trip(priority, labels):
    host = ".".join(labels)
    assert validation.record_value_validate("MX", f"{priority} {host}") == f"{priority} {host}."


@FEW
@given(
    rtype=st.sampled_from(["A", "AAAA", "CNAME", "MX", "TXT", "CAA", "SRV"]),
    text=st.text(max_size=60),
)
def test_generated_values_are_either_refused_or_parse_back_with_dnspython(rtype, text):
    try:
        canonical = validation.record_value_validate(rtype, text)
    except ValidationError:
        return
    dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype), canonical)


@pytest.mark.parametrize("value", ["example.nl", "www.Example.NL.", "xn--caf-dma.nl", "a-b.co.uk"])
def test_valid_domains(value):
    assert validation.domain_validate(value) == value.lower().rstrip(".")


@pytest.mark.parametrize("value", ["", "localhost", "example", "-a.nl", "a_b.nl", "a b.nl", "example.123", "*.nl"])
def test_invalid_domains(value):
    with pytest.raises(ValidationError):
        validation.domain_validate(value)


@pytest.mark.parametrize("value", ["info", "jan.jansen", "sales+nl", "a", "x_y-z"])
def test_valid_local_parts(value):
    assert validation.local_part_validate(value) == value


@pytest.mark.parametrize("value", ["", ".jan", "jan.", "jan..jansen", "a b", "jan@", "é", "x" * 65])
def test_invalid_local_parts(value):
    with pytest.raises(ValidationError):
        validation.local_part_validate(value)


def test_ttl_bounds(settings):
    settings.SERVICES_DNS_TTL_MIN, settings.SERVICES_DNS_TTL_MAX = 60, 86400
    assert validation.ttl_validate(60) == 60
    assert validation.ttl_validate(86400) == 86400
    for bad in (59, 86401, 0):
        with pytest.raises(ValidationError):
            validation.ttl_validate(bad)
