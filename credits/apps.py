from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("Credits")

    def ready(self) -> None:
        from credits import demo as credits_demo  # noqa: F401  (registers the demo's life hook)
        from credits import panels, receivers
        from credits.activity import Action as CreditsAction
        from orders.signals import order_paid
        from payments import handlers
        from payments.signals import refund_status_changed
        from portal import activity, attention, dashboard, navigation

        order_paid.connect(receivers.order_paid, dispatch_uid="credits.order_paid")
        refund_status_changed.connect(receivers.refund_status_changed, dispatch_uid="credits.refund_status_changed")
        handlers.register_refund_effect(receivers.refund_effect)

        activity.register_labels(CreditsAction)
        navigation.register_main(navigation.Link(_("Credits"), "credits:overview", order=40, element_id="nav-credits"))
        dashboard.register(panels.credits_panel, reads=["credits.CreditBalance"])
        attention.register(panels.attention_items, reads=["credits.CreditBalance"])
