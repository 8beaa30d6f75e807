"""Activity-log actions of the contact app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CONTACT_SENT = "contact_sent", _("Contact request sent")
    CONTACT_ANSWERED = "contact_answered", _("Contact request answered")
    CONTACT_SATISFIED = "contact_satisfied", _("Said the answer to a contact request helped")
    CONTACT_NOT_YET = "contact_not_yet", _("Said a contact request is not answered yet")
    CONTACT_ERASED = "contact_erased", _("Contact requests deleted after consent was withdrawn")
    CONTACT_REPLIED = "contact_replied", _("Replied in a contact request's thread")
