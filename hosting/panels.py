"""The services app's dashboard panel (registered in ``AppConfig.ready``)."""

from django.db.models import Case, IntegerField, Sum, Value, When, Window

from accounts.models import User
from hosting.models import Service
from hosting.selectors import services_suspended
from portal.attention import Item
from portal.dashboard import Panel


def dashboard_panel(user: User) -> Panel | None:
    """The dashboard's "My services" panel: one query, at most five live services and how many are live."""
    ended = Case(When(state=Service.State.ENDED, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = list(
        Service.objects.for_user(user)
        .annotate(ended_rank=ended, live_count=Window(Sum(Value(1) - ended)))
        .order_by("ended_rank", "-created_at", "-id")[:5]
    )
    if not rows:
        return None
    services = [service for service in rows if not service.ended_rank]
    return Panel("services/_panel.html", {"services": services, "live": rows[0].live_count}, order=10)


def attention_items(user: User) -> list[Item]:
    """Suspended services and why (the reason is a message id, translated when shown): one query."""
    return [
        Item("services/_attention_suspended.html", {"service": service}, order=40)
        for service in services_suspended(user=user)
    ]
