"""A contact request as a thread (issue 20 item 3): the receipt, "my questions", replies, the clocks, erasure."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from contact import selectors, services
from contact.activity import Action
from contact.models import ContactMessage, ContactRequest, number_of, pk_of_number
from portal.models import Activity
from portal.roles import PRIVACY_OFFICER
from privacy.declarations import for_model
from privacy.models import LegalHold

FORM = {"email": "vraag@example.nl", "subject": "Mijn website", "message": "Hoe zet ik PHP 8.3 aan?"}


def _declaration(model, rule):
    return next(d for d in for_model(model) if d.rule == rule)


def _staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _ask(client, django_capture_on_commit_callbacks, **extra) -> ContactRequest:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact:form"), {**FORM, **extra})
    assert response.status_code == 302
    return ContactRequest.objects.latest("pk")


def _answer(staff, contact_request, django_capture_on_commit_callbacks, text="Onder Website > PHP kies je 8.3."):
    with django_capture_on_commit_callbacks(execute=True):
        response = _staff_client(staff).post(
            reverse("admin:contact_contactrequest_answer", args=[contact_request.pk]), {"answer": text}
        )
    assert response.status_code == 302
    return mail.outbox[-1]


def test_the_number_is_stable_and_read_back():
    moment = timezone.now().replace(year=2026, month=6, day=1)
    assert number_of(42, moment) == "V-2026-00042"
    assert pk_of_number("V-2026-00042") == 42 and pk_of_number(" v-2026-42 ") == 42 and pk_of_number("42") == 42
    assert pk_of_number("V-2026-") is None and pk_of_number("drop table") is None


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_the_receipt_names_the_number_and_what_happens_next_in_the_visitors_language(
    client, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        url = reverse("contact:form")
    assert url.startswith("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FORM, follow=True)
    contact_request = ContactRequest.objects.get()
    assert contact_request.language == "en" and contact_request.status == ContactRequest.Status.OPEN
    receipt = next(message for message in mail.outbox if message.to == [FORM["email"]])
    assert contact_request.number in receipt.subject and contact_request.number in receipt.body
    assert "What happens next" in receipt.body and "Replying to our emails is not possible" in receipt.body
    # Nothing the sender typed is echoed: the form cannot be used to mail someone else a text of one's own.
    assert FORM["message"] not in receipt.body and FORM["subject"] not in receipt.body + receipt.subject
    page = response.content.decode()
    assert contact_request.number in page  # the thanks page names it too
    assert "Replying to our emails is not possible" in page  # a visitor cannot reply: the page says so


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_a_customers_receipt_is_dutch_and_links_to_my_questions(
    customer_client, customer, django_capture_on_commit_callbacks
):
    contact_request = _ask(customer_client, django_capture_on_commit_callbacks, email=customer.email)
    receipt = next(message for message in mail.outbox if message.to == [customer.email])
    assert f"We hebben je vraag ontvangen ({contact_request.number})" in receipt.subject
    assert "Wat gebeurt er nu?" in receipt.body
    assert f"/contact/mijn-vragen/{contact_request.pk}/" in receipt.body
    assert "30 dagen na ons antwoord" in receipt.body  # the register's period, not one of the template's own


@pytest.mark.django_db
@pytest.mark.clause("C16", "C17")
def test_the_customer_reads_our_answer_replies_and_the_thread_reopens(
    customer_client, customer, staff, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    staff.first_name, staff.username = "Anna", "anna.support.42"
    staff.save(update_fields=["first_name", "username"])
    contact_request = _ask(customer_client, django_capture_on_commit_callbacks, email=customer.email)
    answer = _answer(staff, contact_request, django_capture_on_commit_callbacks)
    assert f"/contact/mijn-vragen/{contact_request.pk}/" in answer.body and "Anna, Netrex" in answer.body
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.ANSWERED

    url = reverse("contact:thread", args=[contact_request.pk])
    with django_assert_max_num_queries(12):
        page = customer_client.get(url).content.decode()
    assert "Onder Website &gt; PHP kies je 8.3." in page and "Anna (Netrex)" in page
    assert "anna.support.42" not in page  # staff are never shown by their username
    assert page.index(FORM["message"]) < page.index("PHP kies je 8.3")  # in order

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(url, {"body": "Dank, maar waar staat die knop precies?"})
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.OPEN
    assert [m.author for m in selectors.thread_of(contact_request_id=contact_request.pk)] == ["staff", "customer"]
    assert Activity.objects.filter(user=customer, action=Action.CONTACT_REPLIED).exists()
    assert [m.to for m in mail.outbox] == [["info@netrex.nl"]]  # support is told the thread waits for us
    page = customer_client.get(url).content.decode()
    assert "waar staat die knop precies?" in page and "wacht op ons antwoord" in page


@pytest.mark.django_db
def test_an_empty_or_huge_reply_gives_a_message_not_an_error(customer_client, customer):
    contact_request = ContactRequest.objects.create(user=customer, email=customer.email, subject="A", message="B")
    url = reverse("contact:thread", args=[contact_request.pk])
    for body in ("", "   ", "x" * 5001):
        response = customer_client.post(url, {"body": body})
        assert response.status_code == 200 and b"field-error" in response.content
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_someone_elses_thread_is_404(customer_client):
    other = UserFactory()
    theirs = ContactRequest.objects.create(user=other, email=other.email, subject="Geheim", message="Van een ander")
    anonymous = ContactRequest.objects.create(email="bezoeker@example.nl", subject="Bezoeker", message="x")
    for contact_request in (theirs, anonymous):
        url = reverse("contact:thread", args=[contact_request.pk])
        assert customer_client.get(url).status_code == 404
        assert customer_client.post(url, {"body": "Ik doe mee"}).status_code == 404
        satisfied = reverse("contact:thread_satisfied", args=[contact_request.pk])
        assert customer_client.post(satisfied).status_code == 404
    assert not ContactMessage.objects.exists()
    assert ContactRequest.objects.filter(satisfied_at__isnull=False).count() == 0
    assert Client().get(reverse("contact:thread", args=[theirs.pk])).status_code == 302  # to the login page


@pytest.mark.django_db
@pytest.mark.clause("C17")
def test_the_silence_clock_counts_from_our_next_answer_after_a_reply(
    customer_client, customer, staff, django_capture_on_commit_callbacks
):
    silence = _declaration(ContactRequest, "contact_silence")
    message_silence = _declaration(ContactMessage, "contact_silence")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        contact_request = _ask(customer_client, django_capture_on_commit_callbacks, email=customer.email)
        _answer(staff, contact_request, django_capture_on_commit_callbacks)
    assert contact_request in silence.due(start + timedelta(days=30, minutes=1))

    with time_machine.travel(start + timedelta(days=5), tick=False):
        customer_client.post(reverse("contact:thread", args=[contact_request.pk]), {"body": "Nog een vraag"})
    # Waiting for us: never due by silence, whatever the date.
    assert contact_request not in silence.due(start + timedelta(days=3650))
    assert not message_silence.due(start + timedelta(days=3650)).exists()

    with time_machine.travel(start + timedelta(days=10), tick=False):
        _answer(staff, contact_request, django_capture_on_commit_callbacks, text="Rechtsboven.")
    assert contact_request not in silence.due(start + timedelta(days=39))
    assert contact_request in silence.due(start + timedelta(days=40, minutes=1))
    due_messages = message_silence.due(start + timedelta(days=40, minutes=1))
    assert due_messages.count() == 3  # the whole thread goes with its question


@pytest.mark.django_db
@pytest.mark.clause("C17")
def test_satisfied_from_the_thread_page_erases_question_and_thread_at_once(
    customer_client, customer, staff, django_capture_on_commit_callbacks
):
    contact_request = _ask(customer_client, django_capture_on_commit_callbacks, email=customer.email)
    url = reverse("contact:thread_satisfied", args=[contact_request.pk])
    response = customer_client.post(url)  # not answered yet: nothing to be satisfied with
    assert response.status_code == 302 and ContactRequest.objects.filter(pk=contact_request.pk).exists()
    _answer(staff, contact_request, django_capture_on_commit_callbacks)
    response = customer_client.post(url, follow=True)
    assert not ContactRequest.objects.filter(pk=contact_request.pk).exists()
    assert not ContactMessage.objects.filter(request_id=contact_request.pk).exists()
    assert "We hebben je vraag verwijderd" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.clause("C17")
def test_a_legal_hold_keeps_a_satisfied_thread_and_it_takes_no_more_replies(
    customer_client, customer, staff, django_capture_on_commit_callbacks
):
    contact_request = _ask(customer_client, django_capture_on_commit_callbacks, email=customer.email)
    _answer(staff, contact_request, django_capture_on_commit_callbacks)
    LegalHold.objects.create(user=customer, reason="Politieverzoek", placed_by=staff)
    customer_client.post(reverse("contact:thread_satisfied", args=[contact_request.pk]))
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.SATISFIED
    assert ContactMessage.objects.filter(request=contact_request).count() == 1
    with pytest.raises(services.ReplyRefused):
        services.contact_reply(contact_request=contact_request, user=customer, body="Toch nog iets")
    page = customer_client.get(reverse("contact:thread", args=[contact_request.pk])).content.decode()
    assert 'id="reply-form"' not in page


@pytest.mark.django_db
@pytest.mark.clause("C17")
def test_account_closure_erases_the_threads(customer_client, customer, staff, django_capture_on_commit_callbacks):
    from accounts import closure

    contact_request = _ask(customer_client, django_capture_on_commit_callbacks, email=customer.email)
    _answer(staff, contact_request, django_capture_on_commit_callbacks)
    customer_client.post(reverse("contact:thread", args=[contact_request.pk]), {"body": "Nog iets"})
    assert ContactMessage.objects.count() == 2
    counts = closure.account_close(user=customer)
    assert not ContactRequest.objects.exists() and not ContactMessage.objects.exists()
    assert counts.get("contact.ContactRequest:delete", 0) + counts.get("contact.ContactMessage:delete", 0) >= 1


@pytest.mark.django_db
@pytest.mark.clause("C17")
def test_an_erasure_request_by_address_erases_a_visitors_thread(client, staff, django_capture_on_commit_callbacks):
    from rights.services import person_erase

    contact_request = _ask(client, django_capture_on_commit_callbacks)
    _answer(staff, contact_request, django_capture_on_commit_callbacks)
    kept = ContactRequest.objects.create(email="ander@example.nl", subject="Ander", message="x")
    ContactMessage.objects.create(request=kept, author=ContactMessage.Author.STAFF, body="Antwoord")
    answer = mail.outbox[-1]
    assert "Reageren op onze e-mails is niet mogelijk" in answer.body and "/mijn-vragen/" not in answer.body
    person_erase(email=FORM["email"].upper())
    assert list(ContactRequest.objects.all()) == [kept]
    assert list(ContactMessage.objects.values_list("request_id", flat=True)) == [kept.pk]


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_the_thread_is_exported_with_its_question(customer, staff, django_capture_on_commit_callbacks):
    contact_request = ContactRequest.objects.create(user=customer, email=customer.email, subject="A", message="B")
    services.contact_answer(contact_request=contact_request, answer="Het antwoord", staff=staff)
    declaration = next(d for d in for_model(ContactMessage) if d.listed)
    rows = list(declaration.export_rows(declaration.for_user(customer)))
    assert rows == [
        {
            "pk": rows[0]["pk"],
            "request": contact_request.pk,
            "author": "staff",
            "body": "Het antwoord",
            "created_at": rows[0]["created_at"],
        }
    ]


@pytest.mark.django_db
@pytest.mark.clause("C16")
def test_support_sees_the_thread_and_filters_the_inbox_the_privacy_officer_only_reads(
    customer, staff, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    contact_request = ContactRequest.objects.create(
        user=customer, email=customer.email, subject="Vraag-van-de-klant", message="Hoi"
    )
    services.contact_answer(contact_request=contact_request, answer="Eerste antwoord", staff=staff)
    services.contact_reply(contact_request=contact_request, user=customer, body="Vervolgvraag van de klant")
    waiting = ContactRequest.objects.create(email="x@example.nl", subject="Vraag-van-een-bezoeker", message="x")
    services.contact_answer(contact_request=waiting, answer="Klaar", staff=staff)
    support = _staff_client(staff)
    with django_assert_max_num_queries(25):
        page = support.get(reverse("admin:contact_contactrequest_change", args=[contact_request.pk])).content.decode()
    assert "Eerste antwoord" in page and "Vervolgvraag van de klant" in page and contact_request.number in page
    changelist = reverse("admin:contact_contactrequest_changelist")
    open_list = support.get(changelist, {"status__exact": "open"}).content.decode()
    assert "Vraag-van-de-klant" in open_list and "Vraag-van-een-bezoeker" not in open_list
    waiting_list = support.get(changelist, {"status__exact": "answered"}).content.decode()
    assert "Vraag-van-een-bezoeker" in waiting_list and "Vraag-van-de-klant" not in waiting_list
    assert contact_request.subject in support.get(changelist, {"q": contact_request.number}).content.decode()

    officer = UserFactory(is_staff=True)
    officer.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    officer_client = _staff_client(officer)
    assert (
        officer_client.get(reverse("admin:contact_contactrequest_change", args=[contact_request.pk])).status_code == 200
    )
    answer_url = reverse("admin:contact_contactrequest_answer", args=[contact_request.pk])
    assert officer_client.post(answer_url, {"answer": "Mag niet"}).status_code == 403


@pytest.mark.django_db
def test_the_data_migration_turns_answers_into_threads():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def settle():  # deferred foreign-key checks must run before a table is altered in this transaction
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    settle()
    executor = MigrationExecutor(connection)
    executor.migrate([("contact", "0002_staff_roles")])
    old_apps = executor.loader.project_state([("contact", "0002_staff_roles")]).apps
    OldRequest = old_apps.get_model("contact", "ContactRequest")
    now = timezone.now()
    answered = OldRequest.objects.create(email="a@example.nl", subject="A", message="a", answer="Zo", answered_at=now)
    unhappy = OldRequest.objects.create(
        email="b@example.nl", subject="B", message="b", answer="Eh", answered_at=now, not_yet_at=now
    )
    fresh = OldRequest.objects.create(email="c@example.nl", subject="C", message="c")
    settle()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("contact"))
    statuses = dict(ContactRequest.objects.values_list("pk", "status"))
    assert statuses == {answered.pk: "answered", unhappy.pk: "open", fresh.pk: "open"}
    message = ContactMessage.objects.get(request_id=answered.pk)
    assert (message.author, message.body, message.created_at) == ("staff", "Zo", now)
    assert re.fullmatch(r"V-\d{4}-\d{5}", ContactRequest.objects.get(pk=fresh.pk).number)
