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
