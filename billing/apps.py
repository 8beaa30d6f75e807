from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing import receivers
        from billing.activity import Action as BillingAction
        from orders.signals import order_email_attachments
        from payments.signals import payment_paid, refund_status_changed
        from portal import activity, navigation

        payment_paid.connect(receivers.payment_paid, dispatch_uid="billing.payment_paid")
        refund_status_changed.connect(receivers.refund_status_changed, dispatch_uid="billing.refund_status_changed")
        order_email_attachments.connect(receivers.order_email_attachments, dispatch_uid="billing.order_email")
        activity.register_labels(BillingAction)
        navigation.register_main(navigation.Link(_("Invoices"), "billing:list", order=45, element_id="nav-billing"))
