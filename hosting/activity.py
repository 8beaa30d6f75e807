"""Activity-log actions of the services app (registered with ``portal.activity`` in ``AppConfig.ready``)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    """The services app's actions in the customer's activity log (C07)."""

    SERVICE_STARTED = "service_started", _("Service started")
    SERVICE_SUSPENDED = "service_suspended", _("Service suspended")
    SERVICE_REACTIVATED = "service_reactivated", _("Service reactivated")
    SERVICE_END_SCHEDULED = "service_end_scheduled", _("Service end scheduled")
    SERVICE_ENDED = "service_ended", _("Service ended")
    DOMAIN_CHANGED = "service_domain_changed", _("Domain of the service changed")
    ALIAS_ADDED = "service_alias_added", _("Domain alias added")
    ALIAS_REMOVED = "service_alias_removed", _("Domain alias removed")
    DNS_ADDED = "service_dns_added", _("DNS record added")
    DNS_REMOVED = "service_dns_removed", _("DNS record removed")
    FORWARDER_ADDED = "service_forwarder_added", _("Mail forwarder added")
    FORWARDER_REMOVED = "service_forwarder_removed", _("Mail forwarder removed")
    PHP_CHANGED = "service_php_changed", _("PHP version changed")
    HTTPS_CHANGED = "service_https_changed", _("HTTPS certificate switched")
    BACKUP_RESTORE = "service_backup_restore", _("Backup restore requested")
    ADDON_ADDED = "service_addon_added", _("Add-on added")
    ADDON_SUSPENDED = "service_addon_suspended", _("Add-on suspended")
    ADDON_REACTIVATED = "service_addon_reactivated", _("Add-on reactivated")
    ADDON_END_SCHEDULED = "service_addon_end_scheduled", _("Add-on end scheduled")
    ADDON_ENDED = "service_addon_ended", _("Add-on ended")
