"""The one erasure mechanism (``privacy/erasure.py``): what a legal hold covers is decided once, for every caller."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orders import services as orders
from orders.models import Order, OrderLine, Product
from payments.models import Payment, Refund
from privacy import declarations as registry
from privacy.erasure import Holds
from retention import engine
from retention import services as retention_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(db):
    import io

    from orders.demo import seed

    seed(customer=None, staff=None, stdout=io.StringIO(), options={})


def _completed_order(user) -> tuple[Order, Payment, Refund]:
    goods = Product.objects.filter(kind=Product.Kind.GOODS).order_by("pk").first() or Product.objects.first()
    order = orders.order_place(user=user, items=[orders.Item(product=goods)])
    payment = Payment.objects.create(
        user=user, kind="order", object_id=order.pk, amount=order.total, description="Bestelling",
        mollie_id=f"tr_hold{order.pk}", status="paid",
    )  # fmt: skip
    refund = Refund.objects.create(payment=payment, mollie_id=f"re_hold{order.pk}", amount=Decimal("1.00"))
    with transaction.atomic():
        orders._mark_paid(Order.objects.select_for_update().get(pk=order.pk))
    orders.order_complete(order=order)  # starts the seven-year clock of the order and its payment
    payment.refresh_from_db()
    assert payment.completed_at is not None
    return order, payment, refund


@pytest.mark.clause("D2", "C05")
def test_a_hold_on_an_order_keeps_its_lines_payments_and_refunds_through_the_sweep(admin_user):
    customer = UserFactory(street="Kerkstraat 1", postal_code="1011 AB", town="Amsterdam", country="NL")
    held_order, held_payment, held_refund = _completed_order(customer)
    free_order, free_payment, free_refund = _completed_order(customer)
    retention_services.legal_hold_place(actor=admin_user, reason="Claim 2026-31", record=held_order)
    eight_years = timezone.now() + datetime.timedelta(days=365 * 8 + 2)
    with time_machine.travel(eight_years, tick=False):
        engine.sweep()
    assert Order.objects.filter(pk=held_order.pk).exists()
    assert OrderLine.objects.filter(order_id=held_order.pk).exists()
    assert Payment.objects.filter(pk=held_payment.pk).exists()  # the bug: the payment went in the same sweep
    assert Refund.objects.filter(pk=held_refund.pk).exists()
    assert not Order.objects.filter(pk=free_order.pk).exists()
    assert not Payment.objects.filter(pk=free_payment.pk).exists()
    assert not Refund.objects.filter(pk=free_refund.pk).exists()


@pytest.mark.clause("C39d")
def test_every_caller_sees_the_same_held_rows(admin_user):
    customer = UserFactory(street="Kerkstraat 1", postal_code="1011 AB", town="Amsterdam", country="NL")
    order, payment, refund = _completed_order(customer)
    retention_services.legal_hold_place(actor=admin_user, reason="Onderzoek", record=order)
    holds = Holds()
    held = {}
    for declaration in registry.all_declarations():
        condition = holds.condition(declaration)
        if condition is not None:
            found = set(declaration.base_queryset().filter(condition).values_list("pk", flat=True))
            if found:
                held.setdefault(declaration.model._meta.label, set()).update(found)
    assert held["orders.Order"] == {order.pk}
    assert held["payments.Payment"] == {payment.pk}
    assert held["payments.Refund"] == {refund.pk}
    assert held["orders.OrderLine"] == set(OrderLine.objects.filter(order=order).values_list("pk", flat=True))
    from accounts.closure import account_is_held

    assert account_is_held(user=customer)


def test_only_the_erasure_module_erases_by_declaration():
    """grep, as the architecture asks: no other code branches on DETACH or blanks rows by declaration."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "privacy/")) or "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.update\(\*\*\{?\s*\w+\.detach_field|\.update\(\*\*\w+\.blank_values\(\)\)", text):
            offenders.append(relative)
    assert offenders == []
