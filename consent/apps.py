from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # The statement-change notice on every page is cached per customer (context_processors.py).
        from django.db.models.signals import post_delete, post_save

        from consent.activity import Action
        from consent.context_processors import notice_changed, statement_changed
        from consent.models import StatementNotice, StatementVersion
        from portal import activity
        from portal.navigation import Link, register_footer, register_main

        post_save.connect(statement_changed, sender=StatementVersion, dispatch_uid="consent.statement_changed")
        post_delete.connect(statement_changed, sender=StatementVersion, dispatch_uid="consent.statement_deleted")
        post_save.connect(notice_changed, sender=StatementNotice, dispatch_uid="consent.notice_changed")
        activity.register_labels(Action)
        register_main(Link(_("My privacy"), "consent:consents", order=90))
        register_footer(Link(_("Privacy statement"), "consent:statement", order=10, public=True))
        register_footer(
            Link(_("Cookie settings"), "consent:cookies", order=11, public=True, element_id="cookie-settings-link")
        )
        register_footer(Link(_("My privacy"), "consent:consents", order=12))
