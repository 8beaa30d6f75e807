"""Template context for every page: the cookie banner, the tracking tags allowed, and the statement-change notice."""

import uuid

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from consent import cookies
from consent.models import StatementNotice, StatementVersion
from portal import cached_copies
from privacy import register

SALT = "consent.cookies"


def cookie_choice(request: HttpRequest) -> dict | None:
    """The visitor's stored banner choice ``{"id": uuid, "tools": [...], "v": banner version, "m": how}``, or ``None``.

    The cookie holds ``<id>~<tool>.<tool>~<banner version>~<how>``, signed: only characters a cookie may
    carry unquoted, and a forged or edited value is ignored.  ``how`` is the banner action
    (``accept_all``, ``refuse_all``, ``save``) or ``gpc`` when the browser's Global Privacy Control chose.
    """
    raw = request.get_signed_cookie(cookies.CHOICE_COOKIE, default=None, salt=SALT)
    if not raw:
        return None
    try:
        visitor, tools, version, *rest = raw.split("~")
        return {
            "id": str(uuid.UUID(visitor)),
            "tools": [tool for tool in tools.split(".") if tool in cookies.BY_KEY],
            "v": version,
            "m": rest[0] if rest else "",
        }
    except ValueError:
        return None


def cookie_choice_value(*, visitor: uuid.UUID, tools: list[str], method: str = "") -> str:
    return f"{visitor}~{'.'.join(sorted(tools))}~{cookies.BANNER_VERSION}~{method}"


def gpc_signal(request: HttpRequest) -> bool:
    """Whether the browser sends Global Privacy Control (``Sec-GPC: 1``)."""
    return request.headers.get("Sec-GPC", "").strip() == "1"


def tracking(choice: dict | None) -> dict:
    """The tools whose tags go into the page: configured, and allowed by the choice (or needing no consent).

    Without a choice, and with a Global Privacy Control choice, only tools that need no consent run; an
    explicit choice in the banner (also one made after the signal) is what it says.
    """
    allowed = set(choice["tools"]) if choice else set(cookies.default_tools())
    tags = {tool.key: tool.key in allowed for tool in cookies.configured_tools()}
    refused = [tool.key for tool in cookies.TOOLS if tool.key not in allowed]
    return {
        "refused_cookies": " ".join(name for key in refused for name in cookies.cookie_prefixes(key)),
        "matomo": tags.get(cookies.MATOMO, False),
        "salesfeed": tags.get(cookies.SALESFEED, False),
        "google_analytics": tags.get(cookies.GOOGLE_ANALYTICS, False),
        "matomo_url": (getattr(settings, "MATOMO_URL", "") or "").rstrip("/") + "/",
        "matomo_site_id": getattr(settings, "MATOMO_SITE_ID", ""),
        "matomo_visitor_seconds": cookies.MATOMO_VISITOR_COOKIE_SECONDS,
        "matomo_referral_seconds": cookies.MATOMO_REFERRAL_COOKIE_SECONDS,
        "salesfeed_id": getattr(settings, "SALESFEED_ID", ""),
        "salesfeed_script_url": getattr(settings, "SALESFEED_SCRIPT_URL", ""),
        "google_analytics_id": getattr(settings, "GOOGLE_ANALYTICS_ID", ""),
    }


NOTICE_GENERATION_KEY = "consent:statement-generation"
NOTICE_CACHE_SECONDS = 60  # a version published for a later moment shows up within a minute


def _notice_key(user_id) -> str:
    return f"consent:notice:{user_id}"


def _pending_notice(user) -> StatementVersion | None:
    """The current version, if this customer joined before it and has not read it (cached per customer).

    One query when not cached.  The cache entry is renewed when a version is saved (every customer)
    or the customer reads the notice (``statement_changed`` and ``notice_changed`` below).
    """
    if not user.is_authenticated or user.is_staff:
        return None

    def make() -> StatementVersion | None:
        read = StatementNotice.objects.filter(version=OuterRef("pk"), user=user, read_at__isnull=False)
        version = StatementVersion.objects.published().annotate(read=Exists(read)).order_by("-number").first()
        if version is None or version.read or version.published_at <= user.date_joined:
            return None
        return version

    return cached_copies.get_or_make(_notice_key(user.pk), [NOTICE_GENERATION_KEY], make, NOTICE_CACHE_SECONDS)


def statement_changed(**kwargs) -> None:
    """A version was saved or deleted: every customer's notice is looked up again."""
    cached_copies.renew_now_and_on_commit(NOTICE_GENERATION_KEY)


def notice_changed(instance: StatementNotice, **kwargs) -> None:
    """The customer read (or was sent) a notice: theirs is looked up again."""
    cached_copies.delete_now_and_on_commit(_notice_key(instance.user_id))


def consent(request: HttpRequest) -> dict:
    choice = cookie_choice(request)
    user = getattr(request, "user", None)
    asked = choice is not None and choice.get("v") == cookies.BANNER_VERSION
    return {
        "cookie_choice": choice if asked else None,
        "cookie_banner_open": not asked,
        "cookie_gpc": gpc_signal(request) or bool(choice and choice.get("m") == "gpc"),
        "cookie_gpc_pending": gpc_signal(request) and not asked,
        "cookie_tools": [tool for tool in cookies.TOOLS if tool.configured()],
        "cookie_choice_period": SimpleLazyObject(lambda: register.rule("cookie_choice_expired").period_text()),
        "tracking": tracking(choice if asked else None),
        "statement_notice": SimpleLazyObject(lambda: _pending_notice(user)) if user is not None else None,
    }
