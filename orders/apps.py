from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from accounts import activity, dashboard, demo, navigation
        from orders import demo as orders_demo
        from orders import services
        from orders.activity import OrdersAction
        from payments import handlers

        activity.register_labels(OrdersAction)
        navigation.register_main(navigation.Link(_("Shop"), "orders:catalogue", order=20, element_id="nav-shop"))
        navigation.register_main(navigation.Link(_("Orders"), "orders:list", order=21, element_id="nav-orders"))
        dashboard.register(_orders_panel, reads=["orders.Order"])
        dashboard.register(_addons_panel, reads=["orders.Product", "orders.Order"], appends=["orders.OrderLine"])
        demo.register(orders_demo.seed)
        handlers.register(
            services.PAYMENT_KIND, services.order_payment_update, return_url=services.order_payment_return_url
        )


def _orders_panel(user):
    from accounts.dashboard import Panel
    from orders.selectors import recent_orders

    return Panel("orders/panel.html", {"orders": recent_orders(user=user)}, order=20)


def _addons_panel(user):
    """Add-ons the customer does not have yet, each one click from its buy page (C12)."""
    from accounts.dashboard import Panel
    from orders.selectors import addons_on_offer

    addons = addons_on_offer(user=user, limit=3)
    return Panel("orders/addons_panel.html", {"addons": addons}, order=25) if addons else None
