"""``{% load money %}`` ``{{ order.total|money }}``: the one way a template writes an amount."""

from django import template

from portal.activity import detail_text
from portal.money import money as money_format

register = template.Library()


@register.filter
def money(value, currency: str = "EUR") -> str:
    return money_format(value, currency=currency)


@register.filter
def activity_detail(detail) -> str:
    """An activity-log entry's summary with its amount in the reader's language (``portal.activity.detail_text``)."""
    return detail_text(detail if isinstance(detail, dict) else None)
