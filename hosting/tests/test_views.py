"""The customer's service pages: what they show, what each form does, and who may open them."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import UserFactory, with_totp
from hosting import services
from hosting.activity import Action as ActivityAction
from hosting.models import Change
from portal.models import Activity

SERVICE_URLS = [
    ("services:detail", {}),
    ("services:changes", {}),
    ("services:activity", {}),
    ("services:alias_add", {}),
    ("services:dns_add", {}),
    ("services:forwarder_add", {}),
    ("services:php", {}),
    ("services:https", {}),
    ("services:restore", {}),
    ("services:alias_remove", {"alias_id": "alias"}),
    ("services:dns_remove", {"record_id": "record"}),
    ("services:forwarder_remove", {"forwarder_id": "forwarder"}),
]


@pytest.fixture
def furnished(hosting, backup, prove):
    """A hosting package with one of everything."""
    prove(hosting.user, "example.com")
    alias_change = services.alias_add(service=hosting, name="example.com")
    services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=3600)
    services.forwarder_add(service=hosting, local_part="info", domain="example.nl", destination="jan@gmail.com")
    return {
        "service": hosting,
        "alias": hosting.aliases.get().pk,
        "record": hosting.dns_records.get().pk,
        "forwarder": hosting.forwarders.get().pk,
        "alias_change": alias_change,
    }


READ_ONLY = {"services:detail", "services:changes", "services:activity"}


def _url(name, kwargs, furnished):
    resolved = {key: furnished[value] for key, value in kwargs.items()}
    return reverse(name, kwargs={"service_id": furnished["service"].pk, **resolved})


@pytest.mark.clause("C06")
@pytest.mark.parametrize(("name", "kwargs"), SERVICE_URLS)
def test_another_customer_gets_404_for_every_service_url(client, other, furnished, name, kwargs):
    client.force_login(other)
    url = _url(name, kwargs, furnished)
    if name in READ_ONLY:
        assert client.get(url).status_code == 404
    else:
        assert client.get(url).status_code == 405  # POST only; the POST below gets the 404
    assert client.post(url, {"dns-name": "x", "restore-confirm": "on"}).status_code == 404
    assert furnished["service"].dns_records.count() == 1
    assert furnished["service"].aliases.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, hosting):
    response = client.get(reverse("services:detail", args=[hosting.pk]))
    assert response.status_code == 302 and "/account/login/" in response.url


@pytest.mark.clause("C06")
def test_list_and_detail_pages_show_the_service_with_bounded_queries(
    customer_client, furnished, django_assert_max_num_queries
):
    service = furnished["service"]
    with django_assert_max_num_queries(14):
        response = customer_client.get(reverse("services:list"))
    assert service.domain in response.content.decode()
    with django_assert_max_num_queries(22):
        response = customer_client.get(service.get_absolute_url())
    html = response.content.decode()
    for text in ("example.com", "www.example.nl", "192.0.2.1", "info@example.nl", "jan@gmail.com", "PHP 8.3"):
        assert text in html
    assert "Toegepast" in html  # Dutch by default: "Applied"
    assert 'id="nav-services"' in html


def test_dashboard_shows_the_services_panel(customer_client, hosting):
    response = customer_client.get(reverse("accounts:dashboard"))
    assert hosting.get_absolute_url() in response.content.decode()


@pytest.mark.clause("C06", "C07")
def test_each_form_applies_its_change_and_logs_it(customer_client, hosting, backup, on_commit, settings, prove):
    from credits.services import credits_grant

    prove(hosting.user, "example.org")
    credits_grant(user=hosting.user, amount=10, reason="test", idempotency_key="views-test")
    settings.SERVICES_RESTORE_CREDITS = 5
    url = hosting.get_absolute_url()
    posts = [
        ("services:alias_add", {"alias-name": "example.org"}, ActivityAction.ALIAS_ADDED),
        (
            "services:dns_add",
            {"dns-name": "@", "dns-rtype": "MX", "dns-value": "10 mx.netrex.nl", "dns-ttl": "3600"},
            ActivityAction.DNS_ADDED,
        ),
        (
            "services:forwarder_add",
            {"fwd-local_part": "sales", "fwd-domain": "example.org", "fwd-destination": "piet@example.com"},
            ActivityAction.FORWARDER_ADDED,
        ),
        ("services:php", {"php-version": "8.2"}, ActivityAction.PHP_CHANGED),
        ("services:https", {}, ActivityAction.HTTPS_CHANGED),
        (
            "services:restore",
            {"restore-backup": backup.pk, "restore-request_key": str(uuid.uuid4()), "restore-confirm": "on"},
            ActivityAction.BACKUP_RESTORE,
        ),
    ]
    for name, data, action in posts:
        with on_commit():
            response = customer_client.post(reverse(name, args=[hosting.pk]), data, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302 and response.url.startswith(url), name
        entry = Activity.objects.filter(user=hosting.user).first()
        assert entry.action == action and entry.detail["service"] == hosting.pk and entry.actor is None
        assert entry.ip_address == "203.0.113.9"
    assert set(hosting.changes.values_list("status", flat=True)) == {Change.Status.APPLIED}
    hosting.refresh_from_db()
    assert (hosting.php_version, hosting.https_enabled) == ("8.2", False)
    assert hosting.forwarders.get().address == "sales@example.org"

    record = hosting.dns_records.get()
    with on_commit():
        customer_client.post(reverse("services:dns_remove", args=[hosting.pk, record.pk]))
    assert not hosting.dns_records.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("services:alias_add", {"alias-name": "not a domain"}, "is geen geldige domeinnaam"),
        (
            "services:dns_add",
            {"dns-name": "www", "dns-rtype": "A", "dns-value": "2001:db8::1", "dns-ttl": "3600"},
            "geen geldige waarde",
        ),
        (
            "services:dns_add",
            {"dns-name": "www", "dns-rtype": "A", "dns-value": "192.0.2.1", "dns-ttl": "5"},
            "60",
        ),
        (
            "services:forwarder_add",
            {"fwd-local_part": "a b", "fwd-domain": "example.nl", "fwd-destination": "x@y.nl"},
            "geen geldig adres",
        ),
        ("services:php", {"php-version": "5.2"}, "geldige keuze"),
        ("services:restore", {"restore-request_key": str(uuid.uuid4())}, "verplicht"),
    ],
)
def test_bad_input_shows_a_clear_dutch_message_and_changes_nothing(
    customer_client, hosting, backup, name, data, message
):
    before = hosting.changes.count()
    response = customer_client.post(reverse(name, args=[hosting.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert hosting.changes.count() == before


def test_bad_input_in_english(customer_client, hosting):
    response = customer_client.post(
        _english(reverse, "services:dns_add", args=[hosting.pk]),
        {"dns-name": "www.other.nl.", "dns-rtype": "A", "dns-value": "192.0.2.1", "dns-ttl": "3600"},
    )
    assert "The name must lie inside example.nl." in response.content.decode()


def test_a_failed_change_shows_failed_with_its_reason(customer_client, hosting, settings, on_commit):
    settings.PROVISIONING_ADAPTER = "hosting.provisioning.FailingAdapter"
    with on_commit():
        customer_client.post(
            reverse("services:dns_add", args=[hosting.pk]),
            {"dns-name": "www", "dns-rtype": "A", "dns-value": "192.0.2.1", "dns-ttl": "3600"},
        )
    html = customer_client.get(hosting.get_absolute_url()).content.decode()
    assert "Mislukt" in html and "test adapter" in html


def test_a_suspended_service_shows_no_forms_and_refuses_posts(customer_client, hosting):
    services.service_suspend(service=hosting, reason=services.REASON_PAST_DUE)
    html = customer_client.get(hosting.get_absolute_url()).content.decode()
    assert "Betaling is achterstallig." in html
    assert reverse("services:dns_add", args=[hosting.pk]) not in html
    response = customer_client.post(reverse("services:php", args=[hosting.pk]), {"php-version": "8.2"})
    assert "opgeschort" in response.content.decode()


@pytest.mark.clause("C07")
def test_the_service_activity_page_lists_only_this_service_paginated(
    customer_client, customer, make_service, django_assert_max_num_queries
):
    first = make_service(customer)
    second = make_service(customer, domain="tweede.nl")
    for n in range(30):
        services.dns_record_add(service=first, name=f"h{n}", rtype="A", value="192.0.2.1", ttl=3600)
    services.dns_record_add(service=second, name="alleen", rtype="A", value="192.0.2.2", ttl=3600)
    with django_assert_max_num_queries(16):
        response = customer_client.get(reverse("services:activity", args=[first.pk]))
    html = response.content.decode()
    assert "h29.example.nl" in html and "alleen" not in html
    assert "Pagina 1 van 2" in html
    page2 = customer_client.get(reverse("services:activity", args=[first.pk]), {"page": 2}).content.decode()
    assert "Dienst gestart" in page2
    changes = customer_client.get(reverse("services:changes", args=[first.pk])).content.decode()
    assert "h29.example.nl" in changes


@pytest.mark.clause("C07")
def test_support_staff_change_settings_on_the_customers_behalf(client, hosting, on_commit):
    staff = with_totp(UserFactory(is_staff=True))
    staff.user_permissions.add(Permission.objects.get(codename="change_service"))
    client.force_login(staff)
    html = client.get(hosting.get_absolute_url()).content.decode()
    assert hosting.user.username in html  # the "acting on behalf of" notice
    with on_commit():
        response = client.post(
            reverse("services:dns_add", args=[hosting.pk]),
            {"dns-name": "www", "dns-rtype": "A", "dns-value": "192.0.2.1", "dns-ttl": "3600"},
        )
    assert response.status_code == 302
    entry = Activity.objects.filter(user=hosting.user).first()
    assert entry.action == ActivityAction.DNS_ADDED and entry.actor == staff
    client.force_login(hosting.user)
    log = client.get(reverse("services:activity", args=[hosting.pk])).content.decode()
    assert "192.0.2.1" in log and "badge" in log


def test_staff_without_the_permission_get_404(client, hosting):
    client.force_login(with_totp(UserFactory(is_staff=True)))
    assert client.get(hosting.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(("kind", "domain"), [("certificate", "example.nl"), ("domain", "example.nl"), ("hosting", "")])
def test_detail_page_of_every_kind_renders(customer_client, customer, make_service, kind, domain):
    service = make_service(customer, kind=kind, domain=domain)
    response = customer_client.get(service.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert ('id="php"' in html) == (kind == "hosting")
    assert (reverse("services:dns_add", args=[service.pk]) in html) == (kind != "certificate" and bool(domain))


def _english(reverse, name, **kwargs) -> str:
    """The page's English address (/en/…, in English words): reverse with English active."""
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, **kwargs)
