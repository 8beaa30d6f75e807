"""The orders app's dashboard panels (registered in ``AppConfig.ready``)."""


def orders_panel(user):
    from orders.selectors import recent_orders
    from portal.dashboard import Panel

    return Panel("orders/panel.html", {"orders": recent_orders(user=user)}, order=20)


def addons_panel(user):
    """Add-ons the customer does not have yet, each one click from its buy page (C12)."""
    from orders.selectors import addons_on_offer
    from portal.dashboard import Panel

    addons = addons_on_offer(user=user, limit=3)
    return Panel("orders/addons_panel.html", {"addons": addons}, order=25) if addons else None


def attention_items(user):
    """Orders waiting for payment, each with a button to pay (again): the first lines of "needs your attention"."""
    from orders.selectors import orders_awaiting_payment
    from portal.attention import Item

    return [
        Item("orders/_attention_order.html", {"order": order}, order=10) for order in orders_awaiting_payment(user=user)
    ]
