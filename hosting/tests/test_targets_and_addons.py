"""What is bought *for* a package: the targets hosting offers, the domain check, plans and add-ons on a package."""

import datetime
import logging
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hosting import receivers, services
from hosting.models import Change, Service, ServiceAddon
from hosting.provisioning import SIMULATED_TAKEN
from portal import targets
from subscriptions import signals as subscription_signals
from subscriptions.models import Plan, Subscription
from subscriptions.selectors import subscription_ends_on


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        code="webcare-test", title_nl="Webcare", title_en="Webcare care", interval="monthly", price=Decimal("24.20")
    )


def _subscription(user, plan, **fields):
    fields.setdefault("status", Subscription.Status.ACTIVE)
    return Subscription.objects.create(user=user, plan=plan, price=plan.price, **fields)


def _cancel(subscription, *, when=None):
    """What ``subscriptions.services.subscription_cancel`` records and sends."""
    subscription.status, subscription.cancelled_at = Subscription.Status.CANCELLED, when or timezone.now()
    subscription.save(update_fields=["status", "cancelled_at"])
    subscription_signals.subscription_cancelled.send(
        sender=Subscription, subscription=subscription, ends_on=subscription_ends_on(subscription)
    )


def test_the_targets_are_the_customers_live_packages_and_domains_only(customer, other, make_service):
    package = make_service(customer, domain="mijnsite.nl")
    registration = make_service(customer, kind=Service.Kind.DOMAIN, domain="mijnsite.nl")
    make_service(customer, kind=Service.Kind.CERTIFICATE, domain="mijnsite.nl")
    ended = make_service(customer, domain="oud.nl")
    services.service_end(service=ended, reason="test")
    theirs = make_service(other, domain="andermans.nl")

    found = targets.targets_for(customer)
    assert [(t.ref, t.kind, t.domain) for t in found] == [
        (f"service:{package.pk}", "hosting", "mijnsite.nl"),
        (f"service:{registration.pk}", "domain", "mijnsite.nl"),
    ]
    assert found[0].label == "Hostingpakket mijnsite.nl"
    assert targets.target_for(customer, f"service:{theirs.pk}") is None
    assert targets.target_for(customer, f"service:{ended.pk}") is None


@pytest.mark.parametrize("domain", sorted(SIMULATED_TAKEN))
def test_the_simulated_control_panel_says_the_documented_test_domains_are_taken(db, domain):
    assert targets.domain_problem(domain) == f"{domain} is al bezet. Kies een andere domeinnaam."


def test_a_domain_the_portal_holds_is_taken_until_its_service_ends(customer, other, make_service):
    assert targets.domain_problem("vrij.nl") is None
    package = make_service(other, domain="vrij.nl")
    assert targets.domain_problem("vrij.nl") == "vrij.nl is al bezet. Kies een andere domeinnaam."
    services.service_end(service=package, reason="test")
    assert targets.domain_problem("vrij.nl") is None


def test_a_plan_for_a_new_domain_makes_the_package_with_that_domain(customer, plan, on_commit):
    subscription = _subscription(customer, plan, domain="nieuwesite.nl")
    with on_commit():
        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    package = Service.objects.get(source=f"subscription:{subscription.pk}")
    assert (package.kind, package.domain, package.state) == ("hosting", "nieuwesite.nl", "active")
    setup = package.changes.get(kind=Change.Kind.SERVICE_SETUP)
    assert setup.payload["domain"] == "nieuwesite.nl" and setup.status == Change.Status.APPLIED


def test_a_plan_for_a_domain_registration_makes_a_package_for_that_domain(customer, plan, make_service, on_commit):
    registration = make_service(customer, kind=Service.Kind.DOMAIN, domain="mijnsite.nl")
    subscription = _subscription(customer, plan, target_ref=f"service:{registration.pk}", domain="mijnsite.nl")
    with on_commit():
        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    package = Service.objects.get(source=f"subscription:{subscription.pk}")
    assert (package.kind, package.domain) == ("hosting", "mijnsite.nl")


