"""Personal data held by the contact app (P6): kept until we are sure the requester is satisfied (C17)."""

from contact.models import ContactRequest
from privacy.declarations import Declaration, Erase, register

FIELDS = (
    "name",
    "email",
    "phone",
    "gender",
    "subject",
    "message",
    "ip_address",
    "language",
    "created_at",
    "answer",
    "answered_at",
    "satisfied_at",
    "not_yet_at",
)


def _silent_after_answer(queryset):
    """Answered, and the requester neither confirmed nor said "not yet" since."""
    return queryset.filter(satisfied_at__isnull=True, not_yet_at__isnull=True)


def _describe(row: ContactRequest) -> str:
    return f"{row.created_at:%Y-%m-%d} {row.subject}"


register(
    Declaration(
        model=ContactRequest,
        purpose="P6",
        fields=FIELDS,
        owner="user",
        email_field="email",
        rule="contact_satisfied",
        clock="satisfied_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        describe=_describe,
        label="Contact requests",
    ),
    Declaration(
        model=ContactRequest,
        purpose="P6",
        fields=FIELDS,
        owner="user",
        email_field="email",
        rule="contact_silence",
        clock="answered_at",
        extra_filter=_silent_after_answer,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        listed=False,
    ),
)
