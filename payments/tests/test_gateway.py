"""Mollie down or failing: a clear error, nothing half-recorded; refunds through Mollie (over real HTTP)."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from payments import gateway, services
from payments.models import Payment, Refund

pytestmark = pytest.mark.django_db(transaction=True)


def test_amounts_are_sent_with_two_decimals():
    assert gateway.money(Decimal("10")) == {"currency": "EUR", "value": "10.00"}
    assert gateway.money(Decimal("24.2")) == {"currency": "EUR", "value": "24.20"}


def _start(user):
    return services.payment_start(
        user=user,
        kind="test",
        object_id=7,
        amount=Decimal("12.10"),
        description="Test order",
        redirect_url="https://example.org/back",
    )


@pytest.mark.clause("C03")
def test_payment_start_records_mollies_payment(mollie_live):
    user = UserFactory()
    payment = _start(user)
    assert payment.pk and payment.mollie_id.startswith("tr_") and payment.status == "open"
    assert payment.checkout_url.startswith(mollie_live.url + "/mollie-sim/checkout/")
    from mollie_sim.models import SimPayment

    remote = SimPayment.objects.get(sim_id=payment.mollie_id)
    assert remote.webhook_url == mollie_live.url + "/betalingen/webhook/" and remote.amount == Decimal("12.10")


def test_mollie_answering_500_raises_gateway_error_and_records_nothing(mollie_live, settings):
    settings.MOLLIE_SIM_FORCE_STATUS = 500
    with pytest.raises(gateway.GatewayError):
        _start(UserFactory())
    assert not Payment.objects.exists()


def test_mollie_unreachable_raises_gateway_error_and_records_nothing(settings):
    settings.MOLLIE_API_ENDPOINT = "http://127.0.0.1:9/mollie-sim"
    settings.MOLLIE_CONNECT_RETRIES = 0
    with pytest.raises(gateway.GatewayError):
        _start(UserFactory())
    with pytest.raises(gateway.GatewayError):
        gateway.payment_get("tr_abc")
    assert not Payment.objects.exists()


def test_finance_refunds_through_mollie_once_and_never_more_than_was_paid(mollie_live):
    from mollie_sim import services as sim
    from mollie_sim.models import SimPayment

    user, staff = UserFactory(), UserFactory(is_staff=True)
    payment = _start(user)
    sim.payment_settle(payment=SimPayment.objects.get(sim_id=payment.mollie_id), status="paid")
    services.payment_sync(mollie_id=payment.mollie_id)
    refund = services.refund_create(payment=payment, amount=Decimal("2.10"), staff_user=staff)
    assert refund.mollie_id.startswith("re_") and refund.created_by == staff
    services.refund_create(payment=payment, amount=None, staff_user=staff)
    assert sum(r.amount for r in Refund.objects.all()) == Decimal("12.10")
    assert SimPayment.objects.get(sim_id=payment.mollie_id).amount_refunded == Decimal("12.10")
    with pytest.raises(services.RefundRefused):
        services.refund_create(payment=payment, amount=Decimal("0.01"), staff_user=staff)
