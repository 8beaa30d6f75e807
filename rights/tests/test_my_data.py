"""'My data' (C38, C39a): per purpose, what we hold now and the date each piece is deleted."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import connection
from django.db.models import Max, Min
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from accounts.activity import Action as AccountAction
from portal.models import Activity
from privacy import declarations as registry
from privacy import register
from rights import selectors
from rights.models import DataExport, RightsRequest

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def _request(user, received_at, completed_at=None, **extra):
    status = RightsRequest.Status.COMPLETED if completed_at else RightsRequest.Status.RECEIVED
    return RightsRequest.objects.create(
        user=user,
        email=user.email,
        kind=RightsRequest.Kind.ACCESS,
        status=status,
        verified_by="account",
        received_at=received_at,
        deadline=received_at + relativedelta(months=1),
        completed_at=completed_at,
        **extra,
    )


def _item(purposes, model):
    return next(item for data in purposes for item in data.items if item.declaration.model is model)


@pytest.mark.clause("C38", "C39a", "C39c", "C39d")
@time_machine.travel(T0, tick=False)
def test_my_data_shows_the_deletion_date_of_each_clock(customer_client, customer, settings):
    settings.RIGHTS_EXPORT_DAYS = 7
    DataExport.objects.create(user=customer, created_at=T0 - datetime.timedelta(days=2))
    _request(customer, T0 - relativedelta(months=3), completed_at=T0 - relativedelta(months=2))
    _request(customer, T0 - datetime.timedelta(days=1))  # still open: its clock has not started
    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)

    with translation.override("en"):
        purposes = selectors.my_data(user=customer)

    export = _item(purposes, DataExport)
    assert export.first_expiry == T0 + datetime.timedelta(days=5)
    requests = _item(purposes, RightsRequest)
    assert requests.first_expiry == requests.last_expiry == T0 - relativedelta(months=2) + relativedelta(years=1)
    assert requests.waiting == 1
    assert requests.waiting_text == "1 year after your privacy request is dealt with"
    activity = _item(purposes, Activity)
    assert activity.count == 1 and activity.first_expiry is None

    response = customer_client.get(_english(reverse, "rights:my_data"))
    page = response.content.decode()
    assert "Deleted on 15 March 2026." in page
    assert "Deleted on 10 January 2027." in page
    assert "1 item is deleted 1 year after your privacy request is dealt with." in page
    assert "Your account" in page and "Portal access" in page
    assert customer.email in page  # the actual values, not a generic list
    assert "<svg" in page and 'class="timeline-bar"' in page and "style=" not in page
    # C39c/C39d: what the customer may change goes to the profile, the rest to a "this is wrong" request
    assert reverse("accounts:profile") in page
    assert "?kind=rectification&amp;item_reference=rights.DataExport%3AP9%3Aexport_expired" in page


@pytest.mark.clause("C38")
def test_every_declaration_with_a_clock_shows_the_expiry_of_its_rows(customer):
    """Whatever apps are installed: each item's dates are the register's rule applied to its own clock."""
    DataExport.objects.create(user=customer, created_at=timezone.now() - datetime.timedelta(days=1))
    DataExport.objects.create(user=customer)
    _request(customer, timezone.now(), completed_at=timezone.now())
    emails = registry.user_emails(customer)
    items = {item.declaration.key: item for data in selectors.my_data(user=customer) for item in data.items}
    checked = 0
    for declaration in registry.listed():
        queryset = declaration.for_user(customer, emails=emails)
        if not queryset.exists():
            assert declaration.key not in items
            continue
        item = items[declaration.key]
        assert item.count == queryset.count()
        rule, clock = selectors.retention_for(declaration)
        if rule is None:
            assert item.until_text
            continue
        clocks = queryset.aggregate(first=Min(clock), last=Max(clock))
        assert item.first_expiry == rule.expires(clocks["first"])
        assert item.last_expiry == rule.expires(clocks["last"])
        checked += 1
    assert checked >= 2


def _add_rows(user, n):
    Activity.objects.bulk_create(Activity(user=user, action=AccountAction.LOGGED_IN) for _ in range(n))
    DataExport.objects.bulk_create(DataExport(user=user) for _ in range(n))
    for _ in range(n):
        _request(user, timezone.now())


@pytest.mark.clause("C38")
def test_my_data_query_count_does_not_grow_with_the_data(customer_client, customer, django_assert_max_num_queries):
    _add_rows(customer, 2)
    with CaptureQueriesContext(connection) as small:
        assert customer_client.get(reverse("rights:my_data")).status_code == 200
    _add_rows(customer, 40)
    bound = 2 * len(registry.listed()) + 12
    with django_assert_max_num_queries(min(len(small.captured_queries), bound)):
        response = customer_client.get(reverse("rights:my_data"))
    assert response.status_code == 200
    assert b"42" in response.content


def test_my_data_needs_a_login(client):
    response = client.get(reverse("rights:my_data"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.clause("C39a", "C39e", "C39f", "C41")
@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nl", ["Je privacyrechten", "Bezwaar maken", "Toestemming intrekken"]),
        ("en", ["Your privacy rights", "Object to a particular use", "Withdraw your consent"]),
    ],
)
def test_the_public_rights_page_explains_each_right_and_the_complaint_route(client, language, texts):
    with translation.override(language):
        url, desk = reverse("rights:rights"), reverse("rights:request_new")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in page
    for fact in (
        "Autoriteit Persoonsgegevens",
        "Postbus 93374",
        "2509 AJ Den Haag",
        "autoriteitpersoonsgegevens.nl",
        "088 - 1805 250",
    ):
        assert fact in page
    assert desk in page
    for name in ("consent:consents", "newsletter:preferences"):  # C39e, C39f: the consent and preference pages
        try:
            with translation.override(language):
                assert reverse(name) in page
        except NoReverseMatch:
            continue


def test_the_register_rules_of_this_app_exist():
    assert register.rule("export_expired").purpose == "P9"
    assert register.rule("request_closed").purpose == "P9"


@pytest.mark.clause("C38")
@pytest.mark.skipif(not apps.is_installed("hosting"), reason="the services app keeps the service_ended clock")
def test_a_clock_on_the_user_is_followed_for_the_activity_log(customer):
    """P2: the activity log goes 'service_ended' after the customer's last service ended (a lookup on the user)."""
    from hosting.models import ServiceClock

    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    with translation.override("en"):
        item = _item(selectors.my_data(user=customer), Activity)
        assert item.first_expiry is None and item.waiting == 1
        assert item.waiting_text == "as soon as your last service ends or your account is closed"
    ended = T0 - datetime.timedelta(days=10)
    ServiceClock.objects.update_or_create(user=customer, defaults={"service_ended_at": ended})
    item = _item(selectors.my_data(user=customer), Activity)
    assert item.first_expiry == register.rule("service_ended").expires(ended) and item.waiting == 0


