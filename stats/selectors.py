"""Reads of the statistics app: daily totals for staff, and the profile we built of a customer."""

import datetime

from django.db.models import Count, Max, Min, Sum

from consent import selectors as consent_selectors
from privacy import register
from stats.models import PageView, ProfilingEvent, ProfilingObjection


def daily_totals(*, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, int]]:
    """Views per day from ``start`` to ``end``, days without views included as 0 (one query)."""
    totals = dict(PageView.objects.filter(day__gte=start, day__lte=end).values_list("day").annotate(total=Sum("views")))
    days = (end - start).days + 1
    return [
        (start + datetime.timedelta(days=n), totals.get(start + datetime.timedelta(days=n), 0)) for n in range(days)
    ]


def top_paths(*, start: datetime.date, end: datetime.date, limit: int = 20) -> list[dict]:
    return list(
        PageView.objects.filter(day__gte=start, day__lte=end)
        .values("path")
        .annotate(total=Sum("views"))
        .order_by("-total", "path")[:limit]
    )


def profile_of(*, user) -> dict:
    """What the profiling holds on the customer (C10): at most four queries, bounded lists."""
    objection = ProfilingObjection.objects.filter(user=user).first()
    events = ProfilingEvent.objects.filter(user=user)
    summary = events.aggregate(count=Count("id"), first=Min("created_at"), last=Max("created_at"))
    pages = (
        list(events.values("path").annotate(views=Count("id")).order_by("-views", "path")[:10])
        if summary["count"]
        else []
    )
    addresses = (
        list(events.values("ip_address", "email").annotate(last=Max("created_at")).order_by("-last")[:10])
        if summary["count"]
        else []
    )
    return {
        "consented": consent_selectors.consent_given(user=user, purpose_id="P3") and objection is None,
        "objection": objection,
        "summary": summary,
        "pages": pages,
        "addresses": addresses,
        "retention": register.rule("profiling_recorded").period_text(),
    }
