"""Demo helpers: pay through the Mollie simulator as a customer would, then sync as the webhook does.

Used by the other apps' demo *life* hooks (``portal.demo.register_life``), while ``portal.demo.serving``
serves the simulator.  Development only.
"""

from django.db import transaction

from mollie_sim import services as simulator
from mollie_sim.models import SimPayment, SimSubscription
from payments.models import Payment
from payments.services import payment_sync


def demo_pay(*, payment: Payment, status: str = "paid") -> Payment | None:
    """The customer picks ``status`` on the simulator's checkout page; the webhook's sync follows."""
    sim_payment = SimPayment.objects.get(sim_id=payment.mollie_id)
    simulator.payment_settle(payment=sim_payment, status=status)
    return payment_sync(mollie_id=payment.mollie_id)


def demo_charge(*, mollie_subscription_id: str, status: str = "paid") -> Payment | None:
    """A recurring payment of a Mollie subscription happens now (the simulator's "charge"), then the sync."""
    with transaction.atomic():
        subscription = SimSubscription.objects.get(sim_id=mollie_subscription_id)
        sim_payment = simulator.subscription_charge(subscription=subscription, status=status)
    return payment_sync(mollie_id=sim_payment.sim_id)
