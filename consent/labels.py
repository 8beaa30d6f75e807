"""Dutch names of the declarations' labels.

Declarations name what they hold in English (``Declaration.label``); "my data", the export and the
closure page show them through gettext.  Listing them here lets makemessages extract them.
"""

from django.utils.translation import gettext_noop

LABELS = (
    gettext_noop("Account"),
    gettext_noop("Admin actions (staff)"),
    gettext_noop("Consents given and withdrawn"),
    gettext_noop("Privacy statement changes announced and read"),
    gettext_noop("Cookie choices"),
    gettext_noop("Newsletter subscription"),
    gettext_noop("Newsletter sign-up waiting for confirmation"),
    gettext_noop("Newsletters sent to you"),
    gettext_noop("Advertising emails sent to you"),
    gettext_noop("Advertising choices"),
    gettext_noop("Advertising choices (history)"),
    gettext_noop("Contact requests"),
    gettext_noop("Profiling (pages you viewed)"),
    gettext_noop("Objection to profiling"),
    gettext_noop("In-app purchases"),
    gettext_noop("Credit purchases"),
    gettext_noop("Order lines"),
    gettext_noop("Deliveries"),
    gettext_noop("Credit ledger"),
    gettext_noop("Credit balance"),
    gettext_noop("Service changes"),
    gettext_noop("Domain aliases"),
    gettext_noop("Mail forwarders"),
    gettext_noop("End of your last service"),
    gettext_noop("Legal holds"),
)
