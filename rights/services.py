"""Writes of the rights app: exports, the request desk and erasure by declaration (C38–C40).

Everything is driven by ``privacy.register`` and the declarations: the export writes one JSON file
per purpose from ``Declaration.export_rows`` and the files named in ``Declaration.files``; erasure
applies each declaration's ``on_closure`` strategy.  A new app's model is exported and erased as
soon as its ``privacy.py`` declares it.
"""

import contextlib
import hashlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from portal import dashboard
from portal.activity import activity_record
from portal.tasks import email_send
from privacy import declarations as registry
from privacy import erasure, register
from privacy.declarations import Declaration, Erase
from privacy.erasure import Holds
from rights import selectors
from rights.activity import Action
from rights.models import (
    DEADLINE,
    MAX_EXTENSION_MONTHS,
    DataExport,
    PendingRequest,
    RequestEvent,
    RightsRequest,
    export_upload_to,
)

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500  # rows between two progress updates of a running export
# Export rows written to the ZIP entry at once (memory stays flat: a few hundred rows).
WRITE_ROWS = 500
CONFIRM_MAX_AGE = 24 * 60 * 60  # C40: the emailed link is valid for one day


# --- export (C39b) ---------------------------------------------------------------------------


@transaction.atomic
def export_request(*, user: User, request: HttpRequest | None = None) -> DataExport:
    """Start a new export of everything we hold on ``user``; the ZIP is built by a Celery task."""
    from rights.tasks import export_build as export_build_task

    export = DataExport.objects.create(user=user)
    activity_record(user=user, action=Action.EXPORT_REQUESTED, request=request, detail={"export": str(export.pk)})
    export_build_task.delay_on_commit(str(export.pk))
    return export


def _declarations_with_rows(user: User, emails: list[str]) -> list[tuple[Declaration, int]]:
    counted = []
    for declaration in registry.listed():
        count = declaration.for_user(user, emails=emails).count()
        if count:
            counted.append((declaration, count))
    return counted


def _file_names(declaration: Declaration, user: User, emails: list[str]) -> Iterable[str]:
    if declaration.model is DataExport:  # earlier exports are not put inside a new one
        return
    for field in declaration.files:
        names = (
            declaration.for_user(user, emails=emails)
            .exclude(**{field: ""})
            .exclude(**{f"{field}__isnull": True})
            .values_list(field, flat=True)
            .iterator(chunk_size=200)
        )
        yield from names


def export_write(*, user: User, target, on_progress=None) -> None:
    """Write the export ZIP of ``user`` into the binary file object ``target``.

    Rows are streamed from the database in batches straight into the compressed entry, so memory
    stays flat however many rows the customer has.
    """
    with _whole_result_plans():
        _export_write(user=user, target=target, on_progress=on_progress)


