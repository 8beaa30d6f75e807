"""A plan is taken out for a package or a new domain, and after cancelling it runs until the paid period ends.

Through the real pages and the Mollie simulator over HTTP; time travels with ``time_machine``.
"""

import datetime
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.tests.factories import UserFactory
from hosting import services as hosting_services
from hosting.models import Service, ServiceClock
from subscriptions.demo import seed_plans
from subscriptions.models import Subscription
from subscriptions.selectors import subscription_end, targets_open
from subscriptions.tests.test_flow import _pay_on_the_simulator

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/abonnementen/nieuw/webcare-monthly/"


def _dutch(date: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(date, "j F Y")


@pytest.fixture
def customer(client):
    seed_plans()
    user = UserFactory(language="nl")
    client.force_login(user)
    return user


@pytest.fixture
def package(customer):
    service, _created = hosting_services.service_create(
        user=customer, kind=Service.Kind.HOSTING, domain="mijnsite.nl", source="test:package"
    )
    return service


@pytest.mark.clause("C14")
def test_the_subscribe_page_offers_the_customers_packages_and_a_new_domain(client, customer, package):
    page = client.get(URL).content.decode()
    assert f'value="service:{package.pk}"' in page and "Hostingpakket mijnsite.nl" in page
    assert 'value="new"' in page and "Een nieuw hostingpakket voor een nieuw domein" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target": "new", "domain": ""}, "Vul de domeinnaam in voor je nieuwe hostingpakket."),
        ({"target": "new", "domain": "geen domein"}, "“geen domein” is geen geldige domeinnaam."),
        ({"target": "new", "domain": "bezet.nl"}, "bezet.nl is al bezet. Kies een andere domeinnaam."),
        ({"target": "service:999999"}, "Kies een van je pakketten uit de lijst, of een nieuw domein."),
        ({}, "Kies waarvoor je dit abonnement neemt."),
    ],
)
def test_a_bad_choice_is_refused_in_dutch_and_records_nothing(client, customer, data, message):
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_package_of_someone_else_cannot_be_chosen(client, customer):
    theirs, _created = hosting_services.service_create(
        user=UserFactory(), kind=Service.Kind.HOSTING, domain="andermans.nl", source="test:theirs"
    )
    response = client.post(URL, {"target": f"service:{theirs.pk}"})
    assert "Kies een van je pakketten uit de lijst" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_package_with_a_plan_running_is_no_longer_offered(mollie_live, client, customer, package):
    response = client.post(URL, {"target": f"service:{package.pk}"})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.target_ref, subscription.domain) == (f"service:{package.pk}", "mijnsite.nl")
    assert targets_open(user=customer) == []


@pytest.mark.clause("C14", "C06", "C08")
def test_a_plan_for_a_new_domain_runs_after_cancelling_until_the_paid_period_ends(mollie_live, client, customer):
    response = client.post(URL, {"target": "new", "domain": "NieuweSite.nl"})
    assert response.status_code == 302
    _pay_on_the_simulator(response["Location"])
    subscription = Subscription.objects.get()
    assert subscription.status == "active" and subscription.domain == "nieuwesite.nl"
    package = Service.objects.get(source=f"subscription:{subscription.pk}")
    assert (package.domain, package.state) == ("nieuwesite.nl", "active")  # nobody sets it in the admin

    assert client.post(f"/abonnementen/{subscription.pk}/opzeggen/").status_code == 302
    subscription.refresh_from_db()
    end = subscription_end(subscription)
    assert end.paid and end.on == subscription.paid_until == timezone.localdate() + relativedelta(months=1)
    runs_until = f"loopt tot {_dutch(end.on)}"

    cancelled = mail.outbox[-1]
    assert cancelled.subject == "Je abonnement Webcare maandelijks is opgezegd"
    assert runs_until in cancelled.body
    subscription_page = client.get(f"/abonnementen/{subscription.pk}/").content.decode()
    assert runs_until in subscription_page
    assert re.search(r'id="subscription-status">.*Opgezegd', subscription_page)
    assert "Geannuleerd" not in subscription_page
    package.refresh_from_db()
    assert package.state == "active" and package.ends_on == end.on
    assert runs_until in client.get(package.get_absolute_url()).content.decode()

    the_day = datetime.datetime.combine(end.on, datetime.time(0, 30), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(the_day - datetime.timedelta(days=1), tick=False):
        assert hosting_services.services_end_due() == 0
    with time_machine.travel(the_day, tick=False):
        call_command("shell", "-c", "from hosting.tasks import services_end_due; services_end_due()")
    package.refresh_from_db()
    assert package.state == "ended" and ServiceClock.objects.get(user=customer).service_ended_at == the_day


@pytest.mark.clause("C14")
def test_cancelling_when_the_current_period_was_not_paid_ends_the_package_at_once_and_says_so(
    mollie_live, client, customer
):
    response = client.post(URL, {"target": "new", "domain": "nieuwesite.nl"})
    _pay_on_the_simulator(response["Location"])
    subscription = Subscription.objects.get()
    renewal_day = datetime.datetime.combine(
        subscription.paid_until, datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(renewal_day, tick=False):
        client.force_login(customer)  # a month later: a fresh session
        # Mollie's charge on the renewal day fails: the new period is not paid.
        call_command("mollie_sim_charge", subscription.mollie_subscription_id, status="failed")
        subscription.refresh_from_db()
        package = Service.objects.get(source=f"subscription:{subscription.pk}")
        assert subscription.status == "past_due" and package.state == "suspended"
        assert "Betaling is achterstallig." in client.get(package.get_absolute_url()).content.decode()

        client.post(f"/abonnementen/{subscription.pk}/opzeggen/")
        subscription.refresh_from_db()
        end = subscription_end(subscription)
        assert not end.paid and end.on == renewal_day.date()
        package.refresh_from_db()
        assert package.state == "ended"
        assert "De lopende periode is niet betaald" in mail.outbox[-1].body
        assert "loopt tot" not in mail.outbox[-1].body
        page = client.get(f"/abonnementen/{subscription.pk}/").content.decode()
        assert f"Gestopt op {_dutch(end.on)}: de lopende periode was niet betaald." in page
