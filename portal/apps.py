from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import pre_save

        from portal import admin_log

        pre_save.connect(admin_log.scrub, sender=LogEntry, dispatch_uid="portal.admin_log.scrub")
