from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from orders import demo as orders_demo
        from orders import panels, receivers, services
        from orders.activity import Action as OrdersAction
        from payments import handlers
        from portal import activity, attention, dashboard, demo, navigation

        activity.register_labels(OrdersAction)
        navigation.register_main(navigation.Link(_("Shop"), "orders:catalogue", order=20, element_id="nav-shop"))
        navigation.register_main(navigation.Link(_("Orders"), "orders:list", order=21, element_id="nav-orders"))
        dashboard.register(panels.orders_panel, reads=["orders.Order"])
        dashboard.register(panels.addons_panel, reads=["orders.Product", "orders.Order"], appends=["orders.OrderLine"])
        attention.register(panels.attention_items, reads=["orders.Order", "payments.Payment"])
        demo.register(orders_demo.seed)
        user_logged_in.connect(receivers.cart_merge_on_login, dispatch_uid="orders.cart_merge_on_login")
        handlers.register(
            services.PAYMENT_KIND, services.order_payment_update, return_url=services.order_payment_return_url
        )
