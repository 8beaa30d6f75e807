from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from payments.activity import Action as PaymentAction
        from portal import activity

        activity.register_labels(PaymentAction)
