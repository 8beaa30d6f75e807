"""``{% load money %}`` ``{{ order.total|money }}``: the one way a template writes an amount."""

from django import template

from portal.money import money as money_format

register = template.Library()


@register.filter
def money(value, currency: str = "EUR") -> str:
    return money_format(value, currency=currency)
