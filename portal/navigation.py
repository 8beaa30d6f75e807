"""Links in the portal's main menu and footer.

Apps register their own links from ``AppConfig.ready`` so the base template never has to change
when an app is added.  ``url_name`` is reversed at render time; ``staff_only`` links are hidden
from customers and ``public`` links are shown to anonymous visitors too.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation


@dataclass(frozen=True)
class Link:
    label: object
    url_name: str
    order: int = 100
    public: bool = False
    element_id: str = ""


_main: list[Link] = []
_footer: list[Link] = []
_resolved: dict[tuple, list[dict]] = {}


def register_main(link: Link) -> None:
    if link not in _main:
        _main.append(link)


def register_footer(link: Link) -> None:
    if link not in _footer:
        _footer.append(link)


def _resolve(links: list[Link], authenticated: bool) -> list[dict]:
    """The links to show, with their URLs, in the active language (memoised: URLs do not change at run time)."""
    key = (id(links), len(links), authenticated, translation.get_language(), get_script_prefix())
    resolved = _resolved.get(key)
    if resolved is None:
        resolved = []
        for link in sorted(links, key=lambda link: link.order):
            if not (authenticated or link.public):
                continue
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            resolved.append({"label": str(link.label), "url": url, "id": link.element_id})
        _resolved[key] = resolved
    return resolved


def context(request) -> dict:
    """Template context processor: ``nav_main`` and ``nav_footer``."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {"nav_main": _resolve(_main, authenticated), "nav_footer": _resolve(_footer, authenticated)}
