"""The subscriptions panel on the customer's dashboard (one query)."""

from portal.dashboard import Panel
from subscriptions.models import Subscription


def subscriptions_panel(user) -> Panel | None:
    running = list(
        Subscription.objects.filter(
            user=user, status__in=(Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
        ).select_related("plan")[:5]
    )
    return Panel("subscriptions/_panel.html", {"subscriptions": running}, order=40)
