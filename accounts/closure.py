"""Account closure (C24, C08): the customer closes their account and everything of theirs is erased at once.

Driven by the declarations alone: for every declared model, ``on_closure`` says what happens to the
person's rows (found by account and by every email address of the account, so that data given
without logging in, such as contact requests or a newsletter subscription, goes too):

1. ``DETACH`` first: rows under a fiscal retention duty (orders, subscriptions, credits) lose their
   link to the account (``detach_field`` set to ``None``) and keep only their invoice snapshot,
   restricted from any other use; their own clock deletes them later.
2. ``ANONYMISE``: the declared personal fields are blanked, the row stays.
3. ``DELETE``: everything else, the user row itself last; files go after the commit.

Each step is ``privacy/erasure.py::erase_rows``, the same mechanism as the retention sweep and
erasure requests.

Every session of the account ends, and a confirmation goes to the address before it is erased.
An active legal hold (GDPR art. 17(3)) on the person or on one of their records stops closure:
``ClosureBlocked`` is raised and nothing changes.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, IntegerField, Value
from django.dispatch import Signal
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from portal.tasks import email_send
from privacy import declarations as declaration_registry
from privacy import register as processing_register
from privacy.declarations import Declaration, Erase
from privacy.erasure import Holds, erase_rows

# Sent inside the closing transaction once every row is handled, with ``counts`` (no personal data).
account_closed = Signal()


# Sent before anything is erased, outside any transaction, with ``user``: each app ends what still runs
# for the account (a subscription at Mollie, a service at the control panel) and raises
# ``ClosureBlocked`` with a message for the customer when it cannot, so closure is never half done.
account_closing = Signal()


class ClosureBlocked(Exception):
    """The account cannot be closed now: a legal hold covers it, or something of it cannot be ended yet."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


@dataclass
class KeptItem:
    purpose: processing_register.Purpose
    label: str
    count: int
    periods: list[str] = field(default_factory=list)


@dataclass
class ClosurePlan:
    """What closing the account will erase and what the law makes us keep, for the confirmation page."""

    erased: list[str]
    kept: list[KeptItem]
    fiscal_purposes: list[processing_register.Purpose]


def closure_plan(*, user: User) -> ClosurePlan:
    """One bounded query per declaration that detaches (the fiscal ones); the rest is read from the register."""
    emails = declaration_registry.user_emails(user)
    erased, kept = [], {}
    for declaration in declaration_registry.listed():
        if declaration.on_closure in (Erase.DELETE, Erase.ANONYMISE):
            label = _label(declaration)
            if label not in erased:
                erased.append(label)
    detached = [d for d in declaration_registry.all_declarations() if d.on_closure == Erase.DETACH]
    counts = _counts(detached, user, emails)
    for index, declaration in enumerate(detached):
        count = counts[index] if index in counts else declaration.for_user(user, emails=emails).count()
        if not count:
            continue
        label = _label(declaration)
        item = kept.setdefault(
            (declaration.purpose, label),
            KeptItem(purpose=processing_register.purpose(declaration.purpose), label=label, count=0),
        )
        item.count = max(item.count, count)
        if declaration.retention is not None:
            text = f"{declaration.retention.period_text()}: {declaration.retention.event.label}"
            if text not in item.periods:
                item.periods.append(text)
    fiscal = [p for p in processing_register.PURPOSES if p.fiscal_duty]
    return ClosurePlan(erased=erased, kept=list(kept.values()), fiscal_purposes=fiscal)


def _counts(declarations: list[Declaration], user: User, emails: list[str]) -> dict[int, int]:
    """The customer's row count of each declaration, by index, in one query (a UNION ALL of counts)."""
    parts = [
        declaration.for_user(user, emails=emails)
        .order_by()
        .values(index=Value(index, output_field=IntegerField()))
        .annotate(n=Count("pk"))
        .values_list("index", "n")
        for index, declaration in enumerate(declarations)
    ]
    if not parts:
        return {}
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return dict(combined)


