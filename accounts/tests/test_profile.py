import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.tests.factories import UserFactory
from portal import dashboard
from portal.models import Activity

pytestmark = pytest.mark.django_db


@pytest.mark.clause("C25", "C07")
def test_profile_change_is_saved_and_logged_with_field_names_only(customer_client, customer):
    response = customer_client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Anna",
            "last_name": "de Vries",
            "postal_code": "3441em",
            "country": "NL",
            "phone": "06 12345678",
            "billing_same_as_address": "on",
        },
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.first_name == "Anna"
    assert customer.postal_code == "3441 EM"
    assert str(customer.phone) == "+31612345678"
    entry = Activity.objects.get(user=customer, action=AccountAction.PROFILE_CHANGED)
    assert set(entry.detail["fields"]) == {"first_name", "last_name", "postal_code", "phone"}
    assert entry.ip_address == "192.0.2.7"
    assert "Jan" not in str(entry.detail)


@pytest.mark.clause("C25")
def test_every_optional_field_can_be_emptied(customer_client, customer):
    User.objects.filter(pk=customer.pk).update(nickname="Jantje", town="Woerden", gender="male")
    response = customer_client.post(reverse("accounts:profile"), {"country": "", "billing_same_as_address": "on"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.nickname, customer.town, customer.gender) == ("", "", "", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postal_code", "12345", "Nederlandse postcode"),
        ("phone", "12", "geldig telefoonnummer"),
        ("birth_date", "1800-01-01", "geboortedatum na"),
        ("birth_date", str(datetime.date.today()), "minstens 16 jaar"),
    ],
)
def test_bad_input_gets_a_clear_dutch_message_and_changes_nothing(customer_client, customer, field, value, message):
    response = customer_client.post(
        reverse("accounts:profile"), {"country": "NL", "billing_same_as_address": "on", field: value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    customer.refresh_from_db()
    assert customer.first_name == "Jan"


def test_foreign_postal_codes_are_allowed(customer_client, customer):
    customer_client.post(
        reverse("accounts:profile"), {"postal_code": "B-1000", "country": "BE", "billing_same_as_address": "on"}
    )
    customer.refresh_from_db()
    assert customer.postal_code == "B-1000"


def test_separate_billing_address_needs_a_street(customer_client):
    response = customer_client.post(reverse("accounts:profile"), {"country": "NL"})
    assert response.status_code == 200
    assert "factuuradres" in response.content.decode()


@pytest.mark.clause("C39d")
def test_optional_item_is_deleted_in_one_click(customer_client, customer):
    User.objects.filter(pk=customer.pk).update(nickname="Jantje")
    customer_client.post(reverse("accounts:optional_field_clear"), {"field": "nickname"})
    customer.refresh_from_db()
    assert customer.nickname == ""
    assert Activity.objects.filter(user=customer, action=AccountAction.PROFILE_CHANGED).exists()


def test_only_optional_items_can_be_deleted_that_way(customer_client, customer):
    customer_client.post(reverse("accounts:optional_field_clear"), {"field": "email"})
    customer.refresh_from_db()
    assert customer.email


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Every page runs a fixed number of queries: the session, the user, allauth's session tracking and
# one or two per panel or menu entry of the other apps.  What matters is that it never grows with data.
BASE_QUERIES = 12


@pytest.mark.clause("C07")
def test_activity_log_shows_only_own_entries_paginated(customer_client, customer, django_assert_max_num_queries):
    other = UserFactory()
    url = reverse("accounts:activity")
    customer_client.get(url)  # the first request of a session also records it (allauth.usersessions)
    few = _queries(customer_client, url)
    Activity.objects.bulk_create(
        [Activity(user=customer, action=AccountAction.LOGGED_IN, ip_address="192.0.2.1") for _ in range(60)]
        + [Activity(user=other, action=AccountAction.LOGGED_IN, ip_address="198.51.100.9")]
    )
    dashboard.touch(customer.pk)  # bulk_create sends no signal: a service writing so renews the page copies
    with django_assert_max_num_queries(max(few, BASE_QUERIES)):
        response = customer_client.get(url)
    body = response.content.decode()
    assert "198.51.100.9" not in body
    assert body.count("192.0.2.1") == 25
    assert "Pagina 1 van 3" in body


@pytest.mark.clause("C06")
def test_dashboard_query_count_does_not_grow(customer_client, customer, django_assert_max_num_queries):
    url = reverse("accounts:dashboard")
    customer_client.get(url)
    few = _queries(customer_client, url)
    assert few <= BASE_QUERIES + 3 * len(dashboard.panels_for(customer))
    Activity.objects.bulk_create([Activity(user=customer, action=AccountAction.LOGGED_IN) for _ in range(500)])
    with django_assert_max_num_queries(few):
        response = customer_client.get(url)
    assert response.status_code == 200
    assert "Welkom" in response.content.decode()


@pytest.mark.clause("C36")
def test_personal_pages_are_not_cached(customer_client):
    response = customer_client.get(reverse("accounts:profile"))
    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.clause("C25")
@pytest.mark.parametrize(
    ("parts", "stored", "message"),
    [
        (("27", "3", "1985"), datetime.date(1985, 3, 27), None),
        (("31", "2", "1985"), None, "Vul een bestaande datum in"),
        (("", "", ""), None, None),
        (("12", "", "1990"), None, "Vul een bestaande datum in"),
    ],
)
def test_the_birth_date_is_three_fields_day_month_year_with_an_error_summary(client, parts, stored, message):
    """The GOV.UK / NL Design System date pattern, and the summary that links to the field with the error."""
    user = UserFactory(language="nl")
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="id_birth_date_0"' in page and 'autocomplete="bday-year"' in page and "<legend>" in page
    data = {"country": "NL", "billing_same_as_address": "on", "first_name": "Jan"}
    data.update({f"birth_date_{index}": value for index, value in enumerate(parts)})
    response = client.post(reverse("accounts:profile"), data)
    user.refresh_from_db()
    if message is None:
        assert response.status_code == 302
        assert user.birth_date == stored
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_birth_date_0"' in html and message in html
    assert user.birth_date is None and f'value="{parts[0]}"' in html  # what was typed is shown again
