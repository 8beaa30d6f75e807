"""Demo data: four weeks of anonymous page views, so the staff chart has something to show."""

import datetime

from django.utils import timezone

from stats.models import PageView

PATHS = {"/": 40, "/contact/": 6, "/nieuwsbrief/": 4, "/profiel/": 9}


def seed(*, customer, staff, stdout, options) -> None:
    if PageView.objects.exists():
        return  # real (or earlier demo) counts are never overwritten or added to
    today = timezone.localdate()
    rows = []
    for offset in range(28):
        day = today - datetime.timedelta(days=offset)
        weekend = day.weekday() >= 5
        for path, base in PATHS.items():
            views = base // 2 if weekend else base + (offset * 7 + len(path)) % 11
            rows.append(PageView(day=day, path=path, views=views))
    PageView.objects.bulk_create(rows, ignore_conflicts=True)
    stdout.write("stats: 28 days of demo page views\n")
