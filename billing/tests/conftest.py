import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orders.demo import seed
from orders.models import Order, Product
from orders.services import Item, order_place
from payments import gateway
from payments.models import Payment
from subscriptions.demo import seed_plans
from subscriptions.models import Plan, Subscription


class _Out:
    def write(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(autouse=True)
def _seller(settings):
    settings.NETREX_KVK_NUMBER = "30123456"
    settings.NETREX_VAT_ID = "NL812345678B01"


@pytest.fixture
def catalogue(db):
    seed(customer=None, staff=None, stdout=_Out(), options={})
    return {product.slug: product for product in Product.objects.all()}


@pytest.fixture
def customer(db):
    return UserFactory(
        first_name="Jan",
        last_name="Jansen",
        street="Oostdam 2",
        postal_code="3441 EM",
        town="Woerden",
        country="NL",
        language="nl",
    )


@pytest.fixture
def other(db):
    return UserFactory()


def remote_payment(payment: Payment, status: str) -> gateway.RemotePayment:
    return gateway.RemotePayment(
        id=payment.mollie_id or "",
        status=status,
        amount=payment.amount,
        currency="EUR",
        method="ideal",
        sequence_type=payment.sequence_type,
        customer_id="",
        mandate_id="",
        subscription_id="",
        description=payment.description,
        paid_at=None,
        checkout_url="",
    )


def open_payment(*, user, kind: str, object_id: int, amount: Decimal) -> Payment:
    return Payment.objects.create(
        user=user,
        kind=kind,
        object_id=object_id,
        amount=amount,
        description=f"{kind} {object_id}",
        status=Payment.Status.OPEN,
        mollie_id=f"tr_{uuid.uuid4().hex[:10]}",
    )


@pytest.fixture
def pay(monkeypatch):
    """Mollie reports ``payment`` with ``status``; the webhook's service follows (payment_sync)."""
    from payments.services import payment_sync

    def report(payment: Payment, status: str = Payment.Status.PAID) -> Payment:
        monkeypatch.setattr(gateway, "payment_get", lambda mollie_id: remote_payment(payment, status))
        monkeypatch.setattr(gateway, "refunds_list", lambda mollie_id: [], raising=False)
        payment_sync(mollie_id=payment.mollie_id or "")
        payment.refresh_from_db()
        return payment

    return report


@pytest.fixture
def paid_order(customer, catalogue, pay):
    """A hosting package and a certificate, ordered and paid through the webhook's service."""
    items = [Item(catalogue["ssl-dv"], quantity=2), Item(catalogue["hosting-start"], domain="jansen.nl")]
    order = order_place(user=customer, items=items)
    payment = pay(open_payment(user=customer, kind="order", object_id=order.pk, amount=order.total))
    order.refresh_from_db()
    return order, payment


@pytest.fixture
def subscription(customer):
    seed_plans()
    plan = Plan.objects.get(code="webcare-monthly")
    today = timezone.localdate()
    return Subscription.objects.create(
        user=customer,
        plan=plan,
        price=plan.price,
        status=Subscription.Status.ACTIVE,
        started_at=timezone.now(),
        paid_until=today + datetime.timedelta(days=3),
        billing_name="Jan Jansen",
        billing_email=customer.email,
        billing_street="Oostdam 2",
        billing_postal_code="3441 EM",
        billing_town="Woerden",
        billing_country="NL",
        mollie_subscription_id="sub_test",
    )


def order_of(pk: int) -> Order:
    return Order.objects.get(pk=pk)
