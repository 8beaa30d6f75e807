from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact form")

    def ready(self) -> None:
        from contact import demo as contact_demo
        from contact.activity import Action
        from contact.panels import requests_panel
        from portal import activity, dashboard, demo, navigation

        activity.register_labels(Action)
        demo.register(contact_demo.seed)
        navigation.register_main(navigation.Link(_("Contact"), "contact:form", order=90, public=True))
        navigation.register_main(navigation.Link(_("My questions"), "contact:mine", order=91))
        navigation.register_footer(
            navigation.Link(_("Contact form"), "contact:form", order=20, public=True, element_id="footer-contact")
        )
        dashboard.register(requests_panel, reads=["contact.ContactRequest"])
        try:
            from consent.services import register_effect
        except ImportError:  # the consent switches are optional for this app
            return
        from contact.services import contact_requests_erase

        register_effect("P6", on_withdraw=contact_requests_erase)
