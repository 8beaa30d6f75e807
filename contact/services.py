"""Writes of the contact app: a request arrives (with a receipt), staff answer it, the customer replies in the
thread or says whether it helped."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from contact.activity import Action
from contact.models import ContactMessage, ContactRequest
from portal.activity import activity_record
from portal.client import client_ip
from portal.tasks import email_send
from privacy.declarations import for_model
from privacy.erasure import Holds, erase

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
            detail={"request": contact_request.pk, "summary": contact_request.number},
        )
    _receipt_send(contact_request)
    _staff_notify(contact_request, "Een nieuwe vraag wacht op antwoord")
    return contact_request


def _receipt_send(contact_request: ContactRequest) -> None:
    """The receipt (in the requester's language): the request's number and what happens next."""
    language = contact_request.language
    context = {
        "contact_request": contact_request,
        "number": contact_request.number,
        "thread_url": _absolute("contact:thread", language, pk=contact_request.pk) if contact_request.user_id else "",
        "form_url": _absolute("contact:form", language),
    }
    with translation.override(language):
        subject = render_to_string("contact/email/receipt_subject.txt", context).strip()
        body = render_to_string("contact/email/receipt.txt", context)
    email_send.delay_on_commit(subject=subject, body=body, to=[contact_request.email], language=language)


def _staff_notify(contact_request: ContactRequest, what: str) -> None:
    """Tell the support mailbox (Dutch, internal) that a thread waits for us."""
    if not settings.CONTACT_NOTIFY_EMAIL:
        return
    admin_url = settings.SITE_URL.rstrip("/") + reverse(
        "admin:contact_contactrequest_change", args=[contact_request.pk]
    )
    email_send.delay_on_commit(
        subject=f"[Netrex] Contactformulier {contact_request.number}",
        body=f"{what}: {admin_url}",
        to=[settings.CONTACT_NOTIFY_EMAIL],
    )


@transaction.atomic
def contact_answer(
    *, contact_request: ContactRequest, answer: str, staff: User, request: HttpRequest | None = None
) -> ContactRequest:
    """Add our answer to the thread and send it by email with the two feedback links.

    The thread then waits for the customer, and the silence clock (``contact_silence``) counts from this
    answer: a later answer restarts it, a reply by the customer stops it until we answer again.
    """
    contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    now = timezone.now()
    ContactMessage.objects.create(
        request=contact_request, author=ContactMessage.Author.STAFF, staff=staff, body=answer, created_at=now
    )
    contact_request.answered_at = now
    contact_request.answered_by = staff
    contact_request.not_yet_at = None
    if contact_request.status != ContactRequest.Status.SATISFIED:
        contact_request.status = ContactRequest.Status.ANSWERED
    contact_request.save(update_fields=["answered_at", "answered_by", "not_yet_at", "status"])
    language = contact_request.language
    token = feedback_token(contact_request)
    context = {
        "contact_request": contact_request,
        "number": contact_request.number,
        "answer": answer,
        "signature": staff.first_name.strip(),
        "thread_url": _absolute("contact:thread", language, pk=contact_request.pk) if contact_request.user_id else "",
        "form_url": _absolute("contact:form", language),
        "satisfied_url": _absolute("contact:satisfied", language, token=token),
        "not_yet_url": _absolute("contact:not_yet", language, token=token),
    }
    with translation.override(language):
        subject = render_to_string("contact/email/answer_subject.txt", context).strip()
        body = render_to_string("contact/email/answer.txt", context)
    email_send.delay_on_commit(subject=subject, body=body, to=[contact_request.email], language=language)
    if contact_request.user_id:
        activity_record(
            user=contact_request.user,
            action=Action.CONTACT_ANSWERED,
            request=request,
            actor=staff,
            detail={"request": contact_request.pk, "summary": contact_request.number},
        )
    return contact_request


class ReplyRefused(ValueError):
    """The thread takes no more replies: the customer said our answer helped."""


@transaction.atomic
def contact_reply(
    *, contact_request: ContactRequest, user: User, body: str, request: HttpRequest | None = None
) -> ContactMessage:
    """The customer's follow-up in their own thread: it reopens the thread and stops the silence clock.

    The clock (``contact_silence``, from ``answered_at``) only runs while the thread waits for the customer;
    it starts again from our next answer.  ``answered_at`` keeps the time of our last answer.
    """
    contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk, user=user)
    if contact_request.status == ContactRequest.Status.SATISFIED:
        raise ReplyRefused("the requester is satisfied")
    message = ContactMessage.objects.create(request=contact_request, author=ContactMessage.Author.CUSTOMER, body=body)
    if contact_request.status != ContactRequest.Status.OPEN:
        contact_request.status = ContactRequest.Status.OPEN
        contact_request.save(update_fields=["status"])
    activity_record(
        user=user,
        action=Action.CONTACT_REPLIED,
        request=request,
        detail={"request": contact_request.pk, "summary": contact_request.number},
    )
    _staff_notify(contact_request, "De klant heeft gereageerd")
    return message


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
            contact_request.status = ContactRequest.Status.SATISFIED
    elif contact_request.satisfied_at is None:
        contact_request.not_yet_at = now
        contact_request.status = ContactRequest.Status.OPEN
    contact_request.save(update_fields=["satisfied_at", "not_yet_at", "status"])
    if contact_request.user_id:
        activity_record(
            user=contact_request.user,
            action=Action.CONTACT_SATISFIED if satisfied else Action.CONTACT_NOT_YET,
            request=request,
            detail={"request": contact_request.pk, "summary": contact_request.number},
        )
    if satisfied:
        _erase_satisfied(contact_request)
    else:
        _staff_notify(contact_request, "De vrager is nog niet tevreden")
    return contact_request


def _erase_satisfied(contact_request: ContactRequest) -> None:
    """The register keeps a question "until you tell us our answer helped" (0 days): it goes now, the way
    the sweep would erase it (``privacy.erasure.erase``: a legal hold keeps it), not at the next sweep.  The
    thread's messages go first, by their own declaration, so a hold on them is honoured too."""
    holds = Holds()
    for model, rows in (
        (ContactMessage, ContactMessage.objects.filter(request_id=contact_request.pk)),
        (ContactRequest, ContactRequest.objects.filter(pk=contact_request.pk)),
    ):
        declaration = next(d for d in for_model(model) if d.rule == "contact_satisfied")
        erase(declaration, rows, action=declaration.erase, holds=holds)


@transaction.atomic
def contact_requests_erase(*, user: User, request: HttpRequest | None = None) -> int:
    """Consent for the contact form (P6) withdrawn: the customer's requests go at once."""
    _, per_model = ContactRequest.objects.filter(user=user).delete()  # the threads' messages go with them
    deleted = per_model.get(ContactRequest._meta.label, 0)
    if deleted:
        activity_record(user=user, action=Action.CONTACT_ERASED, request=request, detail={"count": deleted})
    return deleted
