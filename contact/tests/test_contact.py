"""The contact form from request to the moment its retention declaration makes it due (C16, C17)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contact.activity import Action
from contact.models import ContactRequest
from portal.models import Activity
from privacy.declarations import for_model

FORM = {"email": "vraag@example.nl", "subject": "Mijn website", "message": "Hoe zet ik PHP 8.3 aan?"}


def _declaration(rule):
    return next(d for d in for_model(ContactRequest) if d.rule == rule)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _answer(staff_client, contact_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:contact_contactrequest_answer", args=[contact_request.pk]),
            {"answer": "Onder Website > PHP kies je 8.3."},
        )
    assert response.status_code == 302
    return mail.outbox[-1]


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_a_visitor_without_account_sends_a_request_with_only_the_required_fields(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("contact:form")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact:form"), FORM, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    contact_request = ContactRequest.objects.get()
    assert contact_request.user is None and contact_request.ip_address == "198.51.100.7"
    assert contact_request.name == "" and contact_request.phone == "" and contact_request.gender == ""
    notice = next(message for message in mail.outbox if message.to == ["info@netrex.nl"])
    assert "vraag@example.nl" not in notice.body  # staff are told where to look, the mail itself holds nothing
    receipt = next(message for message in mail.outbox if message.to == ["vraag@example.nl"])
    assert contact_request.number in receipt.subject and contact_request.number in receipt.body


@pytest.mark.django_db
def test_bad_input_gives_a_message_not_an_error(client):
    response = client.post(
        reverse("contact:form"), {"email": "geen-adres", "subject": "", "message": "x", "phone": "abc"}
    )
    assert response.status_code == 200
    assert not ContactRequest.objects.exists()
    assert b"field-error" in response.content


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_honeypot_and_rate_limit_keep_spam_out(client, settings):
    client.post(reverse("contact:form"), {**FORM, "website": "http://spam.example"})
    assert not ContactRequest.objects.exists()
    settings.CONTACT_RATE_LIMIT_COUNT = 3
    statuses = [client.post(reverse("contact:form"), FORM).status_code for _ in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert ContactRequest.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.clause("C16", "C17")
def test_answered_and_confirmed_satisfied_is_erased_at_once(client, staff_client, django_capture_on_commit_callbacks):
    client.post(reverse("contact:form"), FORM)
    contact_request = ContactRequest.objects.get()
    satisfied = _declaration("contact_satisfied")
    assert contact_request not in satisfied.due(timezone.now() + timedelta(days=3650))

    message = _answer(staff_client, contact_request, django_capture_on_commit_callbacks)
    assert message.to == ["vraag@example.nl"] and "PHP kies je 8.3" in message.body
    links = re.findall(r"http\S+/contact/(?:tevreden|nog-niet)/\S+/", message.body)
    assert len(links) == 2
    contact_request.refresh_from_db()
    assert contact_request.answered_at and contact_request.answered_by is not None

    anonymous = Client()
    assert anonymous.get(_path(links[0])).status_code == 200  # opening the link changes nothing
    contact_request.refresh_from_db()
    assert contact_request.satisfied_at is None
    response = anonymous.post(_path(links[0]))
    # "until you tell us our answer helped" is 0 days: the question goes now, as the page says
    assert not ContactRequest.objects.filter(pk=contact_request.pk).exists()
    assert "We hebben je vraag verwijderd" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.clause("C17")
def test_silence_after_the_answer_makes_it_due_after_the_period_and_not_yet_stops_the_clock(
    client, staff_client, django_capture_on_commit_callbacks, settings
):
    client.post(reverse("contact:form"), FORM)
    quiet = ContactRequest.objects.get()
    client.post(reverse("contact:form"), {**FORM, "email": "ander@example.nl"})
    unhappy = ContactRequest.objects.exclude(pk=quiet.pk).get()
    silence = _declaration("contact_silence")

    _answer(staff_client, quiet, django_capture_on_commit_callbacks)
    message = _answer(staff_client, unhappy, django_capture_on_commit_callbacks)
    not_yet = next(link for link in re.findall(r"http\S+/contact/nog-niet/\S+/", message.body))
    Client().post(_path(not_yet))
    unhappy.refresh_from_db()
    assert unhappy.not_yet_at is not None

    now = timezone.now()
    assert quiet not in silence.due(now + timedelta(days=29))
    assert quiet in silence.due(now + timedelta(days=30, minutes=1))
    assert unhappy not in silence.due(now + timedelta(days=365))

    settings.RETENTION_CONTACT_SILENCE_DAYS = 10  # the configurable period
    assert quiet in silence.due(now + timedelta(days=10, minutes=1))

    with time_machine.travel(now + timedelta(days=2)):
        _answer(staff_client, unhappy, django_capture_on_commit_callbacks)  # a new answer restarts the clock
    unhappy.refresh_from_db()
    assert unhappy.not_yet_at is None
    assert unhappy not in silence.due(now + timedelta(days=11))
    assert unhappy in silence.due(now + timedelta(days=12, minutes=1))


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_a_customer_sees_their_requests_in_the_portal(customer_client, customer, django_assert_max_num_queries):
    customer_client.post(reverse("contact:form"), {**FORM, "email": customer.email, "name": "Jan"})
    ContactRequest.objects.create(email="ander@example.nl", subject="Niet van mij", message="x")
    assert Activity.objects.filter(user=customer, action=Action.CONTACT_SENT).exists()
    with django_assert_max_num_queries(12):
        page = customer_client.get(reverse("contact:mine"))
    assert b"Mijn website" in page.content and b"Niet van mij" not in page.content
    dashboard = customer_client.get(reverse("accounts:dashboard"))
    assert b"contact-panel-heading" in dashboard.content


@pytest.mark.django_db
def test_forged_feedback_link(client):
    assert client.post(reverse("contact:satisfied", kwargs={"token": "1:forged"})).status_code == 400
