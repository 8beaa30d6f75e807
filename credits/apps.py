from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("Credits")

    def ready(self) -> None:
        from accounts import activity, dashboard, navigation
        from credits.activity import CreditsAction

        activity.register_labels(CreditsAction)
        navigation.register_main(navigation.Link(_("Credits"), "credits:overview", order=40, element_id="nav-credits"))
        dashboard.register(_credits_panel, reads=["credits.CreditBalance"])


def _credits_panel(user):
    from accounts.dashboard import Panel
    from credits.selectors import balance_of

    return Panel("credits/panel.html", {"balance": balance_of(user)}, order=40)
