"""Issue 15 end to end against the Mollie simulator over real HTTP: one payable payment per order, a late
duplicate refunded automatically, refunds that follow Mollie's status, credit packs taken back, closure.

Webhooks are delivered by the simulator's own task (eager in tests) to the live server, as Mollie would.
"""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.closure import ClosureBlocked, account_close
from accounts.tests.factories import UserFactory
from credits.models import CreditBalance, CreditEntry
from credits.services import credits_spend
from mollie_sim import services as sim
from mollie_sim.models import SimPayment, SimRefund
from mollie_sim.tasks import webhook_deliver
from orders import selectors as order_selectors
from orders import services as orders
from orders.models import Order
from orders.tests.conftest import _Out
from payments import handlers, services, signals
from payments.models import Payment, Refund

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(db):
    from orders.demo import seed
    from orders.models import Product

    seed(customer=None, staff=None, stdout=_Out(), options={})
    return {product.slug: product for product in Product.objects.all()}


@pytest.fixture
def shopper(db):
    return UserFactory(street="Oostdam 2", postal_code="3441 EM", town="Woerden", language="nl")


@pytest.fixture
def refund_events():
    events: list[tuple[str, str, str]] = []

    def receiver(sender, *, refund, previous_status, **kwargs):
        events.append((refund.mollie_id, previous_status, refund.status))

    signals.refund_status_changed.connect(receiver, dispatch_uid="test-refund-events")
    yield events
    signals.refund_status_changed.disconnect(dispatch_uid="test-refund-events")


def _settle(payment: Payment, status: str) -> Payment:
    """The customer's choice on Mollie's checkout; Mollie calls the webhook, which syncs the payment."""
    sim.payment_settle(payment=SimPayment.objects.get(sim_id=payment.mollie_id), status=status)
    payment.refresh_from_db()
    return payment


def _paid_order(user, product, kind=Order.Kind.REGULAR) -> tuple[Order, Payment]:
    order = orders.order_place(user=user, items=[orders.Item(product=product)], kind=kind)
    payment = _settle(orders.order_pay(order=order), "paid")
    order.refresh_from_db()
    return order, payment


@pytest.mark.clause("C01")
def test_a_new_payment_cancels_the_open_one_at_mollie_first(mollie_live, shopper, catalogue):
    order = orders.order_place(user=shopper, items=[orders.Item(product=catalogue["ssl-dv"])])
    first = orders.order_pay(order=order)
    second = orders.order_pay(order=order)
    first.refresh_from_db()
    assert first.status == Payment.Status.CANCELED
    assert SimPayment.objects.get(sim_id=first.mollie_id).status == "canceled"
    assert second.status == Payment.Status.OPEN
    payable = Payment.objects.filter(kind="order", object_id=order.pk, status__in=Payment.LIVE_STATUSES)
    assert list(payable) == [second]
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING  # a cancelled payment leaves the order payable
    _settle(second, "paid")
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED


@pytest.mark.clause("C01")
def test_a_late_second_payment_of_a_paid_order_is_refunded_in_full_and_the_customer_told(
    mollie_live, shopper, catalogue
):
    order = orders.order_place(user=shopper, items=[orders.Item(product=catalogue["ssl-dv"])])
    first = orders.order_pay(order=order)
    # A second tab opened its own checkout before the first was paid, and Mollie could not cancel it.
    second = services.payment_start(
        user=shopper, kind="order", object_id=order.pk, amount=order.total, description=f"order {order.pk}"
    )
    # Both are paid at Mollie; the webhooks arrive afterwards, in any order.
    SimPayment.objects.filter(sim_id__in=[first.mollie_id, second.mollie_id]).update(
        status="paid", paid_at=timezone.now(), method="ideal"
    )
    for payment in (second, first, second):  # reordered and duplicated deliveries
        webhook_deliver(SimPayment.objects.get(sim_id=payment.mollie_id).pk)
    first.refresh_from_db()
    second.refresh_from_db()
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert first.status == second.status == Payment.Status.PAID
    duplicate, kept = (second, first) if second.duplicate else (first, second)
    assert duplicate.duplicate and not kept.duplicate
    refund = Refund.objects.get(payment=duplicate)
    assert refund.amount == duplicate.amount and refund.created_by is None
    assert not Refund.objects.filter(payment=kept).exists()
    assert SimPayment.objects.get(sim_id=duplicate.mollie_id).amount_refunded == duplicate.amount
    told = [message for message in mail.outbox if "twee keer" in message.subject]
    assert len(told) == 1 and told[0].to == [shopper.email]
    # The kept payment pays the order; the duplicate's refund does not make the order "refunded".
    shown = order_selectors.order_for_customer(user=shopper, pk=order.pk)
    assert shown.refund_state == ""
    outcome = order_selectors.order_payment_outcome(shown, order_selectors.order_payments(shown))
    assert outcome.duplicates == [duplicate] and outcome.refunds == []


