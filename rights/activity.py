"""Activity-log actions of the rights app (registered with ``portal.activity`` in ``AppConfig.ready``)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    """Activity-log actions of this app (C07)."""

    EXPORT_REQUESTED = "export_requested", _("Data export requested")
    EXPORT_DOWNLOADED = "export_downloaded", _("Data export downloaded")
    REQUEST_FILED = "rights_request_filed", _("Privacy request filed")
    REQUEST_CLOSED = "rights_request_closed", _("Privacy request dealt with")
