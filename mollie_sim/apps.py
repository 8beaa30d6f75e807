from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MollieSimConfig(AppConfig):
    name = "mollie_sim"
    verbose_name = _("Mollie simulator")