@pytest.mark.clause("C01")
def test_a_partial_refund_follows_mollie_from_pending_to_refunded_and_shows_on_the_order(
    mollie_live, shopper, catalogue, refund_events
):
    order, payment = _paid_order(shopper, catalogue["hosting-pro"])
    mail.outbox.clear()
    finance = UserFactory(is_staff=True)
    refund = services.refund_create(payment=payment, amount=Decimal("5.00"), staff_user=finance)
    assert refund.status == Refund.Status.PENDING
    assert refund_events == [(refund.mollie_id, "", "pending")]
    assert len([m for m in mail.outbox if m.to == [shopper.email]]) <= 1  # one e-mail at most: the credit note's
    # Mollie processes the refund and calls the payment's webhook: the refund's status is read back.
    sim.refund_settle(refund=SimRefund.objects.get(sim_id=refund.mollie_id), status="refunded")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED and refund.status_changed_at is not None
    assert refund_events[-1] == (refund.mollie_id, "pending", "refunded")
    assert len(refund_events) == 2  # once per change: the replayed webhook changes nothing
    Client().post("/betalingen/webhook/", {"id": payment.mollie_id})
    assert len(refund_events) == 2
    shown = order_selectors.order_for_customer(user=shopper, pk=order.pk)
    assert shown.refund_state == "partial" and shown.display_status == "Gedeeltelijk terugbetaald"
    client = Client()
    client.force_login(shopper)
    page = client.get(order.get_absolute_url())
    assert 'id="order-refunds"' in page.text and "5,00" in page.text and "Gedeeltelijk terugbetaald" in page.text
    assert services.refundable_amount(payment) == payment.amount - Decimal("5.00")
    services.refund_create(payment=payment, amount=None, staff_user=finance)
    shown = order_selectors.order_for_customer(user=shopper, pk=order.pk)
    assert shown.refund_state == "full" and shown.display_status == "Terugbetaald"
    with pytest.raises(services.RefundRefused):
        services.refund_create(payment=payment, amount=Decimal("0.01"), staff_user=finance)


def test_a_failed_refund_gives_the_amount_back_to_refund_again(mollie_live, shopper, catalogue, refund_events):
    _order, payment = _paid_order(shopper, catalogue["ssl-dv"])
    refund = services.refund_create(payment=payment, amount=None, staff_user=None)
    assert services.refundable_amount(payment) == 0
    sim.refund_settle(refund=SimRefund.objects.get(sim_id=refund.mollie_id), status="failed")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.FAILED
    assert refund_events[-1] == (refund.mollie_id, "pending", "failed")
    assert services.refundable_amount(payment) == payment.amount  # finance can refund it again
    assert SimPayment.objects.get(sim_id=payment.mollie_id).amount_refunded == 0


@pytest.mark.clause("C21")
def test_refunding_a_credit_pack_takes_back_only_the_unspent_credits(mollie_live, shopper, catalogue):
    order, payment = _paid_order(shopper, catalogue["credits-50"], kind=Order.Kind.CREDITS)
    assert CreditBalance.objects.get(user=shopper).balance == 50
    credits_spend(user=shopper, amount=42, idempotency_key="spend-1", reason="add-on")
    effects = handlers.refund_effects(payment, payment.amount)
    assert [effect.warning for effect in effects] == [False, True]  # finance sees it before confirming
    assert "8" in effects[0].text and "42" in effects[1].text
    services.refund_create(payment=payment, amount=None, staff_user=None)
    assert CreditBalance.objects.get(user=shopper).balance == 0  # never below zero
    taken = CreditEntry.objects.get(order=order, delta__lt=0, idempotency_key__startswith="refund-")
    assert taken.delta == -8 and taken.balance_after == 0


@pytest.mark.clause("C21")
def test_a_partial_refund_of_a_credit_pack_takes_back_its_share(mollie_live, shopper, catalogue):
    order, payment = _paid_order(shopper, catalogue["credits-10"], kind=Order.Kind.CREDITS)
    services.refund_create(payment=payment, amount=Decimal("4.00"), staff_user=None)
    assert CreditBalance.objects.get(user=shopper).balance == 6
    refund = services.refund_create(payment=payment, amount=None, staff_user=None)
    assert CreditBalance.objects.get(user=shopper).balance == 0
    # The second refund fails at Mollie: the credits it took come back.
    sim.refund_settle(refund=SimRefund.objects.get(sim_id=refund.mollie_id), status="failed")
    assert CreditBalance.objects.get(user=shopper).balance == 6
    total = sum(CreditEntry.objects.filter(order__isnull=False, user=shopper).values_list("delta", flat=True))
    assert (
        total + sum(CreditEntry.objects.filter(order__isnull=True, user=shopper).values_list("delta", flat=True)) == 6
    )


