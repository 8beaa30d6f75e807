from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import activity, dashboard, signals  # noqa: F401  (signals connects the activity-log receivers)
        from accounts.models import Activity

        activity.register_labels(Activity.Action)
        dashboard.register(_activity_panel, reads=[], appends=["accounts.Activity"])


def _activity_panel(user):
    """The customer's latest entries of the activity log, last on the dashboard (one query)."""
    from accounts.dashboard import Panel
    from accounts.selectors import activity_recent

    return Panel("accounts/_activity_panel.html", {"recent_activity": activity_recent(user=user)}, order=1000)
