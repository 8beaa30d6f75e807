"""Personal data held by the contact app (P6): kept until we are sure the requester is satisfied (C17).

A thread's messages live exactly as long as their question: they are found by the question's person
(account or address), carry the question's two clocks, and belong to it, so a legal hold on the
question holds them too.
"""

from django.db.models import Q
from django.utils.translation import gettext_noop

from contact.models import ContactMessage, ContactRequest
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
    "status",
    "answered_at",
    "satisfied_at",
    "not_yet_at",
)
MESSAGE_FIELDS = ("request", "author", "body", "created_at")


def _silent_after_answer(queryset):
    """Answered, and the thread waits for the requester: no reply, no "not yet", no "thank you" since."""
    return queryset.filter(status=ContactRequest.Status.ANSWERED)


def _messages_silent_after_answer(queryset):
    return queryset.filter(request__status=ContactRequest.Status.ANSWERED)


def _describe(row: ContactRequest) -> str:
    return f"{row.number} {row.created_at:%Y-%m-%d} {row.subject}"


def _describe_message(row: ContactMessage) -> str:
    return f"{row.created_at:%Y-%m-%d %H:%M} {row.get_author_display()}"


def _of_held_requests(held) -> Q:
    return Q(request__in=held)


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
    Declaration(
        model=ContactMessage,
        purpose="P6",
        fields=MESSAGE_FIELDS,
        owner="request__user",
        email_field="request__email",
        rule="contact_satisfied",
        clock="request__satisfied_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        describe=_describe_message,
        belongs_to=(("contact.ContactRequest", _of_held_requests),),
        label=gettext_noop("Contact requests: the messages of their threads"),
    ),
    Declaration(
        model=ContactMessage,
        purpose="P6",
        fields=MESSAGE_FIELDS,
        owner="request__user",
        email_field="request__email",
        rule="contact_silence",
        clock="request__answered_at",
        extra_filter=_messages_silent_after_answer,
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        belongs_to=(("contact.ContactRequest", _of_held_requests),),
        listed=False,
    ),
)
