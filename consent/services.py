"""Writes of the consent app: consent given and withdrawn, cookie choices, statement versions, disclosures.

Other apps make a consent take effect by registering a hook for their purpose from their
``AppConfig.ready``::

    from consent.services import register_effect
    register_effect("P7", on_withdraw=newsletter_unsubscribe_for, on_give=newsletter_resubscribe_for)

Hooks are called as ``hook(user=user, request=request)`` inside the transaction that writes the
consent record, so a failing hook rolls the change back and the record never says more than what
happened.
"""

import uuid
from collections.abc import Callable, Iterable

from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from consent import cookies, selectors
from consent.activity import Action
from consent.models import ConsentRecord, CookieConsent, Disclosure, Method, StatementNotice, StatementVersion
from portal.activity import activity_record
from privacy import register

Effect = Callable[..., None]
_effects: dict[str, list[tuple[Effect | None, Effect | None]]] = {}


class ConsentNotWithdrawable(ValueError):
    """The purpose rests on a duty or a contract: a switch would change nothing, so there is none."""


def register_effect(purpose_id: str, on_withdraw: Effect | None = None, on_give: Effect | None = None) -> None:
    """Run ``on_withdraw`` / ``on_give`` (called as ``hook(user=, request=)``) when consent for the purpose changes."""
    register.purpose(purpose_id)
    hooks = _effects.setdefault(purpose_id, [])
    if (on_withdraw, on_give) not in hooks:
        hooks.append((on_withdraw, on_give))


def effects_for(purpose_id: str) -> list[tuple[Effect | None, Effect | None]]:
    return list(_effects.get(purpose_id, []))


def page_of(request: HttpRequest | None) -> str:
    """Where a choice was made: the path only (no query string, which may carry anything), at most 200 characters."""
    if request is None:
        return ""
    return (getattr(request, "path", "") or "")[:200]


@transaction.atomic
def consent_set(
    *,
    user: User,
    purpose_id: str,
    given: bool,
    method: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    run_effects: bool = True,
    scope: str = "",
    ground: str = "",
    text_version: str = "",
    page: str | None = None,
) -> ConsentRecord:
    """Record that ``user`` gave or withdrew consent for ``purpose_id``, run the purpose's effects, log it.

    The record is the proof (GDPR art. 7(1)): the method, the statement version in force, the version of the
    text the person saw (``text_version``: the sign-up form's or the banner's), the page, and the ground the
    register names for the purpose (or ``ground`` when the caller knows better, e.g. a confirmed newsletter
    sign-up of a visitor is consent, not the customer exception).  ``scope`` narrows the record to a part of
    the purpose (an advertising channel); such a record runs no effects.

    An app whose own flow already made the change (the newsletter's unsubscribe link) records it
    here with ``run_effects=False``, so "my consents" shows the truth without running the change twice.
    """
    purpose = register.purpose(purpose_id)
    if not purpose.consent_withdrawable:
        raise ConsentNotWithdrawable(purpose_id)
    if scope and scope not in register.SCOPE_LABELS:
        raise ValueError(f"unknown scope {scope!r}")
    method = Method(method)
    record = ConsentRecord.objects.create(
        user=user,
        purpose=purpose_id,
        scope=scope,
        given=given,
        ground=ground or purpose.ground(scope),
        method=method,
        statement_version=selectors.statement_current(),
        text_version=text_version[:20],
        page=page_of(request) if page is None else page[:200],
        actor=actor,
    )
    for on_withdraw, on_give in effects_for(purpose_id) if run_effects and not scope else ():
        hook = on_give if given else on_withdraw
        if hook is not None:
            hook(user=user, request=request)
    if not scope:
        activity_record(
            user=user,
            action=Action.CONSENT_GIVEN if given else Action.CONSENT_WITHDRAWN,
            request=request,
            actor=actor,
            detail={
                "purpose": purpose_id,
                "method": str(method),
                "summary": f"{purpose_id} {purpose.name_nl} / {purpose.name_en}",
            },
        )
    return record


def consent_give(
    *, user: User, purpose_id: str, method: str, request: HttpRequest | None = None, actor: User | None = None
) -> ConsentRecord:
    return consent_set(user=user, purpose_id=purpose_id, given=True, method=method, request=request, actor=actor)


def consent_withdraw(
    *, user: User, purpose_id: str, method: str, request: HttpRequest | None = None, actor: User | None = None
) -> ConsentRecord:
    return consent_set(user=user, purpose_id=purpose_id, given=False, method=method, request=request, actor=actor)


