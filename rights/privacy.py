"""Personal data held by the rights app: the customer's exports and the requests of the request desk."""

from django.utils.translation import gettext_noop

from privacy.declarations import Declaration, Erase, register
from rights.models import DataExport, PendingRequest, RequestEvent, RightsRequest


def _describe_export(row: DataExport) -> str:
    return f"{row.created_at:%Y-%m-%d %H:%M} · {row.get_status_display()}"


def _describe_request(row: RightsRequest) -> str:
    return f"{row.received_at:%Y-%m-%d} · {row.get_kind_display()} · {row.get_status_display()}"


register(
    Declaration(
        model=DataExport,
        purpose="P9",
        fields=("status", "created_at", "finished_at", "size"),
        rule="export_expired",
        clock="created_at",
        files=("file",),
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        describe=_describe_export,
        label=gettext_noop("Data exports"),
    ),
    Declaration(
        model=RightsRequest,
        purpose="P9",
        email_field="email",
        fields=(
            "kind",
            "status",
            "email",
            "language",
            "item_reference",
            "message",
            "received_at",
            "extension_months",
            "extension_reason",
            "completed_at",
        ),
        rule="request_closed",
        clock="completed_at",
        erase=Erase.DELETE,
        # The request is the evidence that it was dealt with: it outlives the account until its own clock runs out.
        on_closure=Erase.DETACH,
        detach_field="user",
        describe=_describe_request,
        label=gettext_noop("Privacy requests"),
    ),
    Declaration(
        model=RequestEvent,
        purpose="P9",
        owner="request__user",
        email_field="request__email",
        fields=("kind", "note", "created_at"),
        rule="request_closed",
        clock="request__completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.KEEP,
        label=gettext_noop("Privacy request steps"),
    ),
    # A request sent without logging in whose link was never followed: 7 days at most (issue 14, item 6).
    Declaration(
        model=PendingRequest,
        purpose="P9",
        owner=None,
        email_field="email",
        fields=("kind", "email", "language", "message", "item_reference", "created_at"),
        rule="request_unconfirmed",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label=gettext_noop("Privacy request waiting for confirmation"),
    ),
)
