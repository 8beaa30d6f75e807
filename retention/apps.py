from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from accounts import closure
        from portal import demo
        from retention import demo as retention_demo
        from retention import receivers

        closure.account_closed.connect(receivers.account_closed, dispatch_uid="retention.account_closed")
        demo.add_argument(
            "--spread-years",
            type=int,
            default=0,
            help="Age the demo data over this many years, so that every retention clock has rows on both sides.",
        )
        demo.register(retention_demo.demo_age)
