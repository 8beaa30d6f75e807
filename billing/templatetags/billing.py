"""``{% order_documents order.pk as documents %}``: an order's invoices and credit notes, for the order page."""

from django import template

from billing import selectors

register = template.Library()


@register.simple_tag
def order_documents(order_id: int) -> dict[str, list]:
    return selectors.order_documents(order_id=order_id)


@register.filter
def as_credit(value, is_credit_note: bool = False):
    """A credit note's amounts read as negative ("−€ 10,00"): what it credits, not what is owed."""
    return -value if is_credit_note and value else value
