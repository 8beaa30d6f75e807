from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "netrex.outbox"
    label = "outbox"
    verbose_name = _("Task outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from netrex.outbox import signals  # noqa: F401  (connects worker_ready)
