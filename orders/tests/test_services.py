import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from credits import services as credit_services
from credits.models import CreditEntry
from orders import services
from orders.delivery import PAYLOAD_FIELDS, DeliveryAdapter
from orders.models import Order, Shipment, vat_part
from orders.services import InvalidTransition, Item, OrderError, order_place, orders_expire_unpaid
from orders.signals import order_paid
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from portal.models import Activity

pytestmark = pytest.mark.django_db


def _place(customer, *items, kind=Order.Kind.REGULAR):
    return order_place(user=customer, items=list(items), kind=kind)


@pytest.mark.parametrize(
    ("gross", "vat"),
    [("121.00", "21.00"), ("9.95", "1.73"), ("0.01", "0.00"), ("59.40", "10.31"), ("0.06", "0.01")],
)
def test_vat_part_is_exact_and_rounded_half_up(gross, vat):
    assert vat_part(Decimal(gross), Decimal("21")) == Decimal(vat)


@pytest.mark.clause("C01", "C04")
def test_order_keeps_a_snapshot_of_the_invoice_data(customer, catalogue, rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    request.user = customer
    order = order_place(
        user=customer,
        items=[Item(catalogue["hosting-start"], 1, "voorbeeld.nl"), Item(catalogue["yubikey-5-nfc"], 2)],
        request=request,
    )
    customer.street = "Elders 1"
    customer.save()
    order.refresh_from_db()
    assert order.invoice_name == "Jan Jansen"
    assert order.invoice_street == "Oostdam 2"
    assert order.invoice_email == customer.email
    assert order.invoice_phone == "+31348433886"
    assert order.invoice_gender == "female"
    assert order.ip_address == "203.0.113.9"
    assert order.total == Decimal("59.40") + 2 * Decimal("59.95")
    assert order.vat_total == sum(line.vat for line in order.lines.all())
    assert [line.domain for line in order.lines.all()] == ["voorbeeld.nl", ""]
    assert Activity.objects.filter(user=customer, action="order_placed").count() == 1


def test_gender_is_not_copied_when_undisclosed(customer, catalogue):
    customer.gender = "undisclosed"
    customer.save()
    assert _place(customer, Item(catalogue["ssl-dv"])).invoice_gender == ""


def test_kinds_cannot_be_mixed(customer, catalogue):
    with pytest.raises(OrderError):
        _place(customer, Item(catalogue["addon-backup"]))
    with pytest.raises(OrderError):
        _place(customer, Item(catalogue["hosting-pro"]), kind=Order.Kind.CREDITS)
    with pytest.raises(OrderError):
        _place(customer)


def test_an_add_on_is_bought_for_one_of_the_customers_packages(customer, catalogue, package):
    """Paid for without a package it would attach to nothing: refused, in Dutch, with or without credits."""
    addon = catalogue["addon-backup"]
    with pytest.raises(OrderError, match="Kies het hostingpakket of domein waarvoor u Dagelijkse back-up koopt"):
        _place(customer, Item(addon), kind=Order.Kind.IN_APP)
    with pytest.raises(OrderError):
        credit_services.addon_buy_with_credits(user=customer, product=addon, token="c" * 32, target_ref="")
    order = _place(customer, Item(addon, target_ref=package.ref), kind=Order.Kind.IN_APP)
    assert order.lines.get().target_ref == package.ref
    assert not Order.objects.exclude(pk=order.pk).exists()


def test_goods_need_an_address(customer, catalogue):
    customer.street = ""
    customer.save()
    with pytest.raises(OrderError):
        _place(customer, Item(catalogue["yubikey-5-nfc"]))


@pytest.mark.clause("C01", "C03", "C05")
def test_paid_digital_order_gets_invoice_and_is_completed_once(customer, catalogue, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, order, **kwargs):
        received.append(order.pk)
        assert transaction.get_connection().in_atomic_block

    order_paid.connect(receiver)
    try:
        order = _place(customer, Item(catalogue["domain-nl"], 1, "voorbeeld.nl"))
        payment = payment_for(order)
        with django_capture_on_commit_callbacks(execute=True):
            payment_move(payment, Payment.Status.PENDING)
        order.refresh_from_db()
        assert order.status == Order.Status.PENDING
        with django_capture_on_commit_callbacks(execute=True):
            payment_move(payment, Payment.Status.PAID)
            services.order_payment_update(payment=payment, previous_status=Payment.Status.PAID)  # a stray repeat
    finally:
        order_paid.disconnect(receiver)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert order.completed_at is not None and order.paid_at is not None
    assert received == [order.pk]
    assert len(mail.outbox) == 1
    assert "betaald" in mail.outbox[0].subject  # the customer's language (nl)
    payment.refresh_from_db()
    assert payment.completed_at == order.completed_at


def test_failed_payment_keeps_the_order_payable_and_tells_the_customer(
    customer, catalogue, django_capture_on_commit_callbacks
):
    customer.language = "en"
    customer.save()
    order = _place(customer, Item(catalogue["ssl-dv"]))
    with django_capture_on_commit_callbacks(execute=True):
        payment_move(payment_for(order), Payment.Status.FAILED)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and order.is_open
    assert order.ended_at is None and order.completed_at is None
    assert len(mail.outbox) == 1 and "did not succeed" in mail.outbox[0].subject
    assert f"/en/orders/{order.pk}/" in mail.outbox[0].body  # pay again from the order's page
    assert order.lines.count() == 1  # what was ordered is kept: no second shopping trip


def test_a_cancelled_payment_keeps_the_order_payable_without_an_email(
    customer, catalogue, django_capture_on_commit_callbacks
):
    order = _place(customer, Item(catalogue["ssl-dv"]))
    with django_capture_on_commit_callbacks(execute=True):
        payment_move(payment_for(order), Payment.Status.CANCELED)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and mail.outbox == []


@pytest.mark.clause("C05")
def test_an_order_expires_only_after_the_payment_window(customer, catalogue, settings):
    settings.ORDER_PAYMENT_WINDOW_DAYS = 3
    order = _place(customer, Item(catalogue["ssl-dv"]))
    payment_move(payment_for(order), Payment.Status.EXPIRED)
    assert orders_expire_unpaid(now=timezone.now() + datetime.timedelta(days=2)) == 0
    order.refresh_from_db()
    assert order.is_open and order.ended_at is None
    assert orders_expire_unpaid(now=timezone.now() + datetime.timedelta(days=4)) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and order.ended_at is not None
    assert orders_expire_unpaid(now=timezone.now() + datetime.timedelta(days=5)) == 0  # once


def test_an_order_with_a_payment_still_at_the_bank_does_not_expire(customer, catalogue, settings):
    settings.ORDER_PAYMENT_WINDOW_DAYS = 1
    order = _place(customer, Item(catalogue["ssl-dv"]))
    payment_for(order, status=Payment.Status.PENDING)
    assert orders_expire_unpaid(now=timezone.now() + datetime.timedelta(days=30)) == 0
    order.refresh_from_db()
    assert order.is_open


def test_a_second_paid_payment_of_a_paid_order_is_marked_duplicate_and_refunded(
    customer, catalogue, monkeypatch, django_capture_on_commit_callbacks
):
    refunded = []
    monkeypatch.setattr("payments.tasks.payment_duplicate_refund.delay", lambda pk: refunded.append(pk))
    order = _place(customer, Item(catalogue["ssl-dv"]))
    first, second = payment_for(order), payment_for(order)
    payment_move(first, Payment.Status.PAID)
    with django_capture_on_commit_callbacks(execute=True):
        payment_move(second, Payment.Status.PAID)
    assert refunded == [second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert not first.duplicate and second.duplicate


def test_cancelled_payment_does_not_end_an_order_with_another_live_payment(customer, catalogue):
    order = _place(customer, Item(catalogue["ssl-dv"]))
    first = payment_for(order)
    payment_for(order)
    payment_move(first, Payment.Status.CANCELED)
    order.refresh_from_db()
    assert order.status in Order.OPEN_STATES and order.ended_at is None


def test_late_money_makes_an_ended_order_paid(customer, catalogue):
    order = _place(customer, Item(catalogue["ssl-dv"]))
    payment = payment_for(order)
    payment_move(payment, Payment.Status.EXPIRED)
    payment_move(payment, Payment.Status.PAID)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.ended_at is None


def test_transitions_outside_the_state_machine_are_refused(customer, catalogue):
    order = _place(customer, Item(catalogue["ssl-dv"]))
    order.status = Order.Status.COMPLETED
    with pytest.raises(InvalidTransition):
        services._transition(order, Order.Status.PENDING)
    order.status = Order.Status.CREATED
    with pytest.raises(InvalidTransition):
        services._transition(order, Order.Status.COMPLETED)


@pytest.mark.clause("C02")
def test_goods_are_handed_to_delivery_with_only_name_address_phone(
    customer, catalogue, django_capture_on_commit_callbacks
):
    order = _place(customer, Item(catalogue["yubikey-5-nfc"]), Item(catalogue["hosting-start"], 1, "voorbeeld.nl"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        payment_move(payment_for(order), Payment.Status.PAID)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not Shipment.objects.exists()  # nothing leaves before commit
    for callback in callbacks:
        callback()  # the queued tasks (run eagerly in tests): email, hand-off
    order.refresh_from_db()
    shipment = Shipment.objects.get(order=order)
    assert shipment.status == Shipment.Status.HANDED_OVER
    assert shipment.recipient == "delivery"
    assert set(shipment.payload) == set(PAYLOAD_FIELDS)
    assert shipment.payload == {
        "name": "Jan Jansen",
        "street": "Oostdam 2",
        "postal_code": "3441 EM",
        "town": "Woerden",
        "country": "NL",
        "phone": "+31348433886",
    }
    assert customer.email not in str(shipment.payload)
    assert order.status == Order.Status.COMPLETED
    assert Activity.objects.filter(user=customer, action="delivery_handed_over").count() == 1
    # the task runs again (a redelivered Celery message): nothing changes, nothing is sent twice
    handed_over_at = shipment.handed_over_at
    services.shipment_hand_over(order_id=order.pk)
    shipment.refresh_from_db()
    assert shipment.handed_over_at == handed_over_at
    assert Shipment.objects.filter(order=order).count() == 1


class _RefusingAdapter(DeliveryAdapter):
    def hand_over(self, *, reference, payload):
        raise OSError("carrier down")


@pytest.mark.clause("C02")
def test_order_with_goods_is_completed_only_when_delivery_has_them(customer, catalogue, settings):
    settings.DELIVERY_ADAPTER = "orders.tests.test_services._RefusingAdapter"
    order = _place(customer, Item(catalogue["yubikey-5-nfc"]))
    payment_move(payment_for(order), Payment.Status.PAID)
    with pytest.raises(OSError):
        services.shipment_hand_over(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.completed_at is None
    assert not Shipment.objects.filter(order=order, status=Shipment.Status.HANDED_OVER).exists()
    settings.DELIVERY_ADAPTER = "orders.delivery.RecordingDeliveryAdapter"
    services.shipment_hand_over(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED


@pytest.mark.clause("C21", "C22")
def test_credits_order_grants_its_credits_exactly_once(customer, catalogue, django_capture_on_commit_callbacks):
    order = _place(customer, Item(catalogue["credits-50"]), kind=Order.Kind.CREDITS)
    payment = payment_for(order)
    with django_capture_on_commit_callbacks(execute=True):
        payment_move(payment, Payment.Status.PAID)
    services.order_payment_update(payment=payment, previous_status=Payment.Status.PAID)
    entries = CreditEntry.objects.filter(user=customer)
    assert [(entry.delta, entry.order_id) for entry in entries] == [(50, order.pk)]
    assert customer.credit_balance.balance == 50
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.purpose_rule == "credits_completed"
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2  # the order confirmation and "credits added", once each


@pytest.mark.clause("C12", "C21")
def test_addon_bought_with_credits_is_one_order_even_when_submitted_twice(customer, catalogue, package):
    from credits.services import InsufficientCredits, credits_grant

    addon = catalogue["addon-backup"]
    with pytest.raises(InsufficientCredits):
        credit_services.addon_buy_with_credits(user=customer, product=addon, token="a" * 32, target_ref=package.ref)
    assert not Order.objects.exists()
    credits_grant(user=customer, amount=30, reason="test", idempotency_key="test")
    first = credit_services.addon_buy_with_credits(user=customer, product=addon, token="b" * 32, target_ref=package.ref)
    again = credit_services.addon_buy_with_credits(user=customer, product=addon, token="b" * 32, target_ref=package.ref)
    assert first.pk == again.pk
    assert first.kind == Order.Kind.IN_APP and first.status == Order.Status.COMPLETED
    assert first.credits_total == 20
    customer.credit_balance.refresh_from_db()
    assert customer.credit_balance.balance == 10
