"""``iso_date``: a date kept as ISO text in an activity entry's detail, as a date the ``date`` filter formats."""

import datetime

from django import template

register = template.Library()


@register.filter
def iso_date(value: str) -> datetime.date | str:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
