from django.apps import AppConfig


class NetrexConfig(AppConfig):
    name = "netrex"
    verbose_name = "Netrex"
