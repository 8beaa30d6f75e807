"""Customer addresses in the page's language: Dutch words on Dutch pages, English words under /en/.

The apps write their routes in one language; ``translated`` gives each literal segment its word in
the other language from ``SEGMENTS`` (a lazy route, as ``gettext_lazy`` in ``path()`` would: Django's
resolver compiles it per language, so ``reverse`` and ``translate_url`` give the address in the active
language).  ``OtherLanguageAddressMiddleware`` redirects an address in the other language
(``/orders/shop/``, ``/en/profiel/``) to the page's address, so old links and bookmarks keep working.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, include, path, resolve
from django.urls.resolvers import RoutePattern
from django.utils.functional import lazy
from django.utils.module_loading import import_string
from django.utils.translation import get_language

# (Dutch, English) for every literal segment of a customer-facing route; a segment found in neither
# column stays as it is in both languages (``credits``, ``contact``, ``dns``, ``php``, ``https``).
SEGMENTS = (
    ("profiel", "profile"),
    ("foto", "photo"),
    ("verwijderen", "remove"),
    ("wissen", "clear"),
    ("activiteit", "activity"),
    ("account-opheffen", "close-account"),
    ("account-opgeheven", "account-closed"),
    ("mijn-gegevens", "my-data"),
    ("gegevens", "data"),
    ("rechten", "rights"),
    ("verzoek", "request"),
    ("verstuurd", "sent"),
    ("bevestigen", "confirm"),
    ("versies", "versions"),
    ("gelezen", "read"),
    ("toestemmingen", "consents"),
    ("diensten", "services"),
    ("wijzigingen", "changes"),
    ("aliassen", "aliases"),
    ("doorsturen", "forwarders"),
    ("backups", "backups"),
    ("herstellen", "restore"),
    ("abonnementen", "subscriptions"),
    ("nieuw", "new"),
    ("opzeggen", "cancel"),
    ("bestellingen", "orders"),
    ("winkel", "shop"),
    ("winkelwagen", "cart"),
    ("toevoegen", "add"),
    ("afrekenen", "checkout"),
    ("uitbreidingen", "add-ons"),
    ("kopen", "buy"),
    ("betalen", "pay"),
    ("factuur", "invoice"),
    ("downloaden", "download"),
    ("facturen", "invoices"),
    ("creditnotas", "credit-notes"),
    ("bestelling", "order"),
    ("nieuwsbrief", "newsletter"),
    ("afmelden", "unsubscribe"),
    ("reclame", "advertising"),
    ("bezwaar", "objection"),
    ("voorkeuren", "preferences"),
    ("verzonden", "sent"),
    ("mijn-vragen", "my-questions"),
    ("tevreden", "satisfied"),
    ("nog-niet", "not-yet"),
    ("profilering", "profiling"),
)
_TO_EN = dict(SEGMENTS)
_TO_NL = {english: dutch for dutch, english in SEGMENTS}
# Words that mean something else in the other language's column ("sent" is both verstuurd and verzonden).
_TO_NL["sent"] = "verzonden"


def _word(segment: str, language: str) -> str:
    if segment.startswith("<"):
        return segment
    table = _TO_EN if language == "en" else _TO_NL
    return table.get(segment, segment)


def route_in(route: str, language: str) -> str:
    """``route`` with each literal segment in ``language`` ("nl" or "en")."""
    return "/".join(_word(segment, language) for segment in route.split("/"))


def _route_for_active_language(dutch: str, english: str) -> str:
    return english if (get_language() or settings.LANGUAGE_CODE).startswith("en") else dutch


_lazy_route = lazy(_route_for_active_language, str)


def _both(route: str):
    dutch, english = route_in(route, "nl"), route_in(route, "en")
    return route if dutch == english else _lazy_route(dutch, english)


def _translate_patterns(patterns: list) -> list:
    translated = []
    for entry in patterns:
        if isinstance(entry, URLPattern) and isinstance(entry.pattern, RoutePattern):
            route = str(entry.pattern._route)
            entry = URLPattern(
                RoutePattern(_both(route), name=entry.pattern.name, is_endpoint=True),
                entry.callback,
                entry.default_args,
                entry.name,
            )
        elif isinstance(entry, URLResolver) and isinstance(entry.pattern, RoutePattern):
            entry = URLResolver(
                RoutePattern(_both(str(entry.pattern._route)), name=entry.pattern.name),
                _translate_patterns(entry.url_patterns),
                entry.default_kwargs,
                entry.app_name,
                entry.namespace,
            )
        translated.append(entry)
    return translated


def translated(prefix: str, module: str):
    """``path(prefix, include(module))`` with every route (and the prefix) in the active language."""
    urlconf = import_string(f"{module}.urlpatterns")
    app_name = import_string(f"{module}.app_name")
    return path(_both(prefix), include((_translate_patterns(urlconf), app_name)))


def other_language_address(request: HttpRequest) -> str | None:
    """The page's address for an address in the other language (or ``None``: there is no such page)."""
    english = (get_language() or settings.LANGUAGE_CODE).startswith("en")
    prefix = "/en/" if english else "/"
    if not request.path.startswith(prefix):
        return None
    rest = request.path[len(prefix) :]
    if not rest or rest.startswith(("admin/", "account/", "static/", "media/")):
        return None
    candidate = route_in(rest, "en" if english else "nl")
    if candidate == rest:
        return None
    for attempt in (candidate, candidate + "/") if not candidate.endswith("/") else (candidate,):
        try:
            resolve(prefix + attempt)
        except Http404:
            continue
        candidate = attempt
        break
    else:
        return None
    query = request.META.get("QUERY_STRING", "")
    return prefix + candidate + (f"?{query}" if query else "")


class OtherLanguageAddressMiddleware:
    """A 404 for an address in the other language becomes a redirect to the page's address.

    GET and HEAD get a permanent redirect; a form posted to an old address a 308, which keeps the
    method and the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        location = other_language_address(request)
        if location is None:
            return response
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(location)
        redirect = HttpResponse(status=308)
        redirect["Location"] = location
        return redirect
