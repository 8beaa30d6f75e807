from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter and advertising")

    def ready(self) -> None:
        from newsletter import demo as newsletter_demo
        from newsletter import receivers  # noqa: F401  (connects allauth's email_confirmed)
        from newsletter.activity import Action
        from newsletter.panels import preferences_panel
        from portal import activity, dashboard, demo, navigation

        activity.register_labels(Action)
        demo.register(newsletter_demo.seed)
        navigation.register_footer(
            navigation.Link(
                _("Newsletter"), "newsletter:subscribe", order=30, public=True, element_id="footer-newsletter"
            )
        )
        dashboard.register(
            preferences_panel, reads=["newsletter.Subscriber", "newsletter.AdvertisingPreference", "accounts.User"]
        )
        try:
            from consent.services import register_effect
        except ImportError:  # the consent switches are optional for this app
            return
        from newsletter import services

        register_effect(
            "P7", on_withdraw=services.consent_newsletter_withdrawn, on_give=services.consent_newsletter_given
        )
        register_effect(
            "P10", on_withdraw=services.consent_advertising_withdrawn, on_give=services.consent_advertising_given
        )
