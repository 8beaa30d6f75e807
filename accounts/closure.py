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

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, DateTimeField, IntegerField, Max, Q, Value
from django.db.models.functions import Cast
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


# Sent inside the closing transaction, before anything is erased, with ``user``: apps finish what must be
# finished with the account still there (an open privacy request is closed, so its evidence gets a clock);
# their rows roll back with the closure.
account_erasing = Signal()


# Sent before anything is erased, outside any transaction, with ``user``: each app ends what still runs
# for the account (a subscription at Mollie, a service at the control panel) and raises
# ``ClosureBlocked`` with a message for the customer when it cannot, so closure is never half done.
account_closing = Signal()


class ClosureBlocked(Exception):
    """The account cannot be closed now: a legal hold covers it, or something of it cannot be ended yet."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


# What each app will end before anything is erased (a subscription at Mollie, a service at the control
# panel), for the confirmation page: functions ``(user) -> list[str]`` registered by the app that ends it.
_endings: list[Callable[[User], list[str]]] = []


def register_ending(describe: Callable[[User], list[str]]) -> None:
    """An app that ends something on ``account_closing`` says here what, in the reader's language."""
    if describe not in _endings:
        _endings.append(describe)


@dataclass
class PlanItem:
    """One kind of the customer's data on the closure page and in the confirmation e-mail."""

    purpose: processing_register.Purpose
    label: str
    count: int
    until: datetime.datetime | None = None  # the last end date among rows whose clock runs: the sweep's date
    waiting: int = 0  # rows whose clock has not started yet
    waiting_text: str = ""  # when those go: "7 years after the order is completed"
    reasons: list[str] = field(default_factory=list)


@dataclass
class ClosurePlan:
    """What closing the account will end, erase and keep (with each kept item's end date)."""

    ended: list[str]
    erased: list[PlanItem]
    kept: list[PlanItem]
    fiscal_purposes: list[processing_register.Purpose]


def closure_plan(*, user: User) -> ClosurePlan:
    """Read from the declarations: one query for every listed declaration's count and latest clock."""
    emails = declaration_registry.user_emails(user)
    declarations = declaration_registry.listed()
    totals = _totals(declarations, user, emails)
    erased: dict[tuple[str, str], PlanItem] = {}
    kept: dict[tuple[str, str], PlanItem] = {}
    for index, declaration in enumerate(declarations):
        count, last_clock, waiting = totals.get(index, (0, None, 0))
        if not count:
            continue
        purpose = processing_register.purpose(declaration.purpose)
        label = _label(declaration)
        if declaration.on_closure in (Erase.DELETE, Erase.ANONYMISE):
            item = erased.setdefault((declaration.purpose, label), PlanItem(purpose=purpose, label=label, count=0))
            item.count = max(item.count, count)
            continue
        item = kept.setdefault((declaration.purpose, label), PlanItem(purpose=purpose, label=label, count=0))
        item.count += count
        rule, _clock = declaration_registry.lifetime(declaration)
        reason = _kept_reason(purpose)
        if reason not in item.reasons:
            item.reasons.append(reason)
        if rule is None:
            continue
        until = rule.expires(last_clock)
        if until is not None and (item.until is None or until > item.until):
            item.until = until
        if waiting:
            item.waiting += waiting
            item.waiting_text = rule.when_text()
    ended = [text for describe in _endings for text in describe(user)]
    fiscal = [p for p in processing_register.PURPOSES if p.fiscal_duty]
    return ClosurePlan(ended=ended, erased=list(erased.values()), kept=list(kept.values()), fiscal_purposes=fiscal)


def _kept_reason(purpose: processing_register.Purpose) -> str:
    if purpose.fiscal_duty:
        return gettext("tax law (fiscal retention duty, AWR art. 52)")
    return gettext("evidence of how we dealt with your privacy requests")


def _totals(declarations: list[Declaration], user: User, emails: list[str]) -> dict[int, tuple]:
    """``index -> (rows, latest clock, rows whose clock has not started)`` for the customer, in one query."""
    parts = []
    for index, declaration in enumerate(declarations):
        rule, clock = declaration_registry.lifetime(declaration)
        rows = declaration.for_user(user, emails=emails).order_by()
        if clock:
            latest = Max(clock)
            waiting = Count("pk", filter=Q(**{f"{clock}__isnull": True}))
        else:
            latest = Cast(Value(None), output_field=DateTimeField())  # typed, so UNION agrees
            waiting = Value(0, output_field=IntegerField())
        parts.append(
            rows.annotate(index=Value(index, output_field=IntegerField()))
            .values("index")
            .annotate(n=Count("pk"), latest=latest, waiting=waiting)
            .values_list("index", "n", "latest", "waiting")
        )
    if not parts:
        return {}
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {index: (n, latest, waiting) for index, n, latest, waiting in combined}


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


def _confirmation(user: User, ended: list[str]) -> tuple[str, str]:
    """The e-mail, from the plan as it stands once everything is ended (the clocks closure starts included)."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        plan = closure_plan(user=user)
        plan.ended = ended
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
    with translation.override(user.language or settings.LANGUAGE_CODE):
        ended = [text for describe in _endings for text in describe(user)]
    account_closing.send(sender=User, user=user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        emails = declaration_registry.user_emails(user)
        if account_is_held(user=user, emails=emails):
            raise ClosureBlocked
        address = user.email
        subject, body = _confirmation(user, ended)
        account_erasing.send(sender=User, user=user)
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
