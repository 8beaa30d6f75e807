"""The simulator stands in for Mollie in development and tests; its customers hold what Mollie's would."""

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
        label="Payment provider customer (simulator)",
    ),
)
