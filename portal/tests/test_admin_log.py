"""The admin's change log holds kinds and ids, never a customer's name, address or words (C24, C36)."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.tests.factories import UserFactory, with_totp
from contact.models import ContactRequest
from portal.roles import SUPPORT

pytestmark = pytest.mark.django_db


@pytest.mark.clause("C24", "C36")
def test_a_change_made_in_the_admin_is_logged_by_kind_and_id_only(client):
    support = with_totp(UserFactory(username="hulp", is_staff=True))
    support.groups.add(Group.objects.get(name=SUPPORT))
    customer = UserFactory(username="klant-met-naam", email="naam@example.nl", first_name="Noor")
    client.force_login(support)
    url = reverse("admin:accounts_user_change", args=[customer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update({"first_name": "Nora", "billing_same_as_address": "on", "language": "nl"})
    response = client.post(url, {k: v for k, v in data.items() if not isinstance(v, list | dict)})
    assert response.status_code == 302, response.content.decode()[:1500]
    entry = LogEntry.objects.get(object_id=str(customer.pk))
    assert entry.object_repr == f"user #{customer.pk}"
    assert "klant-met-naam" not in entry.object_repr + entry.change_message


@pytest.mark.clause("C24")
def test_inline_object_names_in_the_change_message_are_dropped():
    support = UserFactory(username="hulp2", is_staff=True)
    question = ContactRequest.objects.create(name="Geheime Naam", email="g@example.nl", subject="Eigen onderwerp")
    entry = LogEntry.objects.create(
        user=support,
        content_type=ContentType.objects.get_for_model(ContactRequest),
        object_id=str(question.pk),
        object_repr="Geheime Naam: Eigen onderwerp",
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Status"]}}, {"added": {"name": "answer", "object": "Geheime Naam"}}]',
    )
    entry.refresh_from_db()
    assert entry.object_repr == f"contactrequest #{question.pk}"
    assert "Geheime" not in entry.change_message and "Status" in entry.change_message


@pytest.mark.clause("C24")
def test_entries_written_together_are_scrubbed_too():
    """The admin's "delete selected" logs several objects at once through bulk_create, which sends no signal."""
    support = UserFactory(username="hulp3", is_staff=True)
    customers = [UserFactory(username=f"klant-bulk-{n}", email=f"bulk{n}@example.nl") for n in range(2)]
    from django.contrib.admin.models import DELETION

    LogEntry.objects.log_actions(user_id=support.pk, queryset=customers, action_flag=DELETION)
    written = sorted(LogEntry.objects.values_list("object_repr", flat=True))
    assert written == sorted(f"user #{customer.pk}" for customer in customers)
