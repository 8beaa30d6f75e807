"""Reads of the consent app: the current statement version, pending notices, consent state, the page's facts."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from consent import cookies, statement
from consent.models import ConsentRecord, CookieConsent, StatementNotice, StatementVersion
from privacy import register


def statement_current() -> StatementVersion | None:
    """The newest published version: the one the page shows and new consents refer to."""
    return StatementVersion.objects.published().order_by("-number").first()


def statement_archive() -> list[StatementVersion]:
    return list(StatementVersion.objects.published().order_by("-number"))


def statement_notice_pending(*, user) -> StatementVersion | None:
    """The version ``user`` still has to be told about: published after they joined and not yet read."""
    if not user.is_authenticated or user.is_staff:
        return None
    version = statement_current()
    if version is None or version.published_at <= user.date_joined:
        return None
    read = StatementNotice.objects.filter(user=user, version=version, read_at__isnull=False).exists()
    return None if read else version


@dataclass(frozen=True)
class ConsentState:
    purpose: register.Purpose
    given: bool
    record: ConsentRecord | None

    @property
    def withdrawable(self) -> bool:
        return self.purpose.consent_withdrawable


def consent_states(*, user) -> list[ConsentState]:
    """Every purpose of the register with the person's current choice: the latest record, or "not given".

    A purpose without a record is not consented to (GDPR art. 7(1): consent must be demonstrable); sign-up
    records every choice it offers, so a new customer's state is always backed by a record.
    """
    latest = ConsentRecord.objects.latest_per_purpose(user)
    states = []
    for purpose in register.PURPOSES:
        record = latest.get(purpose.id)
        states.append(ConsentState(purpose=purpose, given=record.given if record else False, record=record))
    return states


def consent_given(*, user, purpose_id: str, scope: str = "") -> bool:
    """Whether ``user`` currently consents to ``purpose_id`` (or one ``scope`` of it); no record: ``False``."""
    record = ConsentRecord.objects.filter(user=user, purpose=purpose_id, scope=scope).order_by("-id").first()
    return False if record is None else record.given


def consenting_users(*, user_ids, purpose_id: str) -> set[int]:
    """Of ``user_ids``, those whose latest whole-purpose record for ``purpose_id`` says "given" (one query)."""
    latest = (
        ConsentRecord.objects.filter(user_id__in=list(user_ids), purpose=purpose_id, scope="")
        .order_by("user_id", "-id")
        .distinct("user_id")
        .values_list("user_id", "given")
    )
    return {user_id for user_id, given in latest if given}


def consent_history(*, user, limit: int = 200) -> list[ConsentRecord]:
    """The person's consent records, newest first (for "My privacy", the admin and the export)."""
    return list(
        ConsentRecord.objects.filter(user=user).select_related("statement_version", "actor").order_by("-id")[:limit]
    )


def cookie_history(*, user, limit: int = 50) -> list[CookieConsent]:
    """The cookie choices made while logged in to this account, newest first."""
    return list(CookieConsent.objects.filter(user=user).order_by("-id")[:limit])


@dataclass(frozen=True)
class RetentionLine:
    rule: register.Rule
    period: str
    event: str


def purpose_retention(purpose: register.Purpose) -> list[RetentionLine]:
    """The periods the retention sweep enforces for ``purpose``, as text, read from the register now."""
    return [
        RetentionLine(rule=rule, period=rule.period_text(), event=str(register.Event(rule.event).label))
        for rule in purpose.rules
    ]


def rights_url() -> str:
    """The rights pages, when the app that builds them is installed."""
    try:
        return reverse("rights:index")
    except NoReverseMatch:
        return ""


def statement_context(*, version: StatementVersion | None) -> dict:
    """Everything the statement page renders: the purposes with their enforced periods, the cookie tools, contact."""
    language = get_language() or "nl"
    english = language.startswith("en")
    return {
        "statement_version": version,
        "statement_date": version.date if version else None,
        "purposes": [
            {
                "purpose": purpose,
                "retention": purpose_retention(purpose),
                "retention_text": purpose.statement_retention_en if english else purpose.statement_retention_nl,
                "prose": statement.prose(purpose.id, language),
            }
            for purpose in register.PURPOSES
        ],
        "supervisor": statement.SUPERVISOR,
        "rights_url": rights_url(),
        "controller": register.CONTROLLER,
        "necessary_cookies": cookies.NECESSARY_COOKIES,
        "statement_cookie_tools": cookies.TOOLS,
        "cookie_choice_period": register.rule("cookie_choice_expired").period_text(),
        "matomo_ip_mask_bytes": cookies.MATOMO_IP_MASK_BYTES,
    }
