"""The cookies and tracking tools of the site (C29–C35), written once: the banner, the tags and the page read this.

Necessary cookies are always set.  Matomo (self-hosted, IP masked by two bytes) needs no consent
(C33) but the visitor is told and may switch it off.  SalesFeed and Google Analytics are only
loaded after an explicit opt-in: the statement takes consent from mere use of the site (C34),
which current Dutch and EU law does not allow.  A tool without its settings is not rendered at all.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The first-party cookie that holds the visitor's anonymous id and choice (signed).
CHOICE_COOKIE = "netrex_cookies"
# The choice is asked again when its proof is deleted: 13 months (the register's rule "cookie_choice_expired").
CHOICE_MAX_AGE = 396 * 24 * 3600
# Raised whenever the banner's choices or texts change materially: older choices are asked again.
BANNER_VERSION = "2026-2"

MATOMO = "matomo"
SALESFEED = "salesfeed"
GOOGLE_ANALYTICS = "google_analytics"

MATOMO_VISITOR_COOKIE_SECONDS = 14 * 24 * 3600  # _pk_id: 14 days after the last visit (C32)
MATOMO_REFERRAL_COOKIE_SECONDS = 30 * 60  # _pk_ref: 30 minutes (C32)
MATOMO_IP_MASK_BYTES = 2  # set the same in Matomo: Administration > Privacy > Anonymise visitors' IP (C33)
SALESFEED_SESSION_SECONDS = 30 * 60  # one first-party session cookie, 30 minutes of inactivity (C31)
# SalesFeed's one first-party session cookie, by the name its script sets (settings.SALESFEED_COOKIE_NAME).
SALESFEED_COOKIE = getattr(settings, "SALESFEED_COOKIE_NAME", "") or "sf_session"


@dataclass(frozen=True)
class Cookie:
    """A cookie by its real name; a trailing ``*`` stands for the suffix a tool adds (site id, domain hash)."""

    name: str
    lifetime: object
    purpose: object

    def matches(self, name: str) -> bool:
        return name.startswith(self.name[:-1]) if self.name.endswith("*") else name == self.name


@dataclass(frozen=True)
class Tool:
    key: str
    name: str
    description: object
    cookies: tuple[Cookie, ...]
    needs_consent: bool
    default_on: bool
    settings_names: tuple[str, ...]
    hosts_note: object = ""

    def configured(self) -> bool:
        return all(getattr(settings, name, "") for name in self.settings_names)


NECESSARY_COOKIES = (
    Cookie("sessionid", _("until you log out or close the browser, at most two weeks"), _("keeps you logged in")),
    Cookie("csrftoken", _("one year"), _("protects forms against forgery")),
    Cookie("django_language", _("until you close the browser"), _("remembers the language you chose")),
    Cookie(CHOICE_COOKIE, _("one year"), _("remembers your cookie choice under a random number")),
)

TOOLS: tuple[Tool, ...] = (
    Tool(
        key=MATOMO,
        name="Matomo",
        description=_(
            "Usage statistics on our own Matomo server. Your IP address is shortened by two bytes before it is "
            "stored, so it no longer points at you. Because the impact on your privacy is small, no consent is "
            "needed; you can still switch it off."
        ),
        cookies=(
            Cookie("_pk_id.*", _("14 days after your last visit"), _("a random number that tells visitors apart")),
            Cookie("_pk_ses.*", _("30 minutes"), _("groups the pages of one visit")),
            Cookie("_pk_ref.*", _("30 minutes"), _("the site you came from")),
        ),
        needs_consent=False,
        default_on=True,
        settings_names=("MATOMO_URL", "MATOMO_SITE_ID"),
    ),
    Tool(
        key=SALESFEED,
        name="SalesFeed",
        description=_(
            "Recognises which organisations visit our website by their IP address. One first-party session "
            "cookie, no third-party cookies. Only with your consent."
        ),
        cookies=(Cookie(SALESFEED_COOKIE, _("30 minutes of inactivity"), _("groups the pages of one visit")),),
        needs_consent=True,
        default_on=False,
        settings_names=("SALESFEED_ID", "SALESFEED_SCRIPT_URL"),
    ),
    Tool(
        key=GOOGLE_ANALYTICS,
        name="Google Analytics",
        description=_(
            "Website statistics by Google. Data including your IP address goes to Google in the United States. "
            "Only with your explicit consent."
        ),
        cookies=(
            Cookie("_ga", _("2 years"), _("a random number that tells visitors apart")),
            Cookie("_ga_*", _("2 years"), _("keeps the state of the visit")),
            Cookie("_gid", _("24 hours"), _("tells visitors apart for one day")),
        ),
        needs_consent=True,
        default_on=False,
        settings_names=("GOOGLE_ANALYTICS_ID",),
    ),
)
BY_KEY = {tool.key: tool for tool in TOOLS}


def configured_tools() -> list[Tool]:
    return [tool for tool in TOOLS if tool.configured()]


def default_tools() -> list[str]:
    """What runs before a choice is made: only tools that need no consent."""
    return [tool.key for tool in TOOLS if tool.default_on and not tool.needs_consent]


def cookie_prefixes(tool_key: str) -> list[str]:
    """Cookie names (a trailing ``*`` is a prefix) to remove when a tool is switched off."""
    return [cookie.name for cookie in BY_KEY[tool_key].cookies]


def tool_cookies(tool_key: str, names) -> list[str]:
    """Of the cookie ``names`` a browser sent, those that belong to the tool (by its real name patterns)."""
    return [name for name in names if any(cookie.matches(name) for cookie in BY_KEY[tool_key].cookies)]


def cookie_domains(host: str) -> list[str | None]:
    """The domains a tool's cookie may have been set on from ``host``: host-only (``None``), the host and each
    parent domain (``.netrex.nl``: Google Analytics sets its cookies on the registrable domain).  Never a bare
    top-level domain, and nothing for an IP address."""
    host = host.split(":")[0].strip(".").lower()
    domains: list[str | None] = [None]
    if not host or host.replace(".", "").isdigit() or "." not in host:
        return domains
    parts = host.split(".")
    domains += ["." + ".".join(parts[i:]) for i in range(len(parts) - 1)]
    return domains