def test_a_plan_for_an_existing_package_is_its_add_on_and_ends_with_the_paid_period(
    customer, plan, make_service, on_commit
):
    package = make_service(customer, domain="mijnsite.nl")
    start = datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        subscription = _subscription(
            customer,
            plan,
            target_ref=f"service:{package.pk}",
            domain="mijnsite.nl",
            paid_until=datetime.date(2027, 2, 10),
        )
        with on_commit():
            subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
            subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
        addon = ServiceAddon.objects.get(source=f"subscription:{subscription.pk}")
        assert addon.service == package and addon.title == "Webcare" and addon.state == "active"
        assert not Service.objects.filter(source=f"subscription:{subscription.pk}").exists()
        added = package.changes.get(kind=Change.Kind.ADDON_ADD)
        assert added.status == Change.Status.APPLIED and added.payload["title"] == "Webcare"

        subscription_signals.subscription_past_due.send(sender=Subscription, subscription=subscription)
        addon.refresh_from_db()
        package.refresh_from_db()
        assert addon.state == "suspended" and package.state == "active"  # the package was not bought by the plan

        _cancel(subscription)
        addon.refresh_from_db()
        assert addon.state == "active" and addon.ends_on == datetime.date(2027, 2, 10)

    with time_machine.travel(datetime.datetime(2027, 2, 10, 0, 5, tzinfo=datetime.UTC), tick=False):
        assert services.services_end_due() == 1
    addon.refresh_from_db()
    package.refresh_from_db()
    assert addon.ended_at is not None and package.state == "active"


def test_a_plan_whose_package_is_someone_elses_makes_a_new_package_and_is_logged(
    customer, other, plan, make_service, caplog
):
    theirs = make_service(other, domain="andermans.nl")
    subscription = _subscription(customer, plan, target_ref=f"service:{theirs.pk}", domain="andermans.nl")
    with caplog.at_level(logging.WARNING, logger="hosting.receivers"):
        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    assert not theirs.addons.exists()
    assert Service.objects.get(source=f"subscription:{subscription.pk}").user == customer
    assert "no longer a live service of the customer" in caplog.text


def _paid_order(user, *lines):
    """A paid order as ``order_paid`` delivers it: its buyer and its lines."""
    return SimpleNamespace(user=user, user_id=user.pk, lines=SimpleNamespace(all=lambda: list(lines)))


def test_an_add_on_bought_for_a_package_is_attached_to_it_once(customer, make_service, on_commit):
    package = make_service(customer, domain="mijnsite.nl")
    line = SimpleNamespace(
        pk=901, kind="addon", description="Extra opslag 10 GB", domain="", target_ref=f"service:{package.pk}"
    )
    with on_commit():
        receivers.order_paid_receiver(sender=None, order=_paid_order(customer, line))
        receivers.order_paid_receiver(sender=None, order=_paid_order(customer, line))  # redelivered
    addon = package.addons.get()
    assert (addon.title, addon.source) == ("Extra opslag 10 GB", "order_line:901")
    assert package.changes.get(kind=Change.Kind.ADDON_ADD).status == Change.Status.APPLIED

    services.service_end(service=package, reason="test")
    addon.refresh_from_db()
    assert addon.ended_at is not None  # it goes with its package


def test_a_certificate_bought_for_a_package_attaches_instead_of_becoming_a_service(customer, make_service):
    package = make_service(customer, domain="mijnsite.nl")
    line = SimpleNamespace(pk=902, kind="certificate", description="SSL", domain="", target_ref=f"service:{package.pk}")
    receivers.order_paid_receiver(sender=None, order=_paid_order(customer, line))
    assert package.addons.get().title == "SSL"
    assert not Service.objects.filter(source="order_line:902").exists()


def test_an_add_on_for_someone_elses_package_attaches_nothing_and_is_logged(customer, other, make_service, caplog):
    theirs = make_service(other, domain="andermans.nl")
    line = SimpleNamespace(pk=903, kind="addon", description="Extra", domain="", target_ref=f"service:{theirs.pk}")
    with caplog.at_level(logging.WARNING, logger="hosting.receivers"):
        receivers.order_paid_receiver(sender=None, order=_paid_order(customer, line))
    assert not ServiceAddon.objects.exists()
    assert "not a live service of the buyer" in caplog.text


