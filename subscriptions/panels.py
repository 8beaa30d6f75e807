"""The subscriptions panel on the customer's dashboard and its lines of "needs your attention" (one query for both)."""

from portal.attention import Item
from portal.dashboard import Panel, shared
from subscriptions.models import Subscription
from subscriptions.selectors import subscriptions_open


def _open(user) -> list[Subscription]:
    return shared(user, "subscriptions.open", lambda: subscriptions_open(user=user))


def subscriptions_panel(user) -> Panel | None:
    running = [s for s in _open(user) if s.status in (Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)][:5]
    return Panel("subscriptions/_panel.html", {"subscriptions": running}, order=40)


def attention_items(user) -> list[Item]:
    """A subscription whose payment is missing, and the next renewal with its date and amount (one query)."""
    running = _open(user)
    items = [
        Item("subscriptions/_attention_payment.html", {"subscription": subscription}, order=20)
        for subscription in running
        if subscription.status != Subscription.Status.ACTIVE
    ]
    renewals = [s for s in running if s.status == Subscription.Status.ACTIVE and s.paid_until is not None]
    if renewals:
        # The soonest (the selector's order): a date and amount to keep in mind, not a problem to solve.
        items.append(Item("subscriptions/_attention_renewal.html", {"subscription": renewals[0]}, due=False, order=30))
    return items
