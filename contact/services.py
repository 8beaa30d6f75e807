"""Writes of the contact app: a request arrives, staff answer it by email, the requester says whether it helped."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from contact.activity import Action
from contact.models import ContactRequest
from portal.activity import activity_record
from portal.client import client_ip
from portal.tasks import email_send
from privacy.declarations import for_model
from privacy.erasure import erase

FEEDBACK_SALT = "contact.feedback"


def feedback_token(contact_request: ContactRequest) -> str:
    return signing.dumps(contact_request.pk, salt=FEEDBACK_SALT)


def feedback_request_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=FEEDBACK_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def _absolute(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


@transaction.atomic
def contact_submit(*, data: dict, user: User | None, request: HttpRequest | None = None) -> ContactRequest:
    """Store a request from the public form (C16), with the sender's IP; staff are told a request waits."""
    contact_request = ContactRequest.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        name=data.get("name", ""),
        email=data["email"],
        phone=data.get("phone") or "",
        gender=data.get("gender", ""),
        subject=data["subject"],
        message=data["message"],
        ip_address=client_ip(request),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if contact_request.user is not None:
        activity_record(
            user=contact_request.user,
            action=Action.CONTACT_SENT,
            request=request,
            detail={"request": contact_request.pk},
        )
    if settings.CONTACT_NOTIFY_EMAIL:
        admin_url = settings.SITE_URL.rstrip("/") + reverse(
            "admin:contact_contactrequest_change", args=[contact_request.pk]
        )
        email_send.delay_on_commit(
            subject=f"[Netrex] Contactformulier #{contact_request.pk}",
            body=f"Een nieuwe vraag wacht op antwoord: {admin_url}",
            to=[settings.CONTACT_NOTIFY_EMAIL],
        )
    return contact_request


@transaction.atomic
def contact_answer(
    *, contact_request: ContactRequest, answer: str, staff: User, request: HttpRequest | None = None
) -> ContactRequest:
    """Send our answer by email with the two feedback links; a new answer restarts the silence clock."""
    contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    contact_request.answer = answer
    contact_request.answered_at = timezone.now()
    contact_request.answered_by = staff
    contact_request.not_yet_at = None
    contact_request.save(update_fields=["answer", "answered_at", "answered_by", "not_yet_at"])
    language = contact_request.language
    token = feedback_token(contact_request)
    context = {
        "contact_request": contact_request,
        "answer": answer,
        "satisfied_url": _absolute("contact:satisfied", language, token=token),
        "not_yet_url": _absolute("contact:not_yet", language, token=token),
    }
    with translation.override(language):
        subject = render_to_string("contact/email/answer_subject.txt", context).strip()
        body = render_to_string("contact/email/answer.txt", context)
    email_send.delay_on_commit(subject=subject, body=body, to=[contact_request.email])
    if contact_request.user_id:
        activity_record(
            user=contact_request.user,
            action=Action.CONTACT_ANSWERED,
            request=request,
            actor=staff,
            detail={"request": contact_request.pk},
        )
    return contact_request


@transaction.atomic
def contact_feedback(
    *, contact_request_id: int, satisfied: bool, request: HttpRequest | None = None
) -> ContactRequest | None:
    """The requester's "answered, thank you" (starts the deletion clock) or "not yet" (stops the silence clock)."""
    contact_request = ContactRequest.objects.select_for_update().filter(pk=contact_request_id).first()
    if contact_request is None or contact_request.answered_at is None:
        return contact_request
    now = timezone.now()
    if satisfied:
        if contact_request.satisfied_at is None:
            contact_request.satisfied_at = now
    elif contact_request.satisfied_at is None:
        contact_request.not_yet_at = now
    contact_request.save(update_fields=["satisfied_at", "not_yet_at"])
    if contact_request.user_id:
        activity_record(
            user=contact_request.user,
            action=Action.CONTACT_SATISFIED if satisfied else Action.CONTACT_NOT_YET,
            request=request,
            detail={"request": contact_request.pk},
        )
    if satisfied:
        _erase_satisfied(contact_request)
    if not satisfied and settings.CONTACT_NOTIFY_EMAIL:
        admin_url = settings.SITE_URL.rstrip("/") + reverse(
            "admin:contact_contactrequest_change", args=[contact_request.pk]
        )
        email_send.delay_on_commit(
            subject=f"[Netrex] Contactformulier #{contact_request.pk}: nog niet beantwoord",
            body=f"De vrager is nog niet tevreden: {admin_url}",
            to=[settings.CONTACT_NOTIFY_EMAIL],
        )
    return contact_request


def _erase_satisfied(contact_request: ContactRequest) -> None:
    """The register keeps a question "until you tell us our answer helped" (0 days): it goes now, the way
    the sweep would erase it (``privacy.erasure.erase``: a legal hold keeps it), not at the next sweep."""
    declaration = next(d for d in for_model(ContactRequest) if d.rule == "contact_satisfied")
    erase(declaration, ContactRequest.objects.filter(pk=contact_request.pk), action=declaration.erase)


@transaction.atomic
def contact_requests_erase(*, user: User, request: HttpRequest | None = None) -> int:
    """Consent for the contact form (P6) withdrawn: the customer's requests go at once."""
    deleted, _ = ContactRequest.objects.filter(user=user).delete()
    if deleted:
        activity_record(user=user, action=Action.CONTACT_ERASED, request=request, detail={"count": deleted})
    return deleted
