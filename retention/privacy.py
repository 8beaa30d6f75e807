"""Personal data held by the retention app: only the legal hold names a person.

The run log and the closure log hold counts, rule keys and primary keys, never personal data.
"""

from privacy.declarations import Declaration, Erase, register
from privacy.models import LegalHold
from privacy.register import Event

register(
    Declaration(
        model=LegalHold,
        purpose="P9",
        fields=("reason", "placed_at", "released_at"),
        # Closure is refused while a hold is active, so only released holds remain to delete.
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Legal holds",
        # A hold is not shown to its subject: it may concern an investigation (GDPR art. 23).
        listed=False,
    ),
)
