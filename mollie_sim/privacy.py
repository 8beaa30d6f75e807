"""The simulator stands in for Mollie in development and tests; its rows hold what Mollie's would.

They are development data, so they get the register's unpublished ``simulator_recorded`` rule: the
sweep deletes them 30 days after they were made, and closure deletes a customer's simulated
customer (and the answers replayed for it) with the account.
"""

from django.utils.translation import gettext_lazy as _

from mollie_sim.models import SimCustomer, SimIdempotentRequest
from privacy.declarations import Declaration, Erase, register

register(
    Declaration(
        model=SimCustomer,
        purpose="P5",
        owner=None,
        email_field="email",
        fields=("name", "email", "locale", "created_at"),
        rule="simulator_recorded",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label=_("Payment provider customer (simulator)"),
    ),
    # The answers replayed for a repeated request hold the customer's name and address as Mollie's would.
    Declaration(
        model=SimIdempotentRequest,
        purpose="P5",
        owner=None,
        email_field="body__email",  # a created customer's answer
        fields=("body",),
        rule="simulator_recorded",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        listed=False,
    ),
)
