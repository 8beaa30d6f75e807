"""The staff statistics page: daily page views as a server-drawn SVG chart, and the most viewed pages."""

import datetime

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from stats import selectors
from stats.models import PageView, ProfilingObjection

CHART_WIDTH = 720
CHART_HEIGHT = 200
PERIODS = (7, 30, 90, 365)


def chart(totals: list[tuple[datetime.date, int]]) -> dict:
    """Bars for an SVG: coordinates computed here, so the page needs no script and no inline style."""
    peak = max((count for _, count in totals), default=0) or 1
    width = CHART_WIDTH / max(len(totals), 1)
    bars = []
    for index, (day, count) in enumerate(totals):
        height = round(count / peak * (CHART_HEIGHT - 20), 1)
        bars.append(
            {
                "x": round(index * width, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": max(round(width - 1, 1), 0.5),
                "height": height,
                "day": day,
                "count": count,
            }
        )
    return {"bars": bars, "peak": peak, "width": CHART_WIDTH, "height": CHART_HEIGHT}


@admin.register(PageView)
class PageViewAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in PERIODS else 30
        end = timezone.localdate()
        start = end - datetime.timedelta(days=days - 1)
        totals = selectors.daily_totals(start=start, end=end)
        return TemplateResponse(
            request,
            "admin/stats/pageview/statistics.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Page views"),
                "chart": chart(totals),
                "total": sum(count for _, count in totals),
                "top": selectors.top_paths(start=start, end=end),
                "days": days,
                "periods": PERIODS,
                "start": start,
                "end": end,
            },
        )


@admin.register(ProfilingObjection)
class ProfilingObjectionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    raw_id_fields = ("user",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
