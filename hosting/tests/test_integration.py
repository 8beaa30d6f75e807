"""The services app behind the commerce apps: a paid order and a subscription's life become services."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from hosting import services
from hosting.models import Service, ServiceClock
from orders.demo import seed
from orders.models import Product
from orders.services import Item, order_place
from orders.signals import order_paid
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from subscriptions import signals as subscription_signals
from subscriptions.models import Plan, Subscription
from subscriptions.selectors import subscription_ends_on


class _Out:
    def write(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def catalogue(db):
    seed(customer=None, staff=None, stdout=_Out(), options={})
    return {product.slug: product for product in Product.objects.all()}


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        code="hosting-maand", title_nl="Hosting", title_en="Hosting", interval="monthly", price=Decimal("9.95")
    )


@pytest.mark.clause("C06")
def test_a_paid_order_gives_one_service_per_hosting_domain_and_certificate_line(customer, catalogue, on_commit):
    order = order_place(
        user=customer,
        items=[
            Item(catalogue["hosting-start"], domain="mijnsite.nl"),
            Item(catalogue["domain-nl"], domain="mijnsite.nl"),
            Item(catalogue["ssl-dv"], domain="mijnsite.nl"),
        ],
    )
    with on_commit():
        payment_move(payment_for(order), Payment.Status.PAID)
    created = list(Service.objects.for_user(customer).order_by("pk").values_list("kind", "domain", "state"))
    assert created == [
        ("hosting", "mijnsite.nl", "active"),
        ("domain", "mijnsite.nl", "active"),
        ("certificate", "mijnsite.nl", "active"),
    ]
    order_paid.send(sender=type(order), order=order)  # a redelivered signal
    assert Service.objects.for_user(customer).count() == 3


def _subscription(customer, plan, **fields):
    return Subscription.objects.create(user=customer, plan=plan, price=plan.price, **fields)


@pytest.mark.clause("C06", "C08")
def test_subscription_life_cycle_from_payment_through_suspension_to_end(customer, plan, on_commit):
    start = datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        subscription = _subscription(
            customer, plan, status=Subscription.Status.ACTIVE, paid_until=datetime.date(2026, 3, 1)
        )
        with on_commit():
            subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
            subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
        service = Service.objects.get(source=f"subscription:{subscription.pk}")
        assert service.state == Service.State.ACTIVE and service.kind == Service.Kind.HOSTING

        subscription_signals.subscription_past_due.send(sender=Subscription, subscription=subscription)
        service.refresh_from_db()
        assert service.state == Service.State.SUSPENDED
        assert service.state_reason == services.REASON_PAST_DUE

        subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
        service.refresh_from_db()
        assert service.state == Service.State.ACTIVE

        # What subscriptions.services.subscription_cancel records and sends.
        subscription.status, subscription.cancelled_at = Subscription.Status.CANCELLED, timezone.now()
        subscription.save(update_fields=["status", "cancelled_at"])
        subscription_signals.subscription_cancelled.send(
            sender=Subscription, subscription=subscription, ends_on=subscription_ends_on(subscription)
        )
        service.refresh_from_db()
        assert service.state == Service.State.ACTIVE
        assert service.ends_on == datetime.date(2026, 3, 1)

    with time_machine.travel(datetime.datetime(2026, 3, 1, 0, 10, tzinfo=datetime.UTC), tick=False):
        assert services.services_end_due() == 1
    service.refresh_from_db()
    assert service.state == Service.State.ENDED
    assert ServiceClock.objects.get(user=customer).service_ended_at == datetime.datetime(
        2026, 3, 1, 0, 10, tzinfo=datetime.UTC
    )


def test_a_subscription_cancelled_without_a_paid_period_ends_its_service_at_once(customer, plan):
    subscription = _subscription(customer, plan, status=Subscription.Status.ACTIVE)
    subscription_signals.subscription_activated.send(sender=Subscription, subscription=subscription)
    subscription.paid_until = None
    subscription_signals.subscription_cancelled.send(sender=Subscription, subscription=subscription)
    service = Service.objects.get(source=f"subscription:{subscription.pk}")
    assert service.state == Service.State.ENDED
    assert service.ends_on == timezone.localdate()
