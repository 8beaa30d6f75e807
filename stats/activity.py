"""Activity-log actions of the statistics app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    PROFILING_OBJECTED = "profiling_objected", _("Objected to profiling")
    PROFILING_ALLOWED = "profiling_allowed", _("Allowed profiling again")