@pytest.mark.clause("C38")
@pytest.mark.skipif(not apps.is_installed("retention"), reason="the generic row builder lives in retention")
def test_my_data_with_data_in_every_app_stays_within_two_queries_per_declaration(
    customer_client, customer, django_assert_max_num_queries
):
    from retention.demo import declaration_row_build

    def build_all() -> int:
        built = 0
        for declaration in registry.listed():
            if declaration.owner in (None, "pk"):
                continue
            try:
                declaration_row_build(declaration, user=customer)
            except LookupError:
                continue
            built += 1
        return built

    assert build_all() >= 10
    with CaptureQueriesContext(connection) as small:
        assert customer_client.get(reverse("rights:my_data")).status_code == 200
    for _ in range(3):
        build_all()
    with django_assert_max_num_queries(min(len(small.captured_queries), 2 * len(registry.listed()) + 12)):
        response = customer_client.get(reverse("rights:my_data"))
    assert response.status_code == 200


@pytest.mark.clause("C38")
def test_every_row_of_a_kind_of_data_is_listed_on_its_own_page(
    customer_client, customer, django_assert_max_num_queries
):
    from accounts.tests.factories import UserFactory

    other = UserFactory()
    Activity.objects.bulk_create(
        [Activity(user=customer, action=AccountAction.LOGGED_IN, ip_address=f"192.0.2.{n}") for n in range(1, 31)]
        + [Activity(user=other, action=AccountAction.LOGGED_IN, ip_address="198.51.100.9")]
    )
    overview = customer_client.get(reverse("rights:my_data")).content.decode()
    url = reverse("rights:my_data_item", args=["portal.Activity:P2"])
    assert url in overview
    customer_client.get(url)
    with django_assert_max_num_queries(12):
        response = customer_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert _listed_rows(page) == selectors.ROWS_PAGE_SIZE and "Pagina 1 van 2" in page
    second = customer_client.get(url + "?page=2").content.decode()
    assert _listed_rows(second) == 30 - selectors.ROWS_PAGE_SIZE  # the other customer's row is not among them
    assert "Pagina 2 van 2" in second and "Ingelogd" in second
    assert customer_client.get(url + "?page=abc").status_code == 200  # a bad page number shows the first page


def _listed_rows(page: str) -> int:
    import re

    return re.search(r'<ol class="plain-list rights-rows"[^>]*>(.*?)</ol>', page, re.S).group(1).count("<li>")


def test_an_unknown_or_single_kind_of_data_has_no_page(customer_client):
    for reference in ("onbekend", "accounts.User:P9", "orders.Order:P1"):
        assert customer_client.get(reverse("rights:my_data_item", args=[reference])).status_code == 404


def test_the_rows_page_needs_a_login(client):
    response = client.get(reverse("rights:my_data_item", args=["portal.Activity:P2"]))
    assert response.status_code == 302 and "login" in response["Location"]


def _english(reverse, name, **kwargs) -> str:
    """The page's English address (/en/…, in English words): reverse with English active."""
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, **kwargs)
