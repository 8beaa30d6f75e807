from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


def _signal(path: str):
    """A signal of another app, or ``None`` while that app is not installed (the integration edge)."""
    module_name, _sep, name = path.rpartition(".")
    if not apps.is_installed(module_name.partition(".")[0]):
        return None
    try:
        return getattr(import_module(module_name), name)
    except (ImportError, AttributeError):
        return None


class HostingConfig(AppConfig):
    name = "hosting"
    # The app's first name: its tables, migrations, permissions, admin URLs and URL namespace keep it.
    label = "services"
    verbose_name = _("Services")

    def ready(self) -> None:
        from hosting import demo as services_demo
        from hosting import panels, receivers, targets
        from hosting.activity import Action as ActivityAction
        from portal import activity, attention, dashboard, demo, navigation
        from portal.targets import register_domain_check, register_target_source

        activity.register_labels(ActivityAction)
        navigation.register_main(
            navigation.Link(_("My services"), "services:list", order=15, element_id="nav-services")
        )
        dashboard.register(panels.dashboard_panel, reads=["services.Service"])
        attention.register(panels.attention_items, reads=["services.Service"])
        demo.register(services_demo.seed)
        register_target_source(targets.customer_targets)
        register_domain_check(targets.domain_check)
        for path, receiver in (
            ("orders.signals.order_paid", receivers.order_paid_receiver),
            ("subscriptions.signals.subscription_activated", receivers.subscription_activated_receiver),
            ("subscriptions.signals.subscription_past_due", receivers.subscription_past_due_receiver),
            ("subscriptions.signals.subscription_cancelled", receivers.subscription_cancelled_receiver),
            ("accounts.closure.account_closing", receivers.account_closing_receiver),
            ("payments.signals.refund_status_changed", receivers.refund_status_changed),
        ):
            signal = _signal(path)
            if signal is not None:
                signal.connect(receiver, dispatch_uid=f"hosting.{receiver.__name__}")
        if apps.is_installed("payments"):
            from payments import handlers

            handlers.register_refund_effect(receivers.refund_effect)
        if apps.is_installed("accounts"):
            from accounts import closure

            closure.register_ending(receivers.closure_ends)
