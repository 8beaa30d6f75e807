"""The simulator stands in for Mollie in development and tests; its customers hold what Mollie's would."""

from django.utils.translation import gettext_lazy as _

from mollie_sim.models import SimCustomer
from privacy.declarations import Declaration, Erase, register

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
