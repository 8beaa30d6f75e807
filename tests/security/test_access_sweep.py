"""The access-control sweep, generated from the URL configuration (C36).

Every customer-facing URL pattern of ``netrex.urls`` is filled with the ids, uuids and tokens of
customer A's objects (found through the privacy declarations, the way "my data" finds them) and
requested by customer B and by an anonymous visitor: GET, and POST with empty data where GET is not
allowed.  B must get 403, 404 or 405 and the anonymous visitor a redirect to the login page; never a
500, never a page with A's data, and A's data must be unchanged afterwards.  A new pattern is swept
as soon as it exists; the only exceptions are listed in ``PUBLIC`` and ``NOT_AN_OBJECT`` with reasons.
"""

import hashlib
import itertools
import json
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.db import models
from django.urls import reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter, UUIDConverter

from tests.security.conftest import customer_patterns, markers, rows_of

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db]

# Pages anyone may open without logging in, with the reason.
PUBLIC = {
    "consent:statement": "the privacy statement is public",
    "consent:statement_version": "every published version of the privacy statement is public",
    "consent:cookies": "cookie choices are made before logging in",
    "rights:rights": "explains the privacy rights to everyone",
    "rights:request_new": "people without an account can file a privacy request",
    "rights:request_sent": "the confirmation page of that form",
    "rights:request_confirm": "a signed confirmation link sent by email (the token is the authorisation)",
    "newsletter:subscribe": "visitors subscribe with double opt-in",
    "newsletter:confirm": "a signed confirmation link sent by email",
    "newsletter:unsubscribe": "a signed unsubscribe link in every newsletter",
    "newsletter:advertising_object": "a signed objection link in every advertising mail",
    "contact:form": "the public contact form",
    "contact:thanks": "the confirmation page of that form",
    "contact:satisfied": "a signed link in the answer mail",
    "contact:not_yet": "a signed link in the answer mail",
    "accounts:account_closed": "shown after the account is gone",
    "orders:catalogue": "visitors may shop; the cart waits for them until they log in",
    "orders:cart": "a visitor's own cart (found by a key in their session)",
    "orders:cart_add": "a visitor fills their own cart before logging in",
}
# Patterns whose arguments are not a customer's object, with the reason; B may open them.
NOT_AN_OBJECT = {
    "consent:statement_version": "a version number of the public statement",
    "subscriptions:subscribe": "a plan code of the public price list",
    "orders:addon_buy": "a product of the public catalogue",
    "credits:addon_credits": "a product of the public catalogue",
    "orders:credit_pack_buy": "a product of the public catalogue",
    "rights:request_confirm": "a signed token, not an object id",
    "newsletter:confirm": "a signed token, not an object id",
    "newsletter:unsubscribe": "a signed token, not an object id",
    "newsletter:advertising_object": "a signed token, not an object id",
    "contact:satisfied": "a signed token, not an object id",
    "contact:not_yet": "a signed token, not an object id",
}
MAX_URLS_PER_PATTERN = 12


def _values(rows_by_model: dict, user) -> dict[str, list]:
    """A's identifiers by kind: ints (primary keys), uuids and strings (tokens, codes, numbers)."""
    ints: dict[str, list[int]] = {}
    uuids, strings = [], []
    for model, rows in rows_by_model.items():
        for row in rows:
            if isinstance(row.pk, int):
                ints.setdefault(model._meta.model_name, []).append(row.pk)
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                if isinstance(value, uuid.UUID):
                    uuids.append(value)
                elif (
                    isinstance(field, models.CharField)
                    and value
                    and any(part in field.name for part in ("token", "code", "slug", "number", "key", "uuid"))
                ):
                    strings.append(str(value))
    ints["user"] = [user.pk]
    return {"int": ints, "uuid": uuids, "str": strings + [str(u) for u in uuids]}


def _candidates(kwarg: str, converter, app_label: str, values: dict) -> list:
    base = kwarg.removesuffix("_id")
    if isinstance(converter, UUIDConverter):
        return values["uuid"]
    if isinstance(converter, IntConverter):
        ints = values["int"]
        if base == "user":
            return ints["user"]
        named = [pk for name, pks in ints.items() if base != "pk" and base in name for pk in pks]
        if base == "pk":
            named = [pk for name, pks in ints.items() if name in _models_of(app_label) for pk in pks]
        return named or _round_robin(ints)
    if isinstance(converter, SlugConverter | StringConverter) or converter is None:
        return values["str"] or ["onbekend"]
    raise AssertionError(f"no values for converter {converter!r} of {kwarg}: extend the sweep")


