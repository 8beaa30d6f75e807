"""The subscriptions panel on the customer's dashboard (one query)."""

from portal.attention import Item
from portal.dashboard import Panel
from subscriptions.models import Subscription
from subscriptions.selectors import subscriptions_open


def subscriptions_panel(user) -> Panel | None:
    running = list(
        Subscription.objects.filter(
            user=user, status__in=(Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
        ).select_related("plan")[:5]
    )
    return Panel("subscriptions/_panel.html", {"subscriptions": running}, order=40)


def attention_items(user) -> list[Item]:
    """A subscription whose payment is missing, and the next renewal with its date and amount (one query)."""
    running = subscriptions_open(user=user)
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
