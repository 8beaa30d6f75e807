"""The services app's dashboard panel (registered in ``AppConfig.ready``)."""

from django.db.models import Case, IntegerField, Sum, Value, When, Window

from accounts.models import User
from hosting.models import Service
from portal.attention import Item
from portal.dashboard import Panel, shared


def _rows(user: User) -> list[Service]:
    """At most five live services, suspended ones first, and how many are live: one query for both panels."""

    def query() -> list[Service]:
        ended = Case(When(state=Service.State.ENDED, then=Value(1)), default=Value(0), output_field=IntegerField())
        suspended = Case(
            When(state=Service.State.SUSPENDED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return list(
            Service.objects.for_user(user)
            .annotate(ended_rank=ended, suspended_rank=suspended, live_count=Window(Sum(Value(1) - ended)))
            .order_by("ended_rank", "suspended_rank", "-created_at", "-id")[:5]
        )

    return shared(user, "hosting.rows", query)


def dashboard_panel(user: User) -> Panel | None:
    """The dashboard's "My services" panel: at most five live services (suspended first) and how many are live."""
    rows = _rows(user)
    if not rows:
        return None
    services = [service for service in rows if not service.ended_rank]
    return Panel("services/_panel.html", {"services": services, "live": rows[0].live_count}, order=10)


def attention_items(user: User) -> list[Item]:
    """Suspended services and why (the reason is a message id, translated when shown): the panel's own rows."""
    return [
        Item("services/_attention_suspended.html", {"service": service}, order=40)
        for service in _rows(user)
        if service.state == Service.State.SUSPENDED
    ]
