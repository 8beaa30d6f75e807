from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        from accounts import closure
        from payments import handlers
        from portal import activity, attention, dashboard, demo
        from portal.navigation import Link, register_main
        from subscriptions import receivers, services
        from subscriptions.activity import Action as SubscriptionAction
        from subscriptions.demo import seed_plans
        from subscriptions.panels import attention_items, subscriptions_panel

        activity.register_labels(SubscriptionAction)
        register_main(Link(_("Subscriptions"), "subscriptions:list", order=40))
        dashboard.register(subscriptions_panel, reads=["subscriptions.Subscription", "subscriptions.Plan"])
        attention.register(attention_items, reads=["subscriptions.Subscription", "subscriptions.Plan"])
        demo.register(seed_plans)
        closure.account_closing.connect(receivers.account_closing, dispatch_uid="subscriptions.account_closing")
        closure.register_ending(receivers.closure_ends)
        handlers.register_refund_effect(receivers.refund_effect)
        handlers.register(services.FIRST, services.on_first_payment, return_url=services.return_url)
        handlers.register(
            services.RECURRING,
            services.on_recurring_payment,
            return_url=services.return_url,
            adopt=services.adopt_recurring,
        )
