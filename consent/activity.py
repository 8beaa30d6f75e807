"""Activity-log actions of the consent app (registered with ``accounts.activity`` in ``AppConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    STATEMENT_READ = "statement_read", _("Privacy statement change read")
    STATEMENT_PUBLISHED = "statement_published", _("Privacy statement version published")
    DISCLOSURE_RECORDED = "disclosure_recorded", _("Disclosure to an authority recorded")
