"""The request desk (C39c–f, C40): identity first, then a tracked request with a legal deadline."""

import datetime
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from portal.models import Activity
from portal.roles import PRIVACY_OFFICER, SUPPORT
from privacy import declarations as registry
from rights import services
from rights.models import DataExport, RequestEvent, RightsRequest
from rights.tests.conftest import reauthenticate

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).split("testserver", 1)[1]


@pytest.mark.clause("C40")
def test_a_person_without_an_account_confirms_by_email_before_the_request_exists(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _english(reverse, "rights:request_new"),
            {"kind": "erasure", "email": "Lezer@Example.org", "message": "Only on the newsletter list"},
        )
    assert response.status_code == 302
    assert not RightsRequest.objects.exists()  # nothing is stored before the link is followed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Lezer@Example.org"]
    link = _link(mail.outbox[0])

    assert client.get(link).status_code == 200 and not RightsRequest.objects.exists()  # a GET files nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200
    request = RightsRequest.objects.get()
    assert (request.email, request.kind, request.user, request.verified_by) == (
        "lezer@example.org",
        "erasure",
        None,
        "email_link",
    )
    assert request.deadline == request.received_at + relativedelta(months=1)
    assert request.language == "en"
    assert mail.outbox[-1].subject.startswith("We have received your privacy request")
    client.post(link)  # following the link twice files one request
    assert RightsRequest.objects.count() == 1
    assert RequestEvent.objects.filter(request=request, kind="received").count() == 1


@pytest.mark.clause("C40")
def test_the_confirmation_link_is_valid_for_one_day_and_cannot_be_forged(client):
    token = services.request_confirmation_token(kind="access", email="a@example.org", language="nl")
    url = reverse("rights:request_confirm", args=[token])
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        response = client.post(url)
    assert response.status_code == 400 and "verlopen" in response.content.decode()
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(reverse("rights:request_confirm", args=[forged]))
    assert response.status_code == 400
    assert not RightsRequest.objects.exists()
    assert client.post(url).status_code == 200
    assert RightsRequest.objects.count() == 1


def test_confirmation_mails_are_throttled(client, settings):
    settings.RIGHTS_CONFIRM_LIMIT_PER_HOUR = 2
    for _ in range(3):
        response = client.post(
            reverse("rights:request_new"), {"kind": "access", "email": "spam@example.org"}, REMOTE_ADDR="192.0.2.55"
        )
    assert response.status_code == 200 and "Te veel" in response.content.decode()