def _label(declaration: Declaration) -> str:
    """The declaration's label in the reader's language (apps translate their labels in their catalogues)."""
    if declaration.label:
        return gettext(str(declaration.label))
    return str(declaration.model._meta.verbose_name_plural)


def account_is_held(*, user: User, emails: list[str] | None = None) -> bool:
    holds = Holds()
    if user.pk in holds.user_ids:
        return True
    emails = declaration_registry.user_emails(user) if emails is None else emails
    for declaration in declaration_registry.all_declarations():
        if declaration.on_closure == Erase.KEEP:
            continue
        condition = holds.condition(declaration)
        if condition is not None and declaration.for_user(user, emails=emails).filter(condition).exists():
            return True
    return False


def _closure_order(declarations: list[Declaration]) -> list[Declaration]:
    """KEEP with fields to blank and DETACH first (while the rows still reach the account), then
    ANONYMISE, then DELETE with the user model last (its delete cascades)."""
    user_model = get_user_model()
    rank = {Erase.KEEP: 0, Erase.DETACH: 1, Erase.ANONYMISE: 2, Erase.DELETE: 3}
    chosen = [d for d in declarations if d.on_closure in rank and (d.on_closure != Erase.KEEP or d.closure_blank)]
    return sorted(chosen, key=lambda d: (rank[d.on_closure], d.model is user_model))


def _end_sessions(user: User) -> int:
    from allauth.usersessions.models import UserSession

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store.delete(key)
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def _confirmation(user: User) -> tuple[str, str]:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        plan = closure_plan(user=user)
        context = {"user": user, "plan": plan, "site_url": settings.SITE_URL}
        subject = render_to_string("accounts/email/account_closed_subject.txt", context).strip()
        body = render_to_string("accounts/email/account_closed_body.txt", context)
    return subject, body


def account_close(*, user: User, request: HttpRequest | None = None) -> dict[str, int]:
    """Close ``user``'s account now; returns the rows handled per ``model:action`` (no personal data).

    Closure is a workflow: first every app ends what still runs for the account (``account_closing``:
    subscriptions are cancelled at Mollie, so their seven-year clock starts; services are ended at
    the control panel), each in its own short transaction and outside the erasing one, since Mollie
    and the control panel are called; then everything is erased, detached or kept as the
    declarations say, in one transaction.  Raises ``ClosureBlocked`` when a legal hold covers the
    account or one of its records, or when something cannot be ended now; then nothing is erased.
    """
    if account_is_held(user=user):
        raise ClosureBlocked
    account_closing.send(sender=User, user=user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        emails = declaration_registry.user_emails(user)
        if account_is_held(user=user, emails=emails):
            raise ClosureBlocked
        address = user.email
        subject, body = _confirmation(user)
        counts: dict[str, int] = {"sessions:ended": _end_sessions(user)}
        for declaration in _closure_order(declaration_registry.all_declarations()):
            rows = declaration.for_user(user, emails=emails)
            if declaration.on_closure == Erase.DELETE:
                # A queryset filtered across relations (``order__user``) is deleted by its keys.
                rows = declaration.model._default_manager.filter(pk__in=list(rows.values_list("pk", flat=True)))
            done = erase_rows(declaration, rows, action=declaration.on_closure)
            if done:
                key = f"{declaration.model._meta.label}:{declaration.on_closure.value}"
                counts[key] = counts.get(key, 0) + done
        # The retention app keeps the closure log (counts only); apps that must end something react here too.
        account_closed.send(sender=User, counts=counts)
        if address:
            email_send.delay_on_commit(subject=subject, body=body, to=[address])
    if request is not None and getattr(request, "session", None) is not None:
        # Not auth.logout(): its signal would log a "logged out" activity for a user that no longer exists.
        request.session.flush()
        request.user = AnonymousUser()
    return counts
