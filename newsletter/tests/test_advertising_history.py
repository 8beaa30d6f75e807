"""The advertising history per channel (issue 20 item 4): channel, new state, method and who made the change."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from newsletter import selectors, services
from newsletter.models import AdvertisingPreferenceChange, Channel, ChoiceMethod, Origin
from portal.activity import detail_text
from portal.models import Activity
from privacy.declarations import for_model

pytestmark = pytest.mark.django_db


def _staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.mark.clause("C27")
def test_staff_record_a_phone_objection_for_the_channel_the_customer_named(staff, customer, customer_client):
    response = _staff_client(staff).post(
        reverse("admin:newsletter_advertisingpreferencechange_add"),
        {
            "user": customer.pk,
            "channel": Channel.EMAIL,
            "allowed": "",
            "method": ChoiceMethod.PHONE,
            "source": "Gebeld op 3 mei",
        },
    )
    assert response.status_code == 302
    change = AdvertisingPreferenceChange.objects.get(user=customer)
    assert (change.channel, change.allowed, change.method) == (Channel.EMAIL, False, ChoiceMethod.PHONE)
    assert (change.origin, change.staff_role, change.recorded_by) == (Origin.STAFF, "support", staff)
    assert selectors.preferences_for(user=customer)["advertising"][Channel.EMAIL] is False

    entry = Activity.objects.get(user=customer, action="advertising_objected")
    assert entry.actor == staff and entry.detail["channel"] == "email" and entry.detail["origin"] == "staff"
    assert "per telefoon (kanaal: e-mail)" in entry.detail["summary"]
    assert "by phone (channel: email)" in entry.detail["summary"]
    log = customer_client.get(reverse("accounts:activity")).content.decode()
    assert "Bezwaar tegen reclame" in log and "per telefoon (kanaal: e-mail)" in detail_text(entry.detail)

    page = customer_client.get(reverse("newsletter:preferences")).content.decode()
    email = page[page.index('id="advertising-history-email"') :]
    email = email[: email.index("</section>")]
    assert "E-mail: bezwaar" in email
    assert "Per telefoon" in email and "Medewerker (support)" in email and "Gebeld op 3 mei" in email
    phone = page[page.index('id="advertising-history-phone"') :]
    assert "Gebeld op 3 mei" not in phone[: phone.index("</section>")]  # only the channel the customer named


def test_the_add_form_offers_only_the_staff_methods_and_starts_at_phone(staff):
    page = _staff_client(staff).get(reverse("admin:newsletter_advertisingpreferencechange_add")).content.decode()
    method = page[page.index('name="method"') : page.index("</select>", page.index('name="method"'))]
    assert 'value="phone" selected' in method
    assert 'value="portal"' not in method and 'value="email_link"' not in method
    for channel in Channel.values:
        assert f'value="{channel}"' in page


@pytest.mark.clause("C27")
def test_each_channel_shows_its_own_history_with_method_and_origin(customer, customer_client):
    customer_client.post(
        reverse("newsletter:preferences"),
        {"advertising_email": "on", "advertising_social": "on"},  # phone switched off on the portal
    )
    services.advertising_choice_set(user=customer, channel=Channel.SOCIAL, allowed=False, method=ChoiceMethod.SOCIAL)
    history = {
        group["channel"]: group
        for group in selectors.advertising_history_per_channel(
            user=customer, current=selectors.preferences_for(user=customer)["advertising"]
        )
    }
    assert list(history) == list(Channel.values)
    assert history["social"]["allowed"] is False and history["email"]["allowed"] is True
    (phone,) = history["phone"]["changes"]
    assert (phone.method, phone.origin, phone.allowed) == (ChoiceMethod.PORTAL, Origin.CUSTOMER, False)
    assert [c.origin for c in history["social"]["changes"]] == [Origin.STAFF, Origin.CUSTOMER]
    with translation.override("en"):
        assert phone.method_phrase == "on the preferences page" and phone.made_by == "customer"
        assert history["social"]["changes"][0].made_by == "staff member"  # no role known: the method says staff


def test_a_change_without_any_request_or_staff_member_is_the_systems(customer):
    services.advertising_choice_set(user=customer, channel=Channel.EMAIL, allowed=False, method=ChoiceMethod.CONSENT)
    assert AdvertisingPreferenceChange.objects.get(user=customer).origin == Origin.SYSTEM


@pytest.mark.clause("C27")
def test_the_new_rows_keep_the_two_year_history_rule(customer, staff):
    services.advertising_choice_set(
        user=customer, channel=Channel.PHONE, allowed=False, method=ChoiceMethod.PHONE, source="x", actor=staff
    )
    (declaration,) = for_model(AdvertisingPreferenceChange)
    assert declaration.rule == "advertising_history"
    now = timezone.now()
    assert not declaration.due(now + timedelta(days=365)).exists()
    assert declaration.due(now + timedelta(days=2 * 366)).get().origin == Origin.STAFF
    assert {"channel", "method", "origin", "staff_role"} <= set(declaration.fields)


def test_the_role_of_a_superuser_without_a_role_is_recorded_as_administrator(customer):
    boss = UserFactory(is_staff=True, is_superuser=True)
    services.advertising_choice_set(
        user=customer, channel=Channel.PHONE, allowed=False, method=ChoiceMethod.STAFF, source="Brief", actor=boss
    )
    change = AdvertisingPreferenceChange.objects.get(user=customer)
    assert change.staff_role == "superuser"
    with translation.override("nl"):
        assert (
            change.made_by == "medewerker (beheerder)" and change.method_phrase == "per brief of op een andere manier"
        )


def test_the_migration_names_the_origin_of_the_rows_recorded_before(staff):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def settle():  # deferred foreign-key checks must run before a table is altered in this transaction
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    before = ("newsletter", "0003_pendingsubscription_and_more")
    settle()
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("newsletter", "AdvertisingPreferenceChange")
    customer = UserFactory()
    by_portal = old.objects.create(user_id=customer.pk, channel="email", allowed=False, method="portal")
    by_phone = old.objects.create(user_id=customer.pk, channel="phone", allowed=False, method="phone")
    by_staff = old.objects.create(
        user_id=customer.pk, channel="social", allowed=False, method="social", recorded_by_id=staff.pk
    )
    settle()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("newsletter"))
    rows = {row.pk: row for row in AdvertisingPreferenceChange.objects.all()}
    assert (rows[by_portal.pk].origin, rows[by_portal.pk].channel) == (Origin.CUSTOMER, "email")
    assert (rows[by_phone.pk].origin, rows[by_phone.pk].staff_role) == (Origin.STAFF, "")
    assert (rows[by_staff.pk].origin, rows[by_staff.pk].staff_role) == (Origin.STAFF, "support")
