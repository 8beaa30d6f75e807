"""Personal data held by the consent app."""

from consent.models import ConsentRecord, CookieConsent, Disclosure, StatementNotice
from privacy.declarations import Declaration, Erase, register
from privacy.register import Event

register(
    Declaration(
        model=ConsentRecord,
        purpose="P9",
        fields=(
            "purpose",
            "scope",
            "given",
            "ground",
            "method",
            "statement_version",
            "text_version",
            "page",
            "created_at",
        ),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Consents given and withdrawn",
    ),
    Declaration(
        model=StatementNotice,
        purpose="P9",
        fields=("version", "emailed_at", "read_at"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Privacy statement changes announced and read",
    ),
    # A random id in the visitor's own cookie (and the account when the choice was made logged in), never an
    # IP address.  Proof for 13 months after the choice; the choice cookie expires then too and the banner
    # asks again.
    Declaration(
        model=CookieConsent,
        purpose="P3",
        owner="user",
        fields=("visitor", "tools", "refused", "method", "page", "statement_version", "banner_version", "created_at"),
        rule="cookie_choice_expired",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Cookie choices",
    ),
    # The disclosure register (C28) is kept under the legal duty that caused the disclosure and is never
    # changed; it stays out of "my data" and the export because telling the person may harm an
    # investigation (UAVG art. 41).  A request for it goes to the privacy officer.
    Declaration(
        model=Disclosure,
        purpose="P9",
        owner="subject",
        fields=("authority", "legal_ground", "data_disclosed", "subject_description", "disclosed_at", "reference"),
        on_closure=Erase.KEEP,
        kept_because=(
            "the evidence that a disclosure to an authority was lawful (C28, GDPR art. 5(2)); the database "
            "refuses to change or delete it, and closure cuts its link to the account"
        ),
        listed=False,
    ),
)
