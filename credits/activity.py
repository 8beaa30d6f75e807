"""Activity-log actions of the credits app."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    GRANTED = "credits_granted", _("Credits added")
    SPENT = "credits_spent", _("Credits spent")
    TAKEN_BACK = "credits_taken_back", _("Credits taken back (refund)")
