"""Activity-log actions of the subscriptions app (registered with ``portal.activity`` in ``AppConfig.ready``)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    """Activity-log actions of the subscriptions app."""

    REQUESTED = "subscription_requested", _("Subscription requested")
    ACTIVATED = "subscription_activated", _("Subscription started")
    RENEWED = "subscription_renewed", _("Subscription payment received")
    PAYMENT_FAILED = "subscription_payment_failed", _("Subscription payment failed")
    FIRST_PAYMENT_FAILED = "subscription_not_started", _("Subscription not started: payment not completed")
    CANCELLED = "subscription_cancelled", _("Subscription cancelled")