@contextlib.contextmanager
def _whole_result_plans():
    """Plan the export's cursors for reading every row, not the first few.

    PostgreSQL plans a server-side cursor for the first tenth of its rows (``cursor_tuple_fraction``).
    For a partitioned table ordered by primary key that means walking every partition's key index
    and filtering for the customer; planned for all rows it takes the customer's own index and sorts.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def _export_write(*, user: User, target, on_progress=None) -> None:
    emails = registry.user_emails(user)
    counted = _declarations_with_rows(user, emails)
    total = sum(count for _, count in counted) or 1
    written = 0
    with translation.override(user.language), zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for purpose in register.PURPOSES:
            in_purpose = [(d, n) for d, n in counted if d.purpose == purpose.id]
            if not in_purpose:
                continue
            with archive.open(f"{purpose.id}-{slugify(purpose.name_en)}.json", "w") as entry:
                header = {
                    "purpose": purpose.id,
                    "name": purpose.name,
                    "description": purpose.description,
                    "legal_basis": purpose.legal_basis,
                    "recipients": [recipient.name for recipient in purpose.recipients],
                }
                entry.write(json.dumps(header, ensure_ascii=False)[:-1].encode() + b', "data": [')
                for index, (declaration, _count) in enumerate(in_purpose):
                    meta = {"model": declaration.model._meta.label, "label": selectors.declaration_label(declaration)}
                    entry.write((", " if index else "").encode() + json.dumps(meta)[:-1].encode() + b', "rows": [')
                    queryset = declaration.for_user(user, emails=emails)
                    # Rows are compressed a few hundred at a time: one zlib call per row costs more than its JSON.
                    pending: list[str] = []
                    for number, row in enumerate(declaration.export_rows(queryset)):
                        pending.append((",\n" if number else "\n") + json.dumps(row, ensure_ascii=False, default=str))
                        written += 1
                        if len(pending) >= WRITE_ROWS:
                            entry.write("".join(pending).encode())
                            pending = []
                        if on_progress and written % PROGRESS_EVERY == 0:
                            on_progress(min(95, written * 95 // total))
                    entry.write("".join(pending).encode() + b"\n]}")
                entry.write(b"]}\n")
        for declaration, _count in counted:
            for name in _file_names(declaration, user, emails):
                if not default_storage.exists(name):
                    continue
                entry = f"files/{os.path.basename(name)}"
                with default_storage.open(name, "rb") as source, archive.open(entry, "w") as out:
                    shutil.copyfileobj(source, out, 64 * 1024)
        overview = render_to_string(
            "rights/export_overview.html",
            {
                "user": user,
                "purposes": selectors.my_data(user=user),
                "now": timezone.now(),
                "controller": register.CONTROLLER,
            },
        )
        archive.writestr("overview.html", overview)


def export_build(*, export_id: str) -> DataExport | None:
    """Build the ZIP of one export and store it privately under a random name (idempotent)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == DataExport.Status.READY or export.is_expired():
        return export
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING, progress=0)
    dashboard.touch(export.user_id)  # update() sends no signal; the panel shows the export's state

    def progress(percent: int) -> None:
        DataExport.objects.filter(pk=export.pk).update(progress=percent)

    try:
        with tempfile.TemporaryFile() as spool:
            export_write(user=export.user, target=spool, on_progress=progress)
            size = spool.tell()
            spool.seek(0)
            name = default_storage.save(export_upload_to(export, ""), File(spool))
    except Exception:
        logger.exception("export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED)
        dashboard.touch(export.user_id)
        return export
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.READY, progress=100, file=name, size=size, finished_at=timezone.now()
        )
        dashboard.touch(export.user_id)
    if not updated:  # deleted while it was being built
        default_storage.delete(name)
        return None
    export.refresh_from_db()
    return export


@transaction.atomic
def export_downloaded(*, export: DataExport, request: HttpRequest | None = None) -> None:
    activity_record(
        user=export.user, action=Action.EXPORT_DOWNLOADED, request=request, detail={"export": str(export.pk)}
    )


def exports_expire(*, now=None, batch_size: int = 500) -> int:
    """Delete the exports whose ``export_expired`` clock has run out, and their files (after commit).

    The same declarations the retention sweep reads; this keeps expiry working on its own, in
    short batches, and is safe to re-run.
    """
    now = now or timezone.now()
    deleted = 0
    for declaration in registry.for_model(DataExport):
        while True:
            with transaction.atomic():
                due = declaration.due(now).select_for_update(skip_locked=True)
                batch = list(due.values_list("pk", "file")[:batch_size])
                if not batch:
                    break
                DataExport.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
                names = [name for _, name in batch if name]
                transaction.on_commit(lambda names=names: [default_storage.delete(name) for name in names])
            deleted += len(batch)
    return deleted


# --- erasure by declaration (C39d) -----------------------------------------------------------


@transaction.atomic
def person_erase(*, email: str) -> dict[str, int]:
    """Erase what the declarations hold on a person known only by ``email`` (no account).

    Each declaration that finds people by email address applies its ``on_closure`` strategy through
    ``privacy/erasure.py`` (files deleted after commit), leaving the rows a legal hold covers, as
    account closure does.  Rows that belong to an account are never touched here, even when they
    carry the address (a subscription's billing address): a customer's erasure is ``account_close``,
    which ends what is running first.
    """
    if not email:
        raise ValueError("person_erase needs an email address")
    holds = Holds()
    counts: dict[str, int] = {}
    for declaration in registry.all_declarations():
        if not declaration.email_field or declaration.on_closure == Erase.KEEP:
            continue
        rows = declaration.base_queryset().filter(**{f"{declaration.email_field}__iexact": email})
        if declaration.owner:
            rows = rows.filter(**{f"{declaration.owner}__isnull": True})
        done = erasure.erase(declaration, rows, action=declaration.on_closure, holds=holds).done
        if done:
            key = f"{declaration.model._meta.label}:{declaration.on_closure.value}"
            counts[key] = counts.get(key, 0) + done
    return counts


