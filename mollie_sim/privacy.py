"""The simulator stands in for Mollie in development and tests; its rows hold what Mollie's would.

They are development data, so they get the register's unpublished ``simulator_recorded`` rule: the
sweep deletes them 30 days after they were made (a customer only once nothing runs for it any more),
and closure deletes a customer's simulated customer (and the answers replayed for it) with the account.
"""

from django.utils.translation import gettext_lazy as _

from mollie_sim.models import SimCustomer, SimIdempotentRequest
from privacy.declarations import Declaration, Erase, register
from privacy.register import Event


def _nothing_running(queryset):
    return queryset.exclude(subscriptions__status__in=["active", "pending", "suspended"])


register(
    Declaration(
        model=SimCustomer,
        purpose="P5",
        owner=None,
        email_field="email",
        fields=("name", "email", "locale", "created_at"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label=_("Payment provider customer (simulator)"),
    ),
    # A simulated customer with nothing running any more goes after the development period; one with a
    # running subscription stays, as Mollie's would (deleting it would cancel the subscription).
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
        extra_filter=_nothing_running,
        listed=False,
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
