from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Anonymous page-view statistics and per-customer profiling (P3).

    Named ``stats`` because ``statistics`` is a module of Python's standard library.
    """

    name = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from portal import activity, demo
        from stats import demo as stats_demo
        from stats.activity import Action
        from stats.buffer import flush_if_due

        activity.register_labels(Action)
        demo.register(stats_demo.seed)
        request_finished.connect(flush_if_due, dispatch_uid="stats-flush-if-due")
        try:
            from consent.services import register_effect
        except ImportError:  # without the consent switches the profiling page is the only way to object
            return
        from stats import services

        register_effect(
            "P3", on_withdraw=services.consent_profiling_withdrawn, on_give=services.consent_profiling_given
        )
