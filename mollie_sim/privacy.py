"""The simulator stands in for Mollie in development and tests; its customers hold what Mollie's would."""

from django.utils.translation import gettext_lazy as _

from consent.declarations import Declaration, Erase, register
from mollie_sim.models import SimCustomer

register(
    Declaration(
        model=SimCustomer,
        purpose="P5",
        owner=None,
        email_field="email",
        fields=("name", "email", "locale", "created_at"),
        on_closure=Erase.DELETE,
        label=_("Payment provider customer (simulator)"),
    ),
)
