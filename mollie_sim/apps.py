from django.apps import AppConfig


class MollieSimConfig(AppConfig):
    name = "mollie_sim"
    verbose_name = "Mollie simulator"
