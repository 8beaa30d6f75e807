"""No personal data in any URL or log line (issue 16, item 4): links carry opaque tokens, logs carry ids."""

import base64
import logging
import re
import zlib

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from netrex.log import JsonFormatter, TextFormatter
from newsletter.models import PendingSubscription
from rights.models import PendingRequest, RightsRequest
from stats.buffer import buffer
from tests.signup import PERSONAL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the forms' rate limits count per address and IP
    yield
    cache.clear()


EMAIL = "Petronella.Vandermeulen@example.nl"
MESSAGE = "Mijn BSN is 123456782, wis alles van Petronella"
PASSWORD = "een-Lang-wachtwoord-42"


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _decoded(link: str) -> str:
    """The link as an attacker reads it: every base64 / zlib layer of each path segment opened."""
    texts = [link]
    for segment in re.split(r"[/:.?&=]", link):
        padded = segment + "=" * (-len(segment) % 4)
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(padded)
            except ValueError:
                continue
            for opened in (raw, _inflate(raw)):
                texts.append(opened.decode("utf-8", "ignore"))
    return "\n".join(texts).lower()


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def _assert_clean(links: list[str], values: list[str]) -> None:
    assert links
    for link in links:
        decoded = _decoded(link)
        for value in values:
            for part in {value.lower(), *value.lower().replace("@", " ").replace(".", " ").split()}:
                if len(part) >= 5:
                    assert part not in decoded, (part, link)


@pytest.mark.clause("C18", "C40")
def test_every_form_that_sends_a_link_sends_one_without_the_submitted_values(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:subscribe"), {"email": EMAIL})
    _assert_clean(_links(mail.outbox[-1]), [EMAIL])
    assert PendingSubscription.objects.get().email == EMAIL.lower()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rights:request_new"), {"kind": "erasure", "email": EMAIL, "message": MESSAGE})
    _assert_clean(_links(mail.outbox[-1]), [EMAIL, MESSAGE])
    pending = PendingRequest.objects.get()
    assert pending.message == MESSAGE and not RightsRequest.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"username": "petronella", "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, **PERSONAL},
        )
    _assert_clean(_links(mail.outbox[-1]), [EMAIL, "petronella"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": EMAIL})
    _assert_clean(_links(mail.outbox[-1]), [EMAIL, "petronella"])


@pytest.mark.clause("C40")
def test_the_pending_records_the_links_point_to_are_used_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rights:request_new"), {"kind": "access", "email": EMAIL, "message": MESSAGE})
    link = _path(_links(mail.outbox[-1])[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    assert RightsRequest.objects.get().message == MESSAGE
    assert not PendingRequest.objects.exists()  # the pending record goes once used
    assert client.post(link).status_code == 200 and RightsRequest.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:subscribe"), {"email": EMAIL})
    link = _path(_links(mail.outbox[-1])[0])
    assert EMAIL.lower() in client.get(link).content.decode()  # the page says it, the URL does not
    client.post(link)
    assert not PendingSubscription.objects.exists()
    assert client.get(link).status_code == 400


@pytest.mark.clause("C36")
def test_the_main_flows_log_no_email_name_phone_or_address(client, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "username": "logtest",
                "email": EMAIL,
                "password1": PASSWORD,
                "password2": PASSWORD,
                **PERSONAL,
                "profiling_opt_in": "on",
            },
        )
    user = User.objects.get(username="logtest")
    user.emailaddress_set.update(verified=True)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:profile"),
            {
                "first_name": "Petronella",
                "last_name": "Vandermeulen",
                "street": "Kerkstraatlaan 12",
                "postal_code": "3441 EM",
                "town": "Woerden",
                "country": "NL",
                "phone": "+31612345678",
                "billing_same_as_address": "on",
            },
        )
        client.get(reverse("consent:statement"))
        client.get(reverse("stats:profile"))
        buffer.flush()
        client.post(reverse("consent:consents"), {"purpose": "P3", "given": "0"})
        client.post(reverse("consent:cookies"), {"action": "refuse_all"})
        client.post(reverse("newsletter:preferences"), {"newsletter": "on", "advertising_email": "on"})
        client.post(
            reverse("contact:form"),
            {"name": "Petronella Vandermeulen", "email": EMAIL, "subject": "Vraag", "message": MESSAGE},
        )
        client.post(reverse("newsletter:subscribe"), {"email": EMAIL})
    # What a log line holds: the record as the project's formatters write it (message, level, logger, request
    # id, traceback), before any masking filter: the line must not need one.
    json_lines, text_lines = JsonFormatter(), TextFormatter()
    logged = "\n".join(f"{json_lines.format(r)}\n{text_lines.format(r)}" for r in caplog.records).lower()
    assert caplog.records  # the flows did log: ids and kinds
    for value in (EMAIL, "petronella", "vandermeulen", "kerkstraatlaan", "612345678", "123456782"):
        assert value.lower() not in logged, (value, logged[max(0, logged.find(value.lower()) - 600) :][:900])