def _round_robin(ints: dict[str, list[int]]) -> list[int]:
    """Every model's ids, one of each model first: a capped pattern still tries an id of every model."""
    ordered = []
    for column in itertools.zip_longest(*(sorted(pks) for pks in ints.values())):
        ordered.extend(pk for pk in column if pk is not None)
    return list(dict.fromkeys(ordered))


def _models_of(app_label: str) -> set[str]:
    from django.apps import apps

    try:
        return {model._meta.model_name for model in apps.get_app_config(app_label).get_models()}
    except LookupError:  # a pattern outside any app namespace
        return set()


def _urls(values: dict) -> list[tuple[str, str]]:
    urls = []
    for route, name, converters in customer_patterns():
        assert name, f"the URL pattern {route!r} has no name: the sweep cannot reverse it"
        if not converters:
            urls.append((name, reverse(name)))
            continue
        app_label = name.split(":")[0]
        choices = [
            [(k, v) for v in _candidates(k, c, app_label, values) if c is None or re.fullmatch(c.regex, str(v))]
            for k, c in converters.items()
        ]
        for combination in itertools.islice(itertools.product(*choices), MAX_URLS_PER_PATTERN):
            urls.append((name, reverse(name, kwargs=dict(combination))))
    return list(dict.fromkeys(urls))


def _fingerprint(user) -> str:
    """A digest of every declared row of ``user``: changes when anything of theirs changes."""
    from privacy.declarations import all_declarations

    digest = hashlib.sha256()
    for declaration in sorted(all_declarations(), key=lambda d: d.key):
        rows = declaration.for_user(user).order_by("pk").values("pk", *declaration.fields)
        digest.update(json.dumps([declaration.key, list(rows)], default=str, sort_keys=True).encode())
    return digest.hexdigest()


def _request(client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path.rstrip("/").endswith(
        ("/account/login", "/account/reauthenticate")
    )


def sweep(client, customer_a, customer_b) -> list[str]:
    """Request every customer URL with A's identifiers as B and as a visitor; returns what went wrong."""
    rows = rows_of(customer_a)
    assert len(rows) >= 10, f"customer A has rows in too few models to sweep: {sorted(m.__name__ for m in rows)}"
    urls = _urls(_values(rows, customer_a))
    secrets = markers(customer_a)
    problems = []
    for who in ("B", "anonymous"):
        if who == "B":
            client.force_login(customer_b)
        else:
            client.logout()
        for name, url in urls:
            response = _request(client, url)
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            leaked = [m for m in secrets if m and m in body]
            denied = response.status_code in (403, 404, 405) or _to_login(response)
            allowed = name in (NOT_AN_OBJECT if who == "B" else PUBLIC) or (who == "B" and not _has_object(name))
            if response.status_code >= 500 or leaked or not (denied or allowed):
                problems.append(f"{who} {url} ({name}): {response.status_code} {response.get('Location', '')} {leaked}")
    return problems


def test_no_customer_url_shows_or_changes_another_customers_objects(customer_a, customer_b, client):
    before = _fingerprint(customer_a)
    problems = sweep(client, customer_a, customer_b)
    assert not problems, "\n".join(problems)
    assert _fingerprint(customer_a) == before, "a request of B or of a visitor changed A's data"


@pytest.mark.urls("tests.security.leaky_urls")
def test_the_sweep_catches_a_new_pattern_that_shows_another_customers_order(customer_a, customer_b, client):
    problems = sweep(client, customer_a, customer_b)
    assert problems and all("leak" in problem for problem in problems), problems


def _has_object(name: str) -> bool:
    return any(n == name and converters for _r, n, converters in customer_patterns())


def test_the_sweep_covers_every_app_and_its_lists_are_current():
    names = {name for _r, name, _c in customer_patterns()}
    apps = {name.split(":")[0] for name in names if ":" in name}
    assert {"accounts", "rights", "consent", "services", "payments", "subscriptions", "orders", "credits",
            "newsletter", "contact", "stats"} <= apps  # fmt: skip
    assert set(PUBLIC) <= names and set(NOT_AN_OBJECT) <= names, "an exception names a pattern that is gone"