def test_the_package_page_lists_its_add_ons(customer, customer_client, make_service, django_assert_max_num_queries):
    package = make_service(customer, domain="mijnsite.nl")
    services.addon_attach(service=package, title="Extra opslag 10 GB", source="order_line:904")
    with django_assert_max_num_queries(30):
        response = customer_client.get(reverse("services:detail", args=[package.pk]))
    page = response.content.decode()
    assert 'id="addon-list"' in page and "Extra opslag 10 GB" in page and "Actief" in page


@pytest.mark.clause("C06")
def test_cancelling_while_past_due_with_a_paid_period_runs_the_package_again_until_it_ends(customer, plan, on_commit):
    with time_machine.travel(datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC), tick=False):
        subscription = _subscription(customer, plan, domain="mijnsite.nl", paid_until=datetime.date(2027, 1, 29))
        with on_commit():
            subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
        subscription_signals.subscription_past_due.send(sender=Subscription, subscription=subscription)
        package = Service.objects.get(source=f"subscription:{subscription.pk}")
        assert package.state == "suspended"
        _cancel(subscription)
        package.refresh_from_db()
        assert package.state == "active" and package.ends_on == datetime.date(2027, 1, 29)


def test_cancelling_while_past_due_without_a_paid_period_ends_the_package_at_once(customer, plan, on_commit):
    subscription = _subscription(customer, plan, domain="mijnsite.nl", paid_until=timezone.localdate())
    with on_commit():
        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    subscription_signals.subscription_past_due.send(sender=Subscription, subscription=subscription)
    _cancel(subscription)
    package = Service.objects.get(source=f"subscription:{subscription.pk}")
    assert package.state == "ended" and package.state_reason == services.REASON_CANCELLED_UNPAID


def test_a_staff_suspension_is_not_lifted_by_a_cancellation(customer, plan, on_commit):
    subscription = _subscription(customer, plan, domain="mijnsite.nl", paid_until=datetime.date(2099, 1, 1))
    with on_commit():
        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    package = Service.objects.get(source=f"subscription:{subscription.pk}")
    services.service_suspend(service=package, reason="Abuse report #12")
    _cancel(subscription)
    package.refresh_from_db()
    assert package.state == "suspended" and package.ends_on == datetime.date(2099, 1, 1)


def test_suspension_reasons_are_shown_in_dutch_on_the_package_and_in_both_activity_logs(
    customer, customer_client, plan, on_commit
):
    subscription = _subscription(customer, plan, domain="mijnsite.nl", paid_until=datetime.date(2099, 1, 1))
    with on_commit():
        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    subscription_signals.subscription_past_due.send(sender=Subscription, subscription=subscription)
    package = Service.objects.get(source=f"subscription:{subscription.pk}")
    for url in (
        reverse("services:detail", args=[package.pk]),
        reverse("services:activity", args=[package.pk]),
        reverse("accounts:activity"),
    ):
        page = customer_client.get(url).content.decode()
        assert "Betaling is achterstallig." in page, url
        assert "Payment is past due." not in page, url


@pytest.mark.clause("C06")
def test_a_paid_in_app_order_line_bought_for_a_package_attaches_its_add_on(customer, make_service, on_commit):
    from orders.demo import seed
    from orders.models import Order, Product
    from orders.services import Item, order_place
    from orders.tests.helpers import payment_for, payment_move
    from payments.models import Payment

    seed(customer=None, staff=None, stdout=SimpleNamespace(write=lambda *a, **k: None), options={})
    package = make_service(customer, domain="mijnsite.nl")
    product = Product.objects.filter(kind=Product.Kind.ADDON, active=True).order_by("pk").first()
    order = order_place(
        user=customer, items=[Item(product, target_ref=f"service:{package.pk}")], kind=Order.Kind.IN_APP
    )
    with on_commit():
        payment_move(payment_for(order), Payment.Status.PAID)
    line = order.lines.get()
    addon = package.addons.get()
    assert (addon.title, addon.source) == (line.description, f"order_line:{line.pk}")
    assert package.changes.get(kind=Change.Kind.ADDON_ADD).status == Change.Status.APPLIED
