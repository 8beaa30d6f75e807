"""The portal's main menu (six grouped entries) and footer links.

Apps register their own links from ``AppConfig.ready`` so the base template never has to change
when an app is added.  ``url_name`` is reversed at render time; ``public`` links are shown to
anonymous visitors too.  The main menu shows at most six entries, the ``GROUPS``: each registered
link belongs to the group of its URL namespace (``orders:…`` and ``billing:…`` to "Orders &
invoices"), and the links of the group the visitor is in are shown as the section's sub-menu.  The
entry and the link of the current page carry ``aria-current``.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Link:
    label: object
    url_name: str
    order: int = 100
    public: bool = False
    element_id: str = ""
    staff_only: bool = False
    group: str = ""  # a key of GROUPS; by default the group of the url's namespace


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    landing: str  # the url name the menu entry opens
    namespaces: tuple[str, ...]  # the pages that belong to it (url namespaces or url-name prefixes)
    public: bool = False


GROUPS = (
    Group("overview", pgettext_lazy("menu", "Overview"), "accounts:dashboard", ("accounts:dashboard",)),
    Group(
        "orders",
        pgettext_lazy("menu", "Orders & invoices"),
        "orders:list",
        ("orders", "billing", "credits", "payments"),
    ),
    Group("services", pgettext_lazy("menu", "Services"), "services:list", ("services", "subscriptions")),
    Group(
        "account",
        pgettext_lazy("menu", "Account"),
        "accounts:profile",
        ("accounts", "account_", "mfa_", "usersessions_"),
    ),
    Group(
        "privacy", pgettext_lazy("menu", "My privacy"), "consent:consents", ("consent", "rights", "stats", "newsletter")
    ),
    Group("contact", pgettext_lazy("menu", "Contact"), "contact:form", ("contact",), public=True),
)

_main: list[Link] = []
_footer: list[Link] = []
_resolved: dict[tuple, list[dict]] = {}

# The kernel's own links: the account's pages and the privacy pages every customer has.
_CORE = (
    Link(pgettext_lazy("menu", "Dashboard"), "accounts:dashboard", order=1),
    Link(pgettext_lazy("menu", "Profile"), "accounts:profile", order=1),
    Link(pgettext_lazy("menu", "Security"), "account_email", order=5),
    Link(pgettext_lazy("menu", "Two-step login"), "mfa_index", order=6),
    Link(pgettext_lazy("menu", "Activity"), "accounts:activity", order=8),
    Link(pgettext_lazy("menu", "Admin"), "admin:index", order=99, staff_only=True, group="account"),
    Link(pgettext_lazy("menu", "My data"), "rights:my_data", order=91),
    Link(pgettext_lazy("menu", "My rights"), "rights:rights", order=92),
)


def register_main(link: Link) -> None:
    if link not in _main:
        _main.append(link)


def register_footer(link: Link) -> None:
    if link not in _footer:
        _footer.append(link)


def group_of(view_name: str) -> Group | None:
    """The group a page belongs to, by its view name (``orders:list``, ``account_email``)."""
    if not view_name:
        return None
    for group in GROUPS:
        if view_name in group.namespaces:
            return group
    namespace = view_name.split(":", 1)[0] if ":" in view_name else ""
    for group in GROUPS:
        for name in group.namespaces:
            if ":" in name:
                continue
            prefix = not namespace and name.endswith("_") and view_name.startswith(name)
            if prefix or (namespace and namespace == name):
                return group
    return None


def _resolve(links: list[Link] | tuple[Link, ...], authenticated: bool, staff: bool) -> list[dict]:
    """The links to show, with their URLs, in the active language (memoised: URLs do not change at run time)."""
    key = (id(links), len(links), authenticated, staff, translation.get_language(), get_script_prefix())
    resolved = _resolved.get(key)
    if resolved is None:
        resolved = []
        seen = set()
        for link in sorted(links, key=lambda link: link.order):
            if not (authenticated or link.public) or (link.staff_only and not staff) or link.url_name in seen:
                continue
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            seen.add(link.url_name)
            group_key = link.group or getattr(group_of(link.url_name), "key", "")
            resolved.append(
                {
                    "label": str(link.label),
                    "url": url,
                    "id": link.element_id,
                    "url_name": link.url_name,
                    "group": group_key,
                }
            )
        _resolved[key] = resolved
    return resolved


def _groups(authenticated: bool, staff: bool) -> list[dict]:
    links = _resolve((*_CORE, *_main), authenticated, staff)
    groups = []
    for group in GROUPS:
        if not (authenticated or group.public):
            continue
        members = [link for link in links if link["group"] == group.key]
        try:
            url = reverse(group.landing)
        except NoReverseMatch:
            if not members:
                continue
            url = members[0]["url"]
        landing = next((link for link in members if link["url_name"] == group.landing), None)
        groups.append(
            {
                "key": group.key,
                "label": str(group.label),
                "url": url,
                "id": landing["id"] if landing else "",
                "links": [{**link, "id": "" if link is landing else link["id"]} for link in members],
            }
        )
    return groups


def context(request) -> dict:
    """Template context processor: ``nav_groups`` (the main menu), ``nav_section`` and ``nav_footer``."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    staff = bool(authenticated and user.is_staff)
    match = getattr(request, "resolver_match", None)
    current = group_of(match.view_name if match else "")
    path = getattr(request, "path", "")
    groups = []
    for group in _groups(authenticated, staff):
        is_current = bool(current and current.key == group["key"])
        links = [{**link, "current": link["url"] == path} for link in group["links"]]
        groups.append({**group, "current": is_current, "page": group["url"] == path, "links": links})
    section = next((group for group in groups if group["current"]), None)
    return {
        "nav_groups": groups,
        "nav_section": section if section and len(section["links"]) > 1 else None,
        "nav_footer": _resolve(_footer, authenticated, staff),
        # Kept for templates that list the apps' links themselves.
        "nav_main": _resolve(_main, authenticated, staff),
    }