def account_erase(*, user: User) -> dict[str, int]:
    """Erase a customer's account with account closure itself (raises ``ValidationError`` under a legal hold).

    No request is passed on: closure would end the session of whoever is logged in, here the privacy officer.
    """
    from accounts.closure import ClosureBlocked, account_close

    try:
        return account_close(user=user)
    except ClosureBlocked as error:
        if error.message:  # something could not be ended now (the control panel refused): its own words
            raise ValidationError(str(error.message)) from error
        raise ValidationError(_("A legal hold covers this account; it cannot be erased now.")) from error


# --- the request desk (C39, C40) -------------------------------------------------------------


def _email(req: RightsRequest, template: str, context: dict[str, Any] | None = None) -> None:
    with translation.override(req.language):
        context = {"req": req, "controller": register.CONTROLLER, **(context or {})}
        subject = render_to_string(f"rights/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"rights/email/{template}.txt", context)
    email_send.delay_on_commit(subject=subject, body=body, to=[req.email])


def _step(req: RightsRequest, kind: str, note: str = "", actor: User | None = None) -> RequestEvent:
    return RequestEvent.objects.create(request=req, kind=kind, note=note, actor=actor)


@transaction.atomic
def request_file(
    *,
    kind: str,
    email: str,
    language: str,
    message: str = "",
    item_reference: str = "",
    user: User | None = None,
    confirmation: str | None = None,
    request: HttpRequest | None = None,
) -> RightsRequest:
    """Register a request whose requester's identity is established (C40); tell them its deadline."""
    if kind not in RightsRequest.Kind.values:
        raise ValidationError(_("Choose what you want to ask."))
    if confirmation:
        existing = RightsRequest.objects.filter(confirmation=confirmation).first()
        if existing is not None:  # the link was followed twice
            return existing
    verified_by = RightsRequest.Verification.ACCOUNT if user is not None else RightsRequest.Verification.EMAIL_LINK
    # A request confirmed from an address that an account verified is that account holder's request:
    # it acts on the person (the account and everything of it), never on the address alone.
    routed = user is None and (user := _account_of(email)) is not None
    received_at = timezone.now()
    req = RightsRequest.objects.create(
        received_at=received_at,
        deadline=received_at + DEADLINE,
        kind=kind,
        email=email,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        message=message,
        item_reference=item_reference,
        user=user,
        verified_by=verified_by,
        confirmation=confirmation,
    )
    _step(req, RequestEvent.Kind.RECEIVED, note=req.get_verified_by_display())
    if routed:
        _step(req, RequestEvent.Kind.NOTE, note="Routed to the account that verified this address.")
    if user is not None:
        activity_record(user=user, action=Action.REQUEST_FILED, request=request, detail={"request": req.pk})
    _email(req, "request_received")
    return req


def _account_of(email: str) -> User | None:
    """The open account that verified ``email``, if any (an unverified address proves nothing)."""
    from allauth.account.models import EmailAddress

    found = EmailAddress.objects.filter(email__iexact=email.strip(), verified=True, user__is_active=True)
    address = found.select_related("user").order_by("pk").first()
    return address.user if address is not None else None


def request_confirmation_token(
    *, kind: str, email: str, language: str, message: str = "", item_reference: str = ""
) -> str:
    """Keep the request in a pending record; the opaque random token that points to it (the link's only part)."""
    pending = PendingRequest.objects.create(
        token=secrets.token_urlsafe(32),
        kind=kind,
        email=email.strip().lower(),
        language=language,
        message=message,
        item_reference=item_reference,
    )
    return pending.token


def _throttled(key: str) -> bool:
    limit = getattr(settings, "RIGHTS_CONFIRM_LIMIT_PER_HOUR", 5)
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


def request_confirmation_send(
    *,
    kind: str,
    email: str,
    language: str,
    message: str = "",
    item_reference: str = "",
    build_url,
    ip: str | None = None,
) -> None:
    """Email the link that proves the requester controls ``email``: an opaque token of a pending record."""
    if kind not in RightsRequest.Kind.values:
        raise ValidationError(_("Choose what you want to ask."))
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if _throttled(f"rights:confirm:email:{email_key}") or (ip and _throttled(f"rights:confirm:ip:{ip}")):
        raise ValidationError(_("Too many requests were sent. Please try again in an hour."))
    token = request_confirmation_token(
        kind=kind, email=email, language=language, message=message, item_reference=item_reference
    )
    with translation.override(language):
        url = build_url(reverse("rights:request_confirm", kwargs={"token": token}))
        context = {"url": url, "kind": RightsRequest.Kind(kind).label, "controller": register.CONTROLLER}
        subject = render_to_string("rights/email/request_confirm_subject.txt", context).strip()
        body = render_to_string("rights/email/request_confirm.txt", context)
    email_send.delay_on_commit(subject=subject, body=body, to=[email])


@transaction.atomic
def request_confirm(*, token: str, request: HttpRequest | None = None) -> RightsRequest:
    """Turn a followed confirmation link into a request.  Raises ``ValidationError`` for a bad or old link.

    The token names a pending record; a link followed twice finds the request it made the first time.
    """
    existing = RightsRequest.objects.filter(confirmation=token[:64]).first() if token else None
    if existing is not None:
        return existing
    pending = PendingRequest.objects.select_for_update().filter(token=token[:64]).first() if token else None
    if pending is None:
        raise ValidationError(_("This link is not valid. Please send your request again."))
    if pending.created_at <= timezone.now() - timedelta(seconds=CONFIRM_MAX_AGE):
        raise ValidationError(_("This link has expired. Please send your request again."))
    rights_request = request_file(
        kind=pending.kind,
        email=pending.email,
        language=pending.language,
        message=pending.message,
        item_reference=pending.item_reference,
        confirmation=pending.token,
        request=request,
    )
    pending.delete()
    return rights_request


def _open_request(req: RightsRequest) -> RightsRequest:
    locked = RightsRequest.objects.select_for_update().get(pk=req.pk)
    if not locked.is_open:
        raise ValidationError(_("This request has already been closed."))
    return locked


@transaction.atomic
def request_start(*, rights_request: RightsRequest, actor: User, note: str = "") -> RightsRequest:
    req = _open_request(rights_request)
    if req.status == RightsRequest.Status.RECEIVED:
        req.status = RightsRequest.Status.IN_PROGRESS
        req.save(update_fields=["status"])
    _step(req, RequestEvent.Kind.STARTED, note=note, actor=actor)
    _email(req, "request_started")
    return req


def request_extension_check(*, rights_request: RightsRequest, months: int, reason: str, now=None) -> None:
    """The extension rules of GDPR art. 12(3): up to two more months in all, announced within the first month,
    with the reasons.  Raises ``ValidationError``."""
    now = now or timezone.now()
    req = rights_request
    if not req.is_open:
        raise ValidationError(_("This request has already been closed."))
    if not (reason or "").strip():
        raise ValidationError(_("An extension needs a reason; it is sent to the requester."))
    if months < 1 or req.extension_months + months > MAX_EXTENSION_MONTHS:
        raise ValidationError(
            _("The deadline can be extended by at most %(n)d months in all.") % {"n": MAX_EXTENSION_MONTHS}
        )
    if now > req.original_deadline:
        raise ValidationError(_("An extension must be announced within the first month after receipt."))


@transaction.atomic
def request_extend(*, rights_request: RightsRequest, actor: User, months: int, reason: str, now=None) -> RightsRequest:
    """Extend the deadline by ``months``; the reason is logged and emailed to the requester."""
    req = _open_request(rights_request)
    request_extension_check(rights_request=req, months=months, reason=reason, now=now)
    reason = reason.strip()
    req.extension_months += months
    req.extension_reason = "\n".join(filter(None, [req.extension_reason, reason]))
    req.deadline = req.deadline_for(req.extension_months)
    req.status = RightsRequest.Status.EXTENDED
    req.save(update_fields=["extension_months", "extension_reason", "deadline", "status"])
    _step(req, RequestEvent.Kind.EXTENDED, note=reason, actor=actor)
    _email(req, "request_extended", {"reason": reason})
    return req


@transaction.atomic
def request_note(*, rights_request: RightsRequest, actor: User, note: str) -> RequestEvent:
    if not note.strip():
        raise ValidationError(_("Write a note."))
    return _step(rights_request, RequestEvent.Kind.NOTE, note=note.strip(), actor=actor)


def request_complete(*, rights_request: RightsRequest, actor: User, note: str = "") -> RightsRequest:
    """Close a request as done; an erasure request erases with the same code as account closure.

    The erasure of an account holder is account closure, which calls Mollie and the control panel in
    transactions of its own (call this outside any, as the admin's erasure step does): the request is marked
    done first, so that closure's plan and e-mail show when its record goes, and when closure is blocked (a
    legal hold, a control panel that refuses) nothing is erased, the request is open again with the reason
    among its steps, and ``ValidationError`` says why.
    """
    if not rights_request.closes_an_account:
        return _complete(rights_request, actor=actor, note=note)
    from accounts.closure import account_is_held, closure_plan

    with transaction.atomic():
        req = _open_request(rights_request)
        if account_is_held(user=req.user):  # refused before anything is marked
            raise ValidationError(_("A legal hold covers this account; it cannot be erased now."))
        previous = req.status
        _mark_completed(req, actor=actor, note=note)
    with translation.override(req.language):
        plan = closure_plan(user=req.user)
    try:
        counts = account_erase(user=req.user)
    except ValidationError as error:
        _reopen(req, status=previous, reason=" ".join(error.messages), actor=actor)
        raise
    with transaction.atomic():
        return _erased(req, actor=actor, note=note, counts=counts, plan=plan)


@transaction.atomic
def _complete(rights_request: RightsRequest, *, actor: User, note: str) -> RightsRequest:
    req = _open_request(rights_request)
    _mark_completed(req, actor=actor, note=note)
    if req.kind != RightsRequest.Kind.ERASURE:
        _email(req, "request_completed", {"note": note})
        return req
    return _erased(req, actor=actor, note=note, counts=person_erase(email=req.email))


def _mark_completed(req: RightsRequest, *, actor: User, note: str) -> None:
    req.status = RightsRequest.Status.COMPLETED
    req.completed_at = timezone.now()
    req.save(update_fields=["status", "completed_at"])
    _step(req, RequestEvent.Kind.COMPLETED, note=note, actor=actor)
    if req.user_id is not None:
        activity_record(user=req.user, action=Action.REQUEST_CLOSED, actor=actor, detail={"request": req.pk})


def _erased(req: RightsRequest, *, actor: User, note: str, counts: dict[str, int], plan: Any = None) -> RightsRequest:
    """The erasure's step and e-mail: what was erased and what is kept, until when and why (for an account the
    closure plan, read before the account went; for a person without one the rows erased per kind)."""
    _step(req, RequestEvent.Kind.ERASED, note=json.dumps(counts, sort_keys=True), actor=actor)
    req.refresh_from_db()
    with translation.override(req.language):
        erased = _erased_labels(counts)
    _email(req, "request_completed", {"note": note, "plan": plan, "erased": erased})
    return req


@transaction.atomic
def _reopen(req: RightsRequest, *, status: str, reason: str, actor: User) -> None:
    """Closure was blocked after the request was marked done: it is open again, and its steps say why."""
    req.status, req.completed_at = status, None
    req.save(update_fields=["status", "completed_at"])  # a save: the customer's cached pages follow at once
    _step(
        req,
        RequestEvent.Kind.NOTE,
        note=_("Not erased: %(reason)s The request is open again.") % {"reason": reason},
        actor=actor,
    )


def _erased_labels(counts: dict[str, int]) -> list[str]:
    """``{"contact.ContactRequest:delete": 2}`` as "Contact requests (2)", in the active language."""
    labels: dict[str, int] = {}
    for key, count in counts.items():
        label = key.split(":")[0]
        if label == "sessions":
            continue
        declaration = next((d for d in registry.listed() if d.model._meta.label == label), None)
        if declaration is None:
            continue
        text = selectors.declaration_label(declaration)
        labels[text] = labels.get(text, 0) + count
    return [f"{text} ({count})" for text, count in labels.items()]


@transaction.atomic
def request_reject(*, rights_request: RightsRequest, actor: User, reason: str) -> RightsRequest:
    req = _open_request(rights_request)
    if not (reason or "").strip():
        raise ValidationError(_("Declining a request needs a reason; it is sent to the requester."))
    req.status = RightsRequest.Status.REJECTED
    req.completed_at = timezone.now()
    req.save(update_fields=["status", "completed_at"])
    _step(req, RequestEvent.Kind.REJECTED, note=reason, actor=actor)
    _email(req, "request_rejected", {"reason": reason})
    return req
