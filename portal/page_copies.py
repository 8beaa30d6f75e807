"""Customer pages kept as rendered copies, per customer, address and language, until what they show changes.

A page whose cost would grow with the customer's data (the order list of a customer with 5,000 orders, their
activity log) is rendered once and then served from the cache: one cache read instead of its queries and its
template.  ``page_copy`` wraps such a view.  A copy is used only

- for the customer it was made for (the key holds the customer's id; the entry holds the whole address,
  the language and what else the page varies on, ``vary_on``), for a ``GET`` without messages to show;
- while every generation it was made under (``portal.dashboard.page_generation_keys``) is unchanged: a save
  of any declared row of the customer, a ``touch`` of their dashboard or a model ``watch``-ed by the page
  renews them, at once and again after the transaction commits (``portal/dashboard.py``), so a change shows
  on the next request;
- at most ``PAGE_COPY_SECONDS``, for text that depends on the date.

It never holds what belongs to one request: the session's CSRF token and the CSP nonce are taken out when
the copy is made and the requesting session's are put in when it is served.  The copies of a customer sit in
``portal.dashboard.PAGE_SLOTS`` named slots, which ``touch`` and account closure drop all at once: a closed
account leaves no copy.  When the cache cannot be reached, the page is rendered every time.
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.translation import get_language

from portal import cached_copies, dashboard

CSRF_PLACEHOLDER = dashboard.CSRF_PLACEHOLDER
NONCE_PLACEHOLDER = "csp-nonce-placeholder-7d41e09b"
# A masked CSRF token as Django writes it into a form: 64 letters and digits.
_MASKED_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_variants: list[Callable[[HttpRequest], str]] = []


def vary_on(function: Callable[[HttpRequest], str]) -> Callable[[HttpRequest], str]:
    """Register what else every page shows per request (the cookie banner's state): part of a copy's address."""
    if function not in _variants:
        _variants.append(function)
    return function


def variant(request: HttpRequest) -> str:
    """Everything a copy of this page depends on besides the customer's data."""
    parts = [get_language() or settings.LANGUAGE_CODE, request.get_full_path(), *(f(request) for f in _variants)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _slot(digest: str) -> int:
    return int(digest[:8], 16) % dashboard.PAGE_SLOTS


def _cacheable_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and user is not None
        and user.is_authenticated
        and not user.is_staff
        and not len(get_messages(request))
    )


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def blank(request: HttpRequest, html: str) -> str:
    """``html`` without what belongs to this request: its CSRF tokens and its CSP nonce become placeholders."""
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        html = _MASKED_TOKEN.sub(
            lambda m: CSRF_PLACEHOLDER if _unmask_cipher_token(m.group()) == secret else m.group(), html
        )
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce:
        html = html.replace(nonce, NONCE_PLACEHOLDER)
    return html


def fill(request: HttpRequest, html: str) -> str:
    """A copy made by ``blank`` with this request's CSRF token and CSP nonce."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
    return html


def page_copy(
    view: Callable[..., HttpResponse] | None = None,
    *,
    generations: Callable[[int], list[str]] = dashboard.page_generation_keys,
):
    """Serve ``view``'s page from the customer's copy while it is current; make the copy when it is not.

    ``generations``: the generations the copy is made under, by customer id; a page that shows every kind of
    declared data ("my data") gives ``portal.dashboard.data_generation_keys``.
    """
    if view is None:
        return lambda function: page_copy(function, generations=generations)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return _atomic(view)(request, *args, **kwargs)
        user_id = request.user.pk
        digest = variant(request)
        key = dashboard.page_slot_key(user_id, _slot(digest))
        names = generations(user_id)
        found = cached_copies.get_many([*names, key])
        tokens = tuple(found.get(name) for name in names)
        entry = found.get(key)
        if entry is not None and None not in tokens and entry[0] == tokens and entry[1] == digest:
            return HttpResponse(fill(request, entry[3]), content_type=entry[2])
        # Started before the page is made: a change that renews one meanwhile leaves this copy stale.
        tokens = tuple(token or cached_copies.generation(name) for token, name in zip(tokens, names, strict=True))
        response = _atomic(view)(request, *args, **kwargs)
        if None not in tokens and _cacheable_response(response):
            html = blank(request, response.content.decode(response.charset))
            entry = (tokens, digest, response["Content-Type"], html)
            cached_copies.set(key, entry, settings.PAGE_COPY_SECONDS)
        return response

    # A copy is served outside a transaction (it asks nothing of the database); the page is made in one, as
    # ``ATOMIC_REQUESTS`` would have made it.
    return transaction.non_atomic_requests(wrapped)


def _atomic(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` in a transaction on every database that has ``ATOMIC_REQUESTS`` (Django's handler does the same)."""
    non_atomic = getattr(view, "_non_atomic_requests", set())
    for alias, options in connections.settings.items():
        if options.get("ATOMIC_REQUESTS") and alias not in non_atomic:
            view = transaction.atomic(using=alias)(view)
    return view