def test_bad_input_gets_a_clear_message(client):
    response = client.post(reverse("rights:request_new"), {"kind": "nonsense", "email": "not an address"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page and "geldig e-mailadres" in page
    assert not RightsRequest.objects.exists()


@pytest.mark.clause("C39c", "C40")
def test_a_customer_reauthenticates_and_files_a_correction_about_an_item(
    customer_client, customer, django_capture_on_commit_callbacks
):
    data = {"kind": "rectification", "message": "Street is misspelled on invoice 12", "item_reference": "orders:12"}
    response = customer_client.post(reverse("rights:request_new"), data)
    assert "reauthenticate" in response["Location"] and not RightsRequest.objects.exists()
    reauthenticate(customer_client, customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(reverse("rights:request_new"), data)
    assert response.status_code == 302
    request = RightsRequest.objects.get()
    assert (request.user, request.email, request.item_reference, request.verified_by) == (
        customer,
        customer.email,
        "orders:12",
        "account",
    )
    assert Activity.objects.filter(user=customer, action="rights_request_filed").exists()
    assert mail.outbox[0].to == [customer.email]


def _filed(email="x@example.org", language="nl", received_at=None, **extra):
    with time_machine.travel(received_at or timezone.now(), tick=False):
        return services.request_file(kind="access", email=email, language=language, **extra)


@pytest.mark.clause("C38")
def test_deadline_is_one_calendar_month_after_receipt():
    request = _filed(received_at=datetime.datetime(2026, 1, 31, 9, 0, tzinfo=datetime.UTC))
    assert request.deadline == datetime.datetime(2026, 2, 28, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.clause("C40")
def test_extension_needs_a_reason_is_at_most_two_months_and_only_within_the_first_month(
    officer, django_capture_on_commit_callbacks
):
    received = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)
    request = _filed(received_at=received, language="en")
    with pytest.raises(ValidationError):
        services.request_extend(rights_request=request, actor=officer, months=1, reason=" ", now=received)
    with pytest.raises(ValidationError):
        services.request_extend(rights_request=request, actor=officer, months=3, reason="complex", now=received)
    with pytest.raises(ValidationError):
        services.request_extend(
            rights_request=request,
            actor=officer,
            months=1,
            reason="late",
            now=received + relativedelta(months=1, days=1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_extend(
            rights_request=request, actor=officer, months=1, reason="Your data sits in three archives.", now=received
        )
    assert request.deadline == datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    assert request.status == RightsRequest.Status.EXTENDED
    assert "Your data sits in three archives." in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "We need more time for your privacy request"  # the requester's language
    request = services.request_extend(
        rights_request=request, actor=officer, months=1, reason="Still more", now=received + datetime.timedelta(days=5)
    )
    assert request.deadline == datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        services.request_extend(rights_request=request, actor=officer, months=1, reason="again", now=received)
    steps = list(request.events.values_list("kind", "actor"))
    assert steps == [("received", None), ("extended", officer.pk), ("extended", officer.pk)]


def test_every_step_emails_the_requester_in_their_language(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _filed(language="nl")
        services.request_start(rights_request=request, actor=officer)
        services.request_note(rights_request=request, actor=officer, note="internal")
        services.request_complete(rights_request=request, actor=officer, note="Zie bijlage")
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 3  # received, started, completed; a note is internal
    assert all("privacyverzoek" in subject for subject in subjects), subjects
    with pytest.raises(ValidationError):
        services.request_reject(rights_request=request, actor=officer, reason="too late")
    assert list(request.events.values_list("kind", flat=True)) == ["received", "started", "note", "completed"]


@pytest.mark.clause("C39d")
def test_completing_an_erasure_of_a_customer_erases_by_the_declarations(
    customer, officer, django_capture_on_commit_callbacks
):
    from rights.tests.test_export import _fill

    _fill(customer, "erase-me")
    customer.refresh_from_db()
    photo = customer.photo.name
    DataExport.objects.create(user=customer)
    request = services.request_file(kind="erasure", email=customer.email, language="nl", user=customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_complete(rights_request=request, actor=officer)
    assert not User.objects.filter(pk=customer.pk).exists()
    assert not Activity.objects.filter(user_id=customer.pk).exists()
    assert not DataExport.objects.filter(user_id=customer.pk).exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(photo)
    request.refresh_from_db()  # the request itself is the evidence: detached, kept until its own clock runs out
    assert request.user is None and request.status == RightsRequest.Status.COMPLETED
    assert request.events.filter(kind="erased").exists()
    # the completion e-mail says what was erased and what is kept, until when and why
    from django.core import mail

    completed = [m for m in mail.outbox if m.to == [request.email] and "Activiteitenlog" in m.body]
    assert completed, [m.subject for m in mail.outbox]
    body = completed[-1].body
    assert "We hebben je account gewist en:" in body
    assert "uiterlijk op" in body or "We bewaren verder niets van je." in body


@pytest.mark.clause("C39d", "C40")
def test_erasure_for_a_person_without_an_account_uses_the_declarations_by_email(
    officer, customer, django_capture_on_commit_callbacks
):
    earlier = _filed(email="lezer@example.org")
    services.request_complete(rights_request=earlier, actor=officer)
    if apps.is_installed("contact"):  # a contact-form sender: their messages go, nobody else's
        from contact.services import contact_submit

        for email in ("Lezer@Example.org", "someone@example.org"):
            contact_submit(data={"email": email, "subject": "Vraag", "message": "Hallo"}, user=None)
    request = _filed(email="lezer@example.org")
    request.kind = "erasure"
    request.save(update_fields=["kind"])
    before = {
        d.key: d.base_queryset().filter(**{f"{d.email_field}__iexact": "lezer@example.org"}).count()
        for d in registry.all_declarations()
        if d.email_field
    }
    customer_rows = Activity.objects.filter(user=customer).count()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_complete(rights_request=request, actor=officer)
    for declaration in registry.all_declarations():
        if declaration.email_field and declaration.on_closure == "delete" and before[declaration.key]:
            assert (
                not declaration.base_queryset()
                .filter(**{f"{declaration.email_field}__iexact": "lezer@example.org"})
                .exists()
            ), declaration.key
    assert RightsRequest.objects.filter(email="lezer@example.org").count() == 2  # DETACH keeps the evidence
    from django.core import mail

    body = mail.outbox[-1].body
    if apps.is_installed("contact"):
        assert "We hebben gewist:" in body and "Contactverzoeken (1)" in body
    if apps.is_installed("contact"):
        from contact.models import ContactRequest

        assert before["contact.ContactRequest:P6:contact_satisfied"] == 1
        assert list(ContactRequest.objects.values_list("email", flat=True)) == ["someone@example.org"]
    assert User.objects.filter(pk=customer.pk).exists()
    assert Activity.objects.filter(user=customer).count() == customer_rows


def test_roles_privacy_officer_works_requests_support_only_views(officer, support):
    assert officer.has_perm("rights.change_rightsrequest") and officer.has_perm("rights.view_requestevent")
    assert support.has_perm("rights.view_rightsrequest") and not support.has_perm("rights.change_rightsrequest")
    assert Group.objects.get(name=PRIVACY_OFFICER).permissions.filter(codename="change_rightsrequest").exists()
    assert not Group.objects.get(name=SUPPORT).permissions.filter(codename="change_rightsrequest").exists()


@pytest.mark.clause("C40")
def test_admin_highlights_overdue_requests_and_works_them_through_the_services(
    client, officer, django_capture_on_commit_callbacks
):
    overdue = _filed(email="late@example.org", received_at=timezone.now() - relativedelta(months=2))
    fresh = _filed(email="new@example.org", language="en")
    client.force_login(officer)
    with translation.override("nl"):
        changelist = reverse("admin:rights_rightsrequest_changelist")
        change = reverse("admin:rights_rightsrequest_change", args=[fresh.pk])
    page = client.get(changelist).content.decode()
    assert page.count("rights-overdue") == 1 and "late@example.org" in page
    assert "late@example.org" in client.get(changelist + "?deadline=overdue").content.decode()
    assert "new@example.org" not in client.get(changelist + "?deadline=overdue").content.decode()

    inline = dict(re.findall(r'name="(events-[^"]+)" value="([^"]*)"', client.get(change).content.decode()))
    assert inline  # the steps are shown read-only under the request
    response = client.post(change, {**inline, "action": "extend", "months": "1", "note": ""})
    assert response.status_code == 200  # refused: an extension needs a reason
    fresh.refresh_from_db()
    assert fresh.extension_months == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change, {**inline, "action": "extend", "months": "1", "note": "Many archives to search."}
        )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.extension_months == 1
    assert fresh.events.filter(kind="extended", actor=officer, note="Many archives to search.").exists()
    assert mail.outbox[-1].to == ["new@example.org"]
    assert overdue.is_overdue() and not fresh.is_overdue()


@pytest.mark.clause("C39d")
def test_an_erasure_under_a_legal_hold_is_refused_and_changes_nothing(customer, officer):
    from privacy.models import LegalHold

    LegalHold.objects.create(user=customer, reason="Court order 2026/17", placed_by=officer)
    request = services.request_file(kind="erasure", email=customer.email, language="nl", user=customer)
    with pytest.raises(ValidationError):
        services.request_complete(rights_request=request, actor=officer)
    request.refresh_from_db()
    assert request.status == RightsRequest.Status.RECEIVED and request.completed_at is None
    assert User.objects.filter(pk=customer.pk).exists()
    assert list(request.events.values_list("kind", flat=True)) == ["received"]


@pytest.mark.clause("C40")
def test_support_sees_requests_read_only(client, support):
    Authenticator.objects.create(user=support, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    request = _filed(email="view@example.org")
    client.force_login(support)
    with translation.override("nl"):
        change = reverse("admin:rights_rightsrequest_change", args=[request.pk])
        changelist = reverse("admin:rights_rightsrequest_changelist")
    assert "view@example.org" in client.get(changelist).content.decode()
    response = client.get(change)
    assert response.status_code == 200 and 'name="action"' not in response.content.decode()
    assert client.post(change, {"action": "start"}).status_code == 403


@pytest.mark.clause("C39d", "C40")
def test_an_erasure_asked_without_logging_in_for_an_account_holders_address_acts_on_the_account(
    client, customer, officer, django_capture_on_commit_callbacks
):
    """Confirmed by the link sent to the account's verified address: the request is the account holder's.

    Completing it closes the account as closure does (what runs is ended first, then everything is
    erased but the fiscal snapshots); it never half-erases the customer by address.
    """
    from accounts.tests.factories import UserFactory

    token = services.request_confirmation_token(kind="erasure", email=customer.email.upper(), language="nl")
    response = client.post(reverse("rights:request_confirm", kwargs={"token": token}), {"confirm": "1"})
    assert response.status_code == 200
    request = RightsRequest.objects.get(kind="erasure")
    assert request.user_id == customer.pk and request.verified_by == RightsRequest.Verification.EMAIL_LINK
    assert request.events.filter(kind="note", note__icontains="routed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_complete(rights_request=request, actor=officer)
    assert not User.objects.filter(pk=customer.pk).exists()
    assert not Activity.objects.filter(user_id=customer.pk).exists()

    # An address someone only typed into an account routes nowhere: the request stays the address's.
    typist = UserFactory(username="typist")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=typist, email="los@example.org", verified=False)
    loose = services.request_file(kind="erasure", email="los@example.org", language="nl", confirmation="x" * 32)
    assert loose.user_id is None


def _english(reverse, name, **kwargs) -> str:
    """The page's English address (/en/…, in English words): reverse with English active."""
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, **kwargs)
