"""Make a simulated subscription's next recurring payment happen now: ``mollie_sim_charge sub_xxx --status failed``."""

from django.core.management.base import BaseCommand, CommandError

from mollie_sim import services
from mollie_sim.models import SimSubscription


class Command(BaseCommand):
    help = "Charge the next recurring payment of a simulated Mollie subscription now and call its webhook."

    def add_arguments(self, parser) -> None:
        parser.add_argument("subscription_id", help="the simulator's subscription id (sub_...)")
        parser.add_argument("--status", choices=["paid", "failed"], default="paid")

    def handle(self, *args, subscription_id: str, status: str, **options) -> None:
        subscription = SimSubscription.objects.filter(sim_id=subscription_id).first()
        if subscription is None:
            raise CommandError(f"No simulated subscription {subscription_id}.")
        try:
            payment = services.subscription_charge(subscription=subscription, status=status)
        except services.SimError as exc:
            raise CommandError(exc.detail)
        self.stdout.write(f"{payment.sim_id} {payment.status} {payment.amount} {payment.currency}")