BANNER_METHODS = {
    "accept_all": Method.BANNER_ACCEPT,
    "refuse_all": Method.BANNER_REJECT,
    "save": Method.BANNER_SAVE,
    "gpc": Method.GPC,
}


@transaction.atomic
def cookie_choice_record(
    *,
    visitor: uuid.UUID | None,
    tools: Iterable[str],
    method: str = Method.BANNER_SAVE,
    user: User | None = None,
    page: str = "",
) -> CookieConsent:
    """Store a banner choice as proof: who (the anonymous id, and the account when logged in), the tools
    allowed and refused, how (accept, refuse, own choice, Global Privacy Control), where, and the statement
    and banner versions shown.  No IP address: the random id in the visitor's own cookie is the link.
    """
    allowed = sorted({tool for tool in tools if tool in cookies.BY_KEY})
    refused = sorted(tool.key for tool in cookies.configured_tools() if tool.key not in allowed)
    version = selectors.statement_current()
    return CookieConsent.objects.create(
        visitor=visitor or CookieConsent.new_visitor(),
        user=user if user is not None and user.is_authenticated else None,
        tools=allowed,
        refused=refused,
        method=Method(method),
        page=page[:200],
        statement_version=version.number if version else None,
        banner_version=cookies.BANNER_VERSION,
    )


def statement_render(*, version: StatementVersion, language: str) -> str:
    """The statement's body as the page shows it now, in ``language`` (kept with a version when it is published)."""
    with translation.override(language):
        return render_to_string(
            "consent/_statement_body.html", {**selectors.statement_context(version=version), "LANGUAGE_CODE": language}
        )


@transaction.atomic
def statement_publish(
    *, version: StatementVersion, staff: User, request: HttpRequest | None = None
) -> StatementVersion:
    """Publish a version: keep its text in both languages, then announce it to every customer after commit (C37)."""
    from consent.tasks import statement_announce

    version = StatementVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        return version
    # Versions published before publishing kept their text get it now: the page as it stood until this moment.
    for earlier in StatementVersion.objects.published().filter(content_nl=""):
        earlier.content_nl = statement_render(version=earlier, language="nl")
        earlier.content_en = statement_render(version=earlier, language="en")
        earlier.save(update_fields=["content_nl", "content_en"])
    version.published_at = timezone.now()
    version.content_nl = statement_render(version=version, language="nl")
    version.content_en = statement_render(version=version, language="en")
    version.save(update_fields=["published_at", "content_nl", "content_en"])
    activity_record(
        user=staff,
        action=Action.STATEMENT_PUBLISHED,
        request=request,
        detail={"version": version.number, "summary": f"v{version.number}"},
    )
    statement_announce.delay_on_commit(version.pk)
    return version


@transaction.atomic
def statement_mark_read(*, user: User, version: StatementVersion, request: HttpRequest | None = None) -> bool:
    """Record that ``user`` has read ``version``; ``True`` the first time."""
    notice, _created = StatementNotice.objects.select_for_update().get_or_create(user=user, version=version)
    if notice.read_at is not None:
        return False
    notice.read_at = timezone.now()
    notice.save(update_fields=["read_at"])
    activity_record(
        user=user,
        action=Action.STATEMENT_READ,
        request=request,
        detail={"version": version.number, "summary": f"v{version.number}"},
    )
    return True


@transaction.atomic
def disclosure_record(
    *,
    recorded_by: User,
    authority: str,
    legal_ground: str,
    data_disclosed: str,
    subject_description: str,
    disclosed_at,
    reference: str,
    subject: User | None = None,
    request: HttpRequest | None = None,
) -> Disclosure:
    """Record a disclosure to an authority (C28).

    The activity-log row goes to the privacy officer's own log, never to the subject's: an
    investigation may not allow telling the person yet.
    """
    disclosure = Disclosure.objects.create(
        authority=authority,
        legal_ground=legal_ground,
        data_disclosed=data_disclosed,
        subject_description=subject_description,
        subject=subject,
        disclosed_at=disclosed_at,
        reference=reference,
        recorded_by=recorded_by,
    )
    activity_record(
        user=recorded_by,
        action=Action.DISCLOSURE_RECORDED,
        request=request,
        detail={"disclosure": disclosure.pk, "summary": reference},
    )
    return disclosure
