from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import activity, signals  # noqa: F401  (signals connects the activity-log receivers)
        from accounts.models import Activity

        activity.register_labels(Activity.Action)
