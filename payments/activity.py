"""Activity-log actions of the payments app (registered with ``portal.activity`` in ``AppConfig.ready``)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    """Activity-log actions of the payments app."""

    STARTED = "payment_started", _("Payment started")
    REFUNDED = "payment_refunded", _("Payment refunded")
    REFUND_STATUS = "refund_status_changed", _("Refund status changed")
