from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from accounts import (
            panels,
            signals,  # noqa: F401  (signals connects the activity-log receivers)
        )
        from accounts.activity import Action
        from portal import activity, dashboard, navigation

        activity.register_labels(Action)
        navigation.register_footer(navigation.Link(_("Close my account"), "accounts:account_close", order=95))
        dashboard.register(panels.activity_panel, reads=[], appends=["portal.Activity"])
