"""Activity-log actions of the newsletter app (registered with ``accounts.activity`` in ``AppConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    NEWSLETTER_SUBSCRIBED = "newsletter_subscribed", _("Subscribed to the newsletter")
    NEWSLETTER_UNSUBSCRIBED = "newsletter_unsubscribed", _("Unsubscribed from the newsletter")
    NEWSLETTER_DECLINED = "newsletter_declined", _("Declined the newsletter at sign-up")
    ADVERTISING_OBJECTED = "advertising_objected", _("Objected to advertising")
    ADVERTISING_ALLOWED = "advertising_allowed", _("Allowed advertising")
