from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("Credits")

    def ready(self) -> None:
        from credits import panels, receivers
        from credits.activity import Action as CreditsAction
        from orders.signals import order_paid
        from portal import activity, dashboard, navigation

        order_paid.connect(receivers.order_paid, dispatch_uid="credits.order_paid")

        activity.register_labels(CreditsAction)
        navigation.register_main(navigation.Link(_("Credits"), "credits:overview", order=40, element_id="nav-credits"))
        dashboard.register(panels.credits_panel, reads=["credits.CreditBalance"])
