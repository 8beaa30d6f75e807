"""The retention clocks of orders: seven years after completion by kind (P1, P4, P8), 90 days for abandoned ones."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from credits.models import CreditEntry
from orders.models import Order
from orders.services import Item, order_place, orders_expire_unpaid
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from privacy.declarations import for_model

pytestmark = pytest.mark.django_db


def _declaration(model, rule):
    return next(d for d in for_model(model) if d.rule == rule)


def _completed(customer, item, kind):
    order = order_place(user=customer, items=[item], kind=kind)
    payment_move(payment_for(order), Payment.Status.PAID)
    order.refresh_from_db()
    return order


@pytest.mark.parametrize(
    ("slug", "kind", "purpose", "rule"),
    [
        ("ssl-dv", Order.Kind.REGULAR, "P1", "order_completed"),
        ("addon-backup", Order.Kind.IN_APP, "P4", "inapp_completed"),
        ("credits-10", Order.Kind.CREDITS, "P8", "credits_completed"),
    ],
)
@pytest.mark.clause("C05", "C13", "C22")
def test_completed_order_is_kept_seven_years_under_the_purpose_of_its_kind(
    customer, catalogue, package, slug, kind, purpose, rule
):
    target = package.ref if catalogue[slug].kind == "addon" else ""
    order = _completed(customer, Item(catalogue[slug], target_ref=target), kind)
    declaration = _declaration(Order, rule)
    assert declaration.purpose == purpose and order.purpose_rule == rule
    assert list(declaration.for_user(customer)) == [order]
    day_before = order.completed_at + datetime.timedelta(days=365 * 7 - 1)
    assert not declaration.due(day_before).exists()
    assert list(declaration.due(order.completed_at + datetime.timedelta(days=365 * 7 + 2))) == [order]
    others = [
        d
        for d in for_model(Order)
        if d.rule in {"order_completed", "inapp_completed", "credits_completed"} and d.rule != rule
    ]
    assert all(not d.for_user(customer).exists() for d in others)


@pytest.mark.clause("C05")
def test_abandoned_order_goes_after_its_own_period(customer, catalogue):
    order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    payment_move(payment_for(order), Payment.Status.EXPIRED)
    window = datetime.timedelta(days=settings.ORDER_PAYMENT_WINDOW_DAYS + 1)
    assert orders_expire_unpaid(now=timezone.now() + window) == 1  # unpaid beyond the payment window
    order.refresh_from_db()
    declaration = _declaration(Order, "order_abandoned")
    assert not declaration.due(timezone.now()).exists()
    assert list(declaration.due(order.ended_at + declaration.retention.period())) == [order]
    assert not _declaration(Order, "order_completed").due(timezone.now() + datetime.timedelta(days=365 * 8)).exists()


@pytest.mark.clause("C22")
def test_account_closure_detaches_orders_and_ledger_keeping_the_snapshot(customer, catalogue):
    order = _completed(customer, Item(catalogue["credits-10"]), Order.Kind.CREDITS)
    for model, field in ((Order, "user"), (CreditEntry, "user")):
        declaration = _declaration(model, "credits_completed")
        assert declaration.on_closure == "detach" and declaration.detach_field == field
    customer.delete()
    order.refresh_from_db()
    assert order.user is None and order.invoice_name == "Jan Jansen"
    assert CreditEntry.objects.get().user is None
