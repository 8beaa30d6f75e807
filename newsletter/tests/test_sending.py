"""Sending newsletters and advertising emails: once per recipient, in their language, never to who said no."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from newsletter import services, tasks, tokens
from newsletter.models import (
    AdvertisingPreference,
    AdvertisingPreferenceChange,
    Channel,
    ChoiceMethod,
    Delivery,
    Newsletter,
    Subscriber,
)


def _newsletter(kind=Newsletter.Kind.NEWSLETTER):
    return Newsletter.objects.create(
        kind=kind,
        subject_nl="Nieuws van Netrex",
        subject_en="News from Netrex",
        body_nl="Hallo! Dit is het nieuws.",
        body_en="Hello! This is the news.",
    )


def _subscribers(count, language="nl"):
    users = [UserFactory(username=f"lezer{language}{n}", language=language) for n in range(count)]
    for user in users:
        services.newsletter_subscribe_user(user=user, method="portal")
    return users


def _run(newsletter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send_start(newsletter=newsletter)


@pytest.mark.django_db
@pytest.mark.clause("C18", "C19")
def test_newsletter_goes_to_each_subscriber_once_in_their_language_with_one_click_headers(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    dutch = _subscribers(3, "nl")
    english = _subscribers(2, "en")
    newsletter = _newsletter()

    _run(newsletter, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in dutch + english)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[dutch[0].email].subject == "Nieuws van Netrex"
    assert by_address[english[0].email].subject == "News from Netrex"
    message = by_address[dutch[0].email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body and "/nieuwsbrief/afmelden/" in link
    assert "/en/" in by_address[english[0].email].extra_headers["List-Unsubscribe"]
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT and newsletter.total == 5
    assert not Delivery.objects.exclude(email="").exists()  # no address is kept after sending


@pytest.mark.django_db
@pytest.mark.clause("C18", "C20")
def test_a_crash_in_the_middle_resumes_without_sending_anyone_a_second_copy(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.NEWSLETTER_BATCH_SIZE = 3
    readers = _subscribers(7)
    newsletter = _newsletter()
    real_mark = services.delivery_mark
    calls = {"n": 0}

    def crash_on_the_fourth(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the message is out, the worker dies before recording it
            raise SystemExit("worker killed")
        real_mark(**kwargs)

    monkeypatch.setattr(services, "delivery_mark", crash_on_the_fourth)
    with pytest.raises(SystemExit):
        _run(newsletter, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4
    assert Delivery.objects.filter(status=Delivery.Status.CLAIMED).count() == 1

    monkeypatch.setattr(services, "delivery_mark", real_mark)
    assert tasks.newsletter_resume_stalled.delay().get() == 0  # still busy: left alone
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert tasks.newsletter_resume_stalled.delay().get() == 1
    tasks.newsletter_send.delay(newsletter.pk)  # a duplicated task changes nothing either

    sent_to = [m.to[0] for m in mail.outbox]
    assert sorted(sent_to) == sorted(u.email for u in readers)
    assert len(sent_to) == len(set(sent_to))
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT


@pytest.mark.django_db
@pytest.mark.clause("C19", "C20")
def test_who_unsubscribes_during_a_send_is_skipped(settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 100
    stays, leaves = _subscribers(2)
    unconfirmed = UserFactory(username="onbevestigd")
    Subscriber.objects.create(
        email=unconfirmed.email,
        digest=tokens.email_digest(unconfirmed.email),
        user=unconfirmed,
        source=Subscriber.Source.ACCOUNT,
    )
    newsletter = _newsletter()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.newsletter_send_start(newsletter=newsletter)
    services.newsletter_unsubscribe_user(user=leaves, method="portal")
    for callback in callbacks:
        callback()

    assert [m.to[0] for m in mail.outbox] == [stays.email]
    assert Delivery.objects.get(recipient=tokens.email_digest(leaves.email)).status == Delivery.Status.SKIPPED


@pytest.mark.django_db
@pytest.mark.clause("C26", "C27")
def test_advertising_email_skips_email_objectors_and_carries_its_own_objection_link(
    client, django_capture_on_commit_callbacks
):
    willing = _signed_up(UserFactory(username="welreclame"))
    objector = _signed_up(UserFactory(username="geenreclame"))
    phone_only = _signed_up(UserFactory(username="geenbellen"))
    services.advertising_choice_set(user=objector, channel=Channel.EMAIL, allowed=False, method=ChoiceMethod.PORTAL)
    services.advertising_choice_set(user=phone_only, channel=Channel.PHONE, allowed=False, method=ChoiceMethod.PORTAL)
    newsletter = _newsletter(Newsletter.Kind.ADVERTISING)

    _run(newsletter, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([willing.email, phone_only.email])
    message = next(m for m in mail.outbox if m.to[0] == willing.email)
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/reclame/bezwaar/" in link and link in message.body
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    assert client.get(path).status_code == 200
    assert (
        AdvertisingPreference.objects.get(user=willing, channel=Channel.EMAIL).allowed is True
    )  # a GET changes nothing
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert AdvertisingPreference.objects.get(user=willing, channel=Channel.EMAIL).allowed is False
    change = AdvertisingPreferenceChange.objects.filter(user=willing).latest("id")
    assert change.method == ChoiceMethod.EMAIL_LINK

    mail.outbox.clear()
    _run(_newsletter(Newsletter.Kind.ADVERTISING), django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [phone_only.email]


@pytest.mark.django_db
@pytest.mark.clause("C27")
def test_staff_record_a_phone_objection_and_the_call_list_leaves_it_out(staff_client, staff):
    _signed_up(UserFactory(username="bellen", phone="+31612345678", first_name='=HYPERLINK("x")', last_name="Jansen"))
    objector = _signed_up(UserFactory(username="nietbellen", phone="+31687654321"))
    _signed_up(UserFactory(username="geennummer"))

    response = staff_client.post(
        reverse("admin:newsletter_advertisingpreferencechange_add"),
        {
            "user": objector.pk,
            "channel": "phone",
            "allowed": "",
            "method": "phone",
            "source": "Telefoongesprek 3 mei, zei: niet meer bellen",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change = AdvertisingPreferenceChange.objects.filter(user=objector).latest("id")
    assert (change.channel, change.allowed, change.method, change.recorded_by) == ("phone", False, "phone", staff)
    assert "Telefoongesprek" in change.source

    export = staff_client.get(reverse("admin:newsletter_advertisingpreference_call_list"))
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    phones = [row[2] for row in rows[1:]]
    assert phones == ["'+31612345678"]  # a leading + is quoted too
    assert rows[1][1].startswith("'=HYPERLINK")  # formula injection neutralised


def test_csv_safe_prefixes_every_formula_start():
    from newsletter.export import csv_safe

    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_safe(dangerous) == "'" + dangerous
    assert csv_safe("Jan") == "Jan" and csv_safe(None) == ""


def _formula_cells(lines: list[str], separator: str) -> list[str]:
    """Cells that start a formula when the file is read with ``separator``, quotes honoured or not."""
    text = "".join(lines)
    honoured = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]
    naive = [cell.strip(' "') for line in text.splitlines() for cell in line.split(separator)]
    return [cell for cell in honoured + naive if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.clause("C36")
@pytest.mark.parametrize("separator", [";", ","])
@pytest.mark.parametrize(
    "cell",
    ["Jan;=2+5", "Jan,=2+5", "Jan; =HYPERLINK(1)", "Jan;+1", "Jan,-1", "Jan;@SUM(A1)", "Jan;\t=1", 'Jan";=1'],
)
def test_a_formula_after_a_separator_inside_a_cell_is_neutralised_for_both_separators(cell, separator):
    from newsletter.export import csv_lines

    lines = list(csv_lines(["customer", "name"], [[1, cell]]))
    assert _formula_cells(lines, separator) == []
    number, name = next(csv.reader(io.StringIO(lines[1])))
    assert number == "1" and name.replace("'", "") == cell  # only quotes added, nothing lost


@pytest.mark.django_db
@pytest.mark.clause("C36")
@pytest.mark.parametrize("separator", [";", ","])
def test_the_call_list_opens_without_formulas_in_dutch_and_english_spreadsheets(staff_client, separator):
    _signed_up(
        UserFactory(username="bellen1", phone="+31612345678", first_name="Jan;=2+5", last_name="Jansen,@SUM(A1)")
    )
    _signed_up(UserFactory(username="bellen2", phone="+31612345679", first_name="Piet", last_name="de Vries; -1"))

    export = staff_client.get(reverse("admin:newsletter_advertisingpreference_call_list"))
    lines = b"".join(export.streaming_content).decode().splitlines(keepends=True)
    assert len(lines) == 3
    assert _formula_cells(lines, separator) == []
    names = sorted(row[1] for row in csv.reader(io.StringIO("".join(lines[1:]))))
    assert names == ["Jan;'=2+5 Jansen,'@SUM(A1)", "Piet de Vries;' -1"]


@pytest.mark.django_db
@pytest.mark.clause("C18")
def test_staff_preview_test_and_send_from_the_admin(
    staff_client, staff, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _subscribers(2)
    response = staff_client.post(
        reverse("admin:newsletter_newsletter_add"),
        {
            "kind": "newsletter",
            "subject_nl": "Onderwerp",
            "body_nl": "Tekst",
            "subject_en": "Subject",
            "body_en": "Text",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    newsletter = Newsletter.objects.get()
    preview = staff_client.get(reverse("admin:newsletter_newsletter_preview", args=[newsletter.pk, "en"]))
    assert b"Subject" in preview.content and b"List-Unsubscribe" in preview.content

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:newsletter_newsletter_test", args=[newsletter.pk]))
    assert [m.to[0] for m in mail.outbox] == [staff.email, staff.email]
    assert mail.outbox[0].subject.startswith("[TEST]")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:newsletter_newsletter_send", args=[newsletter.pk]))
    assert len(mail.outbox) == 2
    with django_assert_max_num_queries(20):
        changelist = staff_client.get(reverse("admin:newsletter_newsletter_changelist"))
    assert b"2 / 2" in changelist.content
    again = staff_client.post(reverse("admin:newsletter_newsletter_send", args=[newsletter.pk]), follow=True)
    assert len(mail.outbox) == 2 and again.status_code == 200


def _signed_up(user):
    """A customer who signed up without opting out of email and phone advertising (the customer exception)."""
    for channel in (Channel.EMAIL, Channel.PHONE):
        services.advertising_choice_set(user=user, channel=channel, allowed=True, method=ChoiceMethod.SIGNUP)
    return user
