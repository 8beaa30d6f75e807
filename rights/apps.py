from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "rights"
    verbose_name = _("Privacy rights")

    def ready(self) -> None:
        from accounts import closure
        from portal import activity, dashboard, navigation
        from rights import demo as rights_demo  # noqa: F401  (registers the demo's life hook)
        from rights import (
            receivers,
            selectors,  # noqa: F401  (registers the copies of "my data", dropped on closure)
        )
        from rights.activity import Action
        from rights.panels import dashboard_panel

        activity.register_labels(Action)
        navigation.register_footer(
            navigation.Link(
                _("Your privacy rights"), "rights:rights", order=20, public=True, element_id="footer-rights"
            )
        )
        dashboard.register(dashboard_panel, reads=["rights.DataExport"])
        closure.account_erasing.connect(receivers.account_erasing, dispatch_uid="rights.account_erasing")
        # "my data" keeps its totals per customer until a declared row changes or the sweep removes rows.
        dashboard.watch_data(everyone=["retention.RetentionRun", "retention.RetentionRuleResult"])
