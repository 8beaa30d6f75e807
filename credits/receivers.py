"""How the credits app reacts to other apps' events."""

from credits.services import credits_grant


def order_paid(sender, *, order, **kwargs) -> None:
    """A paid credit pack grants its credits, once per order (the grant is idempotent per order)."""
    from orders.models import Order

    if order.kind != Order.Kind.CREDITS or order.user is None:
        return
    lines = list(order.lines.select_related("product"))
    amount = sum(line.product.credits * line.quantity for line in lines if line.product)
    if amount:
        credits_grant(user=order.user, amount=amount, reason=", ".join(line.description for line in lines), order=order)
