"""The customer's credit balance for pages of other apps (the add-on page offers to pay with credits)."""

from django import template

from credits.selectors import balance_of

register = template.Library()


@register.simple_tag
def credits_balance(user) -> int:
    return balance_of(user) if user.is_authenticated else 0
