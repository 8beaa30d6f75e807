from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact form")

    def ready(self) -> None:
        from accounts import activity, dashboard, navigation
        from contact.actions import Action
        from contact.panels import requests_panel

        activity.register_labels(Action)
        navigation.register_main(navigation.Link(_("Contact"), "contact:form", order=90, public=True))
        navigation.register_footer(
            navigation.Link(_("Contact form"), "contact:form", order=20, public=True, element_id="footer-contact")
        )
        dashboard.register(requests_panel)
