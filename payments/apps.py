from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from accounts import closure
        from payments import receivers
        from payments.activity import Action as PaymentAction
        from portal import activity

        activity.register_labels(PaymentAction)
        closure.account_closing.connect(receivers.account_closing, dispatch_uid="payments.account_closing")