@pytest.mark.clause("C24")
def test_closing_an_account_cancels_its_open_payments_at_mollie(mollie_live, shopper, catalogue):
    order = orders.order_place(user=shopper, items=[orders.Item(product=catalogue["ssl-dv"])])
    payment = orders.order_pay(order=order)
    account_close(user=shopper)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELED and payment.user is None
    assert SimPayment.objects.get(sim_id=payment.mollie_id).status == "canceled"


@pytest.mark.clause("C24")
def test_closure_is_blocked_with_a_clear_message_when_mollie_cannot_be_reached(
    mollie_live, shopper, catalogue, settings
):
    order = orders.order_place(user=shopper, items=[orders.Item(product=catalogue["ssl-dv"])])
    payment = orders.order_pay(order=order)
    settings.MOLLIE_SIM_FORCE_STATUS = 503
    with pytest.raises(ClosureBlocked) as blocked:
        account_close(user=shopper)
    assert "betaalprovider" in blocked.value.message
    shopper.refresh_from_db()  # nothing erased
    payment.refresh_from_db()
    assert payment.user == shopper and payment.status == Payment.Status.OPEN


def _live_services(user) -> list[tuple[str, str]]:
    from hosting.models import Service

    return sorted(
        (service.kind, service.domain) for service in Service.objects.filter(user=user).exclude(state="ended")
    )


def test_an_order_refunded_in_full_ends_what_it_gave_and_a_partial_refund_ends_nothing(mollie_live, shopper, catalogue):
    from hosting.models import Service

    order = orders.order_place(
        user=shopper,
        items=[
            orders.Item(product=catalogue["hosting-pro"], domain="terugbetaald.nl"),
            orders.Item(product=catalogue["domain-nl"], domain="terugbetaald.nl"),
        ],
        kind=Order.Kind.REGULAR,
    )
    payment = _settle(orders.order_pay(order=order), "paid")
    kept, kept_payment = _paid_order(shopper, catalogue["hosting-start"])
    assert _live_services(shopper) == [
        ("domain", "terugbetaald.nl"),
        ("hosting", ""),
        ("hosting", "terugbetaald.nl"),
    ]

    # Finance sees, before confirming, what a partial refund keeps and what a whole one ends.
    partial = handlers.refund_effects(payment, Decimal("10.00"))
    assert [(e.warning, "gedeeltelijke" in e.text, "terugbetaald.nl" in e.text) for e in partial] == [
        (False, True, True)
    ]
    whole = handlers.refund_effects(payment, payment.amount)
    assert [(e.warning, "beëindigd" in e.text) for e in whole] == [(True, True)]

    services.refund_create(payment=payment, amount=Decimal("10.00"), staff_user=None)
    assert len(_live_services(shopper)) == 3  # a goodwill gesture ends nothing

    services.refund_create(payment=payment, amount=None, staff_user=None)  # the rest: now all was refunded
    assert _live_services(shopper) == [("hosting", "")]  # the other order's package runs on
    ended = Service.objects.filter(user=shopper, domain="terugbetaald.nl")
    assert {service.state_reason for service in ended} == {"The order was refunded in full."}
    assert kept_payment.refunds.count() == 0 and kept.pk != order.pk


def test_a_refunded_add_on_ends_on_its_package_and_the_package_runs_on(mollie_live, shopper, catalogue):
    from hosting.models import Service, ServiceAddon

    items = [orders.Item(product=catalogue["hosting-start"], domain="pakket.nl")]
    _paid = orders.order_place(user=shopper, items=items, kind=Order.Kind.REGULAR)
    _settle(orders.order_pay(order=_paid), "paid")
    package = Service.objects.get(user=shopper, domain="pakket.nl")
    addon_order = orders.order_place(
        user=shopper,
        items=[orders.Item(product=catalogue["addon-backup"], target_ref=f"service:{package.pk}")],
        kind=Order.Kind.IN_APP,
    )
    payment = _settle(orders.order_pay(order=addon_order), "paid")
    addon = ServiceAddon.objects.get(service=package)
    assert addon.ended_at is None

    services.refund_create(payment=payment, amount=None, staff_user=None)
    addon.refresh_from_db()
    package.refresh_from_db()
    assert addon.ended_at is not None and package.state == Service.State.ACTIVE
    # A refund that fails later refunds nothing, and the add-on stays ended (support orders it again).
    refund = payment.refunds.get()
    sim.refund_settle(refund=SimRefund.objects.get(sim_id=refund.mollie_id), status="failed")
    addon.refresh_from_db()
    assert addon.ended_at is not None
